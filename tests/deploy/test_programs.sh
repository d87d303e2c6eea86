#!/bin/sh
# A program is cgi-bin/NAME.c or a folder cgi-bin/NAME/ with a main.c
# (README, "Layout"), and either shape is one program everywhere: the
# Makefile's PROGS, scripts/programs.sh (which stack.sh, valgrind.sh and
# the install test read) and build/cgi-bin agree, name for name; a folder
# links every .c file in it; the running stack (PARTA_VAR, var/) runs
# every program.  Then a new folder program, made in a scratch copy of
# cgi-bin, is built into exactly one program whose routes table (main.c)
# reaches a handler of its other file (run as CGI: 410, not 404).  TAP.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VAR=${PARTA_VAR:-$ROOT/var}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$ROOT/tests/deploy/tap.sh"
check() {	# check NAME WANT HAVE
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "want: $2" "have: $3"
	fi
}
words() { tr ' ' '\n' | sed '/^$/d' | LC_ALL=C sort | tr '\n' ' '; }

echo "1..9"

# 1: the build, as `make all` would.
if make -s -C "$ROOT" --no-print-directory programs >"$TMP/make.log" 2>&1
then
	ok "make programs"
else
	not_ok "make programs" "$(tail -n 20 "$TMP/make.log")"
fi

# 2: every entry of cgi-bin is a program of one shape: NAME.c, or a
# folder with a main.c; never both for one NAME.
bad=
for e in "$ROOT"/cgi-bin/*; do
	name=${e##*/}
	if [ -d "$e" ]; then
		[ -f "$e/main.c" ] || bad="$bad $name/(no main.c)"
		[ -e "$e.c" ] && bad="$bad $name(a file and a folder)"
	else
		case $name in *.c) ;; *) bad="$bad $name" ;; esac
	fi
done
check "every entry of cgi-bin/ is NAME.c or NAME/main.c" "" "$bad"

# 3: the Makefile and scripts/programs.sh name the same programs, each once.
listed=$("$ROOT"/scripts/programs.sh | tr '\n' ' ' | words)
made=$(make -s -C "$ROOT" --no-print-directory \
    --eval 'print-progs: ; @echo $(PROGS)' print-progs |
    sed "s|[^ ]*/cgi-bin/||g" | words)
shapes=$( (cd "$ROOT/cgi-bin" && for e in *; do echo "${e%.c}"; done) |
    tr '\n' ' ' | words)
if [ "$listed" = "$made" ] && [ "$listed" = "$shapes" ] &&
    [ "$(echo "$listed" | wc -w)" -eq \
    "$("$ROOT"/scripts/programs.sh | sort -u | wc -l)" ]; then
	ok "PROGS and scripts/programs.sh agree: $listed"
else
	not_ok "PROGS and scripts/programs.sh agree" \
	    "programs.sh: $listed" "PROGS: $made" "cgi-bin: $shapes"
fi

# 4: build/cgi-bin holds exactly those programs, each a file (objects
# aside), no folder.
built=$( (cd "$ROOT/build/cgi-bin" && for f in *; do
	case $f in *.o) continue ;; esac
	if [ -d "$f" ]; then echo "$f/"; elif [ -x "$f" ]; then echo "$f"; fi
done) | tr '\n' ' ' | words)
check "build/cgi-bin holds one program per file or folder" "$listed" "$built"

# 5: a folder program is linked from every .c file of its folder.
bad=
folders=
for d in "$ROOT"/cgi-bin/*/; do
	[ -f "$d/main.c" ] || continue
	name=$(basename "$d")
	folders="$folders $name"
	for c in "$d"*.c; do
		o=$ROOT/build/obj/cgi-bin/$name/$(basename "$c" .c).o
		if [ ! -f "$o" ] || [ "$o" -nt "$ROOT/build/cgi-bin/$name" ]; then
			bad="$bad $name/$(basename "$c")"
		fi
	done
	# Its handlers (a routes table's) come from its other files.
	nm "$ROOT/build/cgi-bin/$name" 2>/dev/null | grep -q ' T main$' ||
	    bad="$bad $name(no main)"
done
if [ -n "$folders" ] && [ -z "$bad" ]; then
	ok "folder programs linked from each of their files:$folders"
else
	not_ok "folder programs linked from each of their files" \
	    "folders:$folders" "not linked:$bad"
fi

# 6: the running stack runs every program (stack.sh reads programs.sh).
down=
for p in $listed; do
	if ! [ -f "$VAR/run/$p.pid" ] || ! [ -S "$VAR/run/$p.sock" ] ||
	    ! kill -0 "$(cat "$VAR/run/$p.pid")" 2>/dev/null; then
		down="$down $p"
	fi
	# A program that takes uploads has its upload workers too
	# (PROGRAM-upload.sock, where nginx sends multipart bodies).
	if "$ROOT/build/cgi-bin/$p" --routes 2>/dev/null |
	    grep -q APP_UPLOAD && { ! [ -S "$VAR/run/$p-upload.sock" ] ||
	    ! kill -0 "$(cat "$VAR/run/$p-upload.pid" 2>/dev/null)" \
	    2>/dev/null; }; then
		down="$down $p-upload"
	fi
done
check "the stack in ${VAR#"$ROOT"/} runs every program (and upload workers)" "" "$down"

# 7-9: a new program made as a folder, in a scratch copy of the code
# (the checkout's own libparta.a, not built again).
C=$TMP/parta
B=$TMP/build
mkdir -p "$C" "$B"
for d in lib html scripts sql nginx Makefile tests; do
	ln -s "$ROOT/$d" "$C/$d"
done
cp -R "$ROOT/cgi-bin" "$C/cgi-bin"
cp "$ROOT/build/libparta.a" "$B/libparta.a"
mkdir "$C/cgi-bin/probe"
cat >"$C/cgi-bin/probe/probe.h" <<'EOF'
int	probe_gone(struct http_req *);
EOF
cat >"$C/cgi-bin/probe/main.c" <<'EOF'
#include "app.h"

#include "probe.h"

static const struct app_route routes[] = {
	{ APP_GET, "/probe", probe_gone },
};

int
main(int argc, char *argv[])
{
	return app_main("probe", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
EOF
cat >"$C/cgi-bin/probe/gone.c" <<'EOF'
#include "app.h"

#include "probe.h"

int
probe_gone(struct http_req *r)
{
	(void)r;
	return HTTP_GONE;
}
EOF
if make -s -C "$C" --no-print-directory B="$B" -o "$B/libparta.a" \
    "$B/cgi-bin/probe" >"$TMP/probe.log" 2>&1; then
	ok "a new folder program builds"
else
	not_ok "a new folder program builds" "$(tail -n 20 "$TMP/probe.log")"
fi
files=$( (cd "$B" && find cgi-bin obj -type f | LC_ALL=C sort) |
    tr '\n' ' ')
want="cgi-bin/probe obj/cgi-bin/probe/gone.o obj/cgi-bin/probe/main.o "
if "$C/scripts/programs.sh" | grep -qx probe && [ "$files" = "$want" ]; then
	ok "it is one program, named by scripts/programs.sh"
else
	not_ok "it is one program, named by scripts/programs.sh" \
	    "built: $files" "programs.sh: $("$C/scripts/programs.sh" |
	    tr '\n' ' ')"
fi

env -i PATH=/usr/bin:/bin PARTA_BASE_URL=http://127.0.0.1 \
    PARTA_DB="host=$VAR/run dbname=parta user=parta" \
    PARTA_TEMPLATES="$ROOT/html/templates" PARTA_OUTBOX_DIR="$TMP" \
    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
    REMOTE_ADDR=127.0.0.1 REQUEST_METHOD=GET SCRIPT_NAME=/probe \
    "$B/cgi-bin/probe" </dev/null >"$TMP/probe.out" 2>&1
if head -n 1 "$TMP/probe.out" | grep -q '^Status: 410'; then
	ok "its routes table reaches the handler in its other file"
else
	not_ok "its routes table reaches the handler in its other file" \
	    "$(head -n 3 "$TMP/probe.out")"
fi
