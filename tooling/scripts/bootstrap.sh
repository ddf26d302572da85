#!/bin/sh
# Gets a fresh machine to the point where pnpm scripts run: pnpm from the npm registry,
# the workspace's dependencies, and (as root, when missing) the system tools the tests use.
set -e
PNPM_VERSION=10.34.0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || npm install -g "pnpm@$PNPM_VERSION"
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && ! command -v kcat >/dev/null 2>&1; then
  echo "bootstrap: installing kcat (Debian) for the compatibility tests" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null
fi
pnpm install --frozen-lockfile --reporter=silent 2>/dev/null || pnpm install --reporter=append-only
