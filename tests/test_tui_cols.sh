#!/bin/sh
# test_tui_cols.sh SCODESK: the list's columns across the screen, through a
# real terminal (a private tmux server) at 80x24 and at 200x50: widths that
# follow the terminal and the rows on screen, dates never cut, Left/Right
# scrolling the columns with the first one staying, "cols A-B of N" on the
# title line, _ (widen), - (hide) and + (show again). Waits poll the
# screen (10 s at most), never fixed sleeps. TAP output.
set -u
bin=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-cols-XXXXXX")
sock="scodesk-cols-$$"
k=0
T="tmux -L $sock -f /dev/null"
. "$(dirname "$0")/tmux_stop.sh"
cleanup() { stop_server; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'
	screen | sed 's/^/# | /'
}
screen() { $T capture-pane -p -t a 2>/dev/null; }
keys() { $T send-keys -t a "$@"; }
header() { screen | sed -n 3p; }
title() { screen | sed -n 2p; }

# poll CMD...: runs the shell test CMD every 20 ms until it holds, 10 s
# at most.
poll() {
	i=0
	while [ $i -lt 500 ]; do
		"$@" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
has() { screen | grep -qF -- "$1"; }
lacks() { ! screen | grep -qF -- "$1"; }
header_has() { header | grep -qF -- "$1"; }
header_lacks() { ! header | grep -qF -- "$1"; }
title_has() { title | grep -qF -- "$1"; }
# title_starts SCREEN: the title line is that screen's ("2 Roster ..."), not
# another's that happens to hold "2 " (the dashboard's "of 12 alerts").
title_starts() { title | grep -q "^$1 "; }
title_lacks() { ! title | grep -qF -- "$1"; }
check() { # DESCRIPTION TEST ARGS...
	d=$1
	shift
	if poll "$@"; then ok "$d"; else not_ok "$d" "waited for: $*"; fi
}

# start WIDTH HEIGHT: scodesk on the demo database in a new session.
start() {
	stop_server
	k=$((k + 1))
	T="tmux -L $sock-$k -f /dev/null"
	$T new-session -d -s a -x "$1" -y "$2" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $db"
	poll has "1 Dashboard"
}
# to_tab SCREEN HEADER: the screen, then its tabs until the header shows
# HEADER.
to_tab() {
	keys "$1"
	poll title_starts "$1" || return 1
	i=0
	while ! header_has "$2" && [ $i -lt 4 ]; do
		keys ]
		poll header_has "$2" 2>/dev/null && break
		i=$((i + 1))
	done
	header_has "$2"
}
# right_until TEXT...: Right once a column (the current column moves, the
# columns scroll to keep it in view), then waits until the header shows
# every TEXT.
right_until() {
	keys Right Right Right Right Right Right Right Right Right Right Right Right
	for t in "$@"; do
		poll header_has "$t" || return 1
	done
}
# A date cut short: four digits and a dash, then an ellipsis within it.
no_cut_date() { ! screen | grep -qE '[0-9]{4}-[0-9]{0,2}(-[0-9]?)?…'; }

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }

# ---- 80x24 ---------------------------------------------------------------
start 80 24
check "opens at 80x24" has "1 Dashboard"
check "at 80 columns a long alert detail is cut" has ": Share…"
check "... short of its end" lacks "Share English test results with the General Staff J7"

to_tab 2 "Auth. grade"
check "Billets at 80x24" header_has "Incumbent"
check "a long billet title is cut at 80 columns" has "Senior Defense Official / Def…"
check "... short of its end" lacks "Senior Defense Official / Defense Attache"
check "no date is cut on Billets" no_cut_date
check "Replacement is past the right edge" header_lacks "Replacement"
check "the title says which columns are shown" title_has "cols 1-"
if right_until "Replacement" "Gap"; then
	ok "Right reaches Billets' Replacement and Gap"
else
	not_ok "Right reaches Billets' Replacement and Gap"
fi
check "... the first column (Billet) stays" header_has "Billet"
check "... the title says the columns shown have moved" sh -c "tmux -L $sock-$k -f /dev/null capture-pane -p -t a | sed -n 2p | grep -qE 'cols [2-9]-[0-9]+ of 9'"
check "... the Title column has scrolled off" header_lacks "Title"
check "no date is cut once scrolled" no_cut_date
keys h h h h h h h h h h
check "Left (h) scrolls back to the first columns" header_has "Title"

# _ widens the current column to its values, _ again narrows it back
keys g
poll header_has "Title"
keys Right
check "the current column is the one right of the first" header_has "Title"
keys _
check "_ widens the current column (Title) to its whole values" has "Senior Defense Official / Defense Attache"
check "... and says so" has "Title widened"
check "... the first column stays" header_has "Billet"
keys _
check "_ again takes it back to its width" lacks "Senior Defense Official / Defense Attache"
check "... cut as before" has "Senior Defense Official / Def…"

to_tab 4 "Authority"
check "Programs at 80x24: POC is past the edge" header_lacks "POC"
# - hides the current column, + shows it again (on Programs, whose title
# line has room for the count)
keys Right Right -
check "- hides the current column (Title, two right of the first)" header_lacks "Title"
check "... the title line counts it" title_has ", 1 hidden"
check "... the status line says how it comes back" has "+ shows"
keys +
check "+ shows the hidden column again" header_has "Title"
check "... and says so" has "1 column shown again"
check "... nothing hidden any more" title_lacks "hidden"
keys g h h h
poll header_has "Title"
if right_until "Value" "POC"; then
	ok "Right reaches Programs' Value and POC"
else
	not_ok "Right reaches Programs' Value and POC"
fi
check "... the first column (Authority) stays" header_has "Authority"
check "... the title says cols" title_has "cols "

to_tab 5 "Native name"
check "Contacts at 80x24: Phone is past the edge" header_lacks "Phone"
if right_until "Position" "Phone"; then
	ok "Right reaches Contacts' Position and Phone"
else
	not_ok "Right reaches Contacts' Position and Phone"
fi
check "... the first column (Last name) stays" header_has "Last name"
check "... the title says cols" title_has "cols "
keys h
check "h moves back a column (and the message goes)" lacks "no more columns"
keys l l
check "l past the last column says there is no more" has "no more columns to the right"

to_tab 3 "Course"
check "no date is cut on Staff training" no_cut_date
right_until "Notes" >/dev/null
check "... nor once scrolled" no_cut_date
keys Q

# ---- 200x50 ----------------------------------------------------------------
start 200 50
check "opens at 200x50" has "1 Dashboard"
check "at 200 columns the alert detail cut at 80 shows whole" \
	has "Share English test results with the General Staff J7"
to_tab 2 "Auth. grade"
check "at 200 columns the billet title cut at 80 shows whole" has "Senior Defense Official / Defense Attache"
check "... every Billets column fits" header_has "Gap"
check "... so the title line claims no scrolled columns" title_lacks "cols"
to_tab 5 "Native name"
check "at 200 columns Contacts' Phone is on screen" header_has "Phone"
check "... the organization cut at 80 shows whole" has "General Staff J3 (Operations)"
keys Q

echo "1..$n"
[ $failed -eq 0 ]
