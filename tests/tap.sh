# tap.sh: TAP helpers the command-line test scripts source. They expect
# $bin (the scodesk under test).
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# expect CODE DESCRIPTION PATTERN -- ARGS...: exit code and a pattern in
# stdout+stderr.
expect() {
	code=$1 desc=$2 pattern=$3
	shift 4
	out=$("$bin" "$@" 2>&1)
	rc=$?
	if [ "$rc" != "$code" ]; then
		not_ok "$desc" "exit $rc, wanted $code" "$out"
	elif [ -n "$pattern" ] && ! printf '%s\n' "$out" | grep -q -- "$pattern"; then
		not_ok "$desc" "no '$pattern' in:" "$out"
	else
		ok "$desc"
	fi
}
