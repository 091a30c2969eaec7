#!/bin/sh
# test_tui_report.sh SCODESK: :report NAME [FROM [TO]] through a real
# terminal at 80x24 and at 200x50 writes the report as `scodesk report`
# does (the same bytes, under the name it proposes, in the folder scodesk
# was started from), says where on the status line, never writes over a
# file; and the help lists every report `scodesk report` lists. A private
# tmux server, keys sent with send-keys, every wait a poll (tests/tmux.sh).
# TAP output.
set -u
bin=$1
name=report
. "$(dirname "$0")/tmux.sh"

export SCODESK_TODAY=2026-11-25
db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
reports=$("$bin" report | cut -d' ' -f1)
[ -n "$reports" ] || { echo "Bail out! scodesk report lists no reports"; exit 1; }

# start FOLDER WIDTH HEIGHT: scodesk started in FOLDER, in a new session
start() {
	fresh_server
	w=$2 h=$3
	$T new-session -d -s a -x "$w" -y "$h" -c "$1" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $db; $T wait-for -S done"
}
# command TEXT: types :TEXT and Enter
command() {
	keys :
	wait_re "^:" >/dev/null
	keys -l "$1"
	keys Enter
}

run_at() { # WIDTH HEIGHT
	S="$1x$2"
	out="$dir/$S"
	mkdir "$out"
	start "$out" "$1" "$2"
	check "$S: opens on the dashboard" "1 Dashboard"

	command "report manning"
	status_has "$S: the status line says the report was written, and where" \
		"Wrote the manning report, 18 rows, to manning-2026-11-25\.csv"
	if [ -f "$out/manning-2026-11-25.csv" ]; then
		ok "$S: the file is in the folder scodesk was started from"
	else
		not_ok "$S: the file is in the folder scodesk was started from" "$(ls -la "$out")"
	fi
	"$bin" --db "$db" report manning -o "$out/cli.csv" >/dev/null
	cmp -s "$out/manning-2026-11-25.csv" "$out/cli.csv" &&
		ok "$S: the same bytes as scodesk report manning" ||
		not_ok "$S: the same bytes as scodesk report manning" "$(diff "$out/manning-2026-11-25.csv" "$out/cli.csv" | head -5)"

	before=$(cksum <"$out/manning-2026-11-25.csv")
	command "report manning"
	status_has "$S: a second :report manning does not write over the first" "exists already"
	is "$S: ... and the file is as it was" "$(cksum <"$out/manning-2026-11-25.csv")" "$before"

	command "report engagements 2026-01-01 2026-03-31"
	status_has "$S: :report NAME FROM TO" "Wrote the engagements report, [0-9]+ rows?, to engagements-2026-11-25\.csv"
	"$bin" --db "$db" report engagements --from 2026-01-01 --to 2026-03-31 -o "$out/q1.csv" >/dev/null
	cmp -s "$out/engagements-2026-11-25.csv" "$out/q1.csv" &&
		ok "$S: ... the same bytes as --from and --to" || not_ok "$S: ... the same bytes as --from and --to"

	command "report nosuch"
	status_has "$S: an unknown report: what there is" "no report named nosuch \(manning, "
	command "report alerts 2026-01-01"
	status_has "$S: a range for a report without one is refused" "takes no date range"
	[ ! -e "$out/alerts-2026-11-25.csv" ] && ok "$S: ... and writes nothing" || not_ok "$S: ... and writes nothing"

	# the help ends with the reports, every one scodesk report lists
	keys '?'
	check "$S: the help" "Move down"
	keys G
	check "$S: the help's last lines: the reports" "Reports (:report NAME"
	missing=""
	for r in $reports; do
		title=$("$bin" report | grep "^$r " | sed 's/^[^ ]* *//' | cut -c1-30)
		screen | grep -E "^ +$r " | grep -qF -- "$title" || missing="$missing $r"
	done
	[ -z "$missing" ] && ok "$S: the help lists every report, with its title" ||
		not_ok "$S: the help lists every report, with its title" "missing:$missing"
	keys Escape
	check_gone "$S: Esc closes the help" "Reports (:report NAME"
	keys Q
}

run_at 80 24
run_at 200 50

echo "1..$n"
[ "$failed" = 0 ]
