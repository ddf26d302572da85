#!/bin/sh
# pnpm chaos: the long fault runs kept out of the suite (tests/compat's `chaos` script: MQ_CHAOS=1,
# 10 leader kills, 5 leader network partitions, the quarantined fault tests) MQ_CHAOS_ITERATIONS times in a row (default 1),
# stopping at the first failing iteration so its logs are the last thing on the terminal.
set -e
n=${MQ_CHAOS_ITERATIONS:-1}
case $n in
  '' | *[!0-9]* | 0*) echo "chaos: MQ_CHAOS_ITERATIONS must be a positive whole number, got '$n'" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
MQ_BOOTSTRAP_FOR=test sh tooling/scripts/bootstrap.sh
i=1
while [ "$i" -le "$n" ]; do
  echo "chaos: iteration $i of $n" >&2
  if ! pnpm --filter @mq/compat-tests chaos; then
    echo "chaos: iteration $i of $n failed ($((i - 1)) passed before it)" >&2
    exit 1
  fi
  i=$((i + 1))
done
echo "chaos: $n of $n iterations passed" >&2
