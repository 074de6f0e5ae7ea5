#!/usr/bin/env bash
# Builds the Go tools into .tools/bin from the Go module proxy, cached and idempotent:
#   nats-server  github.com/nats-io/nats-server/v2 (static, CGO off: it also goes into the FROM scratch image)
#   nats         github.com/nats-io/natscli/nats (natscli)
#   nex          real Nex 0.x (tag 0.3.0-rc1) through the wrapper module infra/real-nex (CGO off)
#   nex-agent    its agent with V8 (CGO on: v8go ships a prebuilt libv8.a)
# A tool is rebuilt only when its binary is missing or its stamp (what was built, with which Go) differs.
# Each build prints its time. Real Nex never gets -X main.VERSION (that makes its CLI call out to the internet).
#
# The proxy refuses github.com/synadia-io/nex (403 "This module version is not available"). Real Nex then
# builds only from a local checkout of nex at that commit: NATSTER_NEX_SRC=/path, .tools/src/nex-0.3.0-rc1, or
# ~/.cache/natster/nex-0.3.0-rc1 (a machine-wide copy, so fresh clones on that machine find it too).
# Without one, real Nex is reported as blocked in .tools/bin/nex.blocked and everything else still works.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN="$ROOT/.tools/bin"
mkdir -p "$BIN"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

NATS_SERVER_MODULE=github.com/nats-io/nats-server/v2
NATS_SERVER_VERSION=v2.12.15
NATSCLI_VERSION=v0.5.0
NEX_COMMIT=c5899ff211885083242830c27ffd089ef121feed
NEX_VERSION=v0.0.0-20240816002053-c5899ff21188

say() { printf '\033[36m[setup]\033[0m %s\n' "$*"; }

if ! command -v go >/dev/null 2>&1; then
  say "go is not installed: skipping the Go tools (the stack falls back to Debian's nats-server and the local Nex node)"
  exit 0
fi
GO_VERSION=$(go env GOVERSION)

fresh() { # fresh NAME STAMP: the binary exists and was built from STAMP
  [[ -x "$BIN/$1" && -f "$BIN/.$1.stamp" && "$(cat "$BIN/.$1.stamp")" == "$2" ]]
}

built() { # built NAME STAMP START
  echo "$2" > "$BIN/.$1.stamp"
  say "built $1 in $(( $(date +%s) - $3 ))s ($2)"
}

go_install() { # go_install NAME CGO PACKAGE@VERSION
  local name=$1 cgo=$2 pkg=$3 stamp="$3 $GO_VERSION cgo=$2"
  if fresh "$name" "$stamp"; then say "$name is up to date ($pkg)"; return 0; fi
  local start; start=$(date +%s)
  say "building $name ($pkg)"
  CGO_ENABLED=$cgo GOBIN="$BIN" go install "$pkg"
  built "$name" "$stamp" "$start"
}

go_install nats-server 0 "$NATS_SERVER_MODULE@$NATS_SERVER_VERSION"
# natscli is for people looking inside a running stack; the test suite never calls it, so `--test` skips it.
if [[ "${1:-}" != "--test" ]]; then
  go_install nats 0 "github.com/nats-io/natscli/nats@$NATSCLI_VERSION"
fi

# Real Nex: the wrapper module is copied to .tools/build so that a local source replace never touches the repo.
NEX_STAMP="nex@$NEX_COMMIT $GO_VERSION $(cat infra/real-nex/go.mod infra/real-nex/go.sum infra/real-nex/shandler/*.go | sha256sum | cut -c1-12)"
if fresh nex "$NEX_STAMP" && fresh nex-agent "$NEX_STAMP"; then
  say "nex and nex-agent are up to date (0.3.0-rc1)"
  exit 0
fi
BUILD="$ROOT/.tools/build/real-nex"
rm -rf "$BUILD"; mkdir -p "$BUILD"
cp -r infra/real-nex/. "$BUILD/"
cd "$BUILD"
SRC="${NATSTER_NEX_SRC:-}"
for candidate in "$ROOT/.tools/src/nex-0.3.0-rc1" "${XDG_CACHE_HOME:-$HOME/.cache}/natster/nex-0.3.0-rc1"; do
  [[ -z "$SRC" && -f "$candidate/go.mod" ]] && SRC=$candidate
done
if ! PROXY_ERR=$(go mod download "github.com/synadia-io/nex@$NEX_VERSION" 2>&1); then
  if [[ -f "$SRC/go.mod" ]] && grep -q '^module github.com/synadia-io/nex$' "$SRC/go.mod"; then
    say "the proxy refuses nex; building it from the local source $SRC"
    go mod edit -replace "github.com/synadia-io/nex=$SRC"
  else
    {
      echo "real Nex is blocked: the Go module proxy refuses github.com/synadia-io/nex@$NEX_VERSION (commit $NEX_COMMIT):"
      echo "$PROXY_ERR"
      echo "Build it from a local checkout of nex at that commit with NATSTER_NEX_SRC=/path/to/nex."
    } > "$BIN/nex.blocked"
    say "$(head -1 "$BIN/nex.blocked") (details: .tools/bin/nex.blocked)"
    exit 0
  fi
fi
rm -f "$BIN/nex.blocked"
start=$(date +%s)
say "building nex (real Nex 0.3.0-rc1, CGO off)"
CGO_ENABLED=0 go build -mod=mod -o "$BIN/nex" github.com/synadia-io/nex/nex
built nex "$NEX_STAMP" "$start"
start=$(date +%s)
say "building nex-agent (V8 through v8go's prebuilt libv8.a, CGO on)"
CGO_ENABLED=1 go build -mod=mod -o "$BIN/nex-agent" github.com/synadia-io/nex/agent/cmd/nex-agent
built nex-agent "$NEX_STAMP" "$start"
