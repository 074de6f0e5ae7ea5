#!/usr/bin/env bash
# The full suite: typecheck, type-aware lint, function bundles (size/shape gates), then the test
# tiers one after another (a 2-core machine runs real servers for the integration and e2e tiers):
# unit + web (pure), integration (real nats-servers: podman containers by default,
# NATSTER_TEST_NATS=process runs them as processes), e2e (the CLI, the Nex node and Chromium
# against `natster up`), and the quick benchmark as a crash-only smoke check.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "typecheck"; npx tsc -p tsconfig.json --noEmit; npx tsc -p web/tsconfig.json --noEmit
step "lint"; npx eslint .
step "function bundles"; npx tsx functions/build.ts
step "unit and web tests"; npx vitest run --project unit --project web
step "integration tests"; npx vitest run --project integration
step "e2e tests"; npx vitest run --project e2e
if [[ -f bench/run.ts ]]; then step "benchmark smoke (quick; fails only on a crash)"; npx tsx bench/run.ts --quick; fi
