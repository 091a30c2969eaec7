#!/bin/sh
# test_tui_typed.sh SCODESK: what is typed into the form, made sense of,
# and what another user did meanwhile, through a real terminal at 80x24
# and at 200x50. A reference typed by name or by a code in another case
# resolves on leaving the field; words that fit several open the picker
# narrowed to them; words that fit none keep the text and refuse the save;
# dates typed as +2w and today become dates; a save over a record another
# user deleted offers to restore it and never says Saved; a save over
# another user's change to a different field keeps both. Every value is
# read back with sqlite3. A private tmux server, every wait a poll
# (tests/tmux.sh). TAP.
set -u
bin=$1
name=typed
. "$(dirname "$0")/tmux.sh"

db="$dir/office.db"
q() { sqlite3 "$db" "$1"; }

start() {
	h=$2
	$T new-session -d -s "$3" -x "$1" -y "$2" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 SCODESK_POLL_MS=0 $bin --db $db"
}

for size in 80x24 200x50; do
	S=$size
	W=${size%x*}
	H=${size#*x}
	rm -f "$db" "$db-wal" "$db-shm"
	"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
	haddad=$(q "SELECT id FROM personnel WHERE last_name = 'Haddad' AND deleted_at IS NULL")
	army=$(q "SELECT count(*) FROM personnel WHERE service = 'army' AND deleted_at IS NULL")
	[ -n "$haddad" ] && [ "$army" -ge 2 ] ||
		{ echo "Bail out! the demo office lacks Haddad or its soldiers"; exit 1; }
	fresh_server
	tgt="-t a"
	start "$W" "$H" a
	check "$S: opens" "1 Dashboard"

	# ---- a reference by name, a code in another case, none -----------------
	to_tab 3 "Course"
	keys a
	check "$S: a opens a new training record" "New training record"
	keys haddad Tab
	check_re "$S: a person typed by name shows as the person" "^ Person \* +Haddad, Samir *$"
	keys at-l9 Tab
	check_re "$S: a course that is no course keeps the text, marked" '^!Course \* +at-l9 *$'
	status_has "$S: ... and says so" 'Course: no course matches "at-l9"'
	keys Enter
	status_has "$S: the save is refused for it" 'Course: no course matches "at-l9"'
	check_re "$S: ... and the cursor is on it" '^!Course \* +at-l9'
	keys C-u " at-l1 " Tab
	check_re "$S: a code in lower case, spaces around it, is the course" '^ Course \* +AT-L1( |$)'
	# ---- dates typed relative to today ------------------------------------
	keys +2w Tab
	check_re "$S: +2w is two weeks from today" '^ Due +2026-12-09 *$'
	keys today
	keys Tab
	check_re "$S: today is today" '^ Completed +2026-11-25 *$'
	keys Enter
	status_has "$S: the record is saved, by the person's name" "^Saved Haddad, Samir: AT-L1"
	is "$S: ... stored with the person's id, the code and the dates" \
		"$(q "SELECT person_id, course_code, due_date, completed_date FROM staff_training ORDER BY id DESC LIMIT 1")" \
		"$haddad|AT-L1|2026-12-09|2026-11-25"

	# ---- words that fit several: the picker, narrowed ---------------------
	keys a
	check "$S: another new training record" "New training record"
	keys army Tab
	line_re 2 "$S: words that fit several open the picker" "^Choose Person for the training record"
	line_re 2 "$S: ... narrowed to the $army soldiers" "row 1 of $army( |\$)"
	first=$(screen | sed -n 4p | awk '{print $1 ", " $2}')
	keys Enter
	check_re "$S: Enter puts the one chosen in the field" "^>Person \* +$first"
	keys Escape y
	check_gone "$S: the form is left" "New training record"

	# ---- another user's change to another field: both kept ----------------
	to_tab 2 "Grade"
	keys f Okafor Enter
	line_re 2 "$S: Okafor found" "row 1 of 1( |\$)"
	keys e
	check "$S: A opens Okafor" "Personnel: Okafor, Grace"
	start "$W" "$H" b
	tgt="-t b"
	check "$S: B starts beside A" "1 Dashboard"
	to_tab 2 "Grade"
	keys f Okafor Enter
	line_re 2 "$S: B finds Okafor" "row 1 of 1( |\$)"
	keys e
	check "$S: B opens her" "Personnel: Okafor, Grace"
	i=0
	while ! screen | grep -qE '^>Phone' && [ $i -lt 20 ]; do keys Tab; sleep 0.05; i=$((i + 1)); done
	keys C-u "ext. 9999" Enter
	check "$S: B saves a new phone" "Saved Okafor, Grace"
	tgt="-t a"
	i=0
	while ! screen | grep -qE '^>Email' && [ $i -lt 20 ]; do keys Tab; sleep 0.05; i=$((i + 1)); done
	keys C-u grace@example.org Enter
	status_has "$S: A's save over B's change says both are kept" "^Merged with .*change to Phone; yours kept"
	check_re "$S: ... the form shows B's phone" '^ Phone +ext\. 9999'
	check_re "$S: ... and A's email" 'Email +grace@example\.org'
	keys Enter
	status_has "$S: Enter saves the merge" "^Saved Okafor, Grace"
	is "$S: ... both changes stored" \
		"$(q "SELECT phone, email FROM personnel WHERE last_name = 'Okafor'")" \
		"ext. 9999|grace@example.org"

	# ---- a save over a record another user deleted -------------------------
	keys e
	check "$S: A opens Okafor again" "Personnel: Okafor, Grace"
	tgt="-t b"
	keys Escape
	check_gone "$S: B is back on the list" "Personnel: Okafor"
	keys d
	check "$S: B asks to delete" "[y/N]"
	keys y
	status_has "$S: B deletes Okafor" "eleted"
	tgt="-t a"
	keys Tab C-u "Gracie" Enter
	check "$S: A's save says who deleted it" "Okafor, Grace was deleted by"
	check "$S: ... and offers to restore it" "Restore it? [y/N]"
	check_gone "$S: ... never Saved" "Saved Okafor"
	is "$S: ... nothing stored" "$(q "SELECT first_name, deleted_at IS NOT NULL FROM personnel WHERE last_name = 'Okafor'")" \
		"Grace|1"
	keys n
	status_has "$S: n leaves it deleted and the form open" "left deleted: nothing saved"
	keys Enter
	check "$S: Enter asks again" "Restore it? [y/N]"
	keys y
	status_has "$S: y restores it, the changes in the form" "^Restored: your changes are in the form"
	keys Enter
	status_has "$S: Enter saves them" "^Saved Okafor, Gracie"
	is "$S: ... restored and changed" "$(q "SELECT first_name, deleted_at IS NULL FROM personnel WHERE last_name = 'Okafor'")" \
		"Gracie|1"
	is "$S: ... the restore audited" \
		"$(q "SELECT count(*) FROM audit_log WHERE action = 'restore' AND table_name = 'personnel'")" "1"
	keys Q
	tgt="-t b"
	keys Q
done
echo "1..$n"
[ $failed -eq 0 ]
