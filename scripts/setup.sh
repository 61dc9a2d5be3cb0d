#!/bin/sh
# Installs what the demo and the tests need on a fresh machine that has only Node 20 and npm:
# pnpm (pinned), the workspace's dependencies. Idempotent and quiet when everything is there.
set -e
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
if ! command -v pnpm >/dev/null 2>&1; then
  npm i -g pnpm@10.34.8 >/dev/null
fi
if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  CI=true pnpm install --frozen-lockfile --reporter=append-only
fi
