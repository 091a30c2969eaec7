#!/bin/sh
# test_tui_shown.sh SCODESK: lists filter and sort by what a column shows,
# not by what is stored, through a real terminal at 80x24 and at 200x50:
# a training record's computed status, a billet's incumbent, a program's
# action officer and an engagement's contacts by name, a filter of two
# words in two columns, a reference sorted by its name, a grade by
# seniority, an empty value last whichever way the sort goes. Every
# expected count and order is computed from the test's own database with
# sqlite3 (or with scodesk export --view), and each check is one the old
# behaviour (filter and sort on the stored ids, codes and strings) fails:
# the reason is given above each. A private tmux server, keys sent with
# send-keys, the screen read with capture-pane, every wait a poll
# (tests/tmux.sh). TAP.
set -u
bin=$1
name=shown
. "$(dirname "$0")/tmux.sh"

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! demo database"; exit 1; }
q() { sqlite3 "$db" "$1"; }
bail() { echo "Bail out! $1"; exit 1; }
ON_BOARD="p.deleted_at IS NULL AND p.status IN ('present', 'tdy', 'leave')"

# A person with no grade: the grade sort puts him last. Stored order (NULL
# first when ascending) would put him first; his name sorts first too, so
# no tie-break by name can carry him to the end.
q "INSERT INTO personnel (last_name, first_name, service, created_at, updated_at, version)
 VALUES ('Abbott', 'Hale', 'civilian', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1)"
people=$(q "SELECT count(*) FROM personnel WHERE deleted_at IS NULL")
billets=$(q "SELECT count(*) FROM billets WHERE deleted_at IS NULL")
staff=$(q "SELECT count(*) FROM staff_training WHERE deleted_at IS NULL")

# ---- what the checks expect, from the database ---------------------------------
# 1. "overdue" is a training record's computed status: no stored column holds
# it, so a filter on stored values finds nothing. The count is the export's.
[ "$(q "SELECT count(*) FROM staff_training WHERE deleted_at IS NULL AND
 (course_code || ifnull(due_date, '') || ifnull(completed_date, '') || ifnull(expires_date, '')
  || ifnull(notes, '')) LIKE '%overdue%'")" = 0 ] || bail "a stored training column holds overdue"
out=$(SCODESK_TODAY=2026-11-25 "$bin" --db "$db" export staff_training --view --filter overdue \
	-o "$dir/overdue.csv") || bail "export staff_training --view --filter overdue: $out"
overdue=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9][0-9]*\) rows$/\1/p')
[ -n "$overdue" ] && [ "$overdue" -gt 0 ] || bail "no overdue training in the demo: $out"

# 2. Whitaker is a billet's incumbent (a person on board in it), not in any
# of the billet's own columns.
whit_billet=$(q "SELECT billet_number FROM personnel p WHERE last_name = 'Whitaker' AND $ON_BOARD")
[ -n "$whit_billet" ] || bail "Whitaker holds no billet"
[ "$(q "SELECT count(*) FROM billets WHERE deleted_at IS NULL AND (billet_number || title || role
 || ifnull(authorized_grade, '') || ifnull(service, '') || ifnull(sc_code, '')) LIKE '%Whitaker%'")" = 0 ] ||
	bail "a billet's own columns hold Whitaker"

# 3. A program action officer's last name that no program's own text holds:
# the one with the most programs. The stored poc_person_id is a number.
poc=$(q "SELECT p.last_name FROM programs g JOIN personnel p ON p.id = g.poc_person_id
 WHERE g.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM programs x WHERE x.deleted_at IS NULL
  AND (coalesce(x.case_id, '') || ' ' || x.title || ' ' || coalesce(x.implementing_agency, '')
   || ' ' || coalesce(x.partner_org, '') || ' ' || coalesce(x.notes, '')) LIKE '%' || p.last_name || '%')
 GROUP BY p.last_name ORDER BY count(*) DESC, p.last_name LIMIT 1")
[ -n "$poc" ] || bail "no action officer's name is free of the programs' own text"
poc_n=$(q "SELECT count(*) FROM programs g JOIN personnel p ON p.id = g.poc_person_id
 WHERE g.deleted_at IS NULL AND p.last_name = '$poc'")
[ "$poc_n" -gt 0 ] || bail "no program of $poc"

# 4. Gorvatko is a contact: engagements hold it through engagement_contacts
# (shown as the Contacts column), and in their own text perhaps. More of
# them by the contacts than by their own text, or the old filter would pass.
eng_own="(ifnull(e.location, '') || ' ' || ifnull(e.us_participants, '') || ' ' || ifnull(e.objectives, '')
 || ' ' || ifnull(e.outcomes, '') || ' ' || ifnull(e.followup, '')) LIKE '%Gorvatko%'"
gorv=$(q "SELECT count(*) FROM engagements e WHERE e.deleted_at IS NULL AND ($eng_own
 OR EXISTS (SELECT 1 FROM engagement_contacts l JOIN contacts c ON c.id = l.contact_id
  WHERE l.engagement_id = e.id AND c.deleted_at IS NULL
   AND (c.last_name LIKE 'Gorvatko' OR c.first_name LIKE 'Gorvatko')))")
gorv_own=$(q "SELECT count(*) FROM engagements e WHERE e.deleted_at IS NULL AND $eng_own")
[ "$gorv" -gt "$gorv_own" ] || bail "Gorvatko's engagements: $gorv, by own text $gorv_own"

# 5. One student is Zhelyuk Radko; there are other Zhelyuks and other Radkos
# (one word alone does not give one row), and no column holds both words.
[ "$(q "SELECT count(*) FROM students WHERE deleted_at IS NULL AND last_name = 'Zhelyuk' AND first_name = 'Radko'")" = 1 ] &&
	[ "$(q "SELECT count(*) FROM students WHERE deleted_at IS NULL AND last_name = 'Zhelyuk'")" -gt 1 ] &&
	[ "$(q "SELECT count(*) FROM students WHERE deleted_at IS NULL AND first_name = 'Radko'")" -gt 1 ] ||
	bail "the demo's students are not one Zhelyuk Radko among other Zhelyuks and Radkos"

# 8. Vacant billets (nobody on board), and the incumbent last in name order.
vacant=$(q "SELECT count(*) FROM billets b WHERE b.deleted_at IS NULL AND NOT EXISTS
 (SELECT 1 FROM personnel p WHERE p.billet_number = b.billet_number AND $ON_BOARD)")
[ "$vacant" -gt 0 ] || bail "no vacant billet in the demo"
last_inc=$(q "SELECT p.last_name || ', ' || p.first_name FROM personnel p JOIN billets b
 ON b.billet_number = p.billet_number AND b.deleted_at IS NULL WHERE $ON_BOARD
 ORDER BY lower(p.last_name) DESC, lower(p.first_name) DESC LIMIT 1")

# ---- the terminal ------------------------------------------------------------
start() {
	fresh_server
	w=$1 h=$2
	$T new-session -d -s a -x "$w" -y "$h" \
		"env LANG=C.UTF-8 TERM=screen SCODESK_TODAY=2026-11-25 $bin --db $db"
}
# poll CMD...: the shell test CMD, every 20 ms until it holds, 10 s at most
poll() {
	i=0
	while [ $i -lt 500 ]; do
		"$@" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
title() { screen | sed -n 2p; }
header() { screen | sed -n 3p; }
title_re() { title | grep -qE -- "$1"; }
title_has() { title | grep -qF -- "$1"; }
header_has() { header | grep -qF -- "$1"; }
header_is_not() { [ "$(header)" != "$1" ]; }
# the title's count: "row 1 of 12" and no more digits
count_re() { echo "row $1 of $2( |\$)"; }

# to_tab SCREEN HEADER: that screen (its own title line, not another's that
# holds "2 " too), then its tabs until the column header holds HEADER.
to_tab() {
	keys "$1"
	poll title_re "^$1 " || return 1
	j=0
	while ! header_has "$2" && [ $j -lt 4 ]; do
		was=$(header)
		keys ]
		poll header_is_not "$was" || return 1
		j=$((j + 1))
	done
	header_has "$2"
}
goto() { if to_tab "$1" "$2"; then ok "$S: screen $1, the tab whose header holds $2"; else not_ok "$S: screen $1, the tab whose header holds $2"; fi; }

# the filter's prompt open on the status line ("filter: Whi")
prompt_open() { screen | sed -n "$((h - 1))p" | grep -q '^filter'; }
# filter_in TEXT: the title shows the filter TEXT, whole or (a narrow
# terminal) cut with an ellipsis, and the prompt is closed (Enter taken:
# each key filters again, so a count is only read after the last one)
filter_in() {
	t=$(title)
	case $t in *"filter \"$1\""*) ! prompt_open; return ;; esac
	p=${t#*filter \"}
	[ "$p" != "$t" ] || return 1
	case $p in *…) ;; *) return 1 ;; esac
	p=${p%…}
	case $1 in "$p"*) ! prompt_open ;; *) return 1 ;; esac
}
# filter TEXT: f, the prompt emptied, TEXT typed, Enter. From a list
# without a filter (unfilter first), so that the title's filter is this one.
filter() {
	keys f C-u
	$T send-keys $tgt -l -- "$1"
	keys Enter
	poll filter_in "$1" || not_ok "$S: the title shows the filter \"$1\""
}
no_filter() { ! title_has 'filter "' && ! prompt_open; }
unfilter() {
	keys f C-u Enter
	poll no_filter
}
# sort COLUMN LABEL: ":sort COLUMN", until the title says "sort LABEL asc"
sort_by() {
	keys :
	$T send-keys $tgt -l -- "sort $1"
	keys Enter
	poll title_has "sort $2 asc"
}
# snap TITLE-RE: the screen, once the title matches and two captures 20 ms
# apart are the same (the whole list drawn), in $shot
snap_same() {
	shot=$(screen)
	printf '%s\n' "$shot" | sed -n 2p | grep -qE -- "$1" || return 1
	sleep 0.02
	[ "$(screen)" = "$shot" ]
}
snap() { poll snap_same "$1"; }
# rows: the list's rows in $shot (lines 4 to the one above the key line)
rows() { printf '%s\n' "$shot" | sed -n "4,$((h - 2))p" | grep -v '^ *$'; }
# column LABEL: the values of that column in $shot's rows, one a line,
# blanks trimmed, an empty value as "(empty)" (a $(...) would drop
# empty lines at the end). Cut at the label's place
# in the header, up to the next label; the sort marks and the ellipsis
# (several bytes each) made one byte first, so that offsets are the same
# in bytes as on the screen (every other character there is ASCII).
column() {
	printf '%s\n' "$shot" | LC_ALL=C sed 's/▲/^/g; s/▼/^/g; s/…/~/g' |
		LC_ALL=C awk -v label="$1" -v last=$((h - 2)) '
		NR == 3 {
			s = index($0, " " label)
			if (!s) { print "no column " label; exit 1 }
			s++
			e = s + length(label)
			if (substr($0, e, 1) == "^") e++
			while (substr($0, e, 1) == " ") e++
			if (e > length($0)) e = 0
		}
		NR >= 4 && NR <= last && $0 !~ /^ *$/ {
			v = e ? substr($0, s, e - s) : substr($0, s)
			sub(/^ +/, "", v)
			sub(/ +$/, "", v)
			print (v == "" ? "(empty)" : v)
		}'
}
# visible N: how many of N rows a screen shows
visible() { if [ "$1" -lt $((h - 5)) ]; then echo "$1"; else echo $((h - 5)); fi; }

# rank GRADE per line: seniority, E-1..E-9 < W-1..W-5 < O-1..O-10 <
# GS-1..GS-15 < SES < FSN-1..FSN-13 < FP-1..FP-9 < CTR < anything else <
# empty
rank() {
	awk '{
		g = $0; n = g; p = g
		sub(/-[0-9]+$/, "", p); sub(/^[A-Z]+-/, "", n); n += 0
		if (g == "(empty)") r = 9999
		else if (g == "SES") r = 400
		else if (g == "CTR") r = 700
		else if (p == "E") r = n
		else if (p == "W") r = 100 + n
		else if (p == "O") r = 200 + n
		else if (p == "GS") r = 300 + n
		else if (p == "FSN") r = 500 + n
		else if (p == "FP") r = 600 + n
		else r = 800
		print r
	}'
}
# non_decreasing: the numbers on stdin never go down
non_decreasing() { awk 'NR > 1 && $1 < last { bad = 1 } { last = $1 } END { exit bad }'; }

for size in 80x24 200x50; do
	S=$size
	start "${size%x*}" "${size#*x}"
	poll title_has "1 Dashboard" && ok "$S: opens" || not_ok "$S: opens"

	# ---- 1. Training › Staff: the computed status ---------------------------
	# Old: no stored column holds "overdue": "Nothing matches the filter."
	goto 3 "Person"
	snap "^3 "
	if printf '%s\n' "$shot" | sed -n 2p | grep -qE '^3 Training +Staff +Students +Courses( |$)'; then
		ok "$S: the Training tabs in their order: Staff, Students, Courses"
	else
		not_ok "$S: the Training tabs in their order: Staff, Students, Courses"
	fi
	filter overdue
	if poll title_re "$(count_re 1 "$overdue")"; then
		ok "$S: Staff filtered by overdue: row 1 of $overdue, as export --view writes"
	else
		not_ok "$S: Staff filtered by overdue: row 1 of $overdue, as export --view writes"
	fi
	snap "$(count_re 1 "$overdue")"
	case $shot in *"Nothing matches"*) not_ok "$S: ... not \"Nothing matches\"" ;;
	*) ok "$S: ... not \"Nothing matches\"" ;; esac
	want=$(visible "$overdue")
	got=$(rows | wc -l)
	bad=$(rows | grep -vc overdue)
	if [ "$got" -eq "$want" ] && [ "$want" -gt 0 ] && [ "$bad" = 0 ]; then
		ok "$S: ... $got rows on screen, every one overdue"
	else
		not_ok "$S: ... $want rows on screen, every one overdue" "$got rows, $bad not overdue"
	fi
	unfilter

	# ---- 6. Training › Staff sorted by Person: by name -------------------------
	# Old: by person_id (Whitaker, id 1, first): not alphabetical, and the
	# order sqlite3 gives by id, which the second check rules out.
	sort_by person_id Person
	keys g
	snap "sort Person asc" && snap "$(count_re 1 "$staff")"
	names=$(column Person)
	k6=$(printf '%s\n' "$names" | wc -l)
	byid=$(q "SELECT p.last_name || ' ' || p.first_name FROM staff_training s
	 JOIN personnel p ON p.id = s.person_id WHERE s.deleted_at IS NULL
	 ORDER BY s.person_id, s.id LIMIT $k6")
	[ "$k6" -eq "$(visible "$staff")" ] && [ -n "$names" ] &&
		[ "$names" = "$(printf '%s\n' "$names" | LC_ALL=C sort -f)" ] &&
		ok "$S: :sort person_id: the first screen's $k6 names in alphabetical order" ||
		not_ok "$S: :sort person_id: the first screen's names in alphabetical order" "$names"
	if [ "$byid" = "$(printf '%s\n' "$byid" | LC_ALL=C sort -f)" ]; then
		not_ok "$S: ... (the by-id order must not be alphabetical for this check to mean anything)" "$byid"
	elif [ "$names" = "$byid" ]; then
		not_ok "$S: ... not the order of the person ids" "$names"
	else
		ok "$S: ... not the order of the person ids (which is not alphabetical)"
	fi

	# ---- 5. Training › Students: two words, two columns --------------------------
	# Old: the whole string "Zhelyuk Radko" in one column: nothing.
	goto 3 "Report"
	for f in "Zhelyuk Radko" "Radko Zhelyuk"; do
		filter "$f"
		if poll title_re "$(count_re 1 1)"; then
			ok "$S: Students filtered by \"$f\": row 1 of 1"
		else
			not_ok "$S: Students filtered by \"$f\": row 1 of 1"
		fi
		snap "$(count_re 1 1)"
		if [ "$(column "Last name")" = Zhelyuk ] && [ "$(column "First name")" = Radko ]; then
			ok "$S: ... Zhelyuk Radko"
		else
			not_ok "$S: ... Zhelyuk Radko"
		fi
		unfilter
	done

	# ---- 2. Roster › Billets: the incumbent ----------------------------------------
	# Old: no billet column holds Whitaker: nothing.
	goto 2 "Auth. grade"
	filter Whitaker
	if poll title_re "$(count_re 1 1)"; then
		ok "$S: Billets filtered by Whitaker: row 1 of 1"
	else
		not_ok "$S: Billets filtered by Whitaker: row 1 of 1"
	fi
	snap "$(count_re 1 1)"
	if [ "$(column Billet)" = "$whit_billet" ] && [ "$(column Incumbent)" = "Whitaker, Daniel" ]; then
		ok "$S: ... his billet, $whit_billet"
	else
		not_ok "$S: ... his billet, $whit_billet"
	fi
	unfilter

	# ---- 8. Roster › Billets sorted by Incumbent: vacant last both ways -------------
	# Old: the incumbent's value as it comes, NULL first when ascending: the
	# vacant billets at the top.
	sort_by incumbent Incumbent
	keys G
	snap "sort Incumbent asc" && snap "$(count_re "$billets" "$billets")"
	asc_end=$(column Incumbent | tail -n $((vacant + 1)))
	asc_ok=no
	[ "$(printf '%s\n' "$asc_end" | head -n 1)" != "(empty)" ] &&
		[ "$(printf '%s\n' "$asc_end" | sed 1d | grep -vc '^(empty)$')" = 0 ] &&
		[ "$(printf '%s\n' "$asc_end" | wc -l)" = $((vacant + 1)) ] && asc_ok=yes
	if [ $asc_ok = yes ]; then
		ok "$S: :sort incumbent: the $vacant vacant billets are the last rows"
	else
		not_ok "$S: :sort incumbent: the $vacant vacant billets are the last rows" "$asc_end"
	fi
	keys g
	snap "$(count_re 1 "$billets")"
	inc=$(column Incumbent | grep -v '^(empty)$')
	[ -n "$inc" ] && [ "$inc" = "$(printf '%s\n' "$inc" | LC_ALL=C sort -f)" ] &&
		ok "$S: ... the others from the first in name order" ||
		not_ok "$S: ... the others from the first in name order" "$inc"
	keys r
	poll title_has "sort Incumbent desc"
	keys G
	snap "sort Incumbent desc" && snap "$(count_re "$billets" "$billets")"
	desc_end=$(column Incumbent | tail -n $((vacant + 1)))
	keys g
	snap "$(count_re 1 "$billets")"
	first=$(column Incumbent | head -n 1)
	# Reversed, the vacant billets are still last, and the first row is the
	# name last in name order. (SQLite's NULLs would come last descending
	# anyway: this half holds under the old sort too; the assertion is
	# together with the ascending half, which the old sort fails.)
	if [ $asc_ok = yes ] && [ "$(printf '%s\n' "$desc_end" | head -n 1)" != "(empty)" ] &&
		[ "$(printf '%s\n' "$desc_end" | sed 1d | grep -vc '^(empty)$')" = 0 ] &&
		[ "$(printf '%s\n' "$desc_end" | wc -l)" = $((vacant + 1)) ] && [ "$first" = "$last_inc" ]; then
		ok "$S: r: descending the vacant billets are last still, first is $last_inc"
	else
		not_ok "$S: r: descending the vacant billets are last still, first is $last_inc" \
			"first: $first; last rows: $desc_end"
	fi

	# ---- 7. Roster › Personnel sorted by Grade: seniority ---------------------------
	# Old: string order (CTR, E-7, E-8, FSN-10, FSN-5, ..., GS-11, O-3, ...)
	# and the empty grade first: neither non-decreasing in seniority nor
	# different from string order, nor empty last.
	goto 2 "Last name"
	sort_by grade Grade
	keys g
	snap "sort Grade asc" && snap "$(count_re 1 "$people")"
	grades=$(column Grade)
	if [ "$(printf '%s\n' "$grades" | wc -l)" -eq "$(visible "$people")" ] &&
		printf '%s\n' "$grades" | rank | non_decreasing; then
		ok "$S: :sort grade: the first screen by seniority"
	else
		not_ok "$S: :sort grade: the first screen by seniority" "$grades"
	fi
	if [ "$grades" != "$(printf '%s\n' "$grades" | LC_ALL=C sort)" ]; then
		ok "$S: ... which is not their string order"
	else
		not_ok "$S: ... which is not their string order" "$grades"
	fi
	keys G
	snap "$(count_re "$people" "$people")"
	grades=$(column Grade)
	if printf '%s\n' "$grades" | rank | non_decreasing &&
		[ "$(printf '%s\n' "$grades" | tail -n 1)" = "(empty)" ] &&
		[ "$(printf '%s\n' "$grades" | grep -c '^(empty)$')" = 1 ]; then
		ok "$S: ... down to the last row, the one with no grade"
	else
		not_ok "$S: ... down to the last row, the one with no grade" "$grades"
	fi

	# ---- 3. Programs: the action officer's name ------------------------------------
	# Old: poc_person_id is a number, and no program's own text holds the
	# name: nothing.
	keys 4
	poll title_re "^4 " && ok "$S: screen 4" || not_ok "$S: screen 4"
	filter "$poc"
	if poll title_re "$(count_re 1 "$poc_n")"; then
		ok "$S: Programs filtered by $poc: row 1 of $poc_n, the programs $poc is the POC of"
	else
		not_ok "$S: Programs filtered by $poc: row 1 of $poc_n, the programs $poc is the POC of"
	fi
	unfilter

	# ---- 4. Contacts › Engagements: the contacts by name ----------------------------
	# Old: the engagement's own text only: $gorv_own rows, not $gorv.
	goto 5 "Follow-up due"
	if title_re '^5 Contacts +Contacts +Engagements( |$)'; then
		ok "$S: the Contacts tabs: Contacts, Engagements"
	else
		not_ok "$S: the Contacts tabs: Contacts, Engagements"
	fi
	filter Gorvatko
	if poll title_re "$(count_re 1 "$gorv")"; then
		ok "$S: Engagements filtered by Gorvatko: row 1 of $gorv (own text: $gorv_own)"
	else
		not_ok "$S: Engagements filtered by Gorvatko: row 1 of $gorv (own text: $gorv_own)"
	fi
	unfilter
	keys Q
done

echo "1..$n"
[ "$failed" = 0 ]
