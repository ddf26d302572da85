#!/bin/sh
# `npm run broker -- <flags>`: runs the broker, doing only what changed since the last run —
# `pnpm install` when the lockfile or a manifest changed (a stamp of their hash), a build when a
# source is newer than the last build (a stamp file) — and saying so on stderr. Nothing else runs,
# so an unchanged checkout starts at once.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
MQ_BOOTSTRAP_FOR=broker sh tooling/scripts/bootstrap.sh
main="$root/apps/broker/dist/main.js"
stamp="$root/apps/broker/dist/.mq-build-stamp"
if [ ! -f "$main" ] || [ ! -f "$stamp" ] || [ -n "$(find apps/broker/src packages/*/src packages/*/package.json apps/broker/package.json -newer "$stamp" -print 2>/dev/null | head -1)" ]; then
  echo "broker: building @mq/broker and the packages it uses (sources changed since the last build)" >&2
  pnpm turbo run build --filter=@mq/broker... --output-logs=errors-only >&2
  touch "$stamp"
fi
exec node "$main" "$@"
