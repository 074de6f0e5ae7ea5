#!/usr/bin/env bash
# The full suite: typecheck, type-aware lint (`eslint .`: web/src included, typed by web/tsconfig.json), formatting
# (Prettier), function bundles (size/shape gates), then the test tiers one after another (a 2-core machine runs real
# servers for the integration and e2e tiers): unit + web (pure), integration (real nats-servers: podman containers by default,
# NATSTER_TEST_NATS=process runs them as processes), e2e (the CLI, the Nex node and Chromium
# against `natster up`), real Nex (conformance, devrun, e2e on `--nex real`) when setup could build it,
# and every benchmark once on small data as a crash-only smoke check.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "typecheck"; npx tsc -p tsconfig.json --noEmit; npx tsc -p web/tsconfig.json --noEmit
step "lint"; npx eslint .
step "format"; npx prettier --check . || { echo "run: npm run format" >&2; exit 1; }
step "function bundles"; npx tsx functions/build.ts
step "unit and web tests"; npx vitest run --project unit --project web
step "integration tests"; npx vitest run --project integration
step "e2e tests"; npx vitest run --project e2e
# Real Nex 0.3.0-rc1 (built by scripts/go-tools.sh): the conformance suite (every bundle on both nodes, byte for
# byte), the real `nex devrun`, and the CLI sharing e2e specs (sharing, attacks, logout) once more on
# `natster up --nex real`.
if [[ -x .tools/bin/nex && -x .tools/bin/nex-agent ]]; then
  step "real Nex: conformance and devrun"; npx vitest run --project real-nex
  step "real Nex: CLI sharing e2e on natster up --nex real"
  NATSTER_E2E_NEX=real npx vitest run --project e2e \
    test/e2e/cli-sharing.e2e.spec.ts test/e2e/cli-sharing-attacks.e2e.spec.ts test/e2e/cli-logout.e2e.spec.ts
else
  step "real Nex: BLOCKED (its tiers did not run)"; cat .tools/bin/nex.blocked 2>/dev/null || echo "nex and nex-agent are not in .tools/bin: run scripts/setup.sh"
fi
# The smoke runs every benchmark once on small data, into .tools/bench-smoke: the committed results in
# bench/results stay as the last real run left them (`npm run bench -- --quick` is the quick run itself).
SMOKE_SIZES=(transferBytes=33554432 transferPairs=1 sweepChunksKiB=64,256 sweepBytes=8388608 upstreamBytes=1048576
  hashBytes=33554432 hashFiles=16 hashPairs=1 fnRequests=100 fnBlocks=2 fnNodesRequests=200 projectionEvents=5000
  projectionAccounts=20 listEntries=10000 webRepeats=1 shareRounds=3 webDownloadPairs=1)
if [[ -f bench/run.ts ]]; then
  step "benchmark smoke (every benchmark on small data; fails only on a crash)"
  smoke_args=(); for size in "${SMOKE_SIZES[@]}"; do smoke_args+=(--size "$size"); done
  npx tsx bench/run.ts --quick --out .tools/bench-smoke "${smoke_args[@]}"
fi
