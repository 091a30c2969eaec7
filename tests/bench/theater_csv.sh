#!/bin/sh
# theater_csv.sh [DB] [SCODESK]: scodesk's CSV export and import of the
# engagements of a theater-scale database (gen_theater.sh) against the
# sqlite3 shell on the same file. A measurement, not a test: it prints
# figures.
#
#   export: three rounds, alternating, of `scodesk export engagements`
#           against `sqlite3 -csv DB 'SELECT ...'` of the same columns
#           (contact_ids computed as scodesk does); medians and ratio;
#   import: the export (plain: no marking, no byte order mark) loaded by
#           `scodesk import engagements` into a new database that holds
#           only what the rows refer to (billets, personnel, programs and
#           contacts, loaded first from exports of DB, untimed), against
#           the shell's `.import` of the same file into a plain table of a
#           new database.
#
# The work folder (several GB) is under $TMPDIR (/tmp); KEEP=1 keeps it.
set -eu
db=${1:-/tmp/theater.db}
bin=${2:-./build/scodesk}
[ -f "$db" ] || { echo "theater_csv: no database $db (make one with gen_theater.sh)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-theatercsv-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT

now() { date +%s.%N; }
# seconds CMD...: wall-clock seconds of one run, on stdout
seconds() {
	t0=$(now)
	"$@" >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
	awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f\n", b - a }'
}
median() { sort -n | sed -n 2p; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mb() { du -m "$1" | cut -f1; }

echo "machine: $(nproc) cores, $(uname -sr), sqlite $(sqlite3 --version | cut -d' ' -f1)"
echo "database: $db ($(mb "$db") MB, $(sqlite3 "$db" 'SELECT count(*) FROM engagements') engagements)"

links="(SELECT group_concat(contact_id, ';') FROM (SELECT contact_id FROM engagement_contacts WHERE engagement_id = t.id ORDER BY contact_id))"
sql="SELECT id, date, type, location, $links, us_participants, program_id, objectives, outcomes, followup, followup_due, followup_done, created_at, updated_at, version, deleted_at FROM engagements AS t ORDER BY id"
: >"$dir/ours"
: >"$dir/shell"
for round in 1 2 3; do
	seconds "$bin" --db "$db" export engagements -o "$dir/ours.csv" >>"$dir/ours"
	seconds sh -c "sqlite3 -csv -header '$db' \"$sql\" >'$dir/shell.csv'" >>"$dir/shell"
done
ours=$(median <"$dir/ours")
shell=$(median <"$dir/shell")
echo "export rounds (s): scodesk $(tr '\n' ' ' <"$dir/ours")| sqlite3 $(tr '\n' ' ' <"$dir/shell")"
echo "export: scodesk ${ours} s ($(mb "$dir/ours.csv") MB), sqlite3 ${shell} s ($(mb "$dir/shell.csv") MB): ratio $(ratio "$ours" "$shell")"

# import: what the engagements refer to first (untimed), then the rows
"$bin" --db "$dir/new.db" init >/dev/null
for t in billets personnel programs contacts; do
	"$bin" --db "$db" export "$t" --no-bom --marking none -o "$dir/$t.csv" >/dev/null
	"$bin" --db "$dir/new.db" import "$t" "$dir/$t.csv" >/dev/null
done
"$bin" --db "$db" export engagements --no-bom --marking none -o "$dir/plain.csv" >/dev/null
rm -f "$dir/ours.csv" "$dir/shell.csv"
imp=$(seconds "$bin" --db "$dir/new.db" import engagements "$dir/plain.csv")
shell_imp=$(seconds sqlite3 "$dir/plain.db" ".import --csv $dir/plain.csv plain")
echo "import: $(($(wc -l <"$dir/plain.csv") - 1)) lines, $(mb "$dir/plain.csv") MB: scodesk ${imp} s (database $(mb "$dir/new.db") MB), sqlite3 .import ${shell_imp} s (database $(mb "$dir/plain.db") MB): ratio $(ratio "$imp" "$shell_imp")"
