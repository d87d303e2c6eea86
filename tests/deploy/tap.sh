# TAP for the shell tests, sourced after ROOT is set: ok NAME, or
# not_ok NAME [DETAIL...] (each line of each detail a "# " comment);
# n counts them.
n=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/# /'
	done
}
