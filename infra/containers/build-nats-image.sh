#!/usr/bin/env bash
# Builds localhost/natster-nats:<version> FROM scratch with the local nats-server binary and the
# libraries it links, so container tests never pull an image. Rebuilds only when the binary changes.
set -euo pipefail
cd "$(dirname "$0")"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$(pwd)/containers.conf}"
BIN="${NATS_SERVER_BIN:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
SUM=$(sha256sum "$BIN" | cut -c1-16)
IMAGE="localhost/natster-nats:${SUM}"
if podman image exists "$IMAGE"; then
  podman tag "$IMAGE" localhost/natster-nats:latest
  exit 0
fi
CTX=$(mktemp -d)
trap 'rm -rf "$CTX"' EXIT
mkdir -p "$CTX/rootfs/bin" "$CTX/rootfs/tmp" "$CTX/rootfs/data"
cp "$BIN" "$CTX/rootfs/bin/nats-server"
# Copy every shared library the binary links (Debian's build links only libc).
for lib in $(ldd "$BIN" | grep -o '/[^ ]*\.so[^ ]*'); do
  mkdir -p "$CTX/rootfs$(dirname "$lib")"
  cp -L "$lib" "$CTX/rootfs$lib"
done
# No EXPOSE: podman 4.3 turns exposed-but-unpublished ports into null bindings testcontainers trips on.
cat > "$CTX/Containerfile" <<'CF'
FROM scratch
COPY rootfs/ /
ENTRYPOINT ["/bin/nats-server"]
CF
echo "[setup] building $IMAGE from $BIN"
podman build -q -t "$IMAGE" -t localhost/natster-nats:latest "$CTX" >/dev/null
