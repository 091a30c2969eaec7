#!/bin/sh
# test_tui_live.sh SCODESK: the interface follows what others commit. A
# private tmux server runs scodesk; another process (scodesk import) changes
# the database; the screen must show it with no key pressed, the cursor
# kept on its record, and say what changed; an unchanged database sends
# nothing to the terminal. Waits poll the screen (10 s at most). TAP output.
set -u
bin=$1
name=live
. "$(dirname "$0")/tmux.sh"
# The line the cursor is on (scodesk --cursor parks it on the selected row).
cursor_line() {
	y=$($T display-message -p $tgt '#{cursor_y}')
	screen | sed -n "$((y + 1))p"
}
# wait_cursor TEXT: polls until the cursor's line holds TEXT.
wait_cursor() {
	i=0
	while [ $i -lt 500 ]; do
		cursor_name | grep -qF -- "$1" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
check_cursor() { if wait_cursor "$2"; then ok "$1"; else not_ok "$1" "cursor line: $(cursor_line); wanted: $2"; fi; }
# start COLSxLINES [ENV...]: scodesk --cursor on the database.
start() {
	size=$1
	shift
	fresh_server
	rm -f "$dir/status"
	$T new-session -d -s a -x "${size%x*}" -y "${size#*x}" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $* $bin --db $db --cursor; echo \$? >$dir/status"
}
finish() {
	keys Q
	i=0
	while [ ! -s "$dir/status" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
}
# another process changes the database: a CSV of contacts imported
import() { # NAME CSV-LINES...
	csv="$dir/$1.csv"
	shift
	printf '%s\n' "$@" >"$csv"
	"$bin" --db "$db" import contacts "$csv" >/dev/null 2>"$dir/import.err" ||
		echo "# import $csv failed: $(cat "$dir/import.err")"
}
# the number after "of" in the title's "row N of M"
rows_of() { screen | sed -n 's/.*row [0-9]* of \([0-9]*\).*/\1/p' | head -n 1; }
# the name in the cursor's line: its first two words
cursor_name() { cursor_line | awk '{print $1, $2}'; }
# the id of a contact by last and first name
contact_id() {
	"$bin" --db "$db" list contacts | awk -F' [|] ' -v l="$1" -v f="$2" '$2 == l && $3 == f && $NF == "" {print $1}'
}

# idle_bytes SECONDS: waits until the recording has stopped growing, then
# counts what comes in SECONDS idle seconds (a measurement, not a wait
# for the program).
idle_bytes() {
	: >"$dir/bytes"
	$T pipe-pane $tgt -o "cat >>$dir/bytes"
	keys j
	sleep 0.3
	i=0
	last=-1
	size1=$(wc -c <"$dir/bytes")
	while { [ "$size1" = 0 ] || [ "$size1" != "$last" ]; } && [ $i -lt 50 ]; do
		last=$size1
		sleep 0.2
		size1=$(wc -c <"$dir/bytes")
		i=$((i + 1))
	done
	sleep "$1"
	size2=$(wc -c <"$dir/bytes")
	$T pipe-pane $tgt
	echo $((size2 - size1)) "$size1"
}

live_checks() { # SIZE
	size=$1
	db="$dir/office-$size.db"
	rm -f "$db"
	"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
	start "$size"
	check "$size: opens on the dashboard" "1 Dashboard"
	alerts=$(rows_of)
	keys 5
	check "$size: the contacts list" "row 1 of 60"
	keys j j j
	check "$size: on the fourth contact" "row 4 of 60"
	name=$(cursor_name)
	[ -n "$name" ] && ok "$size: the cursor is on a contact ($name)" || not_ok "$size: the cursor is on a contact"

	# a new key leader, sorted first, added by another process
	import new "id,last_name,first_name,service,organization,key_leader" \
		",Aaaberg,Alvo,Civilian,Ministry of Defense,1"
	check "$size: another process's new contact appears without a key" "row 5 of 61"
	check "$size: a message says what changed" "1 contact changed by others"
	check_cursor "$size: the cursor stays on its record" "$name"
	keys g
	check "$size: the new record is first" "row 1 of 61"
	check_cursor "$size: the list shows it" "Aaaberg"
	keys j j j j
	check "$size: back on the record" "row 5 of 61"
	check_cursor "$size: still the record" "$name"

	# the record under the cursor, deleted by another process
	last=${name%% *}
	first=${name#* }
	first=${first%,}
	id=$(contact_id "$last" "$first")
	keys j
	check "$size: one row down" "row 6 of 61"
	next=$(cursor_name)
	keys k
	check "$size: up again" "row 5 of 61"
	import del "id,last_name,first_name,version,deleted_at" "$id,$last,$first,1,2026-11-25T10:00:00Z"
	check "$size: the deleted record goes without a key" "row 5 of 60"
	check_cursor "$size: the cursor moves to the nearest record" "$next"
	check "$size: the deletion is named" "1 contact changed by others"

	# a record above the cursor renamed by another process
	import ren "id,last_name,first_name,version" "$(contact_id Aaaberg Alvo),Aaabergova,Alvo,1"
	check_cursor "$size: the cursor stays put after an edit above it" "$next"
	keys g
	check_cursor "$size: the edit by another process is shown" "Aaabergova"

	keys 1
	check "$size: the dashboard counts the new key leader's alert" "of $((alerts + 1))"
	import gone "id,last_name,first_name,version,deleted_at" \
		"$(contact_id Aaabergova Alvo),Aaabergova,Alvo,2,2026-11-25T10:00:00Z"
	check "$size: the dashboard follows a change without a key" "of $alerts"
	check "$size: the dashboard names the change" "1 contact changed by others"
	finish
}

command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP no tmux"; exit 0; }

live_checks 80x24
live_checks 200x50

# ---- idle: an unchanged database sends nothing, 10 s long ---------------
db="$dir/office-80x24.db"
start 80x24
check "idle: started" "1 Dashboard"
keys 5
check "idle: on the contacts" "5 Contacts"
set -- $(idle_bytes 10)
[ "$2" -gt 0 ] && [ "$1" = 0 ] && ok "idle: 10 seconds on an unchanged database send 0 bytes" ||
	not_ok "idle: 10 seconds on an unchanged database send 0 bytes" "$1 bytes after $2"
echo "# idle: $1 bytes in 10 s"
finish

# ---- Ctrl-L reads again ---------------------------------------------------
# Looking for changes turned off (SCODESK_POLL_MS=0): a change shows only
# when Ctrl-L reads the lists again.
start 80x24 SCODESK_POLL_MS=0
check "C-l: started" "1 Dashboard"
keys 5
check "C-l: on the contacts" "5 Contacts"
was=$(rows_of)
import cl "id,last_name,first_name,service,organization" ",Aaacl,Vera,Civilian,Ministry of Defense"
# what a look would have shown by now, were it on (3 looks' time)
i=0
while [ $i -lt 150 ]; do sleep 0.02; i=$((i + 1)); done
screen | grep -qF " of $((was + 1))" && not_ok "C-l: nothing read without it" || ok "C-l: nothing read without it"
keys C-l
check "C-l: Ctrl-L reads the list again, the cursor on its record" "row 2 of $((was + 1))"
check "C-l: and names the change" "1 contact changed by others"
keys g
check_cursor "C-l: the new record is shown" "Aaacl"
finish

echo "1..$n"
[ $failed -eq 0 ]
