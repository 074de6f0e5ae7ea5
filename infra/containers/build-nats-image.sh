#!/usr/bin/env bash
# Builds localhost/natster-nats:<sha of the binary> FROM scratch with the local nats-server binary (the
# Go-built static one from .tools/bin by default) and any libraries it links, so container tests never pull
# an image. test/support/mode.ts derives the same tag from the same binary. Rebuilds only when the binary changes.
set -euo pipefail
cd "$(dirname "$0")"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$(pwd)/containers.conf}"
TOOLS_BIN="$(cd ../.. && pwd)/.tools/bin/nats-server"
if [[ -n "${NATS_SERVER_BIN:-}" ]]; then BIN=$NATS_SERVER_BIN
elif [[ -x "$TOOLS_BIN" ]]; then BIN=$TOOLS_BIN
else BIN="$(command -v nats-server || echo /usr/sbin/nats-server)"
fi
SUM=$(sha256sum "$BIN" | cut -c1-16)
IMAGE="localhost/natster-nats:${SUM}"
podman image exists "$IMAGE" && exit 0
CTX=$(mktemp -d)
trap 'rm -rf "$CTX"' EXIT
mkdir -p "$CTX/rootfs/bin" "$CTX/rootfs/tmp" "$CTX/rootfs/data"
cp "$BIN" "$CTX/rootfs/bin/nats-server"
# Copy every shared library the binary links: none for the static Go build, libc for Debian's.
for lib in $(ldd "$BIN" 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' || true); do
  mkdir -p "$CTX/rootfs$(dirname "$lib")"
  cp -L "$lib" "$CTX/rootfs$lib"
done
# No EXPOSE: podman 4.3 turns exposed-but-unpublished ports into null bindings testcontainers trips on.
cat > "$CTX/Containerfile" <<'CF'
FROM scratch
COPY rootfs/ /
ENTRYPOINT ["/bin/nats-server"]
CF
echo "[setup] building $IMAGE from $BIN ($("$BIN" --version))"
podman build -q -t "$IMAGE" "$CTX" >/dev/null
