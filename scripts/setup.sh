#!/bin/sh
# Installs what the demo and the tests need on a fresh machine that has only Node 20 and npm:
# pnpm (pinned), the workspace's dependencies, and, with --tests, what the tests run for real
# from Debian: Chromium and Firefox ESR for the browser tests, redis-server for the Redis tests
# (only when missing; CHROMIUM_PATH / FIREFOX_PATH / REDIS_SERVER_PATH point at other
# binaries). Idempotent and quiet when everything is there.
set -e
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
if [ "$1" = "--tests" ] || [ "$1" = "--browsers" ]; then
  missing=""
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing="$missing chromium"
  [ -x "${FIREFOX_PATH:-/usr/bin/firefox-esr}" ] || missing="$missing firefox-esr"
  [ -x "${REDIS_SERVER_PATH:-/usr/bin/redis-server}" ] || missing="$missing redis-server"
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing$missing from Debian for the tests"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq $missing >/dev/null
    else
      echo "setup: the tests need$missing: run 'sudo apt-get install$missing' (or set CHROMIUM_PATH / FIREFOX_PATH / REDIS_SERVER_PATH)" >&2
      exit 1
    fi
  fi
fi
if ! command -v pnpm >/dev/null 2>&1; then
  npm i -g pnpm@10.34.8 >/dev/null
fi
if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  CI=true pnpm install --frozen-lockfile --reporter=append-only
fi
