#!/bin/sh
# test_valgrind.sh SCODESK: every command-line path once under valgrind
# (memcheck): no invalid access, no use of uninitialised memory, nothing
# definitely or indirectly lost. TAP output. Runs on the plain build only
# (valgrind and AddressSanitizer do not mix).
set -u
bin=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-vg-XXXXXX")
trap 'rm -rf "$dir"' EXIT
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
n=0
failed=0
db="$dir/office.db"
# vg EXPECTED-EXIT DESCRIPTION ARGS...: the command's own exit code must be
# EXPECTED-EXIT; valgrind's findings exit with 99.
vg() {
	want=$1 desc=$2
	shift 2
	n=$((n + 1))
	valgrind -q --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--log-file="$dir/vg.log" "$bin" "$@" >"$dir/out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" = "$want" ] && [ ! -s "$dir/vg.log" ]; then
		echo "ok $n - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc (exit $rc, wanted $want)"
		sed 's/^/# /' "$dir/vg.log" | head -40
		sed 's/^/# out: /' "$dir/out" | head -5
	fi
}

vg 0 "init" --db "$db" init
vg 0 "demo" --db "$db" demo
vg 0 "check" --db "$db" check
vg 0 "list" --db "$db" list engagements
vg 0 "alerts" --db "$db" alerts
vg 0 "keys" keys
vg 0 "the plain summary" --db "$db"
"$bin" --db "$dir/daily/office.db" init >/dev/null
vg 0 "backup --daily (makes the copy)" --db "$dir/daily/office.db" backup --daily
vg 0 "backup --daily (today's exists)" --db "$dir/daily/office.db" backup --daily
vg 0 "export a table" --db "$db" export engagements -o "$dir/eng.csv"
vg 0 "export a list as shown" --db "$db" export personnel --filter an --sort last_name --desc -o "$dir/p.csv"
for r in manning training-status student-pipeline program-status alerts; do
	vg 0 "report $r" --db "$db" report "$r" -o "$dir/$r.csv"
done
vg 0 "report engagements in a range" --db "$db" report engagements -o "$dir/e.csv" --from 2026-01-01 --to 2026-12-31
vg 0 "the turnover book" --db "$db" handover -o "$dir/book.md"
vg 0 "the turnover book as CSV" --db "$db" handover --format csv -o "$dir/book.csv"
vg 0 "import (updates)" --db "$db" import engagements "$dir/eng.csv"
vg 0 "export billets" --db "$db" export billets -o "$dir/billets.csv"
vg 0 "import into a new database" --db "$dir/new.db" import billets "$dir/billets.csv"
vg 0 "a dry run" --db "$dir/new.db" import billets "$dir/billets.csv" --dry-run
printf 'id,nonsense\n1,2\n"unterminated\n' >"$dir/bad.csv"
vg 1 "import of a bad file" --db "$db" import contacts "$dir/bad.csv"
printf 'not a database' >"$dir/text.db"
vg 1 "a refused file" --db "$dir/text.db" check
vg 2 "a usage error" --frobnicate
vg 0 "--help" --help

echo "1..$n"
[ "$failed" = 0 ]
