#!/bin/sh
# test_handover.sh SCODESK: `scodesk handover`, the turnover book, built from
# the demo office and checked section by section against the database
# (sqlite3 asks it on its own), the Markdown read by a small parser and the
# CSV by Python's csv module. TAP output.
set -u
bin=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-handover-XXXXXX")
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/tap.sh"

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null 2>&1 || { echo "Bail out! scodesk demo failed"; exit 1; }
q() { sqlite3 -batch -noheader "$db" "$@"; }

expect 0 "handover writes the Markdown book and says how many items" "book.md: [0-9]* items" -- --db "$db" handover -o "$dir/book.md"
expect 0 "handover --format csv writes the CSV form" "book.csv: [0-9]* items" -- --db "$db" handover --format csv -o "$dir/book.csv"
expect 2 "--format other than markdown or csv is a usage error" "--format 'xml' is not markdown or csv" -- --db "$db" handover --format xml
expect 2 "handover takes no words" "too many arguments for 'handover'" -- --db "$db" handover manning
expect 2 "--view is not for handover" "unknown option --view for 'handover'" -- --db "$db" handover --view

# Without -o, the name proposed as for a report, in the current folder.
(cd "$dir" && "$bin" --db "$db" handover >/dev/null 2>&1)
[ -s "$dir/handover-$SCODESK_TODAY.md" ] && ok "without -o: handover-YYYY-MM-DD.md in the current folder" ||
	not_ok "without -o: handover-YYYY-MM-DD.md in the current folder" "$(ls "$dir")"
cmp -s "$dir/handover-$SCODESK_TODAY.md" "$dir/book.md" && ok "... the same book as -o writes" ||
	not_ok "... the same book as -o writes"
"$bin" --db "$db" handover -o - >"$dir/stdout.md" 2>/dev/null
cmp -s "$dir/stdout.md" "$dir/book.md" && ok "-o - writes the book to standard output" || not_ok "-o - writes the book to standard output"
ls -a "$dir" | grep -q '^\.book' && not_ok "no temporary file is left behind" "$(ls -a "$dir")" || ok "no temporary file is left behind"

# ---- the book against the database ------------------------------------------
# check.py BOOK.md BOOK.csv: one line "ok - ..." or "not ok - ... # why" per
# check; the expected values are sqlite3's answers, passed as files.
q "SELECT value FROM settings WHERE key = 'office_name'" >"$dir/office"
q "SELECT count(*) FROM billets WHERE deleted_at IS NULL" >"$dir/billets"
q "SELECT b.billet_number FROM billets b WHERE b.deleted_at IS NULL AND (
     NOT EXISTS (SELECT 1 FROM personnel p WHERE p.billet_number = b.billet_number
                 AND p.deleted_at IS NULL AND p.status IN ('present', 'tdy', 'leave'))
     OR EXISTS (SELECT 1 FROM personnel p WHERE p.billet_number = b.billet_number
                AND p.deleted_at IS NULL AND p.status IN ('present', 'tdy', 'leave')
                AND p.deros_date <= date('$SCODESK_TODAY', '+12 months')
                AND p.arrival_date = (SELECT max(x.arrival_date) FROM personnel x
                    WHERE x.billet_number = b.billet_number AND x.deleted_at IS NULL
                    AND x.status IN ('present', 'tdy', 'leave'))
                AND NOT EXISTS (SELECT 1 FROM personnel r WHERE r.billet_number = b.billet_number
                    AND r.deleted_at IS NULL AND r.status = 'inbound'
                    AND r.arrival_date <= p.deros_date)))
   ORDER BY 1" >"$dir/gaps"
q "SELECT followup || '|' || coalesce(followup_due, '') FROM engagements
   WHERE deleted_at IS NULL AND followup_done = 0 AND trim(coalesce(followup, '')) <> ''
   ORDER BY date, id" >"$dir/followups"
q "SELECT c.last_name || ', ' || c.first_name || '|' || coalesce(max(e.date), '')
   FROM contacts c LEFT JOIN engagement_contacts ec ON ec.contact_id = c.id
   LEFT JOIN engagements e ON e.id = ec.engagement_id AND e.deleted_at IS NULL
   WHERE c.deleted_at IS NULL AND c.key_leader = 1 GROUP BY c.id" >"$dir/leaders"
q "SELECT coalesce(g.case_id || ' ', '') || g.title || '|' || CASE WHEN p.deros_date < CASE g.status WHEN 'offered' THEN g.oed_date
     ELSE g.aod_date END THEN 'yes' ELSE 'no' END
   FROM programs g JOIN personnel p ON p.id = g.poc_person_id
   WHERE g.deleted_at IS NULL AND g.authority IN ('fms', 'fmf', 's333', 'eda')
   AND g.status IN ('lor_received', 'development', 'offered')
   AND CASE g.status WHEN 'offered' THEN g.oed_date ELSE g.aod_date END IS NOT NULL
   AND p.deros_date IS NOT NULL" >"$dir/officers"
q "SELECT count(*) FROM programs WHERE deleted_at IS NULL
   AND status NOT IN ('closed', 'cancelled', 'complete')" >"$dir/programs"
q "SELECT last_name || ', ' || first_name || '|' || coalesce(report_date, '') FROM students
   WHERE deleted_at IS NULL
   AND status IN ('nominated', 'screened', 'vetted', 'ito_issued', 'in_training')" >"$dir/students"
q "SELECT count(*) FROM staff_training t JOIN personnel p ON p.id = t.person_id
   WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.status <> 'departed'
   AND t.waived = 0 AND t.completed_date IS NULL" >"$dir/training"
q "SELECT 'Inventory of ' || g.case_id || ' at ' || i.site || '|' || count(*)
   FROM eum_items i JOIN programs g ON g.id = i.program_id
   WHERE i.deleted_at IS NULL AND i.eeum = 1 AND i.status IN ('in_storage', 'issued')
   GROUP BY g.case_id, i.site ORDER BY 1" >"$dir/inventories"
q "SELECT count(*) FROM eum_checks WHERE deleted_at IS NULL AND followup_done = 0
   AND trim(coalesce(followup, '')) <> ''" >"$dir/eum_followups"
q "SELECT coalesce(g.case_id, g.title) FROM eum_checks c JOIN programs g ON g.id = c.program_id
   WHERE c.deleted_at IS NULL AND c.followup_done = 0 AND trim(coalesce(c.followup, '')) <> ''
   ORDER BY c.followup_due, c.date, c.id" >"$dir/eum_followup_cases"
"$bin" --db "$db" report alerts --no-bom --marking none -o "$dir/alerts.csv" >/dev/null 2>&1

cat >"$dir/check.py" <<'EOF'
import csv, io, os, sys

d = sys.argv[1]
today = os.environ["SCODESK_TODAY"]
def lines(name):
    with open(os.path.join(d, name), encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]
def one(name):
    return lines(name)[0]
results = []
def check(cond, what, why=""):
    results.append(("ok - " if cond else "not ok - ") + what + ("" if cond else " # " + str(why)))

raw = open(os.path.join(d, "book.md"), "rb").read()
text = raw.decode("utf-8")
md = text.split("\n")
if md and md[-1] == "":
    md.pop()

def cells(line):
    """A table row's cells, markup escapes undone."""
    out, cur, i = [], "", 0
    body = line.strip()
    assert body.startswith("|") and body.endswith("|"), line
    body = body[1:]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur += body[i + 1]
            i += 2
            continue
        if ch == "|":
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    return out

# sections: heading "## Title (N)" then the table's rows
sections, order, current = {}, [], None
for l in md:
    if l.startswith("## "):
        title = l[3:].rsplit(" (", 1)
        current = title[0]
        order.append(current)
        sections[current] = {"count": int(title[1].rstrip(")")), "rows": []}
    elif current and l.startswith("| ") and not l.startswith("| --- "):
        sections[current]["rows"].append(cells(l))
for s in sections.values():
    s["rows"] = s["rows"][1:]  # the heads

check(md[0] == "CUI", "the marking is the first line", md[0])
check(md[-1] == "CUI", "the marking is the last line", md[-1])
check(b"\x1b" not in raw and b"\r" not in raw, "the book holds no control character but line breaks")
check(md[2] == "# Turnover book: " + one("office"), "the office is on the first lines", md[2])
check(("As of %s." % today) in md[4] and "Country: " in md[4], "the country and the date follow", md[4])
check(order == ["Manning", "Gaps in the next 12 months", "Open follow-ups and promises to the Ministry",
                "Key leaders", "Programs by next milestone", "Students in the pipeline",
                "Staff training due", "End-use checks due", "Alerts"], "the sections in order", order)
check(all(s["count"] == len(s["rows"]) for s in sections.values()), "each heading counts its rows",
      [(k, s["count"], len(s["rows"])) for k, s in sections.items()])
check(all(len(r) == 4 for s in sections.values() for r in s["rows"]), "every row has its four cells")

man = sections["Manning"]["rows"]
check(len(man) == int(one("billets")), "manning: one row per billet", (len(man), one("billets")))
check([r[0].split(" ")[0] for r in man] == sorted(r[0].split(" ")[0] for r in man), "manning: by billet number")
gaps = sorted(r[0].split(" ")[0] for r in sections["Gaps in the next 12 months"]["rows"])
check(gaps == lines("gaps"), "gaps: the billets vacant or left without a replacement in time", (gaps, lines("gaps")))
g3 = [r for r in sections["Gaps in the next 12 months"]["rows"] if r[0].startswith("ODC-03 ")]
check(g3 and "a gap of 55 days" in g3[0][1] and g3[0][2] == "2027-01-04", "gaps: the days between DEROS and arrival", g3)

fu = ["%s|%s" % (r[0], r[2]) for r in sections["Open follow-ups and promises to the Ministry"]["rows"]]
check(fu == lines("followups"), "follow-ups: every open one with its due date, oldest first", (fu, lines("followups")))
check("Send the draft agenda for the next working group|2026-12-03" in fu, "follow-ups: the demo's KLE promise of 2026-11-23, due 2026-12-03")
check(any("overdue" in r[1] for r in sections["Open follow-ups and promises to the Ministry"]["rows"] if r[2] < today) and
      not any("overdue" in r[1] for r in sections["Open follow-ups and promises to the Ministry"]["rows"] if r[2] >= today),
      "follow-ups: the overdue ones, and only they, say so")

kl = sections["Key leaders"]["rows"]
got = sorted("%s|%s" % (r[0].split(" (")[0], r[2]) for r in kl)
check(got == sorted(lines("leaders")), "key leaders: each with the date of the last engagement", (got, sorted(lines("leaders"))))
dates = [r[2] for r in kl]
check(dates == sorted(dates), "key leaders: least recently engaged first", dates)
drav = [r for r in kl if r[0].startswith("Dravenko")]
check(drav and drav[0][3] == "SDO/DATT", "key leaders: who in the office saw them last", drav)

pr = sections["Programs by next milestone"]["rows"]
check(len(pr) == int(one("programs")), "programs: every one still open", (len(pr), one("programs")))
want = dict(l.split("|") for l in lines("officers"))
flags = {}
for r in pr:
    key = next((k for k in want if r[0].startswith(k + " (") or r[0] == k), r[0])
    if "officer leaves before it: yes (DEROS " in r[1]:
        flags[key] = "yes"
    elif "officer leaves before it: no (DEROS " in r[1]:
        flags[key] = "no"
check(flags == want and "yes" in want.values() and "no" in want.values(),
      "programs: whether the action officer leaves before the milestone", (flags, want))
dated = [r[2] for r in pr if r[2]]
check(dated == sorted(dated) and all(r[2] for r in pr[:len(dated)]), "programs: by milestone date, undated last")

st = sorted("%s|%s" % (r[0].split(" (")[0], r[2]) for r in sections["Students in the pipeline"]["rows"])
check(st == sorted(lines("students")), "students: every one in the pipeline, with the report date", (st, sorted(lines("students"))))
check(all(all(g in r[1] for g in ("Leahy: ", "security vetting: ", "medical: ", "ECL: ", "ITO: "))
          for r in sections["Students in the pipeline"]["rows"]), "students: their five gates")

tr = sections["Staff training due"]["rows"]
check(len(tr) == int(one("training")), "training: every record due or overdue", (len(tr), one("training")))
check(all((r[1] == "overdue") == (r[2] < today) for r in tr), "training: overdue exactly when past due")

eu = sections["End-use checks due"]["rows"]
inv = [r for r in eu if r[0].startswith("Inventory of ")]
got = sorted(r[0] + "|" + r[1].split(" ")[0] for r in inv)
check(got and got == lines("inventories"),
      "eum: an inventory per case and site, with its enhanced-monitoring items held", (got, lines("inventories")))
check([r[2] for r in inv] == sorted(r[2] for r in inv), "eum: the inventories soonest first")
check(any("overdue" in r[1] for r in inv) and all(("overdue" in r[1]) == (r[2] < today) for r in inv),
      "eum: overdue said exactly when the earliest due has passed", inv)
check(all(r[3] == "EUM billet vacant" for r in inv), "eum: the vacant EUM billet is who", inv)
fu = [r for r in eu if not r[0].startswith("Inventory of ")]
check(len(fu) == int(one("eum_followups")) and fu, "eum: then every check with its follow-up open",
      (len(fu), one("eum_followups")))
check([r[0].split(" of ")[1].split(",")[0] for r in fu] == lines("eum_followup_cases"),
      "eum: each follow-up's check names its case", ([r[0] for r in fu], lines("eum_followup_cases")))

with open(os.path.join(d, "alerts.csv"), encoding="utf-8", newline="") as f:
    alerts = list(csv.DictReader(f))
al = sections["Alerts"]["rows"]
check([(r[0], r[2], r[3]) for r in al] == [(a["subject"], a["due_date"], a["severity"]) for a in alerts],
      "alerts: those of the alerts report, in its order", (len(al), len(alerts)))

# the CSV form: the same items
with open(os.path.join(d, "book.csv"), encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
check(rows[0] == ["CUI"] and rows[-1] == ["CUI"], "csv: the marking on the first and last lines", (rows[0], rows[-1]))
check(rows[1] == ["section", "subject", "detail", "date", "owner"], "csv: the five columns", rows[1])
body = rows[2:-1]
check(all(len(r) == 5 for r in body), "csv: five fields in every row")
check(body[0][0] == "office" and body[0][1] == one("office") and body[0][3] == today,
      "csv: the office and the date first", body[0])
def unguard(v):
    return v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@", "\t", "\r", "'", '"') else v
codes = {"Manning": "manning", "Gaps in the next 12 months": "gaps",
         "Open follow-ups and promises to the Ministry": "followups", "Key leaders": "key-leaders",
         "Programs by next milestone": "programs", "Students in the pipeline": "students",
         "Staff training due": "training", "End-use checks due": "eum-checks", "Alerts": "alerts"}
from_md = [[codes[t]] + r for t in order for r in sections[t]["rows"]]
from_csv = [[r[0]] + [unguard(v) for v in r[1:]] for r in body[1:]]
check(from_csv == from_md, "csv: the same items as the Markdown, in its order",
      next(((a, b) for a, b in zip(from_csv, from_md) if a != b), (len(from_csv), len(from_md))))
print("\n".join(results))
EOF
python3 "$dir/check.py" "$dir" | while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	*) not_ok "${line#not ok - }" ;;
	esac
done >"$dir/tap"
cat "$dir/tap"
n=$((n + $(grep -c '' "$dir/tap")))
failed=$((failed + $(grep -c '^not ok' "$dir/tap")))
[ -s "$dir/tap" ] || not_ok "check.py ran" "$(python3 "$dir/check.py" "$dir" 2>&1 | tail -3)"

# ---- what data cannot do to the document --------------------------------------
# A key leader whose name holds a |, markup and a control character, and a
# line break: in the book the | stays in its cell, the control is its escape.
printf 'last_name,first_name,key_leader,position\r\n"Pipe|Name *x*","Es\033c\nNL",1,"<b>Chief</b> & [a](x) `c` _u_ ~s~ #h"\r\n' >"$dir/odd.csv"
"$bin" --db "$db" import contacts "$dir/odd.csv" >/dev/null 2>&1
"$bin" --db "$db" handover -o "$dir/odd.md" >/dev/null 2>&1
"$bin" --db "$db" handover --format csv -o "$dir/odd.book.csv" >/dev/null 2>&1
row=$(grep -a '^| Pipe' "$dir/odd.md" | head -1)
want='| Pipe\|Name \*x\*, Es\\x1Bc NL | \<b\>Chief\</b\> \& \[a\](x) \`c\` \_u\_ \~s\~ \#h; never engaged |  |  |'
[ "$row" = "$want" ] && ok "a | and markup in a name are escaped, the control and line break inert" ||
	not_ok "a | and markup in a name are escaped, the control and line break inert" "got:  $row" "want: $want"
printf '\033' >"$dir/esc"
! grep -qaF "$(cat "$dir/esc")" "$dir/odd.md" && ! grep -qaF "$(cat "$dir/esc")" "$dir/odd.book.csv" &&
	ok "no ESC byte reaches either file" || not_ok "no ESC byte reaches either file"
python3 - "$dir/odd.book.csv" <<'EOF' && ok "csv: the same name, inert, in one field" || not_ok "csv: the same name, inert, in one field"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
hit = [r for r in rows if r[0] == "key-leaders" and r[1].startswith("Pipe")]
sys.exit(0 if hit and hit[0][1] == "Pipe|Name *x*, Es\\x1Bc NL" and len(hit[0]) == 5 else 1)
EOF

# --marking: as for an export; none leaves the lines out.
"$bin" --db "$db" handover --marking none -o "$dir/none.md" >/dev/null 2>&1
head -1 "$dir/none.md" | grep -q '^# Turnover book: ' && ! grep -qx CUI "$dir/none.md" &&
	ok "--marking none: no marking lines, the office first" || not_ok "--marking none: no marking lines, the office first" "$(head -2 "$dir/none.md")"
"$bin" --db "$db" handover --marking 'CUI//SP-EXPT' -o "$dir/exp.md" >/dev/null 2>&1
[ "$(head -1 "$dir/exp.md")" = 'CUI//SP-EXPT' ] && [ "$(tail -1 "$dir/exp.md")" = 'CUI//SP-EXPT' ] &&
	ok "--marking TEXT on the first and last lines" || not_ok "--marking TEXT on the first and last lines"

# The office's name from its setting; the country line says when none is set.
"$bin" --db "$dir/empty.db" init >/dev/null 2>&1
"$bin" --db "$dir/empty.db" handover -o "$dir/empty.md" >/dev/null 2>&1
sed -n 3p "$dir/empty.md" | grep -qx '# Turnover book: Office of Defense Cooperation' &&
	sed -n 5p "$dir/empty.md" | grep -q '^Country: not set (settings country, country_code)\. As of ' &&
	grep -qx 'No billets.' "$dir/empty.md" && grep -qx 'No alerts.' "$dir/empty.md" &&
	ok "an empty office: the default name, no country, each section says it is empty" ||
	not_ok "an empty office: the default name, no country, each section says it is empty" "$(head -8 "$dir/empty.md")"

echo "1..$n"
[ "$failed" -eq 0 ]
