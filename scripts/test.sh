#!/usr/bin/env bash
# The full suite: typecheck, type-aware lint, function bundles (size/shape gates), unit and
# integration tests against real nats-servers (podman containers by default; NATSTER_TEST_NATS=process
# runs them as processes).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "typecheck"; npx tsc -p tsconfig.json --noEmit
step "lint"; npx eslint .
step "function bundles"; npx tsx functions/build.ts
step "tests"; npx vitest run
