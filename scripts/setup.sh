#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (as root) or a developer checkout.
#   scripts/setup.sh          what `natster up` needs: npm deps, and nats-server, natscli, nex and nex-agent
#                             built from Go modules into .tools/bin (scripts/go-tools.sh; cached)
#   scripts/setup.sh --test   also podman, runc and the local NATS image for container tests
# Installs only from Debian's packages, the npm registry and the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WANT_TEST=0
[[ "${1:-}" == "--test" ]] && WANT_TEST=1

say() { printf '\033[36m[setup]\033[0m %s\n' "$*"; }

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: need Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  if [[ $APT_UPDATED -eq 0 ]]; then say "apt-get update"; apt-get update -qq; APT_UPDATED=1; fi
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# 1. Go tools: nats-server 2.12, natscli, real Nex (nex, nex-agent) into .tools/bin. Without Go, or if a build
#    fails, the stack falls back to Debian's nats-server (installed only then) and the local Nex node.
#    ffmpeg makes the hub's demo media.
bash scripts/go-tools.sh "$@" || say "the Go tools did not build (see above); falling back to Debian's nats-server"
if [[ -z "${NATS_SERVER_BIN:-}" ]] && [[ ! -x .tools/bin/nats-server ]] && ! command -v nats-server >/dev/null 2>&1 && [[ ! -x /usr/sbin/nats-server ]]; then
  apt_install nats-server
fi
command -v ffmpeg >/dev/null 2>&1 || apt_install ffmpeg

# 2. npm dependencies, re-installed only when the lock file changed.
STAMP=node_modules/.natster-lock.sha256
LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $STAMP || "$(cat "$STAMP")" != "$LOCK_SUM" ]]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$LOCK_SUM" > "$STAMP"
fi

# 3. The native AES-256-GCM addon (packages/transfer/native, C against node's own headers and OpenSSL):
#    transfers seal and open chunks in place with it. Without a C compiler they use node:crypto instead.
command -v cc >/dev/null 2>&1 || apt_install gcc libc6-dev
npx tsx packages/transfer/native/build.ts ||
  say "the native AES-256-GCM addon did not build (see above); transfers will use node:crypto"

[[ $WANT_TEST -eq 1 ]] || exit 0

# 4. Container tests: podman with runc, and a local NATS image built from the Go-built binary (no pulls);
#    Debian's Chromium for the browser tests (Playwright drives it; nothing is downloaded at run time).
apt_install podman runc uidmap slirp4netns fuse-overlayfs iptables
[[ -x /usr/bin/chromium ]] || apt_install chromium
# iproute2: the multi-host e2e builds its hosts as network namespaces (ip netns, veth, bridge).
command -v ip >/dev/null 2>&1 || apt_install iproute2
export CONTAINERS_CONF="$ROOT/infra/containers/containers.conf"
bash infra/containers/build-nats-image.sh
