#!/bin/sh
# test_tui_eum.sh SCODESK: end-use monitoring on the Programs screen
# through a real terminal at 80x24 and at 200x50: the tabs EUM items and
# EUM checks with what only the register's lines can give (an item's last
# inventory, what it found, its next inventory due; a check's items seen
# and missed), the v views of an item (its history), a check (what it saw
# and missed) and a case (its items and checks), t on a check's
# follow-up, :check-items on a check (a refused file's problems in the
# view, a good one loaded), and the title line that keeps the row and
# columns when four tabs would crowd them out. TAP output.
set -u
bin=$1
name=eum
. "$(dirname "$0")/tmux.sh"

db="$dir/office.db"
export SCODESK_TODAY=2026-11-25
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
q() { sqlite3 "$db" "$1"; }
case_id=QV-B-VAB
pid=$(q "SELECT id FROM programs WHERE case_id = '$case_id'")
[ -n "$pid" ] || { echo "Bail out! the demo has no case $case_id"; exit 1; }

# A small register on the case: three devices under enhanced monitoring
# seen by the initial inventory, then an annual one that saw one, found
# one damaged and missed the third; a fourth device lost, and a mount
# without enhanced monitoring.
cat >"$dir/items.csv" <<EOF
program_id,category,description,serial_number,eeum,delivered_date,site,status
$pid,nvd,AN/PVS-14 monocular,TST1001,1,2023-06-01,Korvan depot,in_storage
$pid,nvd,AN/PVS-14 monocular,TST1002,1,2023-06-01,Korvan depot,issued
$pid,nvd,AN/PVS-14 monocular,TST1003,1,2023-06-01,Korvan depot,in_storage
$pid,nvd,AN/PVS-14 monocular,TST1004,1,2023-06-01,North base,lost
$pid,other,Weapon mount,TSTM1,0,2023-06-01,North base,in_storage
EOF
"$bin" --db "$db" import eum_items "$dir/items.csv" >/dev/null || { echo "Bail out! items"; exit 1; }
i1=$(q "SELECT id FROM eum_items WHERE serial_number = 'TST1001'")
cat >"$dir/checks.csv" <<EOF
date,kind,program_id,site,followup,followup_due,followup_done
2023-08-01,initial_inventory,$pid,,,,0
2025-09-01,annual_inventory,$pid,Korvan depot,Report TST1003 to DSCA,2025-10-01,0
EOF
"$bin" --db "$db" import eum_checks "$dir/checks.csv" >/dev/null || { echo "Bail out! checks"; exit 1; }
c1=$(q "SELECT id FROM eum_checks WHERE date = '2023-08-01' AND program_id = $pid")
c2=$(q "SELECT id FROM eum_checks WHERE date = '2025-09-01' AND program_id = $pid")
{
	echo "check_id,item_id,result"
	for k in 0 1 2 3; do echo "$c1,$((i1 + k)),seen"; done
	echo "$c2,$i1,seen"
	echo "$c2,$((i1 + 1)),damaged"
	echo "$c2,$((i1 + 2)),not_seen"
} >"$dir/lines.csv"
"$bin" --db "$db" import eum_check_items "$dir/lines.csv" >/dev/null || { echo "Bail out! lines"; exit 1; }

start() {
	fresh_server
	w=$1 h=$2
	$T new-session -d -s a -x "$w" -y "$h" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $db"
}
# quits DESCRIPTION: the session ends after Q (bounded, so a scodesk that
# stays cannot hang the suite)
quits() {
	i=0
	while $T has-session -t a 2>/dev/null && [ $i -lt 500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	if $T has-session -t a 2>/dev/null; then not_ok "$1"; else ok "$1"; fi
}
# search TEXT: / to the first row that has it
search() {
	keys / "$1" Enter
	wait_gone "Search:" >/dev/null
}

for size in 80x24 200x50; do
	S=$size
	start "${size%x*}" "${size#*x}"
	check "$S: the dashboard" "1 Dashboard"

	to_tab 4 Serial
	check "$S: the EUM items tab, by serial number" "Serial▲"
	# the test's items among the demo's
	keys : "filter TST" Enter
	check "$S: filtered to the test's items" 'filter "TST"'
	# TST1003: missed by the annual inventory, so due a year after the
	# initial one saw it
	check_re "$S: an item not seen: its next inventory was due a year after it was last seen" \
		'TST1003 +In storage +2024-07-31 +2025-09-01 +Not seen'
	check_re "$S: an item seen damaged: due a year after that inventory" \
		'TST1002 +Issued +2026-09-01 +2025-09-01 +Damaged'
	check_re "$S: an item lost: no inventory due" 'TST1004 +Lost +2023-08-01 +Seen'

	search TST1003
	keys v
	check "$S: v on an item" "EUM item"
	keys G
	check "$S: ... its history, check by check" "EUM check items (2)"
	check "$S: ... the annual inventory missed it" "2025-09-01 Annual inventory | Not seen"
	check "$S: ... the initial one saw it" "2023-08-01 Initial inventory | Seen"
	keys q
	check_gone "$S: q leaves the item's view" "EUM check items (2)"

	keys ]
	check "$S: the EUM checks tab" "Missed"
	check_re "$S: the annual inventory saw two and missed one" \
		'2025-09-01 +Annual inventory +QV-B-VAB.* 2 +1( |$)'
	check_re "$S: the initial inventory saw four" '2023-08-01 +Initial inventory +QV-B-VAB.* 4 +0'
	search TST1003
	keys v
	check "$S: v on a check: what it saw and missed" "EUM check items (3)"
	check "$S: ... the device it missed" "TST1003 | Not seen"
	check "$S: ... the damaged one" "TST1002 | Damaged"
	keys q
	check_gone "$S: q leaves the check's view" "EUM check items (3)"

	if [ "$S" = 80x24 ]; then
		# t: the follow-up done, without the form
		search TST1003
		keys t
		i=0
		while [ "$(q "SELECT followup_done FROM eum_checks WHERE id = $c2")" != 1 ] && [ $i -lt 250 ]; do
			sleep 0.02
			i=$((i + 1))
		done
		is "$S: t marks the check's follow-up done" \
			"$(q "SELECT followup_done FROM eum_checks WHERE id = $c2")" 1
		# the form refuses a line for another case's item, in words
		keys o
		check_re "$S: o on the check: its lines" 'Check +Item +Result'
		check "$S: ... the three of them" "row 1 of 3"
		keys a
		check "$S: a adds a line to the check" "New EUM check item"
		keys Tab TL175-0101 Tab Enter
		check "$S: a device of another case is refused, by serial and case" \
			"Serial TL175-0101 is on case QV-B-VAE; this check is of case QV-B-VAB"
		is "$S: ... and nothing was written" \
			"$(q "SELECT count(*) FROM eum_check_items WHERE check_id = $c2")" 3
		keys Escape
		wait_for "[y/N]" >/dev/null
		keys y
		check_gone "$S: Esc, y: the form is gone" "New EUM check item"
		keys q
		check "$S: q: back on the EUM checks" "Missed"
		# the columns scrolled: the current tab alone, with its place
		keys [
		check "$S: back on EUM items" "Serial▲"
		keys : filter Enter
		check_gone "$S: :filter alone clears the filter" 'filter "TST"'
		keys Right Right Right
		line_re 2 "$S: columns scrolled: the title keeps the row and columns, the tab with its place" \
			'EUM items 3/4 .*row [0-9]+ of [0-9]+ .*cols [0-9]+-[0-9]+ of [0-9]+'
		keys Left Left Left
	else
		line_re 2 "$S: every tab on the title line, the current one among them" \
			'^4 Programs Programs Units EUM items EUM checks +row '
	fi

	# the case: its items and its checks under its view (] from the
	# last tab comes round to Programs)
	to_tab 4 Authority
	search "$case_id"
	keys v
	check "$S: v on the case" "Program $pid:"
	keys G
	check "$S: ... its EUM checks, last" "EUM checks ("
	check "$S: ... among them the annual inventory" "Report TST1003 to DSCA"
	# its items above them: page back until their heading shows
	i=0
	while ! screen | grep -qF "EUM items (" && [ $i -lt 10 ]; do
		where=$(screen | sed -n 2p)
		keys b
		j=0
		while [ "$(screen | sed -n 2p)" = "$where" ] && [ $j -lt 100 ]; do
			sleep 0.02
			j=$((j + 1))
		done
		i=$((i + 1))
	done
	check "$S: ... its EUM items" "EUM items ("
	keys q Q
	quits "$S: Q quits"
done

# :check-items on a check: the inspector's list loaded from the
# interface, a refused file's problems in the view, every one.
cat >"$dir/inv.csv" <<EOF
date,kind,program_id,site
2026-11-01,annual_inventory,$pid,Korvan depot
EOF
"$bin" --db "$db" import eum_checks "$dir/inv.csv" >/dev/null || { echo "Bail out! inventory"; exit 1; }
c3=$(q "SELECT id FROM eum_checks WHERE date = '2026-11-01' AND program_id = $pid")
printf 'serial_number\nTST1001\nTST9999\nTST1001\n' >"$dir/bad.csv"
printf 'serial_number,result\nTST1001,seen\nTST1002,damaged\n' >"$dir/scan.csv"
S=80x24
start 80 24
check "$S: the dashboard, again" "1 Dashboard"
to_tab 4 Serial
keys ]
check "$S: the EUM checks" "Missed"
search 2026-11-01
keys : "check-items $dir/bad.csv" Enter
check "$S: :check-items with a refused file: the problems in the view" "2 problems; nothing was loaded"
check "$S: ... the unknown serial, at its line" 'bad.csv:3:1: field "serial_number": value "TST9999"'
check "$S: ... the serial listed twice" 'line 2 has it too'
is "$S: ... and nothing was written" "$(q "SELECT count(*) FROM eum_check_items WHERE check_id = $c3")" 0
keys q
check "$S: q: back on the checks" "Missed"
keys : "check-items $dir/scan.csv" Enter
check "$S: :check-items with a good file says what it recorded" \
	"scan.csv: 2 listed: 1 seen, 1 damaged or misplaced, 1 not seen (1 not listed)"
check_re "$S: ... the check's row shows it at once: 2 seen, 1 missed" '2026-11-01 +Annual inventory +QV-B-VAB.* 2 +1( |$)'
is "$S: ... TST1003, at the site and not listed, not seen" \
	"$(q "SELECT x.result FROM eum_check_items x JOIN eum_items i ON i.id = x.item_id
	      WHERE x.check_id = $c3 AND i.serial_number = 'TST1003'")" not_seen
keys Q
quits "$S: Q quits, again"

echo "1..$n"
[ "$failed" -eq 0 ]
