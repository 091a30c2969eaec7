#!/bin/sh
# test_tui_export.sh SCODESK: x writes the list as shown, through a real
# terminal at 80x24 and at 200x50: the columns in display order (the ones
# scrolled off the right edge too, not the hidden ones), their labels,
# the shown values (the incumbent by name), the filter and the sort; and
# the same bytes as `scodesk export TABLE --view`. A private tmux server,
# keys sent with send-keys, every wait a poll of the screen. TAP output.
set -u
bin=$1
name=export
. "$(dirname "$0")/tmux.sh"

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
# the incumbent of the first billet, as the list shows it
who=$(sqlite3 "$db" "SELECT p.last_name || ', ' || p.first_name FROM personnel p WHERE p.billet_number = 'ODC-01' AND p.status = 'present' LIMIT 1")
[ -n "$who" ] || { echo "Bail out! the demo office has no incumbent on ODC-01"; exit 1; }

start() {
	fresh_server
	$T new-session -d -s a -x "$1" -y "$2" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $db; $T wait-for -S done"
}
# export FILE: x, the proposed name replaced by FILE, until it says so
export_to() {
	keys x
	wait_for "export to: " || return 1
	keys C-u "$1" Enter
	wait_for "Exported " && [ -f "$1" ]
}
# header FILE: the file's header row (after the BOM and the marking line)
header() { sed -n 2p "$1" | tr -d '\r'; }

all="Billet,Title,Auth. grade,Incumbent,DEROS,Replacement,Arrives,Gap,Req. cert"
run_at() { # WIDTH HEIGHT
	S="$1x$2"
	out="$dir/$S"
	mkdir "$out"
	start "$1" "$2"
	check "$S: opens on the dashboard" "1 Dashboard"
	keys 2
	check "$S: the Billets list" "Incumbent"

	# ---- x: every column, labelled, the incumbent by name
	if export_to "$out/all.csv"; then ok "$S: x writes the file"; else not_ok "$S: x writes the file"; fi
	h=$(header "$out/all.csv")
	[ "$h" = "$all" ] && ok "$S: its header is the columns' labels, Incumbent and Gap among them" ||
		not_ok "$S: its header is the columns' labels, Incumbent and Gap among them" "header: $h"
	grep -q "^ODC-01,[^,]*,O-6,\"$who\"," "$out/all.csv" &&
		ok "$S: the rows have the incumbent's name ($who)" ||
		not_ok "$S: the rows have the incumbent's name ($who)" "$(sed -n 3p "$out/all.csv")"
	head -c 6 "$out/all.csv" | od -An -c | grep -q '357 273 277   C   U   I' &&
		[ "$(tail -n 1 "$out/all.csv" | tr -d '\r')" = CUI ] &&
		ok "$S: the byte order mark and the marking, first and last" ||
		not_ok "$S: the byte order mark and the marking, first and last" "$(head -c 16 "$out/all.csv" | od -c | head -2)"

	# ---- - hides the current column (Title): it is not in the file; the
	# columns past the right edge are
	keys Right -
	check "$S: - hides the Title column" "hidden"
	if [ "$1" = 80 ]; then
		screen | grep -qF "Req. cert" && not_ok "$S: Req. cert is past the right edge" ||
			ok "$S: Req. cert is past the right edge"
	fi
	export_to "$out/hidden.csv"
	h=$(header "$out/hidden.csv")
	[ "$h" = "Billet,Auth. grade,Incumbent,DEROS,Replacement,Arrives,Gap,Req. cert" ] &&
		ok "$S: x leaves the hidden column out, keeps the ones off screen" ||
		not_ok "$S: x leaves the hidden column out, keeps the ones off screen" "header: $h"
	keys +
	check_gone "$S: + shows it again" "hidden"

	# ---- a filter and a sort: the same bytes as export --view
	keys f O D C - 0 Enter
	check "$S: filtered" 'filter "ODC-0"'
	keys : s o r t Space t i t l e Enter r
	check_re "$S: sorted by title, descending" "Title.*desc|desc.*Title"
	export_to "$out/view.csv"
	"$bin" --db "$db" export billets --view --filter ODC-0 --sort title --desc -o "$out/cli.csv" >/dev/null 2>&1
	rows=$(grep -c '^ODC-0' "$out/view.csv")
	if cmp -s "$out/view.csv" "$out/cli.csv" && [ "$rows" = 9 ]; then
		ok "$S: x and 'scodesk export billets --view --filter --sort --desc' give the same bytes"
	else
		not_ok "$S: x and 'scodesk export billets --view --filter --sort --desc' give the same bytes" \
			"$rows rows; $(diff "$out/view.csv" "$out/cli.csv" | head -5)"
	fi
	first=$(sed -n 3p "$out/view.csv" | cut -d, -f2)
	last=$(grep '^ODC-0' "$out/view.csv" | tail -n 1 | cut -d, -f2)
	[ "$first" \> "$last" ] && ok "$S: ... in that order (titles from $first down)" ||
		not_ok "$S: ... in that order" "$first .. $last"

	# ---- no overwrite: x to an existing file says so and leaves it
	before=$(cksum <"$out/all.csv")
	keys x C-u "$out/all.csv" Enter
	check "$S: x refuses an existing file" "exists already"
	[ "$(cksum <"$out/all.csv")" = "$before" ] && ok "$S: ... and leaves it as it was" ||
		not_ok "$S: ... and leaves it as it was"
	keys Q
}

run_at 80 24
run_at 200 50

echo "1..$n"
[ "$failed" = 0 ]
