#!/bin/sh
# Install the Debian packages Parta needs, or say the one command to run.
# Usage: scripts/deps.sh [build|test|bench]
set -eu

# clang and its runtime (libFuzzer, sanitizers) build the fuzz harnesses;
# valgrind is for make test-valgrind; Chromium for the browser tests.
pkgs="postgresql nginx libfcgi-dev libpq-dev libscrypt-dev spawn-fcgi
multiwatch fcgiwrap libcmocka-dev libcurl4-openssl-dev curl gcc make
pkg-config openssl libqrencode-dev zbar-tools librsvg2-bin clang
libclang-rt-14-dev valgrind chromium fonts-dejavu-core"

# The browser tests run playwright-core from npm with Node.js; a machine
# that has no node gets Debian's.
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
# make bench only: the load generator (pgbench comes with postgresql).
[ "${1:-}" = bench ] && pkgs="wrk"

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
	# The packaged services are not ours: our stack runs its own.
	if command -v systemctl >/dev/null 2>&1; then
		systemctl disable --now nginx postgresql fcgiwrap.socket \
		    fcgiwrap >/dev/null 2>&1 || true
	fi
	service nginx stop >/dev/null 2>&1 || true
	service fcgiwrap stop >/dev/null 2>&1 || true
	exit 0
fi
echo "deps: missing packages. Run this once, then try again:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
