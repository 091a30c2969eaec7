#!/bin/sh
# test_tui.sh SCODESK: the interface driven through a real terminal: a
# private tmux server at 80x24, keys sent with send-keys, the screen read
# with capture-pane, waits by polling the screen (never fixed sleeps),
# bytes to the terminal recorded with pipe-pane. TAP output.
set -u
bin=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-tui-XXXXXX")
sock="scodesk-test-$$"
T="tmux -L $sock -f /dev/null"
. "$(dirname "$0")/tmux_stop.sh"
cleanup() { stop_server; rm -rf "$dir"; }
# Each start gets a server of its own: a new session on a server that is
# still shutting down was seen to fail ("server exited unexpectedly").
k=0
fresh_server() {
	stop_server
	k=$((k + 1))
	T="tmux -L $sock-$k -f /dev/null"
}
trap cleanup EXIT
# A test killed at its timeout (SIGTERM) must not leave a tmux server and a
# scodesk behind.
trap 'exit 1' INT TERM HUP
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'
	$T capture-pane -p $tgt 2>/dev/null | sed 's/^/# | /'
}

tgt="-t a"
screen() { $T capture-pane -p $tgt 2>/dev/null; }

# wait_for TEXT: polls the screen in 20 ms steps, 10 s at most (a loaded
# machine, a sanitized build).
wait_for() {
	i=0
	while [ $i -lt 500 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
wait_gone() {
	i=0
	while [ $i -lt 500 ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
check() { # DESCRIPTION TEXT: the screen shows TEXT
	if wait_for "$2"; then ok "$1"; else not_ok "$1" "waited for: $2"; fi
}
check_gone() {
	if wait_gone "$2"; then ok "$1"; else not_ok "$1" "still there: $2"; fi
}
keys() { $T send-keys $tgt "$@"; }
# A record form is open: its current field's line starts with > (or !
# when the rules refused it) and its label.
form_line='^[>!][A-Z]'
# wait_line N GREP-OPTIONS TEXT: until line N of the screen matches
wait_line() {
	i=0
	while [ $i -lt 500 ]; do
		screen | sed -n "$1p" | grep -q $2 -- "$3" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
# check_line N DESCRIPTION TEXT: line N comes to hold TEXT; check_line_re
# the same for an extended regular expression
check_line() { if wait_line "$1" -F "$3"; then ok "$2"; else not_ok "$2" "line $1 waited for: $3"; fi; }
check_line_re() { if wait_line "$1" -E "$3"; then ok "$2"; else not_ok "$2" "line $1 waited for /$3/"; fi; }
check_re() {
	i=0
	while [ $i -lt 500 ]; do
		screen | grep -qE -- "$2" && { ok "$1"; return; }
		sleep 0.02
		i=$((i + 1))
	done
	not_ok "$1" "waited for /$2/"
}
# the title's sort ("sort Last name asc"), empty when there is none
sort_part() { screen | sed -n 2p | grep -oE 'sort .* (asc|desc)'; }
# to_tab SCREEN HEADER: opens the screen and steps through its tabs until
# the column header shows HEADER (tabs remember where they were).
to_tab() {
	keys "$1"
	wait_for "$1 " || return 1
	i=0
	while ! screen | sed -n 3p | grep -qF -- "$2" && [ $i -lt 4 ]; do
		keys ]
		sleep 0.05
		i=$((i + 1))
	done
	wait_for "$2"
}

# start [ENV...]: scodesk on the database in a new 80x24 session.
start() {
	fresh_server
	rm -f "$dir/status"
	tgt="-t a"
	$T new-session -d -s a -x 80 -y 24 \
		"env LANG=C.UTF-8 SCODESK_TODAY=${SCODESK_TODAY:-2026-11-25} $* $bin --db $db ${ARGS:-}; echo \$? >$dir/status; $T wait-for -S done"
	$T set-option -g remain-on-exit off >/dev/null
}
finish() { # waits until scodesk has exited; prints its status
	i=0
	while [ ! -s "$dir/status" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
	cat "$dir/status" 2>/dev/null
}

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }

# ---- the dashboard ----------------------------------------------------
start TERM=screen
check "opens on the dashboard" "1 Dashboard"
check "the marking banner is on top with the office name" "CUI // "
i=0
while last=$(screen | tail -n 1) && case $last in *CUI*) false ;; *) true ;; esac && [ $i -lt 250 ]; do
	sleep 0.02
	i=$((i + 1))
done
case $last in *CUI*) ok "the marking is on the bottom line" ;; *) not_ok "the marking is on the bottom line" "$last" ;; esac
check_line 4 "alerts are listed, errors first" " error "
check "the title counts rows" "row 1 of "

keys j
check "j moves down" "row 2 of "
keys G
i=0
while :; do
	total=$(screen | sed -n 's/.*row \([0-9]*\) of \([0-9]*\).*/\1 \2/p' | head -n 1)
	set -- $total
	[ "${1:-x}" = "${2:-y}" ] || [ $i -ge 500 ] && break
	sleep 0.02
	i=$((i + 1))
done
[ "${1:-x}" = "${2:-y}" ] && ok "G goes to the last row" || not_ok "G goes to the last row" "$total"
keys g
check "g goes to the first row" "row 1 of "

# ---- the roster: filter, sort, add, edit, delete, undo ---------------------
keys 2
check "2 opens the roster" "2 Roster"
keys ]
check "] shows the personnel tab" "Last name"
keys f
check "f opens the filter prompt" "filter:"
keys z z z q x
check "the list narrows as you type" "row 0 of 0"
check "the filter shows in the title" 'filter "zzzqx"'
keys Escape
check_gone "Esc leaves the filter as it was before f: none" 'filter "'
keys '>'
check "> sorts by the next column" "sort First name asc"
keys r
check "r reverses the sort" "sort First name desc"
keys '<'
check "< goes back a column" "sort Last name asc"

keys a
check "a opens a new record form" "New person"
keys 'Zyzzyva' Tab 'Quentin' Tab Right Tab 'X-99'
keys Enter
check "a bad grade is refused at the field, by its label" 'Grade "X-99": not a grade'
check "the form stays open on the bad field" "!Grade"
keys C-u 'O-3' Enter
check "a good record is saved, said by its name" "Saved Zyzzyva, Quentin"
check_re "the list shows it, a row of the list (the form has one field a line)" "Zyzzyva +Quentin"

keys e
check_line_re 2 "e opens the record, titled by its table and name" "^Personnel: Zyzzyva, Quentin"
keys Tab Tab Tab C-u 'E-10' Enter
check "an edit with a bad value names the field" 'Grade "E-10": not a grade'
keys Escape
check "Esc on a changed form asks first, naming the record" "Discard the changes to Zyzzyva, Quentin? [y/N]"
keys n
check "N goes back to the form as it was" "E-10"
keys Escape y
check "Esc cancels the form" "2 Roster"

keys d
check "d asks before deleting" "Delete 1 person? [y/N]"
keys Enter
check "Enter means no" "nothing deleted"
keys d y
check "y deletes" "Deleted 1 person; u undoes"
check_gone "the record is gone from the list" "Zyzzyva"
keys u
check "u undoes the delete" "Restored 1 person"
check "the record is back" "Zyzzyva"

# ---- search ---------------------------------------------------------------
# the demo's staff and Zyzzyva, last by name
people=$(sqlite3 "$db" "SELECT count(*) FROM personnel WHERE deleted_at IS NULL")
keys g / Zyzz Enter
check "search moves down to the match" "row $people of $people"
keys / Brennan Enter
check "a match above only: the search wraps to the top" "row 1 of $people"
check "... and says so" "search wrapped to the top"
keys G
check "G to the end" "row $people of $people"
keys N
check "N finds it above" "row 1 of $people"
keys N
check "N from the only match wraps to the bottom, back to it" "search wrapped to the bottom"
keys / ZYZZ Enter
check "search ignores case" "row $people of $people"
keys / Nosuchname Enter
check "a search that no row holds says not found" "not found: Nosuchname"

# ---- training: the vetting refusal -------------------------------------------
keys 3 ]
check "3 ] shows the students" "Leahy vetting"
keys f Pending Enter
check "filtered to students awaiting vetting" 'filter "Pending"'
keys e
check "a student opens in the form" "Students: "
# status is the 25th field: jump there with Up from the top (wraps not), so
# walk down to it
i=0
while [ $i -lt 23 ]; do keys Tab; i=$((i + 1)); done
check "the status field is reached" ">Status"
keys Right
wait_for "ITO issued" || keys Right
check "status moves to ITO issued in the form" "ITO issued"
keys Enter
check "the move without the vetting it needs is refused with the reason" "ITO issued needs"
keys Escape y

# ---- resize during an edit -----------------------------------------------------
keys 5 e
check "a contact opens in the form" "Contacts: "
$T resize-window $tgt -x 100 -y 30
check_line_re 30 "the form survives growing: drawn again, the marking on line 30" "^ +CUI *$"
check "... with its fields" "Last name"
$T resize-window $tgt -x 50 -y 12
check "too small says so" "terminal too small"
$T resize-window $tgt -x 80 -y 24
check "the form comes back at 80x24" "Last name"
keys Escape

# ---- help ---------------------------------------------------------------------
keys '?'
check "? opens the help" "Help: keys"
check "the help lists the filter key" "Edit the filter"
$T resize-window $tgt -x 60 -y 15
check_line_re 15 "the help survives a resize to the minimum: drawn again, the marking on line 15" "^ +CUI *$"
check "... still the help" "Help: keys"
$T resize-window $tgt -x 59 -y 15
check "one column less is too small" "terminal too small"
$T resize-window $tgt -x 80 -y 24
check "the help is back at 80x24" "Help: keys"
keys q
check_gone "q closes the help" "Help: keys"
keys f a b
$T resize-window $tgt -x 120 -y 40
check_line 39 "a prompt survives a resize: drawn again on the new status line" "filter: ab"
$T resize-window $tgt -x 80 -y 24
keys Escape
check_gone "and closes after it" "filter: ab"

# ---- two people edit one record: the second save is a conflict ---------------------
to_tab 2 "Grade"
check_line 3 "A is on the personnel tab" "Grade"
p7=$(sqlite3 "$db" "SELECT last_name || ', ' || first_name FROM personnel WHERE id = 7")
keys g e
check "A opens the first person" "Personnel: $p7"
$T new-session -d -s b -x 80 -y 24 "env LANG=C.UTF-8 SCODESK_TODAY=2026-11-25 $bin --db $db"
tgt="-t b"
check "B starts beside A" "1 Dashboard"
keys 2 ] g e
check "B opens the same person" "Personnel: $p7"
keys C-u Changedbyb Enter
check "B saves first" "Saved Changedbyb"
keys Q
tgt="-t a"
keys C-u Changedbya Enter
check "A's save meets B's change to the same field: both values, to choose" \
	'Last name: [m]ine "Changedbya" or [t]heirs "Changedbyb"?'
keys t
check "t takes B's value into A's form" "Changedbyb"
check "... and says the merge is done" "Merged with "
keys Escape

# ---- every screen and tab: move, filter, sort, edit with an error, delete, undo ----------
keys Q
finish >/dev/null
start TERM=screen
check "fresh start for the tour" "1 Dashboard"
# screen  a-column-of-the-tab's-own  keys-in-the-form  expected-error  what
# (a screen remembers its tab: to_tab steps through them to the column)
tour() {
	to_tab "$1" "$2"
	check_line 3 "$5: shown, its column $2 in the header" "$2"
	check_line_re 2 "$5: ... on screen $1" "^$1 "
	keys g j
	check "$5: j moves" "row 2 of"
	keys f z z q q x x
	check "$5: the filter narrows" "row 0 of 0"
	keys Escape
	check_gone "$5: Esc leaves the filter as it was: none" 'filter "'
	was=$(sort_part)
	keys '>' r
	i=0
	while { [ "$(sort_part)" = "$was" ] || ! sort_part | grep -q ' desc$'; } && [ $i -lt 500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	now=$(sort_part)
	[ "$now" != "$was" ] && case $now in *" desc") true ;; *) false ;; esac &&
		ok "$5: > and r sort by another column, descending" ||
		not_ok "$5: > and r sort by another column, descending" "before: $was" "after: $now"
	keys r
	check "$5: r again ascending" " asc"
	if [ -n "$3" ]; then
		keys g e
		check_re "$5: e opens the form" "$form_line"
		# shellcheck disable=SC2086
		keys $3 Enter
		check "$5: a bad value is refused with the reason" "$4"
		keys Escape y
		check_re "$5: Esc closes the form" "^[0-9] [A-Z]"
		keys d
		check "$5: d asks" "? [y/N]"
		keys y
		check "$5: y deletes" "Deleted 1 "
		keys u
		check "$5: u restores" "Restored 1 "
	fi
}
tour 2 "Auth. grade" "C-u" "required, but empty" "Roster/Billets"
tour 2 "First name" "C-u" "required, but empty" "Roster/Personnel"
tour 3 "Completed" "C-u" "required, but empty" "Training/Staff"
tour 3 "Leahy vetting" "C-u" "required, but empty" "Training/Students"
tour 3 "Applies to" "C-u" "required, but empty" "Training/Courses"
tour 4 "Authority" "Tab C-u bad" "not an FMS case id" "Programs"
tour 5 "Native name" "C-u" "required, but empty" "Contacts/Contacts"
tour 5 "Location" "C-u" "required, but empty" "Contacts/Engagements"
tour 6 "Action" "" "" "Audit"
keys 6 d
check "the audit log cannot be deleted from" "nothing here can be deleted"
keys 1 g
keys Enter
check_gone "Enter on an alert leaves the dashboard for its record" "1 Dashboard"

# related records: a person's languages and training; a contact's log, and
# an engagement added from the contact
to_tab 2 "Grade"
keys g
wait_for "row 1 of"
who=$(screen | sed -n 4p | awk '{print $1 ", " $2}')
courses=$(sqlite3 "$db" "SELECT t.course_code FROM staff_training t JOIN personnel p ON p.id = t.person_id
 WHERE p.last_name || ', ' || p.first_name = '$who' AND t.deleted_at IS NULL ORDER BY t.course_code")
ncourses=$(printf '%s\n' "$courses" | grep -c .)
keys o
check "o on a person opens their records" "Languages"
check_line 2 "with a staff training tab: the title names $who and both tabs" "$who Languages Staff"
keys ]
check_line_re 2 "the training tab counts their $ncourses courses" "row 1 of $ncourses( |\$)"
missing=""
for c in $courses; do screen | sed -n '4,$p' | grep -qF -- " $c " || missing="$missing $c"; done
[ "$ncourses" -gt 1 ] && [ -z "$missing" ] && ok "the training tab lists their courses" ||
	not_ok "the training tab lists their courses" "$ncourses courses, missing:$missing"
keys q
check "q leaves the related records" "2 Roster"
to_tab 5 "Native name"
keys g
wait_for "row 1 of"
who=$(screen | sed -n 4p | awk '{print $1 ", " $2}')
keys o
check "o on a contact opens their engagement log" "Follow-up due"
case $(screen | sed -n 2p) in "$who "*) ok "the log is the contact's own: its title names $who" ;;
*) not_ok "the log is the contact's own: its title names $who" ;; esac
keys a
check "a adds an engagement" "New engagement"
check_re "the contact is filled in, by name" "^ Contacts +$who\$"
check_re "a new engagement's date starts as today" "^>Date \* +2026-11-25\$"
keys C-u 2026-11-20 Tab Right Enter
check "the engagement is saved" "Saved 2026-11-20"
keys q
check "q leaves the contact's log" "5 Contacts"

# ---- a save that waits for another user's lock says so, then goes through ----------
to_tab 5 "Native name"
keys g e
check_re "a contact open to save while another holds the lock" "$form_line"
mkfifo "$dir/lockfifo"
sqlite3 "$db" <"$dir/lockfifo" >"$dir/lockout" 2>&1 &
lockpid=$!
exec 7>"$dir/lockfifo"
echo "BEGIN IMMEDIATE; SELECT 'locked';" >&7
i=0
while ! grep -q locked "$dir/lockout" 2>/dev/null && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
keys End X Enter
check "the status line says the save waits" "waiting for another user's change"
echo "ROLLBACK;" >&7
exec 7>&-
wait $lockpid
check_re "once the lock is gone the save goes through" "^Saved .*X, "

# ---- x exports the list as shown, the same bytes as the command line -----------------
to_tab 2 "Grade"
keys f o v Enter
check "filtered before the export" 'filter "ov"'
keys x
check "x proposes a file name" "personnel-2026-11-25.csv"
keys C-u "$dir/view.csv" Enter
check "x exports the rows shown" "Exported "
"$bin" --db "$db" export personnel --view --filter ov --sort last_name -o "$dir/cli.csv" >/dev/null 2>&1
if cmp -s "$dir/view.csv" "$dir/cli.csv"; then
	ok "the file is byte for byte what 'scodesk export --filter --sort' writes"
else
	not_ok "the file is byte for byte what 'scodesk export --filter --sort' writes" "$(ls -l "$dir"/view.csv "$dir"/cli.csv 2>&1)"
fi
keys x C-u "$dir/view.csv" Enter
check "x will not overwrite a file" "exists already"
keys f C-u Enter 1 x C-u "$dir/alerts.csv" Enter
check "x on the dashboard writes the alerts report" "Exported "
[ -s "$dir/alerts.csv" ] && ok "the alerts file is there" || not_ok "the alerts file is there"

# ---- quit ---------------------------------------------------------------------
keys Q
st=$(finish)
[ "$st" = 0 ] && ok "Q quits with status 0" || not_ok "Q quits with status 0" "status '$st'"

# ---- screen-reader cursor and ASCII ----------------------------------------------
ARGS="--cursor --ascii" start TERM=screen
check "starts with --cursor --ascii" "1 Dashboard"
keys j j
check "moved for the cursor check" "row 3 of"
cy=$($T display-message -p $tgt '#{cursor_y}')
[ "$cy" = 5 ] && ok "--cursor parks the cursor on the selected row" || not_ok "--cursor parks the cursor on the selected row" "cursor_y=$cy, wanted 5"
if screen | grep -q '[▲▼…]'; then not_ok "--ascii draws no Unicode symbols"; else ok "--ascii draws no Unicode symbols"; fi
keys Q
finish >/dev/null

# ---- the link drops during an edit: the form is kept and offered back ----------------
for sig in HUP TERM; do
	fresh_server
	rm -f "$dir/status" "$dir/pid"
	tgt="-t a"
	$T new-session -d -s a -x 80 -y 24 \
		"sh -c 'echo \$\$ >$dir/pid; exec env LANG=C.UTF-8 SCODESK_TODAY=2026-11-25 $bin --db $db'; echo \$? >$dir/status"
	check "SIG$sig: started" "1 Dashboard"
	keys 5 g e
	check "SIG$sig: a contact is open" "Contacts: "
	keys C-u "Unsaved$sig"
	check "SIG$sig: typed but not saved" "Unsaved$sig"
	kill -$sig "$(cat "$dir/pid")"
	st=$(finish)
	case $sig in HUP) want=129 ;; TERM) want=143 ;; esac
	[ "$st" = "$want" ] && ok "SIG$sig ends scodesk ($st)" || not_ok "SIG$sig ends scodesk" "status '$st'"
	n_saved=$(sqlite3 "$db" "select count(*) from contacts where last_name = 'Unsaved$sig'")
	[ "$n_saved" = 0 ] && ok "SIG$sig: nothing half-saved" || not_ok "SIG$sig: nothing half-saved" "$n_saved rows"
	start TERM=screen
	check "SIG$sig: the draft is offered at the next start" "Open the unsaved contact kept at"
	keys y
	check "SIG$sig: the form comes back with the typed value" "Unsaved$sig"
	keys Escape
	check "SIG$sig: Esc on the draft asks before dropping it" "Discard the changes to"
	keys y Q
	finish >/dev/null
	start TERM=screen
	check "SIG$sig: started again" "1 Dashboard"
	check_gone "SIG$sig: the draft is offered only once" "Open the unsaved"
	keys Q
	finish >/dev/null
done

# ---- hostile text is shown inert ------------------------------------------------
sqlite3 "$db" "UPDATE contacts SET last_name = 'Evil' || char(27) || '[2J' || char(27) || ']52;c;ZWNobw==' || char(7) || 'Name' WHERE id = (SELECT min(id) FROM contacts)"
start TERM=screen
check "restarted" "1 Dashboard"
$T pipe-pane $tgt -o "cat >>$dir/bytes"
keys 5
check "the hostile name shows with placeholders" "Evil"
was=$(sort_part)
keys '>'
i=0
while [ "$(sort_part)" = "$was" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
[ "$(sort_part)" != "$was" ] && ok "sort by the next column" || not_ok "sort by the next column" "still: $was"
keys '<'
check "sort back" "sort Last name asc"
$T pipe-pane $tgt
if grep -q "$(printf '\033')]52" "$dir/bytes"; then
	not_ok "no OSC 52 sequence reached the terminal"
else
	ok "no OSC 52 sequence reached the terminal"
fi
if grep -q "$(printf '\033')\[2J" "$dir/bytes"; then
	not_ok "no clear-screen from the data reached the terminal"
else
	ok "no clear-screen from the data reached the terminal"
fi
screen | grep -q 'Evil␛\[2J␛\]52;c;ZWNobw==␇Name\|Evil␛\[2J' && ok "the escape shows as a visible placeholder" ||
	not_ok "the escape shows as a visible placeholder"
keys Q
finish >/dev/null

# ---- hostile text in every text field of every table, on every screen and form -------
hdb="$dir/hostile.db"
cp "$db" "$hdb"
# AAAhost, then: clear screen, OSC 52 clipboard, title change, a cursor move
# far off screen, an 8-bit CSI (as UTF-8 and as a raw byte), BEL.
payload="'AAAhost' || char(27) || '[2J' || char(27) || ']52;c;ZWNobw==' || char(7) || char(27) || ']0;pwned' || char(7) || char(27) || '[77;77H' || char(155) || CAST(x'9b' AS TEXT) || 'end'"
for t in billets personnel languages courses staff_training students programs contacts engagements; do
	set_list=""
	for c in $(sqlite3 "$hdb" "SELECT name FROM pragma_table_info('$t') WHERE type = 'TEXT' AND name NOT IN ('created_at', 'updated_at', 'deleted_at', 'billet_number', 'course_code', 'code')"); do
		set_list="${set_list:+$set_list, }\"$c\" = $payload || '$c'"
	done
	sqlite3 "$hdb" "PRAGMA ignore_check_constraints = 1; UPDATE $t SET $set_list WHERE id = (SELECT min(id) FROM $t WHERE deleted_at IS NULL)" 2>"$dir/sqlerr" ||
		echo "# could not fill $t: $(cat "$dir/sqlerr")"
done
sqlite3 "$hdb" "UPDATE contacts SET notes = 'AAAbig' || replace(printf('%.1000000c', 'x'), 'x', 'long ') WHERE id = (SELECT max(id) FROM contacts)"
fresh_server
rm -f "$dir/status"
tgt="-t a"
$T new-session -d -s a -x 80 -y 24 "env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $hdb; echo \$? >$dir/status"
check "hostile: started" "1 Dashboard"
: >"$dir/hbytes"
$T pipe-pane $tgt -o "cat >>$dir/hbytes"
# every_row_has TEXT: the list shows rows, the first holds TEXT, and each
# of the others shows it or has a value cut short where it may be (an
# engagement matches by the name of its third contact, past the cut)
every_row_has() {
	i=0
	while [ $i -lt 500 ]; do
		rows=$(screen | sed -n "4,22p" | grep -v '^ *$')
		[ -n "$rows" ] && printf '%s\n' "$rows" | head -n 1 | grep -qF -- "$1" &&
			! printf '%s\n' "$rows" | grep -vF -- "$1" | grep -qvF '…' && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
visit() { # SCREEN HEADER: the hostile row listed, opened, its help, closed
	to_tab "$1" "$2"
	keys f AAAhost Enter
	if every_row_has AAAhost; then ok "hostile: $1/$2 lists the row, and only rows that hold it"; else
		not_ok "hostile: $1/$2 lists the row, and only rows that hold it"; fi
	keys e
	check_re "hostile: $1/$2 form opens" "$form_line"
	keys F1
	check "hostile: $1/$2 help from the form" "Help: keys"
	keys Escape Escape f C-u Enter
	check_gone "hostile: $1/$2 back to the list" 'filter "'
}
visit 2 "Auth. grade"
visit 2 "First name"
visit 3 "Completed"
visit 3 "Leahy vetting"
visit 3 "Applies to"
visit 4 "Next milestone"
visit 5 "Native name"
visit 5 "Follow-up due"
# from the last row (the hostile one sorts first, its date being text)
keys 5 G / AAAhost Enter e
check_re "hostile: search lands on the row: e opens it" "$form_line"
check "... a record that holds the text" "AAAhost"
keys Escape
keys 2 f x C-g C-[ 
check_gone "hostile: Esc at a prompt cancels it" 'filter: x'
keys f x C-g C-b y
check "hostile: control characters typed at a prompt are not taken in" 'filter "xy"'
keys Escape 6
check "hostile: the audit screen" "6 Audit"
keys 1
check "hostile: the dashboard" "1 Dashboard"
to_tab 5 "Native name"
keys f AAAbig Enter e
check_re "hostile: a 1 MB value opens in the form" "$form_line"
check "hostile: ... shown cut with an ellipsis" "long …"
keys Escape f C-u Enter
$T pipe-pane $tgt
for seq in ']52;' ']0;' '[2J' '[77;77H'; do
	if LC_ALL=C grep -qF "$(printf '\033')$seq" "$dir/hbytes"; then
		not_ok "hostile: ESC$seq never reaches the terminal"
	else
		ok "hostile: ESC$seq never reaches the terminal"
	fi
done
# An 8-bit CSI is U+009B (bytes C2 9B) or a lone 9B byte, which would make
# the stream invalid UTF-8 (9B inside other characters is fine).
if LC_ALL=C grep -qF "$(printf '\302\233')" "$dir/hbytes" || ! iconv -f UTF-8 -t UTF-8 "$dir/hbytes" >/dev/null 2>&1; then
	not_ok "hostile: no 8-bit CSI reaches the terminal"
else
	ok "hostile: no 8-bit CSI reaches the terminal"
fi
[ -s "$dir/hbytes" ] && ok "hostile: the session was recorded" || not_ok "hostile: the session was recorded"
keys Q
finish >/dev/null
"$bin" --db "$hdb" export contacts -o "$dir/big.csv" >/dev/null 2>&1
big=$(wc -c <"$dir/big.csv" 2>/dev/null || echo 0)
[ "$big" -gt 5000000 ] && ok "hostile: the 1 MB value is exported whole" || not_ok "hostile: the 1 MB value is exported whole" "$big bytes"

# ---- NO_COLOR and vt100 ----------------------------------------------------------
start NO_COLOR=1 TERM=screen
check "starts with NO_COLOR" "1 Dashboard"
$T pipe-pane $tgt -o "cat >>$dir/nocolor"
keys j k 3
check "moves with NO_COLOR" "3 Training"
$T pipe-pane $tgt
if grep -qE "$(printf '\033')\[(3[0-7]|38|9[0-7])(;[0-9]+)*m" "$dir/nocolor"; then
	not_ok "NO_COLOR sends no colour"
else
	ok "NO_COLOR sends no colour"
fi
keys Q
finish >/dev/null

start TERM=vt100
check "works on a vt100" "1 Dashboard"
keys 4
check "programs on a vt100" "4 Programs"
keys Q
st=$(finish)
[ "$st" = 0 ] && ok "vt100 quits cleanly" || not_ok "vt100 quits cleanly" "status '$st'"

# ---- read-only --------------------------------------------------------------------
fresh_server
rm -f "$dir/status"
tgt="-t a"
$T new-session -d -s a -x 80 -y 24 "env LANG=C.UTF-8 $bin --db $db --read-only; echo \$? >$dir/status"
check "read-only shows in the title" "read-only"
keys 2 a
check "read-only refuses to add" "read-only: nothing can be added"
keys Q
finish >/dev/null

# ---- the daily backup, made in the background ------------------------------------------
# Opening a database with no backup today starts `scodesk backup --daily`
# in a process of its own: the first screen does not wait for the copy.
# wait_file PATH: polls for a file, 10 s at most.
wait_file() {
	i=0
	while [ ! -f "$1" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
	[ -f "$1" ]
}
saved_db=$db
db="$dir/fresh/office.db"
start TERM=screen
check "a fresh database opens on the dashboard" "1 Dashboard"
if wait_file "$dir/fresh/backups/scodesk-2026-11-25.db"; then
	ok "opening makes the day's backup in the background"
else
	not_ok "opening makes the day's backup in the background" "$(ls -A "$dir/fresh" "$dir/fresh/backups" 2>&1)"
fi
# The temporary file (and its journal) is gone by the time it is renamed.
left=$(ls -A "$dir/fresh/backups" 2>&1)
[ "$left" = scodesk-2026-11-25.db ] && ok "... and leaves no temporary file" ||
	not_ok "... and leaves no temporary file" "$left"
if "$bin" --read-only --db "$dir/fresh/backups/scodesk-2026-11-25.db" check >"$dir/fcheck" 2>&1; then
	ok "... a sound copy"
else
	not_ok "... a sound copy" "$(cat "$dir/fcheck")"
fi
keys Q
st=$(finish)
[ "$st" = 0 ] && ok "quits with status 0 after a background backup" || not_ok "quits with status 0 after a background backup" "status '$st'"

# The link drops while the copy runs: scodesk ends (SIGHUP), the copy, in a
# session of its own, goes on to the end. 100 MB of ballast make the copy
# take a moment, so that the hang-up comes during it. (In a table of
# scodesk's, which has no trigger and no index beyond its key, and for
# contacts that do not exist: a table of its own would be an object
# scodesk did not make, which it refuses.)
mkdir -p "$dir/link"
db="$dir/link/office.db"
"$bin" --db "$db" demo >/dev/null
sqlite3 "$db" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400) INSERT INTO contact_last_engaged SELECT 1000000 + i, hex(randomblob(125000)) FROM c"
fresh_server
rm -f "$dir/status" "$dir/pid"
tgt="-t a"
$T new-session -d -s a -x 80 -y 24 \
	"sh -c 'echo \$\$ >$dir/pid; exec env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $db'; echo \$? >$dir/status"
check "a large database opens on the dashboard" "1 Dashboard"
during=$(ls "$dir/link/backups" 2>/dev/null | grep -c '\.tmp-')
kill -HUP "$(cat "$dir/pid")"
st=$(finish)
[ "$st" = 129 ] && ok "SIGHUP during the background copy ends scodesk (129)" ||
	not_ok "SIGHUP during the background copy ends scodesk (129)" "status '$st'"
[ "$during" -gt 0 ] ||
	echo "# the copy was over before the hang-up: this run does not show that it outlives one"
if wait_file "$dir/link/backups/scodesk-2026-11-25.db"; then
	ok "the background copy outlives the dropped link"
else
	not_ok "the background copy outlives the dropped link" "$(ls -A "$dir/link/backups" 2>&1)"
fi
left=$(ls -A "$dir/link/backups" 2>&1)
qc=$(sqlite3 "$dir/link/backups/scodesk-2026-11-25.db" 'PRAGMA quick_check' 2>&1)
[ "$left" = scodesk-2026-11-25.db ] && [ "$qc" = ok ] &&
	ok "... whole, and no temporary file is left" ||
	not_ok "... whole, and no temporary file is left" "$left" "quick_check: $qc"
rm -rf "$dir/link"

# A backup that fails says why on the status line, without a key pressed:
# here the backups "folder" is a file.
mkdir -p "$dir/nobackup"
: >"$dir/nobackup/backups"
db="$dir/nobackup/office.db"
start TERM=screen
check "a failed background backup still opens the dashboard" "1 Dashboard"
check "... and its failure shows on the status line" "no daily backup today: cannot look at the backup"
keys Q
finish >/dev/null
db=$saved_db

# ---- a long list: the filter from the third character, or on Enter ----------
# Over 20,000 contacts (put in with the sqlite3 shell; the triggers keep
# the full-text index). Typed, one or two characters wait; Enter applies
# them (a name in Chinese or Korean is often one character or two).
mkdir -p "$dir/long"
db="$dir/long/office.db"
"$bin" --db "$db" init >/dev/null
sqlite3 "$db" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20050)
INSERT INTO contacts (last_name, native_name, created_at, updated_at, version)
SELECT printf('Contact%05d', i), CASE i WHEN 777 THEN '王伟' WHEN 778 THEN '김' WHEN 779 THEN '王' ELSE NULL END,
 '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1 FROM c"
start TERM=screen
check "a long list opens" "1 Dashboard"
keys 5
check "... its contacts are counted" "of 20050"
keys f
keys '王'
check "one character on a long list waits for Enter" "filter (3 characters, or Enter): 王"
# the prompt is on screen: the list on the same screen is the one after the key
case $(screen) in *"row 1 of 20050"*) ok "... the list is not filtered yet" ;;
*) not_ok "... the list is not filtered yet" ;; esac
keys Enter
check "Enter filters by one character" 'filter "王"'
check "... and finds the two names that hold it" "row 1 of 2"
check "... 王伟 is one" "王伟"
keys f
keys BSpace
keys '김'
keys Enter
check "a Korean family name of one character" "row 1 of 1"
keys f
keys BSpace
keys 'tact0200'
check "three characters and more filter as typed" "row 1 of 10"
keys Escape
check "Esc leaves the filter as it was before f" 'filter "김"'
check "... and its one row" "row 1 of 1 "
keys f C-u Enter
check "f, Ctrl-U, Enter: no filter" "row 1 of 20050"
keys Q
finish >/dev/null
db=$saved_db

# ---- a dashboard of more alerts than its head -------------------------------
# The dashboard reads each rule's first 200 alerts and the counts when it
# opens; going past them reads the rest. 450 overdue follow-ups and 250 FMS
# programs without a case id (errors, which come first) on top of the
# demo's alerts.
mkdir -p "$dir/many"
db="$dir/many/office.db"
"$bin" --db "$db" demo >/dev/null
sqlite3 "$db" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 450)
INSERT INTO engagements (date, type, followup, followup_due, created_at, updated_at, version)
SELECT date('2025-01-01', printf('+%d days', i / 2)), 'kle', printf('Follow-up number %03d', i),
 date('2025-02-01', printf('+%d days', i / 2)), '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1 FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 250)
INSERT INTO programs (authority, title, status, status_date, created_at, updated_at, version)
SELECT 'fms', printf('Caseless %03d', i), 'development', '2026-01-01', '2026-11-01T00:00:00Z',
 '2026-11-01T00:00:00Z', 1 FROM c"
want=$(SCODESK_TODAY=${SCODESK_TODAY:-2026-11-25} "$bin" --db "$db" alerts | tail -n 1 | cut -d ' ' -f 1)
start TERM=screen
check "a dashboard of $want alerts opens with all of them counted" "row 1 of $want"
# a search reads the whole list; the rows on screen must be read again
# from it before Enter follows one of them
keys /
keys 'Caseless 005'
keys Enter
# where the dashboard has it: its line in the alerts' own order
row005=$(SCODESK_TODAY=${SCODESK_TODAY:-2026-11-25} "$bin" --db "$db" alerts | grep -n 'Caseless 005' | cut -d: -f1)
check "a search on the head finds an alert on the first screen" "row $row005 of $want"
keys Enter
check "... and Enter goes to the Programs screen" "4 Programs"
caseless=$(sqlite3 "$db" "SELECT id FROM programs WHERE title = 'Caseless 005'")
keys e
check_re "... to that program: e opens it" "^Programs: .*Caseless 005"
keys Escape
keys Q
finish >/dev/null
start TERM=screen
check "the same dashboard again" "row 1 of $want"
# row 210 is still one of the errors (the heads of the other rules must
# not stand in for the rest of the first)
keys :
keys 210 Enter
check ":210 goes past the head" "row 210 of $want"
row210=$(screen | sed -n 22p)
case $row210 in *error*Caseless*) ok "... and row 210 is the error it is in the whole list" ;;
*) not_ok "... and row 210 is the error it is in the whole list" "$row210" ;; esac
keys G
check "G goes to the last alert, past the head" "row $want of $want"
keys g
check "g comes back to the first" "row 1 of $want"
# the one due last of them (and before the demo's later ones): its row
# in the command line's list, which is the dashboard's order
row449=$(SCODESK_TODAY=${SCODESK_TODAY:-2026-11-25} "$bin" --db "$db" alerts | grep -n 'number 449' | cut -d : -f 1)
keys /
keys 'number 449'
keys Enter
check "search finds an alert beyond the head" "row $row449 of $want"
keys Enter
check "Enter on it goes to its engagement" "Engagements"
keys Q
finish >/dev/null
db=$saved_db

# ---- idle: no bytes at all ----------------------------------------------------------
start TERM=screen
check "started for the idle check" "1 Dashboard"
$T pipe-pane $tgt -o "cat >>$dir/idle"
keys j
check "a key is drawn" "row 2 of"
# The recording reaches the file a little after the screen changes: wait
# until the key's bytes are there and have stopped coming (200 ms), then
# measure a second of idleness.
i=0
last=-1
size1=$(wc -c <"$dir/idle")
while { [ "$size1" = 0 ] || [ "$size1" != "$last" ]; } && [ $i -lt 50 ]; do
	last=$size1
	sleep 0.2
	size1=$(wc -c <"$dir/idle")
	i=$((i + 1))
done
i=0
while [ $i -lt 50 ]; do sleep 0.02; i=$((i + 1)); done # a second of idleness, measured
size2=$(wc -c <"$dir/idle")
$T pipe-pane $tgt
[ "$size1" -gt 0 ] && [ "$size1" = "$size2" ] && ok "nothing is sent while idle" || not_ok "nothing is sent while idle" "$size1 then $size2 bytes"
keys Q
finish >/dev/null

# ---- bidirectional controls show as placeholders ---------------------------------
# A contact's last name holds U+202E (right-to-left override) and U+2066
# (left-to-right isolate): the screen shows <U+202E> and <U+2066>, and
# neither reaches the terminal as it stands.
saved_db=$db
db="$dir/bidi.db"
cp "$saved_db" "$db"
sqlite3 "$db" "UPDATE contacts SET last_name = 'Bidi' || char(0x202e) || 'Rev' || char(0x2066) || 'Iso' WHERE id = (SELECT min(id) FROM contacts WHERE deleted_at IS NULL)"
start TERM=screen
check "bidi: started" "1 Dashboard"
: >"$dir/bidibytes"
$T pipe-pane $tgt -o "cat >>$dir/bidibytes"
to_tab 5 "Native name"
keys f Bidi Enter
check "bidi: the list shows the placeholder" 'Bidi<U+202E>'
keys e
check_re "bidi: the form opens" "$form_line"
check "bidi: the form shows both placeholders" 'Bidi<U+202E>Rev<U+2066>Iso'
keys Escape f C-u Enter
check_gone "bidi: back to the list" 'filter "'
$T pipe-pane $tgt
if LC_ALL=C grep -qF "$(printf '\342\200\256')" "$dir/bidibytes" || LC_ALL=C grep -qF "$(printf '\342\201\246')" "$dir/bidibytes"; then
	not_ok "bidi: no raw U+202E or U+2066 reaches the terminal"
elif [ ! -s "$dir/bidibytes" ]; then
	not_ok "bidi: no raw U+202E or U+2066 reaches the terminal" "nothing was recorded"
else
	ok "bidi: no raw U+202E or U+2066 reaches the terminal"
fi
keys Q
finish >/dev/null
db=$saved_db
# ---- a read-only interface keeps no draft ----------------------------------------------
# --read-only changes nothing anywhere: a form open when the link drops is
# not kept (nothing could save it), and nothing appears beside the file.
rod="$dir/ro-draft"
mkdir "$rod"
"$bin" --db "$rod/office.db" demo >/dev/null
before=$(ls -A "$rod" | tr '\n' ' ')
fresh_server
rm -f "$dir/status" "$dir/pid"
tgt="-t a"
$T new-session -d -s a -x 80 -y 24 \
	"sh -c 'echo \$\$ >$dir/pid; exec env LANG=C.UTF-8 SCODESK_TODAY=2026-11-25 $bin --db $rod/office.db --read-only'; echo \$? >$dir/status"
check "read-only draft: started" "read-only"
keys 5 g e
check "read-only draft: a contact is open" "Contacts: "
kill -HUP "$(cat "$dir/pid")"
st=$(finish)
[ "$st" = 129 ] && ok "read-only draft: SIGHUP ends scodesk (129)" || not_ok "read-only draft: SIGHUP ends scodesk (129)" "status '$st'"
after=$(ls -A "$rod" | tr '\n' ' ')
[ ! -e "$rod/drafts" ] && [ "$before" = "$after" ] && ok "a read-only interface keeps no draft, and makes nothing beside the file" ||
	not_ok "a read-only interface keeps no draft, and makes nothing beside the file" "before: $before" "after: $after $(ls -A "$rod/drafts" 2>&1)"

# ---- a save held up by another user's lock past the timeout: kept, then retried ----
# hold_lock / release_lock: another process (the sqlite3 shell) holds the
# database's write lock until told to let go.
hold_lock() {
	rm -f "$dir/lockfifo" "$dir/lockout"
	mkfifo "$dir/lockfifo"
	sqlite3 "$db" <"$dir/lockfifo" >"$dir/lockout" 2>&1 &
	lockpid=$!
	exec 7>"$dir/lockfifo"
	echo "BEGIN IMMEDIATE; SELECT 'locked';" >&7
	i=0
	while ! grep -q locked "$dir/lockout" 2>/dev/null && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
}
release_lock() {
	echo "ROLLBACK;" >&7
	exec 7>&-
	wait $lockpid
}

# Past the timeout the save is refused as busy, the form stays as typed,
# and once the lock is gone the same Enter saves: no conflict with itself.
start TERM=screen
check "busy: started" "1 Dashboard"
to_tab 5 "Native name"
keys g e
check_re "busy: a contact is open" "$form_line"
keys C-u "Heldup"
hold_lock
keys Enter
check "busy: the save waits" "waiting for another user's change"
check "busy: past the timeout the save is refused as busy" "the database is busy"
check "busy: the form is still open with the typed value" "Heldup"
release_lock
keys Enter
check "busy: the same Enter saves once the lock is gone" "Saved Heldup"
if screen | grep -q "was changed by"; then
	not_ok "busy: the retry is no conflict with itself"
else
	ok "busy: the retry is no conflict with itself"
fi
n_saved=$(sqlite3 "$db" "select count(*) from contacts where last_name = 'Heldup'")
[ "$n_saved" = 1 ] && ok "busy: the record holds the typed value" || not_ok "busy: the record holds the typed value" "$n_saved rows"
keys Q
finish >/dev/null

# ---- SIGTERM while a save waits for another user's lock ----
# The draft is kept and scodesk
# is gone at once, with the lock still held (before, it waited out the
# whole 5 s timeout and then for a key).
fresh_server
rm -f "$dir/status" "$dir/pid"
tgt="-t a"
$T new-session -d -s a -x 80 -y 24 \
	"sh -c 'echo \$\$ >$dir/pid; exec env LANG=C.UTF-8 SCODESK_TODAY=2026-11-25 $bin --db $db'; echo \$? >$dir/status"
check "SIGTERM while waiting: started" "1 Dashboard"
to_tab 5 "Native name"
keys g e
check_re "SIGTERM while waiting: a contact is open" "$form_line"
keys C-u "Stuckbehind"
hold_lock
keys Enter
check "SIGTERM while waiting: the save waits" "waiting for another user's change"
pid=$(cat "$dir/pid")
t0=$(date +%s%N)
kill -TERM "$pid"
# running: the process is there and not a zombie (tmux, its parent, may
# take a second to reap it; kill -0 would count that second too)
running() { case $(ps -o stat= -p "$1" 2>/dev/null) in ""|Z*) return 1 ;; esac; return 0; }
i=0
while running "$pid" && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
still_locked=$(grep -c locked "$dir/lockout")
if running "$pid"; then
	not_ok "SIGTERM while waiting: scodesk exits within a second, the lock still held" "still running after ${ms} ms"
elif [ "$ms" -ge 1000 ]; then
	not_ok "SIGTERM while waiting: scodesk exits within a second, the lock still held" "gone after ${ms} ms (the lock timeout is 5 s)"
else
	ok "SIGTERM while waiting: scodesk exits within a second, the lock still held"
fi
st=$(finish)
[ "$st" = 143 ] && ok "SIGTERM while waiting: exit status 143" || not_ok "SIGTERM while waiting: exit status 143" "status '$st'"
grep -rqF "Stuckbehind" "$dir/drafts" 2>/dev/null && ok "SIGTERM while waiting: the draft holds the typed value" ||
	not_ok "SIGTERM while waiting: the draft holds the typed value" "$(ls -lR "$dir/drafts" 2>&1)"
release_lock
n_saved=$(sqlite3 "$db" "select count(*) from contacts where last_name = 'Stuckbehind'")
[ "$n_saved" = 0 ] && [ "$still_locked" = 1 ] && ok "SIGTERM while waiting: nothing was saved" ||
	not_ok "SIGTERM while waiting: nothing was saved" "$n_saved rows"
start TERM=screen
check "SIGTERM while waiting: the draft is offered at the next start" "Open the unsaved contact kept at"
keys y
check "SIGTERM while waiting: the form comes back with the typed value" "Stuckbehind"
keys Escape y Q
finish >/dev/null

echo "1..$n"
[ "$failed" = 0 ]
