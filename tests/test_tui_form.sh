#!/bin/sh
# test_tui_form.sh SCODESK: the record form keeps what is typed and asks
# before losing it, through a real terminal. A resize mid-typing (a text
# and a date field, at 80x24 and 200x50) keeps the text and the cursor;
# Esc on a changed form asks "Discard the changes to NAME? [y/N]", and N
# goes back to it; a long form says what lies below and above; Ctrl-O puts
# a long text in $EDITOR and back into the form, line breaks and all, and
# only Enter saves it; an Audit form is read-only; a record another user
# deleted says who and when and is restored on y; Ctrl-Z suspends and fg
# brings the form back as it was. Values read back with sqlite3. A private
# tmux server, every wait a poll (tests/tmux.sh). TAP.
set -u
bin=$1
name=form
. "$(dirname "$0")/tmux.sh"

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
q() { sqlite3 "$db" "$1"; }
# the first person on the Personnel tab (sorted by last name)
first=$(q "SELECT id FROM personnel WHERE deleted_at IS NULL ORDER BY last_name, id LIMIT 1")
fname=$(q "SELECT last_name || ', ' || first_name FROM personnel WHERE id = $first")
flast=$(q "SELECT last_name FROM personnel WHERE id = $first")
cat >"$dir/ed.sh" <<'ED'
#!/bin/sh
printf 'First line of the note\nSecond line\n' >"$1"
ED
chmod +x "$dir/ed.sh"

start() {
	fresh_server
	h=$2
	$T new-session -d -s a -x "$1" -y "$2" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 SCODESK_POLL_MS=0 EDITOR=$dir/ed.sh $bin --db $db"
	check "started at $1x$2" "1 Dashboard"
}
to_personnel() {
	keys 2
	wait_for "2 Roster" >/dev/null
	keys ]
	wait_for "Last name" >/dev/null
	keys g
}

for size in 80x24 200x50; do
	S=$size
	w=${size%x*}
	start "$w" "${size#*x}"
	to_personnel
	keys e
	check "$S: the form is titled by the table and the name" "Personnel: $fname"
	keys C-u Typedna
	wait_for "Typedna" >/dev/null
	$T resize-window $tgt -x $((w - 1)) -y "${size#*x}"
	wait_re "^>Last name" >/dev/null
	keys m e
	check_re "$S: a resize mid-typing keeps the text, the cursor at its place" "^>Last name \* +Typedname\$"
	keys Tab Tab Tab Tab Tab Tab
	check_re "$S: on to Arrived" "^>Arrived"
	keys C-u 2026-0
	$T resize-window $tgt -x "$w" -y "${size#*x}"
	wait_re "^>Arrived" >/dev/null
	keys 9-01
	check_re "$S: ... in a date field too" "^>Arrived +2026-09-01\$"
	check_re "$S: ... and the other field keeps its typing" "^ Last name \* +Typedname\$"
	keys Escape
	check "$S: Esc on a changed form asks, by name" "Discard the changes to $fname? [y/N]"
	keys n
	check "$S: N goes back to the form as it was" "nothing discarded"
	check_re "$S: ... the typing still there" "^ Last name \* +Typedname\$"
	keys Escape y
	check "$S: y discards" "2 Roster"
	[ "$(q "SELECT last_name FROM personnel WHERE id = $first")" = "$flast" ] &&
		ok "$S: ... and nothing was written" || not_ok "$S: ... and nothing was written"
	keys e
	check "$S: opened again" "Personnel: $fname"
	keys Escape
	check "$S: Esc on an unchanged form closes it at once" "2 Roster"
	keys Q
done

# ---- a long form, the editor, read-only, deleted by another ------------------------
start 80 16
to_personnel
keys e
check "a form longer than the terminal says what lies below" "▼ 2 more below"
check "... and which fields are shown" "fields 1-11 of 13"
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
check_re "at the last field, what lies above" "▲ 2 more above"
check_re "... Notes" "^>Notes"
keys C-o
check "Ctrl-O: the text comes back from the editor" "back from the editor"
check "... into the field, its line break shown inert" "First line of the note␊Second line"
[ "$(q "SELECT coalesce(instr(notes, 'Second line'), 0) FROM personnel WHERE id = $first")" = 0 ] &&
	ok "... not yet in the database" || not_ok "... not yet in the database"
keys Enter
check "Enter saves it" "Saved $fname"
[ "$(q "SELECT notes = 'First line of the note' || char(10) || 'Second line' FROM personnel WHERE id = $first")" = 1 ] &&
	ok "... with its line break" || not_ok "... with its line break" "$(q "SELECT quote(notes) FROM personnel WHERE id = $first")"
keys v
wait_for "lines 1-" >/dev/null
keys j j j
check_re "the record view shows the note's second line as a line of its own" "^ +Second line\$"
keys q
$T resize-window $tgt -x 80 -y 24
keys 6 e
check_re "an Audit entry opens read-only" "^Audit entries: .*read-only"
check "... its hint line says so" "read-only  Tab/Up/Down fields"
keys x
check "typing is refused, saying why" "read-only: nothing here can be changed"
keys Escape
check "Esc closes it without asking" "6 Audit"
# another user deletes the first contact while the list shows it
keys 5
wait_for "5 Contacts" >/dev/null
keys g
wait_for "row 1 of" >/dev/null
cid=$(q "SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY last_name, id LIMIT 1")
cname=$(q "SELECT last_name || ', ' || first_name FROM contacts WHERE id = $cid")
q "UPDATE contacts SET deleted_at = '2026-11-25T09:00:00Z', version = version + 1 WHERE id = $cid;
   INSERT INTO audit_log (ts, user, action, table_name, row_id, before, after)
   VALUES ('2026-11-25T09:00:00Z', 'alice', 'delete', 'contacts', $cid, NULL, NULL);"
keys e
check "opening a record another user deleted says who and when" "$cname was deleted by alice at 2026-11-25T09:00:00Z"
check "... and offers to restore it" "Restore it? [y/N]"
keys y
check "y restores it and opens it" "Restored $cname"
[ "$(q "SELECT deleted_at IS NULL FROM contacts WHERE id = $cid")" = 1 ] &&
	ok "... it is live again in the database" || not_ok "... it is live again in the database"
keys Escape Q

# ---- each authority its statuses: the form offers only those its record can take
imet=$(q "SELECT title FROM programs WHERE authority = 'imet' AND deleted_at IS NULL LIMIT 1")
for size in 80x24 200x50; do
	S=$size
	start "${size%x*}" "${size#*x}"
	keys 4
	wait_for "4 Programs" >/dev/null
	keys f "IMET" Enter
	line_re 2 "$S: the IMET program" "row 1 of 1( |\$)"
	keys e
	check "$S: its form" "Programs: $imet"
	keys Down Down Down Down Down
	check_re "$S: on its status, Active" "^>Status \* +. Active ."
	keys Right
	check_re "$S: Right: Complete" "^>Status \* +. Complete ."
	keys Right
	check_re "$S: Right: Cancelled" "^>Status \* +. Cancelled ."
	keys Right
	check_re "$S: Right again: Planned, past every case status" "^>Status \* +. Planned ."
	keys Left
	check_re "$S: Left: back to Cancelled, past Closed" "^>Status \* +. Cancelled ."
	keys d
	check_re "$S: a case status's letter (Development) offers nothing" "^>Status \* +. Cancelled ."
	keys Escape y
	wait_gone "Programs: $imet" >/dev/null
	keys f C-u "VAE" Enter
	line_re 2 "$S: a case in Supply complete" "row 1 of 1( |\$)"
	keys e Down Down Down Down Down
	check_re "$S: its status" "^>Status \* +. Supply complete ."
	keys Right Right
	check_re "$S: Right twice: Cancelled" "^>Status \* +. Cancelled ."
	keys Right
	check_re "$S: Right again: LOR received, past Planned, Active, Complete" "^>Status \* +. LOR received ."
	keys Escape y Q
done

# ---- Ctrl-Z and fg, under a shell with job control ----------------------------------
fresh_server
h=24
$T new-session -d -s a -x 80 -y 24 "env -i PATH=/usr/bin:/bin HOME=$dir TERM=screen PS1='shell$ ' sh -i"
wait_for 'shell$' >/dev/null
keys "LANG=C.UTF-8 SCODESK_TODAY=2026-11-25 SCODESK_POLL_MS=0 $bin --db $db" Enter
check "under a shell: started" "1 Dashboard"
to_personnel
keys e C-u Suspended
wait_for "Suspended" >/dev/null
keys C-z
check_gone "Ctrl-Z: scodesk stops and the shell is back" "Personnel: "
keys fg Enter
check "fg: the form is back, drawn afresh" "Personnel: $fname"
check_re "... with the typing as it was" "^>Last name \* +Suspended\$"
keys Escape y Q

echo "1..$n"
[ $failed -eq 0 ]
