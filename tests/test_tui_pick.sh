#!/bin/sh
# test_tui_pick.sh SCODESK: choosing what a reference field names, through
# a real terminal at 80x24 and at 200x50. Ctrl-P (or F4) in a field that
# refers to records opens the referenced table's list; it filters and
# marks as a list does; Enter puts the chosen records in the field, by
# name, and the saved record holds their ids (read back with sqlite3);
# the records a field holds come marked (several) or under the cursor
# (one); Esc goes back with nothing changed; the list's other keys (add,
# screens) do not leave the form behind. A private tmux server, every wait
# a poll (tests/tmux.sh). TAP.
set -u
bin=$1
name=pick
. "$(dirname "$0")/tmux.sh"

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
q() { sqlite3 "$db" "$1"; }
# Two of the Gorvatko contacts, by first name, and the one person called
# Haddad (a training record's person to change to).
ilko=$(q "SELECT id FROM contacts WHERE last_name = 'Gorvatko' AND first_name = 'Ilko' AND deleted_at IS NULL")
velko=$(q "SELECT id FROM contacts WHERE last_name = 'Gorvatko' AND first_name = 'Velko' AND deleted_at IS NULL")
gorvatkos=$(q "SELECT count(*) FROM contacts WHERE last_name = 'Gorvatko' AND deleted_at IS NULL")
haddad=$(q "SELECT id FROM personnel WHERE last_name = 'Haddad' AND deleted_at IS NULL")
[ -n "$ilko" ] && [ -n "$velko" ] && [ "$gorvatkos" -ge 3 ] && [ -n "$haddad" ] ||
	{ echo "Bail out! the demo office lacks the Gorvatko contacts or Haddad"; exit 1; }

start() {
	fresh_server
	h=$2
	$T new-session -d -s a -x "$1" -y "$2" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $db"
}

for size in 80x24 200x50; do
	S=$size
	# each size on the demo office as it was made
	rm -f "$db" "$db-wal" "$db-shm"
	"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
	start "${size%x*}" "${size#*x}"
	check "$S: opens" "1 Dashboard"

	# ---- several: an engagement's contacts ----------------------------------
	to_tab 5 "Follow-up due"
	keys a
	check "$S: a opens a new engagement" "New engagement"
	keys Tab Tab Tab C-p
	line_re 2 "$S: Ctrl-P in Contacts opens the contacts to choose from" "^Choose Contacts for the engagement"
	line_re 3 "$S: ... as the contacts' list shows them" "Last name.*First name"
	keys f Gorvatko Enter
	line_re 2 "$S: the picker filters" "row 1 of $gorvatkos( |\$)"
	# the Gorvatkos by first name: Ilko, Radko, Velko (m and Space move down)
	keys m Space
	line_re 2 "$S: m and Space mark" " 2 marked"
	keys a
	status_has "$S: a adds nothing while choosing for the form" "choosing for the form"
	keys 2
	status_has "$S: ... nor does a screen's digit leave it" "choosing for the form"
	line_re 2 "$S: ... the picker stays" "^Choose Contacts"
	keys Enter
	check_re "$S: Enter puts the marked contacts in the field, by name" \
		"^>Contacts +Gorvatko, Ilko; Gorvatko, Radko"
	status_has "$S: ... and says what was chosen" "^Contacts: Gorvatko, Ilko; Gorvatko, Radko"
	# the marks: the picker opened again has both marked; unmark one, mark
	# another
	keys F4
	line_re 2 "$S: F4 opens it again, with the field's two marked" " 2 marked"
	keys f Gorvatko Enter
	line_re 2 "$S: ... filtered again" "row 1 of $gorvatkos( |\$)"
	keys g j m m
	line_re 2 "$S: ... Radko unmarked, Velko marked" " 2 marked"
	keys Escape
	check_re "$S: Esc goes back with the field as it was" "^>Contacts +Gorvatko, Ilko; Gorvatko, Radko"
	status_has "$S: ... and says nothing was chosen" "nothing chosen"
	keys F4 f Gorvatko Enter
	line_re 2 "$S: and again" "row 1 of $gorvatkos( |\$)"
	keys g j m m Enter
	check_re "$S: Enter takes the marks as they are now" "^>Contacts +Gorvatko, Ilko; Gorvatko, Velko"
	keys Up Up Up C-u 2026-11-20 Tab Right Enter
	check "$S: the engagement is saved" "Saved 20"
	got=$(q "SELECT group_concat(contact_id, ' ') FROM (SELECT l.contact_id FROM engagement_contacts l
	 WHERE l.engagement_id = (SELECT max(id) FROM engagements) ORDER BY l.contact_id)")
	want=$(printf '%s\n%s\n' "$ilko" "$velko" | sort -n | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] && ok "$S: ... with the two contacts' ids" ||
		not_ok "$S: ... with the two contacts' ids" "stored: $got; chosen: $want"

	# ---- one: a training record's person -------------------------------------
	to_tab 3 "Course"
	keys g
	wait_for "row 1 of" >/dev/null
	first=$(screen | sed -n 4p)
	case $first in " Haddad"*) echo "Bail out! the first training record is Haddad's already"; exit 1 ;; esac
	before=$(q "SELECT count(*) FROM staff_training WHERE person_id = $haddad AND deleted_at IS NULL")
	keys Enter
	check_re "$S: a staff training record opens" "^>Person \* "
	keys C-p
	line_re 2 "$S: Ctrl-P on Person opens the roster to choose from" "^Choose Person for the training record"
	keys m
	status_has "$S: m in a field of one record says it takes one" "takes one record"
	keys f Haddad Enter
	line_re 2 "$S: ... filtered to Haddad" "row 1 of 1( |\$)"
	keys Enter
	check_re "$S: Enter chooses him, shown by name" "^>Person \* +Haddad, Samir"
	keys C-s
	check "$S: saved" "Saved"
	after=$(q "SELECT count(*) FROM staff_training WHERE person_id = $haddad AND deleted_at IS NULL")
	[ "$after" = $((before + 1)) ] && ok "$S: ... the record now holds Haddad's id" ||
		not_ok "$S: ... the record now holds Haddad's id" "his records: $before before, $after after"
	keys Q
	stop_server
done

echo "1..$n"
[ $failed -eq 0 ]
