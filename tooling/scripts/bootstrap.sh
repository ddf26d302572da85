#!/bin/sh
# Gets a checkout to the point where pnpm scripts run, doing only what is missing and saying so
# on stderr: pnpm (installed with npm only when there is none — a global pnpm is never replaced),
# the workspace's dependencies (skipped while the lockfile and manifests hash to the last install's
# stamp), and — for the test command only (MQ_BOOTSTRAP_FOR=test), as root on Debian — the system
# tools the compatibility tests use.
set -e
PNPM_VERSION=10.34.0
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if ! command -v pnpm >/dev/null 2>&1; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION with npm (none on PATH)" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || npm install -g "pnpm@$PNPM_VERSION" >&2
fi
if [ "${MQ_BOOTSTRAP_FOR:-test}" = "test" ]; then
  # The system tools the compatibility, cluster and browser tests use (one list, shared with .ci/run).
  DEBIAN_PACKAGES=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' tooling/scripts/debian-packages)
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    missing=""
    for p in $DEBIAN_PACKAGES; do
      dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
      echo "bootstrap: installing$missing (Debian) for the compatibility tests" >&2
      # shellcheck disable=SC2086
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    fi
  fi
fi
# Build @confluentinc/kafka-javascript from its bundled librdkafka source against the system libraries.
export CKJS_LINKING=dynamic
stamp="node_modules/.mq-install-stamp"
hash=$(cat pnpm-lock.yaml pnpm-workspace.yaml package.json packages/*/package.json apps/*/package.json tests/*/package.json tooling/*/package.json 2>/dev/null | cksum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  # Only here, not on every run: starting pnpm just to read its version costs a second.
  found=$(pnpm --version 2>/dev/null || true)
  [ "$found" = "$PNPM_VERSION" ] || echo "bootstrap: using pnpm $found from PATH (the repo pins $PNPM_VERSION; a global pnpm is never replaced)" >&2
  echo "bootstrap: pnpm install (the lockfile or a package.json changed since the last install)" >&2
  pnpm install --frozen-lockfile --reporter=silent 2>/dev/null || pnpm install --reporter=append-only >&2
  echo "$hash" > "$stamp"
fi
