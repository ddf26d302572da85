#!/bin/sh
# Gets a fresh machine to the point where pnpm scripts run: pnpm from the npm registry,
# the workspace's dependencies, and (as root, when missing) the system tools the tests use.
set -e
PNPM_VERSION=10.34.0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || npm install -g "pnpm@$PNPM_VERSION"
fi
# kcat (librdkafka 2.0) and the -dev libraries @confluentinc/kafka-javascript links its bundled
# librdkafka 2.15 against: its default install downloads binaries and sources from outside, which fails here.
DEBIAN_PACKAGES="kcat zlib1g-dev libssl-dev libzstd-dev liblz4-dev libsasl2-dev"
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
# Build @confluentinc/kafka-javascript from its bundled librdkafka source against the system libraries.
export CKJS_LINKING=dynamic
pnpm install --frozen-lockfile --reporter=silent 2>/dev/null || pnpm install --reporter=append-only
