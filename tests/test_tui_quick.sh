#!/bin/sh
# test_tui_quick.sh SCODESK: the quick key t, through a real terminal at
# 80x24 and at 200x50, on the demo office. On Engagements and in a
# contact's log it marks the follow-up done and, again, not done; on
# Students it moves a student one step along the pipeline, and is refused
# with the form's reason (vetting not approved) or with no next step. What
# is stored, and the audit entry, are read back with sqlite3. A record
# changed or deleted by another (sqlite3) since the list showed it is
# refused with nothing written; read-only refuses it; a list with nothing
# to change quickly says so. The lists do not look for others' changes
# here (SCODESK_POLL_MS=0), so that the list shows the row as it was. A
# private tmux server, every wait a poll (tests/tmux.sh). TAP.
set -u
bin=$1
name=quick
. "$(dirname "$0")/tmux.sh"

db="$dir/office.db"
q() { sqlite3 "$db" "$1"; }

start() {
	fresh_server
	h=$2
	$T new-session -d -s a -x "$1" -y "$2" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 SCODESK_POLL_MS=0 $bin --db $db ${3:-}"
}
# is DESCRIPTION GOT WANT
audits() { q "SELECT count(*) FROM audit_log"; }

for size in 80x24 200x50; do
	S=$size
	rm -f "$db" "$db-wal" "$db-shm"
	"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
	# the newest engagement (the first row of Engagements), not done, on a
	# date of its own, and one of its contacts
	e1=$(q "SELECT id FROM engagements WHERE deleted_at IS NULL ORDER BY date DESC LIMIT 1")
	date1=$(q "SELECT date FROM engagements WHERE id = $e1")
	date2=$(q "SELECT date FROM engagements WHERE deleted_at IS NULL ORDER BY date DESC LIMIT 1 OFFSET 1")
	e3=$(q "SELECT id FROM engagements WHERE deleted_at IS NULL ORDER BY date DESC LIMIT 1 OFFSET 2")
	date3=$(q "SELECT date FROM engagements WHERE id = $e3")
	done3=$(q "SELECT followup_done FROM engagements WHERE id = $e3")
	same=$(q "SELECT count(*) FROM engagements WHERE date = '$date1' AND deleted_at IS NULL")
	contact=$(q "SELECT last_name || ' ' || first_name FROM contacts WHERE id =
	 (SELECT min(contact_id) FROM engagement_contacts WHERE engagement_id = $e1)")
	cname=$(q "SELECT last_name || ', ' || first_name FROM contacts WHERE id =
	 (SELECT min(contact_id) FROM engagement_contacts WHERE engagement_id = $e1)")
	nc=$(q "SELECT count(*) FROM contacts WHERE last_name || ' ' || first_name = '$contact' AND deleted_at IS NULL")
	# a student nominated whose vetting is not submitted, by a name of its own
	st=$(q "SELECT id FROM students s WHERE status = 'nominated' AND leahy_status = 'not_submitted'
	 AND deleted_at IS NULL AND (SELECT count(*) FROM students o WHERE o.last_name = s.last_name
	 AND o.first_name = s.first_name) = 1 ORDER BY id LIMIT 1")
	sname=$(q "SELECT last_name || ', ' || first_name FROM students WHERE id = $st")
	sfilter=$(q "SELECT last_name || ' ' || first_name FROM students WHERE id = $st")
	done_st=$(q "SELECT id FROM students s WHERE status = 'returned' AND deleted_at IS NULL
	 AND (SELECT count(*) FROM students o WHERE o.last_name = s.last_name
	 AND o.first_name = s.first_name) = 1 ORDER BY id LIMIT 1")
	dfilter=$(q "SELECT last_name || ' ' || first_name FROM students WHERE id = $done_st")
	[ -n "$e1" ] && [ "$same" = 1 ] && [ "$(q "SELECT followup_done FROM engagements WHERE id = $e1")" = 0 ] &&
		[ "$nc" = 1 ] && [ -n "$st" ] && [ -n "$done_st" ] ||
		{ echo "Bail out! the demo office lacks the engagement, contact or students this needs"; exit 1; }

	start "${size%x*}" "${size#*x}"
	check "$S: opens" "1 Dashboard"

	# ---- Engagements: done, and not done again -------------------------------
	to_tab 5 "Follow-up due"
	keys g
	line_re 4 "$S: the newest engagement first" "^.$date1 "
	v0=$(q "SELECT version FROM engagements WHERE id = $e1")
	a0=$(audits)
	keys t
	status_has "$S: t on Engagements says the follow-up is done, and what" \
		"^Done \(t again: not done\): $date1 .* with $cname"
	is "$S: ... followup_done is stored" "$(q "SELECT followup_done, version FROM engagements WHERE id = $e1")" "1|$((v0 + 1))"
	is "$S: ... with its audit entry" \
		"$(q "SELECT action, table_name, row_id, after, before FROM audit_log WHERE id > $a0")" \
		"update|engagements|$e1|{\"followup_done\":\"1\"}|{\"followup_done\":\"0\"}"
	line_re 2 "$S: ... the cursor stays on the row" "row 1 of "
	line_re 4 "$S: ... which shows it done" "^.$date1 .* yes( |$)"
	keys t
	status_has "$S: t again: not done" "^Not done \(t again: done\): $date1 "
	is "$S: ... stored" "$(q "SELECT followup_done, version FROM engagements WHERE id = $e1")" "0|$((v0 + 2))"
	is "$S: ... and audited" "$(q "SELECT count(*) FROM audit_log WHERE id > $a0 AND row_id = $e1
	 AND table_name = 'engagements' AND action = 'update'")" 2
	# a row further down: the cursor stays on it
	keys j j
	line_re 2 "$S: the third row" "row 3 of "
	if [ "$done3" = 1 ]; then first="Not done"; then_="Done"; else first="Done"; then_="Not done"; fi
	keys t
	status_has "$S: t on it" "^$first \(t again: (not )?done\): $date3 "
	line_re 2 "$S: ... the cursor stays on the third row" "row 3 of "
	line_re 6 "$S: ... which is the same engagement" "^.$date3 "
	is "$S: ... its follow-up turned over" "$(q "SELECT followup_done FROM engagements WHERE id = $e3")" $((1 - done3))
	keys t
	status_has "$S: t again on it" "^$then_ \(t again: (not )?done\): $date3 "
	is "$S: ... and back" "$(q "SELECT followup_done FROM engagements WHERE id = $e3")" "$done3"

	# ---- a contact's log ----------------------------------------------------
	to_tab 5 "Native name"
	keys f "$contact" Enter
	line_re 2 "$S: the contact found" "row 1 of 1( |\$)"
	keys o
	line_re 2 "$S: o opens the contact's log" "^$cname "
	line_re 4 "$S: ... the newest engagement first" "^.$date1 "
	a0=$(audits)
	keys t
	status_has "$S: t in the log marks it done" "^Done \(t again: not done\): $date1 "
	is "$S: ... stored" "$(q "SELECT followup_done FROM engagements WHERE id = $e1")" 1
	is "$S: ... audited" "$(q "SELECT row_id || ' ' || after FROM audit_log WHERE id > $a0")" \
		"$e1 {\"followup_done\":\"1\"}"
	line_re 2 "$S: ... still the log, on the row" "^$cname .*row 1 of "
	keys t
	status_has "$S: and not done again" "^Not done "
	is "$S: ... stored" "$(q "SELECT followup_done FROM engagements WHERE id = $e1")" 0
	keys q
	line_re 2 "$S: q leaves the log" "^5 Contacts"

	# ---- Students: the next status, and refusals ----------------------------
	to_tab 3 "ECL"
	keys f "$sfilter" Enter
	line_re 2 "$S: the student found" "row 1 of 1( |\$)"
	a0=$(audits)
	keys t
	status_has "$S: t moves the student a step, and says so" \
		"^$sname: Nominated (→|->) Screened \(back: the form"
	is "$S: ... stored" "$(q "SELECT status FROM students WHERE id = $st")" screened
	is "$S: ... audited" "$(q "SELECT action || ' ' || row_id || ' ' || after FROM audit_log WHERE id > $a0")" \
		"update $st {\"status\":\"screened\"}"
	line_re 4 "$S: ... the row shows it" " Screened "
	v0=$(q "SELECT version FROM students WHERE id = $st")
	a0=$(audits)
	keys t
	status_has "$S: the next step without approved vetting is refused, with the form's reason" \
		'^Leahy vetting is Not submitted; Vetted needs Approved'
	is "$S: ... nothing stored" "$(q "SELECT status, version FROM students WHERE id = $st")" "screened|$v0"
	is "$S: ... nothing audited" "$(audits)" "$a0"
	keys f C-u "$dfilter" Enter
	line_re 2 "$S: a returned student" "row 1 of 1( |\$)"
	keys t
	status_has "$S: ... has no next step, and the status line says so" "Returned has no next step"
	is "$S: ... nothing stored" "$(q "SELECT status FROM students WHERE id = $done_st")" returned
	is "$S: ... nothing audited" "$(audits)" "$a0"

	# ---- changed and deleted by another since the list showed it -------------
	to_tab 5 "Follow-up due"
	keys g
	line_re 4 "$S: the engagement again" "^.$date1 "
	q "UPDATE engagements SET location = 'Elsewhere', version = version + 1 WHERE id = $e1"
	v0=$(q "SELECT version FROM engagements WHERE id = $e1")
	a0=$(audits)
	keys t
	status_has "$S: changed by another: refused as a conflict" "^$date1 [^:]* was changed by "
	[ "$S" = 200x50 ] && status_has "$S: ... nothing written, it says" "nothing written; the list shows it as it is now"
	is "$S: ... nothing stored" "$(q "SELECT followup_done, version FROM engagements WHERE id = $e1")" "0|$v0"
	is "$S: ... nothing audited" "$(audits)" "$a0"
	line_re 4 "$S: ... the list shows the change" "^.$date1 .*Elsewhere"
	keys t
	status_has "$S: t now marks it done" "^Done "
	is "$S: ... stored" "$(q "SELECT followup_done FROM engagements WHERE id = $e1")" 1
	keys t
	status_has "$S: ... and not done" "^Not done "
	q "UPDATE engagements SET deleted_at = '2026-11-25T08:00:00Z' WHERE id = $e1"
	v0=$(q "SELECT version FROM engagements WHERE id = $e1")
	a0=$(audits)
	keys t
	status_has "$S: deleted by another: says so" "^engagement $e1 was deleted meanwhile: nothing written"
	is "$S: ... nothing stored" "$(q "SELECT followup_done, version FROM engagements WHERE id = $e1")" "0|$v0"
	is "$S: ... nothing audited" "$(audits)" "$a0"
	line_re 4 "$S: ... and the list no longer shows it" "^.$date2 "
	q "UPDATE engagements SET deleted_at = NULL WHERE id = $e1"

	# ---- nothing to change quickly here -------------------------------------
	to_tab 5 "Native name"
	keys t
	status_has "$S: t on Contacts says nothing changes here" "^nothing here changes without the form"
	keys Q
	stop_server

	# ---- read-only ----------------------------------------------------------
	start "${size%x*}" "${size#*x}" --read-only
	check "$S: read-only opens" "1 Dashboard"
	a0=$(audits)
	to_tab 5 "Follow-up due"
	keys g t
	status_has "$S: read-only: t on Engagements refused" "^read-only: nothing can be changed"
	to_tab 3 "ECL"
	keys t
	status_has "$S: read-only: t on Students refused" "^read-only: nothing can be changed"
	is "$S: ... nothing stored" "$(q "SELECT followup_done FROM engagements WHERE id = $e1")" 0
	is "$S: ... nothing audited" "$(audits)" "$a0"
	keys Q
	stop_server
done

echo "1..$n"
[ $failed -eq 0 ]
