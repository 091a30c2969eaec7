#!/bin/bash
# csv_bench.sh [SCODESK] [ROWS]: scodesk's CSV export and import against the
# sqlite3 shell on the same rows. A measurement, not a test: it prints
# figures (see docs/performance.md). ROWS defaults to 1,000,000.
#
#   1. makes ROWS engagements (with 50 contacts, one to three per
#      engagement) as a CSV file with awk, and loads it with
#      `scodesk import engagements` (timed);
#   2. loads the same file with the shell's `.import` into a plain table
#      (timed): the import ratio;
#   3. three rounds, alternating, of `scodesk export engagements -o X`
#      against `sqlite3 -csv DB 'SELECT ...'` over the same rows, once with
#      the table's own columns only and once also computing contact_ids as
#      scodesk does: the export ratios, from the medians.
# Keep the work folder with KEEP=1.
set -u
bin=${1:-./build/scodesk}
rows=${2:-1000000}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-csvbench-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
export SCODESK_TODAY=${SCODESK_TODAY:-2026-11-25}
TIMEFORMAT=%R
db=$dir/bench.db

# seconds CMD...: wall-clock seconds of one run, on stdout.
seconds() {
	{ time "$@" >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }; } 2>&1
}

median() { sort -n | sed -n 2p; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "machine: $(nproc) cores, $(uname -sr), $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/ .*//;s/^/sqlite /')"
"$bin" --db "$db" init >/dev/null
{
	echo "last_name,first_name,organization"
	for i in $(seq 1 50); do echo "Contact$i,First$i,Directorate $((i % 7))"; done
} >"$dir/contacts.csv"
"$bin" --db "$db" import contacts "$dir/contacts.csv" >/dev/null

awk -v n="$rows" 'BEGIN {
	print "date,type,location,contact_ids,us_participants,program_id,objectives,outcomes,followup,followup_due,followup_done"
	split("office_call kle conference working_group visit exercise training_event social other", t, " ")
	for (i = 0; i < n; i++) {
		d = sprintf("20%02d-%02d-%02d", 20 + i % 7, 1 + i % 12, 1 + i % 28)
		a = 1 + i % 50; b = 1 + (i * 7) % 50
		ids = a == b ? a : (a < b ? a ";" b : b ";" a)
		printf "%s,%s,Ministry of Defense building %d,%s,\"Chief, ODC; program officer\",,\"Review case %d: training seats, \"\"follow-on\"\" support\",Agreed on items %d and %d,Send the LOR draft,%s,%d\n",
			d, t[1 + i % 9], i % 40, ids, i, i % 13, i % 17, d, i % 2
	}
}' >"$dir/engagements.csv"
size=$(du -m "$dir/engagements.csv" | cut -f1)
echo "input: $rows engagements, $size MB"

imp=$(seconds "$bin" --db "$db" import engagements "$dir/engagements.csv")
shell_imp=$(seconds sqlite3 "$dir/plain.db" ".import --csv $dir/engagements.csv plain")
echo "import: scodesk ${imp}s, sqlite3 .import ${shell_imp}s, ratio $(ratio "$imp" "$shell_imp")"

cols="id, date, type, location, us_participants, program_id, objectives, outcomes, followup, followup_due, followup_done, created_at, updated_at, version, deleted_at"
links="(SELECT group_concat(contact_id, ';') FROM (SELECT contact_id FROM engagement_contacts WHERE engagement_id = t.id ORDER BY contact_id))"
plain_sql="SELECT $cols FROM engagements AS t ORDER BY id"
full_sql="SELECT id, date, type, location, $links, us_participants, program_id, objectives, outcomes, followup, followup_due, followup_done, created_at, updated_at, version, deleted_at FROM engagements AS t ORDER BY id"
: >"$dir/ours"
: >"$dir/plain"
: >"$dir/full"
for round in 1 2 3; do
	seconds "$bin" --db "$db" export engagements -o "$dir/out.csv" >>"$dir/ours"
	seconds sh -c "sqlite3 -csv '$db' \"$plain_sql\" >'$dir/plain.csv'" >>"$dir/plain"
	seconds sh -c "sqlite3 -csv '$db' \"$full_sql\" >'$dir/full.csv'" >>"$dir/full"
done
ours=$(median <"$dir/ours")
plain=$(median <"$dir/plain")
full=$(median <"$dir/full")
echo "export rounds (s): scodesk $(tr '\n' ' ' <"$dir/ours")| shell, columns $(tr '\n' ' ' <"$dir/plain")| shell, with contact_ids $(tr '\n' ' ' <"$dir/full")"
echo "export: scodesk ${ours}s ($(du -m "$dir/out.csv" | cut -f1) MB), shell ${plain}s ($(du -m "$dir/plain.csv" | cut -f1) MB) ratio $(ratio "$ours" "$plain"); shell with contact_ids ${full}s ratio $(ratio "$ours" "$full")"
