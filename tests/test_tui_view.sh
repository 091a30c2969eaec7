#!/bin/sh
# test_tui_view.sh SCODESK: the record view ('v') through a real terminal,
# at 80x24 and at 200x50: a private tmux server, keys sent with send-keys,
# the screen read with capture-pane, every wait a poll of the screen (10 s
# at most, never a fixed sleep), bytes to the terminal recorded with
# pipe-pane. TAP output.
set -u
bin=$1
name=view
. "$(dirname "$0")/tmux.sh"
# the title line's "row N of M"
row_of() { screen | sed -n 2p | grep -o 'row [0-9]* of [0-9]*'; }
# the record view's title: "Contact 1: ..." gives 1
view_id() { screen | sed -n 2p | sed -n 's/^[A-Z][a-z ]*\([0-9][0-9]*\):.*/\1/p'; }

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
q() { sqlite3 "$db" "$1"; }

# A contact's notes: a first line long enough to wrap even at 200
# columns, a CR LF, a second line, and what may not reach a terminal (an
# OSC sequence that would set the window title, a right-to-left override).
long="First line of the note, long enough to wrap at eighty columns and again at two hundred: the office met him at the armaments directorate and at the academy, and he asked for the schedule of the working group, the price and availability data, and the English test results before the end of the fiscal year, which is a long list"
q "UPDATE contacts SET notes = '$long' || char(13, 10) || 'Second line after CR LF' || char(10) || 'Third ' || char(27) || ']0;pwned' || char(7) || ' and ' || char(8238) || 'desrever' WHERE id = 1"
c_email=$(q "SELECT email FROM contacts WHERE id = 1")
c_place=$(q "SELECT e.location FROM engagements e JOIN engagement_contacts c ON c.engagement_id = e.id WHERE c.contact_id = 1 LIMIT 1")
c_count=$(q "SELECT count(*) FROM engagement_contacts WHERE contact_id = 1")
p_email=$(q "SELECT email FROM personnel WHERE last_name = 'Whitaker'")
p_lang=$(q "SELECT l.language FROM languages l JOIN personnel p ON p.id = l.person_id WHERE p.last_name = 'Whitaker' LIMIT 1")
g_org=$(q "SELECT partner_org FROM programs WHERE case_id = 'QV-B-TAA'")
g_student=$(q "SELECT last_name FROM students WHERE case_id = 'QV-B-TAA' LIMIT 1")
b_first=$(q "SELECT billet_number FROM billets ORDER BY billet_number LIMIT 1")
b_sc=$(q "SELECT sc_code FROM billets ORDER BY billet_number LIMIT 1")
# an alert whose detail the dashboard's column cuts: "SUBJECT: DETAIL"
# after the severity, due date and rule
a_line=$(SCODESK_TODAY=2026-11-25 "$bin" --db "$db" alerts | grep 'followup-overdue.*Share English' | head -n 1 | cut -c 41-)
a_subject=${a_line%%: *}
a_detail=${a_line#*: }
a_start=${a_detail%%:*}
a_end=$(printf '%s' "$a_detail" | awk '{ print $(NF - 1), $NF }')
[ -n "$a_detail" ] && [ -n "$c_place" ] && [ -n "$g_student" ] && [ -n "$p_lang" ] && [ -n "$b_sc" ] ||
	{ echo "Bail out! the demo office lacks a record these checks read"; exit 1; }

# start WIDTH HEIGHT [ENV...]: scodesk in a new session of that size
start() {
	fresh_server
	w=$1 h=$2
	shift 2
	$T new-session -d -s a -x "$w" -y "$h" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $* $bin --db $db ${ARGS:-}; $T wait-for -S done"
	$T set-option -g remain-on-exit off >/dev/null
}

# view WHAT: v opens the view (its "lines" counter on the title)
view() {
	before=$(row_of)
	keys v
	check "$S: v opens the view of $1" "lines 1-"
	line1=$(screen | sed -n 1p)
	last=$(screen | tail -n 1)
	case "$line1$last" in
	*CUI*CUI*) ok "$S: the view of $1 has the marking top and bottom" ;;
	*) not_ok "$S: the view of $1 has the marking top and bottom" "$line1 / $last" ;;
	esac
}
# back WHAT: q returns to the list, on the same row
back() {
	keys q
	check_gone "$S: q leaves the view of $1" "lines 1-"
	if wait_for "$before" && [ "$(row_of)" = "$before" ]; then
		ok "$S: q returns to the same row ($before)"
	else
		not_ok "$S: q returns to the same row ($before)" "now: $(row_of)"
	fi
}
# to_tab DIGIT HEADER: opens the screen and steps to the tab whose header
# shows HEADER
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
# search TEXT: / from the row under the cursor; waits until the cursor
# has moved (the title's row changed), so that the row is known
search() {
	was=$(row_of)
	keys / "$1" Enter
	wait_gone "/$1"
	i=0
	while [ "$(row_of)" = "$was" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
}
# seek REGEX: pages through the view from its top until REGEX shows
seek() {
	keys g
	wait_for "lines 1-" || return 1
	j=0
	while [ $j -lt 20 ]; do
		screen | grep -qE -- "$1" && return 0
		at=$(screen | sed -n 2p | grep -o 'lines [0-9]*-[0-9]* of [0-9]*')
		set -- "$1" $(echo "$at" | sed 's/lines [0-9]*-\([0-9]*\) of \([0-9]*\)/\1 \2/')
		[ "${2:-0}" = "${3:-1}" ] && return 1 # the last page, and not there
		keys Space
		wait_gone "$at" || return 1
		j=$((j + 1))
	done
	return 1
}
check_seek() { if seek "$2"; then ok "$1"; else not_ok "$1" "paged through for /$2/"; fi; }

run_at() { # WIDTH HEIGHT
	S="$1x$2"
	start "$1" "$2"
	check "$S: opens on the dashboard" "1 Dashboard"

	# ---- the dashboard: an alert whole, and the record it is about
	search "$a_subject"
	case $(row_of) in
	"row 1 of "* | "") not_ok "$S: / finds the alert" "$(row_of)" ;;
	*) ok "$S: / finds the alert ($(row_of))" ;;
	esac
	if [ "$1" = 80 ]; then
		# cut in the list: its end is not on the screen
		screen | grep -qF "$a_end" && not_ok "$S: the list cuts the alert's detail" "$a_end" ||
			ok "$S: the list cuts the alert's detail"
	fi
	view "an alert"
	check "$S: the alert's subject whole" "Subject: $a_subject"
	check "$S: the alert's rule" "Rule: followup-overdue"
	check "$S: the alert's detail starts" "Detail: $a_start"
	check "$S: the alert's detail ends, whole" "$a_end"
	check_re "$S: the record it is about, under a heading" "About: Engagement [0-9]+:"
	check "$S: ... as Label: value" "Location: ${a_subject##* at }"
	keys e
	check "$S: e on an alert opens its record's form" "Engagements: "
	check_re "$S: ... the form" "$form_line"
	keys Escape
	check "$S: the form goes back to the view" "lines 1-"
	back "an alert"

	# ---- the roster: a billet, a person with languages and training
	keys 2
	check "$S: the roster" "2 Roster"
	view "a billet"
	check "$S: a billet's field that is no list column" "SC code: $b_sc"
	check "$S: ... a billet's role" "Role: "
	back "a billet"
	to_tab 2 "First name"
	search Whitaker
	view "a person"
	check "$S: a person's email (no list column)" "Email: $p_email"
	check_re "$S: a person's languages, under a heading" "Languages \([0-9]+\)"
	check "$S: ... a language of theirs" "$p_lang"
	check_seek "$S: a person's training, under a heading" "Training records \([0-9]+\)"
	back "a person"

	# ---- training: a training record
	keys 3
	check "$S: the training screen" "3 Training"
	view "a training record"
	id=$(view_id)
	waived=$(q "SELECT CASE waived WHEN 1 THEN 'yes' ELSE 'no' END FROM staff_training WHERE id = ${id:-0}")
	check "$S: a training record's waived field (no list column)" "Waived: ${waived:-?}"
	keys e
	check_re "$S: e from the view opens the form" "$form_line"
	keys Escape
	check "$S: ... and comes back to the view" "lines 1-"
	back "a training record"

	# ---- programs: one with students and engagements
	keys 4
	check "$S: the programs screen" "4 Programs"
	search QV-B-TAA
	view "a program"
	check "$S: a program's partner (no list column)" "Partner org.: $g_org"
	check_seek "$S: a program's students, under a heading" "Students \([0-9]+\)"
	check_seek "$S: ... a student of it by name" "^   $g_student"
	check_seek "$S: a program's engagements, under a heading" "Engagements \([0-9]+\)"
	back "a program"

	# ---- contacts: a long note in lines, the contact's engagements
	keys 5
	check "$S: the contacts screen" "5 Contacts"
	$T pipe-pane $tgt -o "cat >>$dir/bytes-$1"
	search Dravenko
	view "a contact"
	check "$S: a contact's email (no list column)" "Email: $c_email"
	check "$S: the note's first line starts beside its label" "Notes: First line of the note"
	# the first line is wrapped: its last words show, on a line of their own
	check_re "$S: the long line wraps under its value" "^ {4,}[a-z].* is a long list *$"
	check_re "$S: the line after CR LF starts a line of its own" "^ {4,}Second line after CR LF *$"
	check_re "$S: so does the line after LF" "^ {4,}Third "
	check "$S: ESC shows as its placeholder" "Third ␛]0;pwned␇ and"
	check "$S: a right-to-left override shows as its placeholder" "<U+202E>desrever"
	check_seek "$S: a contact's engagements, under a heading" "Engagements \($c_count\)"
	check_seek "$S: ... where one took place" "^   .*$c_place"
	keys g
	check "$S: g goes back to the top" "lines 1-"
	back "a contact"
	$T pipe-pane $tgt
	if grep -q "$(printf '\033')]0;pwned" "$dir/bytes-$1"; then
		not_ok "$S: no escape sequence from a note reached the terminal"
	else
		ok "$S: no escape sequence from a note reached the terminal"
	fi
	if grep -q "$(printf '\342\200\256')" "$dir/bytes-$1"; then
		not_ok "$S: no bidirectional control reached the terminal"
	else
		ok "$S: no bidirectional control reached the terminal"
	fi

	# ---- the audit: an entry whole
	keys 6
	check "$S: the audit screen" "6 Audit"
	view "an audit entry"
	id=$(view_id)
	tail=$(q "SELECT after FROM audit_log WHERE id = ${id:-0}" | awk '{ print $NF }')
	row=$(q "SELECT row_id FROM audit_log WHERE id = ${id:-0}")
	check_seek "$S: an audit entry's change whole, to its end" "$(printf '%s' "${tail:-no such entry}" | sed 's/[][\\.*^$(){}+?|]/\\&/g')"
	check "$S: ... as Label: value" "Row: ${row:-none}"
	back "an audit entry"
}

run_at 80 24
run_at 200 50

# ---- resize, the smallest terminal, --ascii and NO_COLOR -------------------
S="resize"
start 80 24
check "$S: started" "1 Dashboard"
keys 5
check "$S: contacts" "5 Contacts"
search Dravenko
keys v
check "$S: the view" "lines 1-20 of"
at80=$(screen | sed -n 2p | grep -o 'lines [0-9]*-[0-9]* of [0-9]*' | sed 's/.* of //')
$T resize-window $tgt -x 60 -y 15
check "$S: at 60x15 the view fits its eleven lines" "lines 1-11 of"
at60=$(screen | sed -n 2p | grep -o 'lines [0-9]*-[0-9]* of [0-9]*' | sed 's/.* of //')
[ -n "$at80" ] && [ "${at60:-0}" -gt "$at80" ] && ok "$S: ... re-wrapped: more lines at 60 columns ($at80, $at60)" ||
	not_ok "$S: ... re-wrapped: more lines at 60 columns" "$at80 then $at60"
check_seek "$S: ... the line after CR LF still on its own" "^ {4,}Second line after CR LF *$"
last=$(screen | tail -n 1)
case $last in *CUI*) ok "$S: the marking stays at the bottom" ;; *) not_ok "$S: the marking stays at the bottom" "$last" ;; esac
$T resize-window $tgt -x 120 -y 30
keys g
check "$S: bigger again, the view follows" "lines 1-26 of"
keys q
check_gone "$S: q leaves" "lines 1-"

S="ascii"
ARGS="--ascii" start 80 24 NO_COLOR=1
check "$S: started" "1 Dashboard"
: >"$dir/bytes-ascii"
$T pipe-pane $tgt -o "cat >>$dir/bytes-ascii"
keys 5
check "$S: contacts" "5 Contacts"
search Dravenko
keys v
check "$S: the view" "lines 1-"
check "$S: ESC shows as ^[" "Third ^[]0;pwned^G and"
keys q
check_gone "$S: q leaves" "lines 1-"
$T pipe-pane $tgt
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$dir/bytes-ascii"; then
	not_ok "$S: only ASCII reached the terminal"
else
	ok "$S: only ASCII reached the terminal"
fi
if grep -q "$(printf '\033')\[3[0-7]m" "$dir/bytes-ascii"; then
	not_ok "$S: NO_COLOR: no colour reached the terminal"
else
	ok "$S: NO_COLOR: no colour reached the terminal"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
