#!/bin/sh
# The browser journey (TAP), with playwright-core and axe-core from npm at
# the versions package-lock.json records, and Debian's Chromium.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
	npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
exec node journey.js
