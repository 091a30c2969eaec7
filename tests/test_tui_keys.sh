#!/bin/sh
# test_tui_keys.sh SCODESK: the filter's prompt and the search through a
# real terminal, at 80x24 and at 200x50: f opens with the current filter
# to edit (each key filters again, on a long list too; Esc leaves the
# filter as it was), and /, n, N wrap at the ends of the list, saying so,
# or say "not found". A private tmux server, keys sent with send-keys, the
# screen read with capture-pane, every wait a poll (tests/tmux.sh). TAP.
set -u
bin=$1
name=keys
. "$(dirname "$0")/tmux.sh"

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
q() { sqlite3 "$1" "$2"; }
# A second person whose name holds "Whi" but not "Whit": "Whi" filters
# the roster to two, "Whit" to one (Whitaker). Last by name but Whitaker.
q "$db" "INSERT INTO personnel (last_name, first_name, service, created_at, updated_at, version)
 VALUES ('Whipple', 'Nora', 'navy', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1)"
people=$(q "$db" "SELECT count(*) FROM personnel WHERE deleted_at IS NULL")
[ "$(q "$db" "SELECT count(*) FROM personnel WHERE deleted_at IS NULL AND last_name LIKE 'Whi%'")" = 2 ] ||
	{ echo "Bail out! the demo roster has not one Whitaker"; exit 1; }
alerts=$(SCODESK_TODAY=2026-11-25 "$bin" --db "$db" alerts | tail -n 1 | cut -d ' ' -f 1)

# A long list (more than 20,000 contacts: a filter from its third
# character, or on Enter).
long="$dir/long.db"
"$bin" --db "$long" init >/dev/null
q "$long" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20050)
INSERT INTO contacts (last_name, created_at, updated_at, version)
SELECT printf('Contact%05d', i), '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1 FROM c"

# start DB WIDTH HEIGHT: scodesk on DB in a new session of that size
start() {
	fresh_server
	w=$2 h=$3
	$T new-session -d -s a -x "$w" -y "$h" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $1; $T wait-for -S done"
	$T set-option -g remain-on-exit off >/dev/null
}
# line_has N DESCRIPTION TEXT: line N of the screen comes to hold TEXT
line_has() {
	i=0
	while [ $i -lt 500 ]; do
		screen | sed -n "$1p" | grep -qF -- "$3" && { ok "$2"; return; }
		sleep 0.02
		i=$((i + 1))
	done
	not_ok "$2" "line $1 waited for: $3"
}
# line_is N DESCRIPTION TEXT: line N comes to be TEXT (trailing blanks aside)
line_is() {
	i=0
	while [ $i -lt 500 ]; do
		[ "$(screen | sed -n "$1p" | sed 's/ *$//')" = "$3" ] && { ok "$2"; return; }
		sleep 0.02
		i=$((i + 1))
	done
	not_ok "$2" "line $1 waited to be: $3"
}
# the title (line 2) and the status line (the last but one); a count on
# the title: "row 1 of 10" and no more digits
title_has() { line_has 2 "$@"; }
title_count() {
	i=0
	while [ $i -lt 500 ]; do
		screen | sed -n 2p | grep -qE -- "$2( |\$)" && { ok "$1"; return; }
		sleep 0.02
		i=$((i + 1))
	done
	not_ok "$1" "the title waited for: $2"
}
status_has() { line_has $((h - 1)) "$@"; }
status_is() { line_is $((h - 1)) "$@"; }
# the status line as it is now (read once, after a wait on the title)
status_now() { screen | sed -n "$((h - 1))p"; }

for size in 80x24 200x50; do
	S=$size
	start "$db" "${size%x*}" "${size#*x}"
	check "$S: opens" "1 Dashboard"
	keys 2 ]
	line_has 3 "$S: the personnel tab" "First name"

	# ---- f edits the filter there is ----------------------------------------
	keys f Whi Enter
	title_has "$S: f Whi Enter filters" 'filter "Whi"'
	title_has "$S: ... to the two names that hold it" "row 1 of 2 "
	keys j
	title_has "$S: the cursor on the second" "row 2 of 2 "
	keys f
	status_has "$S: f again opens with the filter in the prompt" "filter: Whi"
	keys t
	title_has "$S: t is added at its end: the filter Whit" 'filter "Whit"'
	title_has "$S: ... and the count follows: one" "row 1 of 1 "
	status_has "$S: ... the prompt holds Whit" "filter: Whit"
	keys BSpace
	title_has "$S: Backspace edits it: Whi again" 'filter "Whi"'
	title_has "$S: ... two again" "row 1 of 2 "
	keys t
	title_has "$S: Whit again" "row 1 of 1 "
	keys Escape
	title_has "$S: Esc leaves the filter as it was before f" 'filter "Whi"'
	title_has "$S: ... two rows, the cursor back on the second" "row 2 of 2 "
	case $(status_now) in *"filter:"*) not_ok "$S: ... and closes the prompt" "$(status_now)" ;;
	*) ok "$S: ... and closes the prompt" ;; esac
	keys f t Enter
	title_has "$S: f t Enter applies Whit" 'filter "Whit"'
	title_has "$S: ... one row" "row 1 of 1 "
	keys f C-u
	title_has "$S: Ctrl-U empties the prompt: every row" "row 1 of $people "
	keys Enter
	i=0
	while screen | sed -n 2p | grep -qF 'filter "' && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
	case $(screen | sed -n 2p) in *'filter "'*) not_ok "$S: ... and Enter: no filter" ;;
	*) ok "$S: ... and Enter: no filter" ;; esac

	# ---- search wraps, and says so -----------------------------------------
	# by last name: Brennan first, then ..., Whipple, Whitaker last
	keys G
	title_has "$S: G to the last person" "row $people of $people"
	keys / Brennan Enter
	title_has "$S: / from the last row wraps to the match on the first" "row 1 of $people "
	status_has "$S: ... and says so" "search wrapped to the top"
	keys N
	status_has "$S: N from the only match wraps to the bottom, back to it" "search wrapped to the bottom"
	title_has "$S: ... the cursor still on it" "row 1 of $people "
	keys / Whi Enter
	title_has "$S: / Whi finds Whipple below" "row $((people - 1)) of $people"
	case $(status_now) in *wrapped*) not_ok "$S: ... without wrapping" "$(status_now)" ;;
	*) ok "$S: ... without wrapping" ;; esac
	keys n
	title_has "$S: n finds Whitaker, the last" "row $people of $people"
	keys n
	title_has "$S: n past the end comes round to Whipple" "row $((people - 1)) of $people"
	status_has "$S: ... saying the search wrapped to the top" "search wrapped to the top"
	keys N
	title_has "$S: N past the first match goes round to Whitaker" "row $people of $people"
	status_has "$S: ... saying the search wrapped to the bottom" "search wrapped to the bottom"
	keys / Nowhere-at-all Enter
	status_has "$S: a search no row holds says not found" "not found: Nowhere-at-all"
	title_has "$S: ... and the cursor stays" "row $people of $people"
	# under a filter the source scans the rows shown: it wraps as well
	keys f navy Enter
	title_has "$S: filtered to the Navy" 'filter "navy"'
	keys G / Whipple Enter
	status_has "$S: under a filter too the search wraps" "search wrapped to the top"
	keys f C-u Enter

	# ---- on the dashboard (the alerts) ---------------------------------------
	keys 1 G
	title_has "$S: the last alert" "row $alerts of $alerts"
	keys / error Enter
	title_count "$S: / error from the last alert wraps to the first" "row 1 of $alerts"
	status_has "$S: ... and says so" "search wrapped to the top"
	keys / no-such-alert Enter
	status_has "$S: an alert search that finds nothing says so" "not found: no-such-alert"
	keys Q

	# ---- a long list: editing the filter filters at each key --------------------
	start "$long" "${size%x*}" "${size#*x}"
	check "$S long: opens" "1 Dashboard"
	keys 5
	title_has "$S long: 20050 contacts" "of 20050"
	keys f tact0200 Enter
	title_has "$S long: a filter of eight characters" "row 1 of 10 "
	keys f
	status_has "$S long: f shows it in the prompt" "filter: tact0200"
	keys BSpace
	title_has "$S long: Backspace filters again: tact020" "row 1 of 100 "
	keys 1
	status_is "$S long: 1 is typed at its end" "filter: tact0201"
	title_has "$S long: ... and filters again: ten rows" "row 1 of 10 "
	line_has 4 "$S long: ... from Contact02010" "Contact02010"
	keys BSpace BSpace BSpace BSpace BSpace
	status_is "$S long: down to tac" "filter: tac"
	title_has "$S long: ... a filter still (every contact holds it)" "row 1 of 20050  sort Last name asc  filter"
	keys BSpace
	status_has "$S long: two characters wait, as for a new filter" "filter (3 characters, or Enter): ta"
	title_has "$S long: ... the list unfiltered meanwhile" "row 1 of 20050"
	keys Escape
	title_has "$S long: Esc puts back the filter from before f: ten rows" "row 1 of 10 "
	line_has 4 "$S long: ... from Contact02000" "Contact02000"
	keys Q
done

echo "1..$n"
[ "$failed" = 0 ]
