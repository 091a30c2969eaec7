#!/bin/sh
# test_csv.sh SCODESK: export, report and import as a user runs them:
# exit codes, messages, files read back by a second, independent CSV
# reader (Python's csv module), refused imports that leave the database
# as it was, files that cannot be written. TAP output.
set -u
bin=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-csv-XXXXXX")
trap 'rm -rf "$dir"' EXIT
export SCODESK_DB="$dir/unused.db"
. "$(dirname "$0")/tap.sh"
check() { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

sum() { sqlite3 "$1" .dump | cksum; }

# pyread FILE HEADER ROWS: Python's csv module reads FILE (BOM and marking
# lines around it) and finds exactly that header and that many rows, each
# as wide as the header.
pyread() {
	python3 - "$@" <<'EOF'
import csv, sys
path, header, rows = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
with open(path, newline="", encoding="utf-8-sig") as f:
    data = list(csv.reader(f, strict=True))
assert data[0] == ["CUI"] and data[-1] == ["CUI"], "marking lines"
assert data[1] == header, "header %r" % data[1]
body = data[2:-1]
assert len(body) == rows, "%d rows, wanted %d" % (len(body), rows)
assert all(len(r) == len(header) for r in body), "a ragged row"
EOF
}

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! no demo database"; exit 1; }
count() { sqlite3 "$db" "select count(*) from $1 ${2:-}"; }

# ---- export and the round trip ---------------------------------------------
tables="settings billets personnel languages courses staff_training students programs contacts engagements"
new="$dir/new.db"
"$bin" --db "$new" init >/dev/null
rt_ok=1
for t in $tables audit_log; do
	out=$("$bin" --db "$db" export "$t" -o "$dir/$t.csv" 2>&1) || { rt_ok=0; echo "# export $t: $out"; }
done
expect 0 "export prints what it wrote" "billets.csv: 18 rows" -- --db "$db" export billets -o "$dir/billets.csv"
for t in $tables; do
	out=$("$bin" --db "$new" import "$t" "$dir/$t.csv" 2>&1) || { rt_ok=0; echo "# import $t: $out"; }
	"$bin" --db "$new" export "$t" -o "$dir/$t.again.csv" >/dev/null 2>&1 &&
		cmp -s "$dir/$t.csv" "$dir/$t.again.csv" || { rt_ok=0; echo "# $t changed in the round trip"; }
done
[ $rt_ok = 1 ] && ok "every table exports, imports into an empty database and exports the same bytes" ||
	not_ok "every table exports, imports into an empty database and exports the same bytes"
expect 0 "importing the same file again changes nothing" "18 rows: 0 added, 0 updated, 18 unchanged" -- --db "$new" import billets "$dir/billets.csv"

# ---- a file as LibreOffice Calc saves it -------------------------------------
# calcsave IN OUT DELIM QUOTING [drop-guard]: writes IN (an export, read by
# Python's csv module) as Calc saves a CSV file it opened: the marking's
# row padded with empty fields to the sheet's width, at the top and the
# bottom; DELIM between fields; CRLF (Calc on Windows); no byte order
# mark. QUOTING "text": every text cell quoted (Calc's "Quote all text
# cells"), numbers and dates not; "needed": only a cell holding DELIM, a
# quote or a line break. Calc's CSV import enters a cell that starts with
# an apostrophe literally, apostrophe and all, so the guard comes back as
# it went; drop-guard takes it off, as a person who retypes such a cell in
# Calc gets it (there an apostrophe typed first only says "text").
calcsave() {
	python3 - "$@" <<'EOF'
import csv, re, sys
src, dst, delim, quoting = sys.argv[1:5]
drop = len(sys.argv) > 5
with open(src, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f, strict=True))
width = len(rows[1])
assert len(rows[0]) == 1 and rows[0] == rows[-1], "marking lines"
number = re.compile(r"-?[0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2}")
def cell(v):
    if drop and len(v) > 1 and v[0] == "'" and v[1] in "=+-@\t\r":
        v = v[1:]
    if v == "":
        return ""
    if (quoting == "text" and not number.fullmatch(v)) or any(c in v for c in (delim, '"', "\r", "\n")):
        return '"' + v.replace('"', '""') + '"'
    return v
with open(dst, "w", newline="", encoding="utf-8") as f:
    for r in rows:
        f.write(delim.join(cell(v) for v in r + [""] * (width - len(r))) + "\r\n")
EOF
}
# The demo office, one contact's notes a formula as typed into scodesk.
calc="$dir/calc"
mkdir "$calc"
"$bin" --db "$calc/office.db" demo >/dev/null
printf 'id,notes\r\n1,=1+1\r\n' | "$bin" --db "$calc/office.db" import contacts - >/dev/null 2>&1
for t in $tables; do
	"$bin" --db "$calc/office.db" export "$t" -o "$calc/$t.csv" >/dev/null 2>&1
done
for variant in "comma , text" "semicolon ; needed" "retyped ; needed drop-guard"; do
	set -- $variant
	name=$1 delim=$2 quoting=$3 drop=${4:-}
	"$bin" --db "$calc/$name.db" init >/dev/null
	calc_ok=1
	for t in $tables; do
		calcsave "$calc/$t.csv" "$calc/$t.$name.csv" "$delim" "$quoting" $drop
		out=$("$bin" --db "$calc/$name.db" import "$t" "$calc/$t.$name.csv" 2>&1) ||
			{ calc_ok=0; echo "# $name: import $t: $out"; }
		"$bin" --db "$calc/$name.db" export "$t" -o "$calc/$t.$name.again.csv" >/dev/null 2>&1 &&
			cmp -s "$calc/$t.csv" "$calc/$t.$name.again.csv" || { calc_ok=0; echo "# $name: $t changed"; }
	done
	desc="every table saved by Calc ($name: '$delim', quoted: $quoting${drop:+, guard dropped}) imports into an empty database and exports as before"
	[ $calc_ok = 1 ] && ok "$desc" || not_ok "$desc" "$(head -n 2 "$calc/billets.$name.csv")"
done
cr=$(printf '\r')
head -n 1 "$calc/contacts.comma.csv" | grep -q "^\"CUI\",,*$cr\$" &&
	head -n 1 "$calc/contacts.semicolon.csv" | grep -q "^CUI;;*$cr\$" &&
	tail -n 1 "$calc/contacts.semicolon.csv" | grep -q "^CUI;;*$cr\$" &&
	ok "... their marking lines were padded: \"CUI\",,,, and CUI;;;;" ||
	not_ok "... their marking lines were padded" "$(head -n 1 "$calc/contacts.comma.csv")"
# The formula came back unguarded in the retyped file; it is stored as the
# text it was (nothing evaluates it) and goes out guarded again.
stored=$(sqlite3 "$calc/retyped.db" "select typeof(notes) || ' ' || notes from contacts where id = 1")
if python3 - "$calc/contacts.retyped.csv" "$calc/contacts.retyped.again.csv" 2>"$dir/py" <<'EOF'
import csv, sys
def notes(path, delim):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=delim, strict=True))
    i = rows[1].index("notes")
    return [r[i] for r in rows[2:-1] if r[0] == "1"][0]
assert notes(sys.argv[1], ";") == "=1+1", "the Calc file: %r" % notes(sys.argv[1], ";")
assert notes(sys.argv[2], ",") == "'=1+1", "the export: %r" % notes(sys.argv[2], ",")
EOF
then
	[ "$stored" = "text =1+1" ] && ok "an unguarded =1+1 from Calc is stored as text and exported guarded ('=1+1)" ||
		not_ok "an unguarded =1+1 from Calc is stored as text and exported guarded ('=1+1)" "stored: $stored"
else
	not_ok "an unguarded =1+1 from Calc is stored as text and exported guarded ('=1+1)" "$(cat "$dir/py")"
fi
# A marking with a semicolon, before a comma file's header: the header
# decides the delimiter, not the first line that has one.
"$bin" --db "$db" export billets --marking 'CUI//SP-PRVCY; FEDCON' -o "$dir/semimark.csv" >/dev/null
"$bin" --db "$calc/semimark.db" init >/dev/null
expect 0 "a marking holding ';' does not make a comma file semicolon-separated" "18 rows: 18 added" -- --db "$calc/semimark.db" import billets "$dir/semimark.csv"

"$bin" --db "$db" export billets -o - >"$dir/stdout.csv" 2>"$dir/stderr"
check "-o - writes the same bytes to standard output, nothing else" cmp -s "$dir/stdout.csv" "$dir/billets.csv"
check "... and nothing on standard error" test ! -s "$dir/stderr"
head -c 3 "$dir/billets.csv" | od -An -tx1 | grep -q 'ef bb bf' && ok "a byte order mark by default" || not_ok "a byte order mark by default"
"$bin" --db "$db" export billets --no-bom --marking none -o "$dir/bare.csv" >/dev/null
head -n 1 "$dir/bare.csv" | grep -q '^id,billet_number,title,' && ok "--no-bom --marking none: the header comes first" || not_ok "--no-bom --marking none: the header comes first" "$(head -n 1 "$dir/bare.csv")"
"$bin" --db "$db" export courses --marking 'CUI//SP-PRVCY' -o "$dir/marked.csv" >/dev/null
[ "$(tail -n 1 "$dir/marked.csv")" = "$(printf 'CUI//SP-PRVCY\r')" ] && ok "--marking TEXT on the last line" || not_ok "--marking TEXT on the last line"
(cd "$dir" && "$bin" --db "$db" export courses >/dev/null)
check "without -o the file is named TABLE-DATE.csv" test -f "$dir/courses-2026-11-25.csv"

allcols=$(sqlite3 "$db" "select group_concat(name, ',') from pragma_table_info('billets')")
pyread "$dir/billets.csv" "$allcols" "$(count billets)" 2>"$dir/py" && ok "Python's csv module reads the billets export" || not_ok "Python's csv module reads the billets export" "$(cat "$dir/py")"
ecols="id,date,type,location,contact_ids,us_participants,program_id,objectives,outcomes,followup,followup_due,followup_done,created_at,updated_at,version,deleted_at"
pyread "$dir/engagements.csv" "$ecols" "$(count engagements)" 2>"$dir/py" && ok "... and the engagements export, contact_ids in place of the link table" || not_ok "... and the engagements export" "$(cat "$dir/py")"

# A filter and a sort give the list as the interface shows it.
"$bin" --db "$db" export billets --filter ODC-1 --sort billet_number --desc --no-bom --marking none -o "$dir/f.csv" >/dev/null
first=$(sed -n 2p "$dir/f.csv" | cut -d, -f2)
lines=$(wc -l <"$dir/f.csv")
[ "$first" = ODC-18 ] && [ "$lines" = 10 ] && ok "--filter, --sort, --desc" || not_ok "--filter, --sort, --desc" "first $first, $lines lines"

# ---- reports --------------------------------------------------------------
# The reports and their columns as the command line lists them (from
# their one description): every report is read back with that header.
reports=$("$bin" report | cut -d' ' -f1)
[ "$(printf '%s\n' "$reports" | wc -l)" -ge 6 ] && printf '%s\n' "$reports" | grep -qx manning &&
	ok "scodesk report lists the reports" || not_ok "scodesk report lists the reports" "$reports"
columns() { "$bin" report "$1" --columns | cut -d' ' -f1 | paste -sd, -; }
report() {
	name=$1 rows=$2
	out=$("$bin" --db "$db" report "$name" -o "$dir/$name.csv" 2>&1)
	if [ $? != 0 ]; then
		not_ok "report $name" "$out"
		return
	fi
	said=$(printf '%s' "$out" | sed -n 's/.*: \([0-9]*\) rows*$/\1/p')
	[ -n "$rows" ] || rows=$said
	if pyread "$dir/$name.csv" "$(columns "$name")" "$rows" 2>"$dir/py"; then
		ok "report $name: read back with the header and $rows rows"
	else
		not_ok "report $name: read back with the header and $rows rows" "$(cat "$dir/py")"
	fi
}
year="date between '2025-11-26' and '2026-11-25'"
for r in $reports; do
	case $r in
	manning) report manning "$(count billets 'where deleted_at is null')" ;;
	training-status) report training-status "$(sqlite3 "$db" 'select count(*) from staff_training s join personnel p on p.id = s.person_id where s.deleted_at is null and p.deleted_at is null')" ;;
	student-pipeline) report student-pipeline "$(count students 'where deleted_at is null')" ;;
	program-status) report program-status "$(count programs 'where deleted_at is null')" ;;
	engagements) report engagements "$(count engagements "where deleted_at is null and $year")" ;;
	alerts) report alerts "$("$bin" --db "$db" alerts | tail -n 1 | cut -d' ' -f1)" ;;
	*) report "$r" "" ;;
	esac
done

# pycheck DESCRIPTION ARGS... <SCRIPT: Python's csv module reads report
# files (read(path): the header and the rows as dicts, the marking lines
# and the byte order mark checked and gone), then SCRIPT asserts.
cat >"$dir/read.py" <<'PY'
import csv, re, sys
def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        data = list(csv.reader(f, strict=True))
    assert data[0] == data[-1] == ["CUI"], "marking lines in %s" % path
    return data[1], [dict(zip(data[1], r)) for r in data[2:-1]]
PY
pycheck() {
	desc=$1
	shift
	{ cat "$dir/read.py"; cat; } >"$dir/check.py"
	if python3 "$dir/check.py" "$@" >"$dir/py" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc" "$(cat "$dir/py")"
	fi
}

# Every row says where and when it is from: country, office, as_of first
# (the range reports: from and to too), the settings' values and today.
country=$(sqlite3 "$db" "select value from settings where key = 'country'")
office=$(sqlite3 "$db" "select value from settings where key = 'office_name'")
files=""
for r in $reports; do files="$files $dir/$r.csv"; done
pycheck "every report's rows begin with country, office, as_of (range reports: from, to)" \
	"$country" "$office" $files <<'PY'
country, office = sys.argv[1], sys.argv[2]
assert country and office
assert len(sys.argv[3:]) >= 6, sys.argv[3:]
for path in sys.argv[3:]:
    header, rows = read(path)
    assert header[:3] == ["country", "office", "as_of"], (path, header[:5])
    ranged = path.endswith(("/engagements.csv", "/eum-checks.csv"))
    assert (header[3:5] == ["from", "to"]) == ranged, (path, header[:5])
    assert rows, path
    for r in rows:
        assert (r["country"], r["office"], r["as_of"]) == (country, office, "2026-11-25"), (path, r)
        if ranged:
            assert (r["from"], r["to"]) == ("2025-11-26", "2026-11-25"), (path, r)
PY

# Two offices' manning reports, one put under the other as a command's
# staff does: each row still says which office it came from.
other="$dir/other.db"
"$bin" --db "$other" demo >/dev/null
printf 'key,value\r\noffice_name,"Office of Military Cooperation, U.S. Embassy Testburg"\r\ncountry,Republic of Testland\r\n' >"$dir/other-settings.csv"
"$bin" --db "$other" import settings "$dir/other-settings.csv" >/dev/null
"$bin" --db "$other" report manning -o "$dir/other-manning.csv" >/dev/null
pycheck "two offices' manning reports concatenated: every row says where it came from" \
	"$dir/manning.csv" "$dir/other-manning.csv" "$(count billets 'where deleted_at is null')" \
	"$country" "$office" <<'PY'
(h1, a), (h2, b) = read(sys.argv[1]), read(sys.argv[2])
assert h1 == h2
offices = {}
for r in a + b:
    offices.setdefault((r["country"], r["office"]), []).append(r["billet_number"])
want = {(sys.argv[4], sys.argv[5]),
        ("Republic of Testland", "Office of Military Cooperation, U.S. Embassy Testburg")}
assert set(offices) == want, list(offices)
assert all(len(v) == int(sys.argv[3]) for v in offices.values()), {k: len(v) for k, v in offices.items()}
PY

# Values a reader understands: labels, yes/no, names; never a stored code.
pycheck "reports show labels (Air Force, TS/SCI, Supply complete), yes/no and names, not codes" \
	"$dir/manning.csv" "$dir/student-pipeline.csv" "$dir/program-status.csv" "$dir/engagements.csv" <<'PY'
code = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
def values(path, column):
    return {r[column] for r in read(path)[1]} - {""}
m, s, p, e = sys.argv[1:5]
assert "Air Force" in values(m, "service") and "air_force" not in values(m, "service")
assert "TS/SCI" in values(m, "clearance")
assert "Supply complete" in values(p, "status")
assert "Sec. 333" in values(p, "authority")
assert "KLE" in values(e, "type")
for path, cols in ((m, ["service", "required_cert_level", "cert_level", "clearance"]),
                   (s, ["program", "leahy_status", "security_vetting", "status"]),
                   (p, ["authority", "status"]), (e, ["type"])):
    for c in cols:
        assert not any(code.match(v) for v in values(path, c)), (path, c, values(path, c))
for path, c in ((s, "medical_cleared"), (e, "followup_done")):
    assert values(path, c) == {"yes", "no"}, (path, c, values(path, c))
assert all(re.match(r"^[^,]+, [^,]+$", v) for v in values(p, "poc")), values(p, "poc")
PY

# The columns added for the command, as the database holds them.
sqlite3 -csv "$db" "select s.last_name || ', ' || s.first_name, coalesce(s.course_title, ''), s.medical_cleared, coalesce(s.security_vetting, ''), coalesce(s.security_vetting_date, '') from students s where s.deleted_at is null" >"$dir/students.db.csv"
sqlite3 -csv "$db" "select coalesce(g.case_id, ''), g.title, coalesce(p.deros_date, '') from programs g left join personnel p on p.id = g.poc_person_id where g.deleted_at is null" >"$dir/programs.db.csv"
pycheck "student-pipeline: course_title, medical_cleared, security vetting; program-status: the action officer's DEROS" \
	"$dir/student-pipeline.csv" "$dir/students.db.csv" "$dir/program-status.csv" "$dir/programs.db.csv" <<'PY'
labels = {"": "", "not_submitted": "Not submitted", "pending": "Pending", "complete": "Complete",
          "derogatory": "Derogatory"}
with open(sys.argv[2], newline="") as f:
    want = sorted((n, t, "yes" if m == "1" else "no", labels[v], d) for n, t, m, v, d in csv.reader(f))
got = sorted((r["name"], r["course_title"], r["medical_cleared"], r["security_vetting"],
              r["security_vetting_date"]) for r in read(sys.argv[1])[1])
assert got == want, [x for x in zip(got, want) if x[0] != x[1]][:3]
assert any(x[1] for x in got) and any(x[3] for x in got) and any(x[4] for x in got)
with open(sys.argv[4], newline="") as f:
    want = sorted(tuple(r) for r in csv.reader(f))
got = sorted((r["case_id"], r["title"], r["action_officer_deros"]) for r in read(sys.argv[3])[1])
assert got == want, [x for x in zip(got, want) if x[0] != x[1]][:3]
assert any(x[2] for x in got)
PY

out=$("$bin" --db "$db" report engagements --from 2026-01-01 --to 2026-03-31 -o "$dir/q1.csv" 2>&1)
q1=$(sqlite3 "$db" "select count(*) from engagements where deleted_at is null and date between '2026-01-01' and '2026-03-31'")
pyread "$dir/q1.csv" "$(columns engagements)" "$q1" 2>"$dir/py" &&
	ok "report engagements --from --to: $q1 rows in the range" || not_ok "report engagements --from --to" "$out" "$(cat "$dir/py")"
pycheck "engagements without --from/--to: the 12 months up to today, every date inside" \
	"$dir/engagements.csv" "$(count engagements 'where deleted_at is null')" <<'PY'
header, rows = read(sys.argv[1])
assert rows and len(rows) < int(sys.argv[2]), (len(rows), sys.argv[2])
assert all("2025-11-26" <= r["date"] <= "2026-11-25" for r in rows)
PY

# ---- usage errors -----------------------------------------------------------
expect 2 "export of an unknown table is a usage error" "no table named 'nosuch'" -- --db "$db" export nosuch
expect 2 "an unknown report is a usage error" "no report named 'nosuch'" -- --db "$db" report nosuch
expect 2 "import needs a table and a file" "needs a table name and a file" -- --db "$db" import billets
expect 2 "the audit log cannot be imported" "audit_log is written by scodesk itself" -- --db "$db" import audit_log "$dir/audit_log.csv"
expect 2 "--from applies to the range reports only" "range reports only (engagements, eum-checks)" -- --db "$db" report manning --from 2026-01-01
expect 2 "report with an option but no name: a usage error naming the reports" "needs one report name (manning, " -- --db "$db" report -o "$dir/x.csv"
expect 2 "--columns needs a report" "needs one report name" -- report --columns
expect 2 "--from must be a date" "is not a date" -- --db "$db" report engagements --from 2026-02-30
expect 2 "--delimiter is ',' or ';'" "delimiter is" -- --db "$db" import billets x.csv --delimiter tab
expect 2 "an option of another command is a usage error" "unknown option --dry-run for 'export'" -- --db "$db" export billets --dry-run
expect 2 "-o needs a value" "-o needs a value" -- --db "$db" export billets -o
expect 2 "--sort must name a column" "cannot sort by 'colour'" -- --db "$db" export billets --sort colour

# ---- imports that are refused -----------------------------------------------
# refused DESCRIPTION PATTERN TABLE FILE [OPTIONS]: exit 1, the pattern in
# the messages, the database byte for byte as it was.
refused() {
	desc=$1 pattern=$2
	shift 2
	before=$(sum "$db")
	out=$("$bin" --db "$db" import "$@" 2>&1)
	rc=$?
	after=$(sum "$db")
	if [ $rc != 1 ]; then
		not_ok "$desc" "exit $rc" "$out"
	elif ! printf '%s\n' "$out" | grep -q -- "$pattern"; then
		not_ok "$desc" "no '$pattern' in:" "$out"
	elif [ "$before" != "$after" ]; then
		not_ok "$desc" "the database changed"
	else
		ok "$desc"
	fi
}
printf 'billet_number,title,role\r\nX-1,"Chief, ODC",chief\r\nX-2,Deputy,boss\r\n' >"$dir/enum.csv"
refused "a bad enumeration: FILE:LINE:COLUMN: field, value, reason" \
	"enum.csv:3:12: field \"role\": value \"boss\": not one of" billets "$dir/enum.csv"
printf 'billet_number,title,colour\r\nX,Y,Z\r\n' >"$dir/unknown.csv"
refused "an unknown column" "unknown.csv:1:21: field \"colour\": not a column of billets" billets "$dir/unknown.csv"
printf 'billet_number,title\r\nX,"never closed\r\n' >"$dir/quote.csv"
refused "an unterminated quote" "quote.csv:2:3: field \"title\": a quoted field that never ends" billets "$dir/quote.csv"
printf 'last_name,first_name,service,arrival_date\nA,B,army,2026-13-01\n' >"$dir/date.csv"
refused "a bad date (LF endings)" "date.csv:2:10: field \"arrival_date\": value \"2026-13-01\": not a date" personnel "$dir/date.csv"
printf 'last_name;first_name;status;leahy_status\r\nA;B;ito_issued;pending\r\n' >"$dir/vetting.csv"
refused "the vetting rule (semicolons detected)" "vetting.csv:2:5: field \"status\": value \"ito_issued\": Leahy vetting" students "$dir/vetting.csv"
printf 'last_name,first_name,status,leahy_status\r\nA,B,returned,pending\r\n' >"$dir/returned.csv"
refused "a student returned home was vetted too" "returned.csv:2:5: field \"status\": value \"returned\": Leahy vetting" students "$dir/returned.csv"
printf 'authority,title,status\r\nimet,IMET FY27,implemented\r\n' >"$dir/imet.csv"
refused "IMET is not a case: a case's status refused, naming line and field" \
	"imet.csv:2:16: field \"status\": value \"implemented\": imet is not a case" programs "$dir/imet.csv"
printf 'authority,case_id,title,implementing_agency,status\r\nfms,BN-B-ZZA,Radios,B,active\r\n' >"$dir/fms.csv"
refused "an FMS case is not Active" "fms.csv:2:[0-9]*: field \"status\": value \"active\": fms is a case" programs "$dir/fms.csv"
printf 'authority,title,status\r\ns345,Fellowships FY27,lor_received\r\ns345,Fellowships FY28,active\r\n' >"$dir/s345.csv"
expect 0 "a program that is not a case imports with its own statuses" "2 added" -- --db "$db" import programs "$dir/s345.csv"
[ "$(sqlite3 "$db" "SELECT group_concat(status, ' ') FROM (SELECT status FROM programs WHERE title LIKE 'Fellowships FY2%' ORDER BY title)")" = "planned active" ] &&
	ok "... the default LOR received stored as Planned" || not_ok "... the default LOR received stored as Planned"
printf 'CUI\r\nid;last_name,first_name\r\n1;A,B\r\n' >"$dir/either.csv"
refused "a header that splits as well on ',' as on ';': FILE:LINE and what to do" \
	"either.csv:2:1: cannot tell whether the fields are separated by commas or by semicolons.*--delimiter" personnel "$dir/either.csv"
printf 'person_id,language\r\n4242,French\r\n' >"$dir/fk.csv"
refused "a reference to nothing" "fk.csv:2:1: field \"person_id\": value \"4242\": no such person" languages "$dir/fk.csv"
printf 'billet_number,title\r\nX,caf\351\r\n' >"$dir/latin1.csv"
refused "invalid UTF-8" "latin1.csv:2:3: field \"title\": value \"caf\\\\xE9\": not valid UTF-8" billets "$dir/latin1.csv"
# a megabyte of random bytes, the same ones every run (a random first
# line could otherwise parse, and the message move to line 2)
python3 -c 'import random, sys; r = random.Random(6); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(1048576)))' >"$dir/garbage.bin"
refused "binary garbage" "garbage.bin:1:" billets "$dir/garbage.bin"
truncate -s 200M "$dir/big.csv"
refused "a 200 MB file of nothing: a message" "big.csv:1:1: field \"#1\"" billets "$dir/big.csv"
rm -f "$dir/big.csv"
{
	echo "billet_number,title,role"
	i=0
	while [ $i -lt 30 ]; do echo "B$i,T,boss"; i=$((i + 1)); done
} >"$dir/many.csv"
out=$("$bin" --db "$db" import billets "$dir/many.csv" 2>&1)
shown=$(printf '%s\n' "$out" | grep -c 'many.csv:[0-9]*:[0-9]*: ')
printf '%s\n' "$out" | grep -q "10 more problems not shown" && [ "$shown" = 20 ] &&
	printf '%s\n' "$out" | grep -q "30 problems; nothing was imported" &&
	ok "the first 20 problems, then a count" || not_ok "the first 20 problems, then a count" "$out"
refused "a read-only database" "read-only" billets "$dir/enum.csv" --read-only
printf 'billet_number,title\r\nODC-77,Seventy-seven\r\n' >"$dir/one.csv"
before=$(sum "$db")
expect 0 "--dry-run: 1 would be added" "1 would be added, 0 updated, 0 unchanged; nothing was written" -- --db "$db" import billets "$dir/one.csv" --dry-run
[ "$before" = "$(sum "$db")" ] && ok "... and nothing was written" || not_ok "... and nothing was written"
before=$(sum "$db")
expect 0 "--dry-run checks against a database opened read-only too" "1 would be added, 0 updated, 0 unchanged; nothing was written" -- --db "$db" import billets "$dir/one.csv" --dry-run --read-only
[ "$before" = "$(sum "$db")" ] && ok "... and writes nothing to it" || not_ok "... and writes nothing to it"
out=$(printf 'billet_number;title\nODC-78;"Seventy; eight"\n' | "$bin" --db "$db" import billets - --delimiter ';' 2>&1)
[ "$(sqlite3 "$db" "select title from billets where billet_number = 'ODC-78'")" = "Seventy; eight" ] &&
	ok "import from standard input with --delimiter ';'" || not_ok "import from standard input with --delimiter ';'" "$out"

# ---- imports that must not slip past a rule or undo a colleague's change -----
# Two rows for one student: the first approves the vetting and issues the
# travel order, the second takes the approval back; each passes alone.
sid=$(sqlite3 "$db" "select id from students where status in ('nominated', 'screened', 'vetted') and leahy_status <> 'approved' and deleted_at is null order by id limit 1")
printf 'id,leahy_status,security_vetting,status\r\n%s,approved,complete,ito_issued\r\n%s,denied,complete,ito_issued\r\n' "$sid" "$sid" >"$dir/chain.csv"
refused "two rows for one record cannot chain past the vetting rule" \
	"chain.csv:3:1: field \"status\": value \"ito_issued\": Leahy vetting is \"denied\", not approved (student $sid as lines 2 and 3 of the file leave it)" \
	students "$dir/chain.csv"

# ---- the rules of issue 13, each through an import ------------------------------
# (scodesk has no add or set command: import is how the command line
# writes, so these are the command-line tests of the rules as well.)
# A student: Vetted and every later status needs the Leahy vetting approved.
printf 'last_name,first_name,status,leahy_status\r\nAnev,Boris,vetted,denied\r\n' >"$dir/vetted.csv"
refused "Vetted needs the Leahy vetting approved" \
	"vetted.csv:2:12: field \"status\": value \"vetted\": Leahy vetting is \"denied\", not approved" \
	students "$dir/vetted.csv"
# ... the travel order and after, the security vetting complete; a row
# without it is history from before the column, taken as it is.
printf 'last_name,first_name,status,leahy_status,security_vetting\r\nAnev,Boris,in_training,approved,pending\r\n' >"$dir/security.csv"
refused "In training needs the security vetting complete" \
	"security.csv:2:12: field \"status\": value \"in_training\": security vetting is \"pending\", not complete" \
	students "$dir/security.csv"
printf 'last_name,first_name,status,leahy_status\r\nHistoric,Boris,completed,approved\r\n' >"$dir/history.csv"
expect 0 "a row from before the security vetting column is history, imported" "1 added" -- --db "$db" import students "$dir/history.csv"
[ "$(count students "where last_name = 'Historic' and status = 'completed' and security_vetting is null")" = 1 ] &&
	ok "... as it was, without a security vetting" || not_ok "... as it was, without a security vetting" "$(count students "where last_name = 'Historic'") rows"
# ... and no travel order on an approval that lapses (leahy_valid_days,
# 365) before the report date.
printf 'last_name,first_name,status,leahy_status,leahy_date,security_vetting,report_date\r\nAnev,Boris,ito_issued,approved,2025-11-01,complete,2026-12-01\r\n' >"$dir/lapse.csv"
refused "ITO issued on a Leahy approval that lapses before the report date" \
	"lapse.csv:2:12: field \"status\": value \"ito_issued\": the Leahy approval of 2025-11-01 lapses 2026-11-01, before the report date 2026-12-01" \
	students "$dir/lapse.csv"
# An unauthorized absence imported is the same error alert as one typed in.
printf 'last_name,first_name,status,leahy_status,security_vetting\r\nGone,Ivo,absent,approved,complete\r\n' >"$dir/absent.csv"
expect 0 "a student imported as absent" "1 added" -- --db "$db" import students "$dir/absent.csv"
expect 0 "... is the student-absent alert" "^error .*student-absent *Gone, Ivo: absent without authorization" -- --db "$db" alerts
# A case id: the implementing agency's letter, the office's country code
# (the demo's is QV).
printf 'authority,case_id,title,implementing_agency\r\nfms,QV-D-ZZA,Radios,B\r\n' >"$dir/agency.csv"
refused "a case id whose agency letter is not the implementing agency" \
	"agency.csv:2:5: field \"case_id\": value \"QV-D-ZZA\": its implementing agency letter is D, but implementing_agency is B" \
	programs "$dir/agency.csv"
printf 'authority,case_id,title,implementing_agency\r\nfms,BN-B-ZZA,Radios,B\r\n' >"$dir/country.csv"
refused "a case id that does not begin with the country code" \
	"country.csv:2:5: field \"case_id\": value \"BN-B-ZZA\": does not begin with the country code QV (setting country_code)" \
	programs "$dir/country.csv"
# Milestones in order; a case's status needs its milestone's date.
printf 'authority,case_id,title,implementing_agency,lor_date,offer_date\r\nfms,QV-B-ZZA,Radios,B,2026-05-01,2026-04-01\r\n' >"$dir/order.csv"
refused "an offer date before the LOR" \
	"order.csv:2:34: field \"offer_date\": value \"2026-04-01\": is before lor_date (2026-05-01)" \
	programs "$dir/order.csv"
printf 'authority,case_id,title,implementing_agency,status,lor_date\r\nfms,QV-B-ZZA,Radios,B,accepted,2026-05-01\r\n' >"$dir/milestone.csv"
refused "a case put into Accepted without its acceptance date" \
	"milestone.csv:2:23: field \"status\": value \"accepted\": a case in this status needs its accepted_date" \
	programs "$dir/milestone.csv"
# A billet's SC code: its pattern, and its level against the required
# certification (setting sc_level_cert).
printf 'billet_number,title,sc_code,required_cert_level\r\nODC-90,Officer,XC2A2,practitioner\r\n' >"$dir/sccode.csv"
refused "an SC code not in the workforce pattern" \
	"sccode.csv:2:16: field \"sc_code\": value \"XC2A2\": not a security cooperation workforce code" \
	billets "$dir/sccode.csv"
printf 'billet_number,title,sc_code,required_cert_level\r\nODC-90,Officer,SC2A2,expert\r\n' >"$dir/sclevel.csv"
refused "an SC code whose level disagrees with the required certification" \
	"sclevel.csv:2:22: field \"required_cert_level\": value \"expert\": sc_code SC2A2 (level 2) requires practitioner (setting sc_level_cert), not required_cert_level expert" \
	billets "$dir/sclevel.csv"
printf 'billet_number,title,sc_code,required_cert_level\r\nODC-90,Officer,SC2A7,expert\r\n' >"$dir/scdigit.csv"
refused "an SC code whose level has no certification in sc_level_cert" \
	"scdigit.csv:2:16: field \"sc_code\": value \"SC2A7\": level digit 7 has no certification level in setting sc_level_cert" \
	billets "$dir/scdigit.csv"
# Required training: a person imported brings their own records, so the
# import adds none from the catalogue, nor the next of a recurring course.
trainings=$(count staff_training)
printf 'last_name,first_name,service,billet_number,status,arrival_date\r\nImported,Ina,army,ODC-02,present,2026-11-01\r\n' >"$dir/person.csv"
expect 0 "a person imported" "1 added" -- --db "$db" import personnel "$dir/person.csv"
pid=$(count personnel "where last_name = 'Imported'")
[ "$pid" = 1 ] && pid=$(sqlite3 "$db" "select id from personnel where last_name = 'Imported'")
printf 'person_id,course_code,completed_date\r\n%s,AT-L1,2026-11-10\r\n' "$pid" >"$dir/done.csv"
expect 0 "... and a recurring course completed" "1 added" -- --db "$db" import staff_training "$dir/done.csv"
[ "$(count staff_training)" = $((trainings + 1)) ] &&
	ok "... add no training records but the one in the file" ||
	not_ok "... add no training records but the one in the file" "$trainings before, $(count staff_training) after"
# A colleague changes contact 1 after the table was exported; the old
# export comes back.
"$bin" --db "$db" export contacts -o "$dir/old.csv" >/dev/null
printf 'id,notes\r\n1,called back on Tuesday\r\n' >"$dir/colleague.csv"
SSH_CONNECTION="198.51.100.9 50000 10.0.0.1 22" SCODESK_NOW=2026-11-20T10:00:00Z \
	"$bin" --db "$db" import contacts "$dir/colleague.csv" >/dev/null 2>&1
v1=$(sqlite3 "$db" "select version from contacts where id = 1")
refused "a row older than its record is refused, naming who changed it and when" \
	"old.csv:3:[0-9]*: field \"version\": value \"$((v1 - 1))\": contact 1 was changed by .* (198.51.100.9) at 2026-11-20T10:00:00Z (version $v1), after this row was exported" \
	contacts "$dir/old.csv"
refused "... and says how to replace it on purpose" "import with --overwrite-newer to replace it" contacts "$dir/old.csv"
expect 0 "--overwrite-newer replaces the newer record and says so" \
	"old.csv: 1 row older than the database replaced the newer record (--overwrite-newer; the audit log says so)" \
	-- --db "$db" import contacts "$dir/old.csv" --overwrite-newer
v2=$(sqlite3 "$db" "select version from contacts where id = 1")
notes=$(sqlite3 "$db" "select coalesce(notes, '') from contacts where id = 1")
[ "$v2" = $((v1 + 1)) ] && [ "$notes" != "called back on Tuesday" ] &&
	ok "... as the next version, never an older one" || not_ok "... as the next version, never an older one" "version $v2 (was $v1), notes '$notes'"
audit=$(sqlite3 "$db" "select action || ' ' || after from audit_log where table_name = 'contacts' and row_id = 1 order by id desc limit 1")
printf '%s\n' "$audit" | grep -q "^import .*\"overwrite_newer\":{\"stored_version\":$v1,\"file_version\":$((v1 - 1))}" &&
	ok "... and the audit log records the overwrite" || not_ok "... and the audit log records the overwrite" "$audit"

# ---- files that cannot be written -------------------------------------------
expect 1 "an export to a full disk: one clear sentence" "^scodesk: cannot write /dev/full: No space left on device; nothing was written$" -- --db "$db" export engagements -o /dev/full
expect 1 "an export into a missing folder" "cannot create a file in $dir/nosuch" -- --db "$db" report alerts -o "$dir/nosuch/a.csv"
if [ "$(id -u)" != 0 ]; then
	mkdir "$dir/locked" && chmod 500 "$dir/locked"
	expect 1 "an export into an unwritable folder" "Permission denied" -- --db "$db" export billets -o "$dir/locked/b.csv"
	chmod 700 "$dir/locked"
else
	ok "an export into an unwritable folder (not checked as root) # SKIP root"
fi
leftover=$(find "$dir" -name '.*.csv.*' | head -n 1)
[ -z "$leftover" ] && ok "no temporary file is left behind" || not_ok "no temporary file is left behind" "$leftover"

# ---- the documentation names every command, option, report and column ------
src=$(cd "$(dirname "$0")/.." && pwd)
man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$src/docs/scodesk.1")
missing=""
for word in export report import -o --no-bom --marking --filter --sort --desc --from --to \
	--dry-run --delimiter --overwrite-newer manning training-status student-pipeline program-status; do
	printf '%s\n' "$man" | grep -q -- "$word" || missing="$missing $word"
done
for f in manning training-status student-pipeline program-status engagements alerts; do
	for c in $(sed -n 2p "$dir/$f.csv" | tr -d '\r' | tr ',' ' '); do
		printf '%s\n' "$man" | grep -q -- "$c" || missing="$missing $f.$c"
	done
done
[ -z "$missing" ] && ok "the man page names every CSV command, option, report and report column" ||
	not_ok "the man page names every CSV command, option, report and report column" "missing:$missing"
# The man page's REPORTS lists the reports the command line has, in its
# order (each a tagged paragraph: .TP, then .B NAME).
man_reports=$(sed -n '/^\.SH REPORTS/,/^\.SH /p' "$src/docs/scodesk.1" |
	awk 'tp && /^\.B / { sub(/^\.B /, ""); gsub(/\\-/, "-"); print } { tp = /^\.TP/ }')
[ "$man_reports" = "$reports" ] && ok "the man page's REPORTS lists the reports scodesk report lists" ||
	not_ok "the man page's REPORTS lists the reports scodesk report lists" "man page: $(echo $man_reports)" "scodesk: $(echo $reports)"
dict="$src/docs/data-dictionary.md"
grep -q '^## CSV files' "$dict" && grep -q 'contact_ids' "$dict" && grep -q 'formula' "$dict" &&
	ok "the data dictionary describes the CSV files" || not_ok "the data dictionary describes the CSV files"

echo "1..$n"
[ "$failed" = 0 ]
