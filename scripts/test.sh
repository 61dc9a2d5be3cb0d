#!/bin/sh
# The whole test suite: lint (Biome, about a second; biome.json says which rules and why),
# core's import graph (no module cycles; pool/, process/ and protocol/ reach the primitives only
# through sync-bridge.ts), build every package, then run every package's tests (type tests, core's self-test, the
# conformance suite on every adapter).
set -e
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
pnpm -s lint
node scripts/import-graph.mjs --check > /dev/null
pnpm -s turbo run build test --output-logs=new-only --concurrency=1
