#!/bin/sh
# Install the Debian packages Parta needs, or say the one command to run.
# Usage: scripts/deps.sh [run|test|bench]
#   run    build the programs and run the local stack (make run, make start)
#   test   that, and the test tools (make test, make fuzz, make test-valgrind)
#   bench  that of run, and the load generator (make bench)
# Packages are installed without their recommendations, so each list
# names all it needs on a minimal Debian 12 (libc6-dev is only a
# recommendation of gcc).
set -eu

# Building: the compiler, the C library's headers, the libraries the
# programs link.  Running: PostgreSQL, nginx, spawn-fcgi and multiwatch
# for the FastCGI workers, curl (is the site up?), procps (pgrep, on stop).
# libical writes the events' calendar feed; libcmark renders the materials'
# articles.  Files (lib/file): libmagic tells a file's type by its
# content, libvips re-encodes images without their metadata and makes
# previews (pkg-config finds its flags), libseccomp confines the process
# that runs libvips.  libidn2 reads video links on internationalized
# host names (lib/embed).
run="gcc libc6-dev make libfcgi-dev libpq-dev libscrypt-dev libqrencode-dev
libical-dev libcmark-dev libmagic-dev libvips-dev pkg-config libseccomp-dev
libidn2-dev postgresql nginx spawn-fcgi multiwatch curl procps"

# Testing: cmocka and libcurl build the unit and HTTP tests; fcgiwrap runs
# the programs as plain CGI; openssl makes test certificates; zbar and
# rsvg read QR codes back; clang and its runtime (libFuzzer, sanitizers)
# build the fuzz harnesses; valgrind is for make test-valgrind; Chromium
# and a font for the browser tests, which run playwright-core from npm
# with Node.js (a machine that has no node gets Debian's); python3-icalendar
# reads the calendar feed back (tests/http/test_events.c); exiftool
# writes a photo's GPS position and reads it back (tests/http/test_files.c).
test="libcmocka-dev libcurl4-openssl-dev fcgiwrap openssl zbar-tools
librsvg2-bin clang libclang-rt-14-dev valgrind chromium fonts-dejavu-core
python3-icalendar libimage-exiftool-perl"
command -v node >/dev/null 2>&1 || test="$test nodejs npm"

case ${1:-run} in
run)	pkgs=$run ;;
test)	pkgs="$run $test" ;;
# make bench: the load generator (pgbench comes with postgresql), and
# valgrind for bench/instructions.sh (make bench, instructions, bench-compare).
bench)	pkgs="$run wrk valgrind" ;;
*)	echo "usage: $0 [run|test|bench]" >&2; exit 2 ;;
esac

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
echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
exit 1
