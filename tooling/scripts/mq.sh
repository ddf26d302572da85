#!/bin/sh
# `npm run -s mq -- <args>`: runs the mq CLI, building it (and the packages it uses) first when a
# source is newer than the build. Build output and this note go to stderr: stdout is mq's alone.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/apps/cli/dist/main.js"
if [ ! -f "$cli" ] || [ -n "$(find "$root/apps/cli/src" "$root/packages"/*/src -newer "$cli" -print 2>/dev/null | head -1)" ]; then
  echo "mq: building @mq/cli first (sources changed since the last build)" >&2
  (cd "$root" && pnpm turbo run build --filter=@mq/cli... --output-logs=errors-only) >&2
fi
exec node "$cli" "$@"
