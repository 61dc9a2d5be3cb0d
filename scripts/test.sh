#!/bin/sh
# The whole test suite: lint (Biome, about a second; biome.json says which rules and why),
# core's import graph (no module cycles; pool/, process/ and protocol/ reach the primitives only
# through sync-bridge.ts), build every package, the docs check (every public export has TSDoc
# with an @example, no broken relative link or anchor in the markdown; its own unit tests first)
# and the API reference (typedoc, warnings are errors), then run every package's tests (type
# tests, core's self-test, the conformance suite on every adapter). The docs come before the
# tests because they take seconds and the tests many minutes.
set -e
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
pnpm -s lint
node scripts/import-graph.mjs --check > /dev/null
pnpm -s turbo run build --output-logs=new-only --concurrency=1
node --test --test-reporter=dot scripts/docs-check/
node scripts/check-docs.mjs
pnpm -s exec typedoc --logLevel Warn
pnpm -s turbo run build test --output-logs=new-only --concurrency=1
