#!/bin/sh
# test_cli.sh SCODESK: the command line as a user meets it: exit codes,
# messages, refused files left untouched, file modes. TAP output.
set -u
bin=$1
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-cli-XXXXXX")
trap 'rm -rf "$dir"' EXIT
export SCODESK_DB="$dir/default.db"
. "$(dirname "$0")/tap.sh"

expect 0 "--help prints the usage" "usage: scodesk" -- --help
expect 0 "--version prints the version" "^scodesk [0-9]" -- --version
expect 2 "an unknown flag is a usage error" "unknown option --frobnicate" -- --frobnicate
expect 2 "an unknown command is a usage error" "unknown command 'frob'" -- frob
expect 2 "--db without a file is a usage error" "needs a file name" -- --db
expect 2 "list without a table is a usage error" "needs one table" -- list
expect 2 "list of an unknown table is a usage error" "no table named" -- list nosuch
expect 2 "extra arguments are a usage error" "too many arguments" -- init extra

# The usage goes to stderr on a usage error, stdout stays clean.
out=$("$bin" --frobnicate 2>/dev/null)
[ -z "$out" ] && ok "usage errors write nothing on stdout" || not_ok "usage errors write nothing on stdout" "$out"

db="$dir/office/scodesk.db"
expect 0 "init creates the database" "schema version" -- --db "$db" init
mode=$(stat -c %a "$db")
[ "$mode" = 600 ] && ok "the database is created 0600" || not_ok "the database is created 0600" "mode $mode"
dmode=$(stat -c %a "$dir/office")
[ "$dmode" = 700 ] && ok "its folder is created 0700" || not_ok "its folder is created 0700" "mode $dmode"
expect 0 "init again is harmless" "schema version [0-9]" -- --db "$db" init
expect 0 "check passes on a new database" ": ok" -- --db "$db" check
expect 0 "demo fills it" "fictional office" -- --db "$db" demo
expect 1 "demo refuses a filled database" "" -- --db "$db" demo
expect 0 "check passes after the demo" ": ok" -- --db "$db" check

# ---- export --view: the list as the interface shows it ---------------------
# Its columns, labels for a header, names and words for ids and codes.
"$bin" --db "$db" export billets --view --no-bom --marking none -o "$dir/view.csv" >/dev/null 2>&1
printf 'Billet,Title,Auth. grade,Incumbent,DEROS,Replacement,Arrives,Gap,Req. cert\r\nODC-01,Senior Defense Official / Defense Attache,O-6,"Whitaker, Daniel",2027-10-21,,,,Expert\r\nODC-02,' >"$dir/view.want"
head -c "$(wc -c <"$dir/view.want")" "$dir/view.csv" | cmp -s - "$dir/view.want" &&
	ok "export --view: the Billets columns, their labels, the incumbent by name" ||
	not_ok "export --view: the Billets columns, their labels, the incumbent by name" "$(head -3 "$dir/view.csv")"
"$bin" --db "$db" export billets --view --filter ODC-0 --sort billet_number --desc -o "$dir/viewf.csv" >/dev/null 2>&1
first=$(sed -n 3p "$dir/viewf.csv" | cut -d, -f1)
rows=$(grep -c '^ODC-' "$dir/viewf.csv")
[ "$first" = ODC-09 ] && [ "$rows" = 9 ] && head -c 6 "$dir/viewf.csv" | od -An -c | grep -q '357 273 277   C   U   I' &&
	ok "export --view --filter --sort --desc: that list, with BOM and marking" ||
	not_ok "export --view --filter --sort --desc: that list, with BOM and marking" "first $first, $rows rows" "$(head -4 "$dir/viewf.csv")"
"$bin" --db "$db" export staff_training --view --marking none -o "$dir/viewst.csv" >/dev/null 2>&1
ids=$(sed 1d "$dir/viewst.csv" | cut -d, -f1 | grep -c '^[0-9]*$')
sed -n 1p "$dir/viewst.csv" | grep -q '^.*Person,Course,Status,Due,' && [ "$ids" = 0 ] &&
	grep -q '^"Whitaker, Daniel",' "$dir/viewst.csv" &&
	ok "export --view staff_training: the person by name, never the id" ||
	not_ok "export --view staff_training: the person by name, never the id" "$ids ids" "$(head -3 "$dir/viewst.csv")"
"$bin" --db "$db" export engagements --view --marking none -o "$dir/viewe.csv" >/dev/null 2>&1
d1=$(sed -n 2p "$dir/viewe.csv" | cut -d, -f1) dn=$(tail -1 "$dir/viewe.csv" | cut -d, -f1)
grep -q ',"Kolvich, Radko; Yelanich, Oleksa",' "$dir/viewe.csv" && [ "$d1" \> "$dn" ] &&
	ok "export --view engagements: contacts by name, newest first as on screen" ||
	not_ok "export --view engagements: contacts by name, newest first as on screen" "$d1 .. $dn" "$(head -3 "$dir/viewe.csv")"
"$bin" --db "$db" export programs --view --marking none -o "$dir/viewp.csv" >/dev/null 2>&1
grep -q ',14000000,"Chen, Marcus"' "$dir/viewp.csv" && ! grep -q ',\$' "$dir/viewp.csv" &&
	ok "export --view programs: whole dollars to sum, the POC by name" ||
	not_ok "export --view programs: whole dollars to sum, the POC by name" "$(head -3 "$dir/viewp.csv")"
expect 0 "export --view of a table shown nowhere: its columns but core's" "" -- --db "$db" export settings --view --marking none -o "$dir/views.csv"
sed -n 1p "$dir/views.csv" | grep -q '^.*Key,Value.$' && ok "... labelled Key, Value" || not_ok "... labelled Key, Value" "$(head -2 "$dir/views.csv")"
expect 2 "export --view of an unknown table" "no table named 'nosuch'" -- --db "$db" export nosuch --view
expect 2 "--view is for export only" "unknown option --view for 'report'" -- --db "$db" report alerts --view
# Without --view, the round-trip file as before: ids and codes, imports back unchanged.
"$bin" --db "$db" export staff_training -o "$dir/rt.csv" >/dev/null 2>&1
sed -n 2p "$dir/rt.csv" | grep -q '^id,person_id,course_code,' &&
	expect 0 "plain export still imports back unchanged" "0 added, 0 updated, [0-9]* unchanged" -- --db "$db" import staff_training "$dir/rt.csv" ||
	not_ok "plain export still imports back unchanged" "$(head -3 "$dir/rt.csv")"
sqlite_ok=$(sqlite3 "$db" 'pragma integrity_check' 2>&1)
[ "$sqlite_ok" = ok ] && ok "sqlite3 agrees: integrity ok" || not_ok "sqlite3 agrees: integrity ok" "$sqlite_ok"
for f in "$db"-wal "$db"-shm; do
	[ ! -e "$f" ] || [ "$(stat -c %a "$f")" = 600 ] && ok "$(basename "$f") is 0600 or absent" ||
		not_ok "$(basename "$f") is 0600 or absent" "mode $(stat -c %a "$f")"
done
expect 0 "alerts lists alerts" "^error" -- --db "$db" alerts
expect 0 "the plain view shows the marking" "^CUI" -- --db "$db"
expect 0 "list prints a table" "billet_number" -- --db "$db" list billets
expect 0 "SCODESK_DB is the default database" "schema version" -- init
[ -f "$SCODESK_DB" ] && ok "SCODESK_DB was created" || not_ok "SCODESK_DB was created"
expect 0 "--db=PATH works too" "schema version" -- --db="$dir/eq.db" init

# Default path from XDG_DATA_HOME and from HOME.
out=$(env -u SCODESK_DB XDG_DATA_HOME="$dir/xdg" "$bin" init 2>&1)
[ -f "$dir/xdg/scodesk/scodesk.db" ] && ok "XDG_DATA_HOME/scodesk/scodesk.db by default" ||
	not_ok "XDG_DATA_HOME/scodesk/scodesk.db by default" "$out"
out=$(env -u SCODESK_DB -u XDG_DATA_HOME HOME="$dir/home" "$bin" init 2>&1)
[ -f "$dir/home/.local/share/scodesk/scodesk.db" ] && ok "~/.local/share/scodesk/scodesk.db without XDG" ||
	not_ok "~/.local/share/scodesk/scodesk.db without XDG" "$out"

# Refused files stay byte for byte as they were.
refused() {
	desc=$1 file=$2 pattern=$3
	before=$(cksum <"$file")
	out=$("$bin" --db "$file" init 2>&1)
	rc=$?
	after=$(cksum <"$file")
	if [ "$rc" != 1 ]; then
		not_ok "$desc is refused" "exit $rc" "$out"
	elif ! printf '%s' "$out" | grep -q -- "$pattern"; then
		not_ok "$desc is refused" "no '$pattern' in: $out"
	elif [ "$before" != "$after" ] || [ -e "$file-wal" ]; then
		not_ok "$desc is refused" "the file changed"
	else
		ok "$desc is refused, untouched"
	fi
}
printf 'name,rank\nsmith,O-4\n' >"$dir/roster.csv"
refused "a text file" "$dir/roster.csv" "not a scodesk database"
sqlite3 "$dir/other.db" 'create table notes(x); insert into notes values (1)'
refused "another program's SQLite file" "$dir/other.db" "another program"
"$bin" --db "$dir/newer.db" init >/dev/null
sqlite3 "$dir/newer.db" 'pragma user_version = 99'
refused "a newer scodesk database" "$dir/newer.db" "newer than this scodesk"
expect 1 "a missing database is not opened read-only" "no database at" -- --db "$dir/none.db" --read-only

# A folder nobody may write (root ignores permissions: skip as root).
if [ "$(id -u)" != 0 ]; then
	mkdir "$dir/locked" && chmod 500 "$dir/locked"
	expect 1 "an unwritable folder gets one clear sentence" "cannot create" -- --db "$dir/locked/x.db" init
	chmod 700 "$dir/locked"
else
	ok "an unwritable folder (not checked as root) # SKIP root"
fi

# A broken database: check says so and exits 1.
cp "$db" "$dir/broken.db"
sqlite3 "$dir/broken.db" 'pragma foreign_keys=off; insert into languages(person_id, language, created_at, updated_at, version) values (99999, "Xhosa", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 1)'
expect 1 "check reports a dangling reference" "foreign key" -- --db "$dir/broken.db" check

# Files from outside: a schema scodesk did not make is refused untouched,
# naming the object; check lists every such object and exits 1.
cp "$db" "$dir/evil.db"
sqlite3 "$dir/evil.db" 'create trigger evil after insert on contacts begin delete from audit_log; end;
	create view peek as select sk_today() as d'
refused "a file with a trigger scodesk did not make" "$dir/evil.db" 'trigger "evil" on "contacts" is not one scodesk makes'
expect 1 "opening it to list is refused too" 'trigger "evil" on "contacts"' -- --db "$dir/evil.db" list contacts
out=$("$bin" --db "$dir/evil.db" check 2>&1)
rc=$?
if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qx 'schema: trigger "evil" on "contacts" is not one scodesk makes' &&
	printf '%s\n' "$out" | grep -qx 'schema: view "peek" is not one scodesk makes' &&
	printf '%s\n' "$out" | grep -q "2 findings"; then
	ok "check lists each object scodesk did not make and exits 1"
else
	not_ok "check lists each object scodesk did not make and exits 1" "exit $rc" "$out"
fi
cp "$db" "$dir/evil-name.db"
sqlite3 "$dir/evil-name.db" "create index \"x$(printf '\033')]52;c;aGk=$(printf '\007')\" on contacts(notes)"
out=$("$bin" --db "$dir/evil-name.db" check 2>&1)
if printf '%s' "$out" | grep -q "$(printf '\033')"; then
	not_ok "check shows an object's name inert" "an escape reached the output"
elif ! printf '%s\n' "$out" | grep -qF 'schema: index "x\x1B]52;c;aGk=\x07" on "contacts" is not one'; then
	not_ok "check shows an object's name inert" "$out"
else
	ok "check shows an object's name inert"
fi
cp "$db" "$dir/minus.db"
sqlite3 "$dir/minus.db" 'pragma user_version = -5'
refused "a schema version below 0" "$dir/minus.db" "not a scodesk database"
expect 1 "check says a schema version below 0 is not a scodesk database" "not a scodesk database" -- --db "$dir/minus.db" check
sqlite3 "$dir/minus.db" 'pragma user_version = -1000000'
refused "a schema version of -1000000 (it used to crash)" "$dir/minus.db" "not a scodesk database"

# A database another user holds locked past the busy timeout: one clear
# sentence, exit 1, nothing written.
lockdb="$dir/locked.db"
"$bin" --db "$lockdb" init >/dev/null
mkfifo "$dir/lockfifo"
sqlite3 "$lockdb" <"$dir/lockfifo" >"$dir/lockout" 2>&1 &
lockpid=$!
exec 7>"$dir/lockfifo"
echo "BEGIN IMMEDIATE; SELECT 'locked';" >&7
i=0
while ! grep -q locked "$dir/lockout" 2>/dev/null && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
expect 1 "a database locked past the timeout gets one clear sentence" "busy" -- --db "$lockdb" demo
exec 7>&-
wait $lockpid
count=$(sqlite3 "$lockdb" 'select count(*) from personnel')
[ "$count" = 0 ] && ok "nothing was written while locked" || not_ok "nothing was written while locked" "$count rows"

# Backups: a copy on demand, the daily one at start, restore after asking.
bdb="$dir/bk/office.db"
"$bin" --db "$bdb" demo >/dev/null
expect 0 "backup makes a copy in the backups folder" "backups/scodesk-backup-" -- --db "$bdb" backup
expect 0 "backup FILE makes that copy" "" -- --db "$bdb" backup "$dir/copy.db"
expect 0 "the copy is a sound database" ": ok" -- --db "$dir/copy.db" check
"$bin" --db "$bdb" </dev/null >/dev/null 2>&1
[ -f "$dir/bk/backups/scodesk-2026-11-25.db" ] && ok "opening makes the day's backup" ||
	not_ok "opening makes the day's backup" "$(ls "$dir/bk/backups" 2>&1)"

# backup --daily: what opening the interface starts in the background, and
# what cron may run.
ddb="$dir/daily/office.db"
"$bin" --db "$ddb" demo >/dev/null
daily="$dir/daily/backups/scodesk-2026-11-25.db"
out=$("$bin" --db "$ddb" backup --daily 2>&1)
rc=$?
[ "$rc" = 0 ] && [ "$out" = "$daily" ] && [ -f "$daily" ] &&
	ok "backup --daily makes the day's backup and prints its path" ||
	not_ok "backup --daily makes the day's backup and prints its path" "exit $rc: $out" "$(ls -A "$dir/daily/backups" 2>&1)"
expect 0 "the daily backup is a sound database" ": ok" -- --read-only --db "$daily" check
before=$(stat -c '%i %Y' "$daily" 2>&1)
out=$("$bin" --db "$ddb" backup --daily 2>&1)
rc=$?
[ "$rc" = 0 ] && [ -z "$out" ] && [ "$(stat -c '%i %Y' "$daily" 2>&1)" = "$before" ] &&
	[ "$(ls -A "$dir/daily/backups")" = scodesk-2026-11-25.db ] &&
	ok "backup --daily again makes nothing, says nothing, exits 0" ||
	not_ok "backup --daily again makes nothing, says nothing, exits 0" "exit $rc: $out" "$(ls -A "$dir/daily/backups" 2>&1)"
expect 2 "backup FILE --daily is a usage error" "FILE or --daily, not both" -- --db "$ddb" backup "$dir/x.db" --daily
expect 2 "backup --daily FILE is a usage error" "FILE or --daily, not both" -- --db "$ddb" backup --daily "$dir/x.db"
[ ! -e "$dir/x.db" ] && ok "... and no copy was made" || not_ok "... and no copy was made"
expect 2 "backup with an unknown option is a usage error" "unknown option --weekly for 'backup'" -- --db "$ddb" backup --weekly
# A backups "folder" that is a file: one sentence naming it, on stderr.
fdb="$dir/daily-fail/office.db"
"$bin" --db "$fdb" init >/dev/null
: >"$dir/daily-fail/backups"
out=$("$bin" --db "$fdb" backup --daily 2>"$dir/daily-err")
rc=$?
[ "$rc" = 1 ] && [ -z "$out" ] && grep -q "^scodesk: .*$dir/daily-fail/backups" "$dir/daily-err" &&
	ok "backup --daily that cannot write says why, naming the file, and exits 1" ||
	not_ok "backup --daily that cannot write says why, naming the file, and exits 1" "exit $rc: $out" "$(cat "$dir/daily-err")"
sqlite3 "$bdb" "UPDATE contacts SET last_name = 'Changed' WHERE id = 1"
before=$(cksum <"$bdb")
out=$("$bin" --db "$bdb" restore "$dir/copy.db" </dev/null 2>&1)
rc=$?
[ "$rc" = 1 ] && [ "$(cksum <"$bdb")" = "$before" ] && printf '%s' "$out" | grep -q -- "--yes" &&
	ok "restore without a terminal asks for --yes and changes nothing" ||
	not_ok "restore without a terminal asks for --yes and changes nothing" "exit $rc: $out"
printf 'hello\n' >"$dir/notadb.txt"
expect 1 "restore refuses a file that is not a sound database" "not a scodesk database" -- --db "$bdb" restore "$dir/notadb.txt" --yes
[ "$(cksum <"$bdb")" = "$before" ] && ok "... and leaves the database as it was" || not_ok "... and leaves the database as it was"
expect 0 "restore --yes puts the copy in place" "the previous database is" -- --db "$bdb" restore "$dir/copy.db" --yes
name=$(sqlite3 "$bdb" "SELECT last_name FROM contacts WHERE id = 1")
[ "$name" != Changed ] && ok "the restored data is back" || not_ok "the restored data is back" "$name"
n_restore=$(sqlite3 "$bdb" "SELECT count(*) FROM audit_log WHERE action = 'restore' AND table_name = 'database'")
[ "$n_restore" = 1 ] && ok "the restore is in the audit log" || not_ok "the restore is in the audit log" "$n_restore"
expect 2 "restore needs a file" "needs the file" -- --db "$bdb" restore
before=$(cksum <"$bdb")
expect 1 "restore refuses a file with a trigger scodesk did not make, naming it" 'trigger "evil" on "contacts" is not one scodesk makes' -- --db "$bdb" restore "$dir/evil.db" --yes
[ "$(cksum <"$bdb")" = "$before" ] && ok "... and leaves the database as it was" || not_ok "... and leaves the database as it was"

# A shared office database: group-writable file, setgid folder.
grp=$(id -gn)
expect 0 "init --shared GROUP shares the database" "shared with group" -- --db "$dir/shared/office.db" init --shared "$grp"
[ "$(stat -c %a "$dir/shared/office.db")" = 660 ] && [ "$(stat -c %a "$dir/shared")" = 2770 ] &&
	ok "the shared file is 0660 in a 2770 folder" ||
	not_ok "the shared file is 0660 in a 2770 folder" "$(stat -c '%a %n' "$dir/shared" "$dir/shared/office.db")"
expect 1 "an unknown group is refused before anything is made" "no group named" -- --db "$dir/nogroup/office.db" init --shared no-such-group-here
[ ! -e "$dir/nogroup/office.db" ] && ok "... and no file was made" || not_ok "... and no file was made"
cp "$dir/copy.db" "$dir/open.db" && chmod 666 "$dir/open.db"
expect 1 "a world-writable database is refused with a warning" "o-w" -- --db "$dir/open.db" check

# ---- nothing from the database or a file name reaches the terminal as a control ----
# inert FILE PLACEHOLDER...: FILE holds no C0 control but newline, no DEL,
# no byte that is not UTF-8 (a lone 0x9B is the 8-bit CSI), no C1 control
# and no bidirectional control; and every PLACEHOLDER is in it (so that
# empty output cannot pass). Prints what is wrong; exit 1 then.
inert() {
	python3 - "$@" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
bad = []
for i, b in enumerate(data):
    if (b < 0x20 and b != 0x0a) or b == 0x7f:
        bad.append('raw byte %02X at %d' % (b, i))
        break
try:
    text = data.decode('utf-8')
except UnicodeDecodeError as e:
    bad.append('not UTF-8: %s' % e)
    text = data.decode('utf-8', 'replace')
for ch in text:
    c = ord(ch)
    if 0x80 <= c <= 0x9f or c in (0x61c, 0x200e, 0x200f) or 0x202a <= c <= 0x202e or 0x2066 <= c <= 0x2069:
        bad.append('raw U+%04X' % c)
        break
for p in sys.argv[2:]:
    if p.encode() not in data:
        bad.append('no %s' % p)
if bad:
    # doubled: not_ok's echo (dash) reads backslash escapes
    print(('; '.join(bad) + ' in ' + repr(data[:600])).replace('\\', '\\\\'))
sys.exit(1 if bad else 0)
EOF
}
# inert_check DESCRIPTION CODE FILE PLACEHOLDER...: the exit code ($rc) was
# CODE and FILE is inert.
inert_check() {
	desc=$1 want=$2
	shift 2
	why=$(inert "$@")
	inert_rc=$?
	if [ "$rc" != "$want" ]; then
		not_ok "$desc" "exit $rc, wanted $want; $why"
	elif [ "$inert_rc" = 0 ]; then
		ok "$desc"
	else
		not_ok "$desc" "$why"
	fi
}
# ESC [2J, a raw 0x9B, U+009B (C2 9B), U+202E, U+2066 and BEL, as stored.
hostile="x'45761b5b324a9b78c29b79e280ae7ae281a6077a'"
shown_c0='Ev\x1B[2J' shown_9b='\x9Bx' shown_c1='\xC2\x9By' shown_rlo='<U+202E>z' shown_lri='<U+2066>' shown_bel='\x07z'
idb="$dir/inert/office.db"
"$bin" --db "$idb" demo >/dev/null
sqlite3 "$idb" "UPDATE personnel SET last_name = CAST($hostile AS TEXT) WHERE last_name = 'Vardunak';
	UPDATE settings SET value = CAST($hostile AS TEXT) WHERE key = 'office_name'"
"$bin" --db "$idb" list personnel >"$dir/inert.out" 2>&1
rc=$?
inert_check "list shows hostile text as placeholders" 0 "$dir/inert.out" "$shown_c0" "$shown_9b" "$shown_c1" "$shown_rlo" "$shown_lri" "$shown_bel"
"$bin" --db "$idb" alerts >"$dir/inert.out" 2>&1
rc=$?
inert_check "alerts show hostile text as placeholders" 0 "$dir/inert.out" "$shown_c0" "$shown_9b" "$shown_c1" "$shown_rlo" "$shown_lri" "$shown_bel"
"$bin" --db "$idb" </dev/null >"$dir/inert.out" 2>&1
rc=$?
inert_check "the plain summary shows hostile text as placeholders" 0 "$dir/inert.out" "$shown_c0" "$shown_9b" "$shown_c1" "$shown_rlo" "$shown_lri" "$shown_bel" "-- $shown_c0"
# export and report to a terminal (-o -) are for reading there: shown
# inert, each row on a line of its own (the tty's own CR is turned off);
# into a pipe the bytes stay as stored, the round-trip file.
for what in "export personnel" "report manning"; do
	script -qec "stty -onlcr; '$bin' --db '$idb' $what -o -; echo \"exit \$?\"" /dev/null </dev/null >"$dir/inert.out" 2>&1
	rc=$(sed -n 's/^exit \([0-9]*\).*/\1/p' "$dir/inert.out")
	inert_check "$what -o - to a terminal shows hostile text as placeholders" 0 "$dir/inert.out" "$shown_c0" "$shown_9b" "$shown_c1" "$shown_rlo" "$shown_lri" "$shown_bel"
done
"$bin" --db "$idb" export personnel -o - | od -An -c | tr -d ' \n' | grep -qF '033[2J' &&
	ok "export -o - into a pipe keeps the bytes as stored" || not_ok "export -o - into a pipe keeps the bytes as stored"
# A table of nobody's making whose name is hostile, with a row that refers
# to a missing one: check names both.
cp "$idb" "$dir/inert/check.db"
sqlite3 "$dir/inert/check.db" "$(printf 'CREATE TABLE "t\033[2J\233\342\200\256" (a INTEGER REFERENCES "p\033]0;x\007\342\201\246"(id)); INSERT INTO "t\033[2J\233\342\200\256" VALUES (1);')"
"$bin" --db "$dir/inert/check.db" check >"$dir/inert.out" 2>&1
rc=$?
inert_check "check shows a hostile table name as placeholders" 1 "$dir/inert.out" 't\x1B[2J\x9B<U+202E>' 'p\x1B]0;x\x07<U+2066>'
# A file name holding ESC, a raw 0x9B and U+202E.
evil="$dir/inert/$(printf 'ev\033[2J\233\342\200\256il')"
"$bin" --db "$evil.db" --read-only list contacts >"$dir/inert.out" 2>&1
rc=$?
inert_check "an error message shows a hostile file name as placeholders" 1 "$dir/inert.out" 'ev\x1B[2J\x9B<U+202E>il.db'
"$bin" --db "$evil.db" init >"$dir/inert.out" 2>&1
rc=$?
inert_check "init shows a hostile file name as placeholders" 0 "$dir/inert.out" 'ev\x1B[2J\x9B<U+202E>il.db: schema'
"$bin" --db "$evil.db" check >"$dir/inert.out" 2>&1
rc=$?
inert_check "check shows a hostile database name as placeholders" 0 "$dir/inert.out" 'ev\x1B[2J\x9B<U+202E>il.db: ok'
printf 'hello\n' >"$evil.txt"
"$bin" --db "$idb" restore "$evil.txt" --yes >"$dir/inert.out" 2>&1
rc=$?
inert_check "restore's refusal shows a hostile file name as placeholders" 1 "$dir/inert.out" 'ev\x1B[2J\x9B<U+202E>il.txt is not'
"$bin" --db "$evil.db" backup "$evil.copy" >/dev/null 2>&1
"$bin" --db "$idb" restore "$evil.copy" --yes >"$dir/inert.out" 2>&1
rc=$?
inert_check "restore shows a hostile file name as placeholders" 0 "$dir/inert.out" "restored from $dir/inert/"'ev\x1B[2J\x9B<U+202E>il.copy'
"$bin" --db "$idb" import contacts "$evil.txt" >"$dir/inert.out" 2>&1
rc=$?
inert_check "import's problems show a hostile file name as placeholders" 1 "$dir/inert.out" 'ev\x1B[2J\x9B<U+202E>il.txt:1:1:' 'ev\x1B[2J\x9B<U+202E>il.txt: 1 problem'
"$bin" --db "$idb" list "$(printf 'no\033[2Jsuch')" >"$dir/inert.out" 2>&1
rc=$?
inert_check "a usage error shows a hostile argument as placeholders" 2 "$dir/inert.out" "no table named 'no\\x1B[2Jsuch'"
# What init --shared leaves alone in backups/ is named in a warning, and
# the name of the database's folder in it is hostile too.
shdir="$dir/$(printf 'sh\033[2J\233\342\200\256')"
mkdir "$shdir" && chmod 700 "$shdir"
"$bin" --db "$shdir/o.db" init >/dev/null
mkdir "$shdir/backups"
ln -s "$dir/nowhere" "$shdir/backups/scodesk-2026-01-01.db"
"$bin" --db "$shdir/o.db" init --shared "$(id -gn)" >"$dir/inert.out" 2>&1
rc=$?
inert_check "init --shared's warning shows a hostile folder name as placeholders" 0 "$dir/inert.out" 'sh\x1B[2J\x9B<U+202E>/backups/scodesk-2026-01-01.db' 'left alone'
# A row older than its record, replaced on purpose from a hostile file name.
odb="$dir/inert/overwrite.db"
"$bin" --db "$odb" demo >/dev/null
"$bin" --db "$odb" export contacts -o "$evil.csv" >/dev/null
sqlite3 "$odb" "UPDATE contacts SET version = version + 1, notes = 'newer' WHERE id = (SELECT min(id) FROM contacts)"
"$bin" --db "$odb" import contacts "$evil.csv" --overwrite-newer >"$dir/inert.out" 2>&1
rc=$?
inert_check "import --overwrite-newer shows a hostile file name as placeholders" 0 "$dir/inert.out" 'ev\x1B[2J\x9B<U+202E>il.csv: 1 row older' 'ev\x1B[2J\x9B<U+202E>il.csv: '
expect 2 "--marking refuses a bidirectional control" "needs 'none' or a line of text" -- --db "$idb" export billets -o "$dir/inert.csv" --marking "$(printf 'CUI\342\200\256')"
[ ! -e "$dir/inert.csv" ] && ok "... and writes no file" || not_ok "... and writes no file"

# A case type is a case's (FMS, FMF, Sec. 333, EDA): the import names the
# field, the line and the value, and loads nothing.
ctdb="$dir/casetype.db"
"$bin" --db "$ctdb" init >/dev/null
printf 'authority,title,case_type\nfms,Trucks,defined_order\nimet,IMET FY27,training\n' >"$dir/ct-imet.csv"
expect 1 "import refuses a case type on an IMET program, naming the field" \
	'ct-imet.csv:3:[0-9]*: field "case_type": value "training": only a case (authority fms, fmf, s333 or eda) has a case type; authority is imet' \
	-- --db "$ctdb" import programs "$dir/ct-imet.csv"
printf 'authority,title,case_type\nfms,Trucks,sale\n' >"$dir/ct-bad.csv"
expect 1 "import refuses a case type that is none, naming the field" \
	'ct-bad.csv:2:[0-9]*: field "case_type": value "sale": not one of defined_order, blanket_order, training, bpc' \
	-- --db "$ctdb" import programs "$dir/ct-bad.csv"
rows=$("$bin" --db "$ctdb" list programs | tail -n +2 | wc -l)
[ "$rows" = 0 ] && ok "... and neither file loads a row" || not_ok "... and neither file loads a row" "$rows rows"
printf 'authority,title,case_type\nfms,Trucks,defined_order\ns333,Boats,bpc\nimet,IMET FY27,\n' >"$dir/ct-ok.csv"
expect 0 "import takes case types on cases and none on IMET" "3 added" \
	-- --db "$ctdb" import programs "$dir/ct-ok.csv"

# The import templates shipped in data/ are what an export of an empty
# table gives: the header row of today's columns.
tdb="$dir/templates.db"
"$bin" --db "$tdb" init >/dev/null
stale=""
for f in "$src"/data/templates/*.csv; do
	t=$(basename "$f" .csv)
	"$bin" --db "$tdb" export "$t" -o "$dir/tpl.csv" --marking none --no-bom >/dev/null 2>&1
	cmp -s "$f" "$dir/tpl.csv" || stale="$stale $t"
done
[ -z "$stale" ] && ok "the import templates in data/ match the tables" ||
	not_ok "the import templates in data/ match the tables" "stale:$stale (remake them with scodesk export TABLE --marking none --no-bom)"

# Every column of every table is in the data dictionary, in its section.
dict="$src/docs/data-dictionary.md"
missing=""
# The tables are schema.c's, so that a new one is checked without a
# change here.
tables=$(sed -n 's/^TABLE(\([a-z_]*\),.*/\1/p' "$src/src/core/schema.c")
[ -n "$tables" ] || not_ok "the tables are read from schema.c"
for t in $tables; do
	cols=$("$bin" --db "$db" list "$t" | head -n 1 | sed 's/ | /\n/g')
	section=$(awk -v h="## \`$t\`" '$0 == h {on = 1; next} /^## / {on = 0} on' "$dict")
	for c in $cols; do
		printf '%s' "$section" | grep -q "\`$c\`" || missing="$missing $t.$c"
	done
done
[ -z "$missing" ] && ok "the data dictionary names every column" || not_ok "the data dictionary names every column" "missing:$missing"

# The man page names every command and option of the usage.
for word in init demo check list alerts handover --format backup restore --daily --shared --db --read-only --no-color --ascii --mouse --help --version; do
	grep -q -- "$(printf '%s' "$word" | sed 's/-/\\\\-/g')" "$src/docs/scodesk.1" || grep -q -- "$word" "$src/docs/scodesk.1" ||
		missing_man="${missing_man:-} $word"
done
[ -z "${missing_man:-}" ] && ok "the man page covers every command and option" || not_ok "the man page covers every command and option" "missing:$missing_man"

# The man page lists every key of the action table, with its help text.
missing_keys=""
"$bin" keys | grep '^  ' | while IFS= read -r line; do
	help=$(printf '%s' "$line" | cut -c26- | sed 's/\\/\\e/g; s/-/\\-/g')
	grep -qF -- "$help" "$src/docs/scodesk.1" || echo "$help"
done >"$dir/missing-keys"
[ ! -s "$dir/missing-keys" ] && ok "the man page lists every key" || not_ok "the man page lists every key" "$(cat "$dir/missing-keys")"
for word in Dashboard Roster Training Programs Contacts Audit; do
	grep -q "^$word" "$src/docs/scodesk.1" || grep -q "^\.B $word\|^$word:" "$src/docs/scodesk.1" || missing_screen="${missing_screen:-} $word"
done
[ -z "${missing_screen:-}" ] && ok "the man page describes every screen" || not_ok "the man page describes every screen" "missing:$missing_screen"

# An unknown or missing TERM on a real terminal (a pseudo-terminal made by
# script(1)): the plain summary with one sentence saying why, exit 0, not
# ncurses' "Error opening terminal" and exit 1.
if command -v script >/dev/null 2>&1; then
	for how in unknown unset; do
		if [ $how = unknown ]; then
			TERM=nonexistent-term script -qec "'$bin' --db '$db'; echo \"exit \$?\"" /dev/null </dev/null >"$dir/term.out" 2>&1
			why='the terminal type "nonexistent-term" (TERM) is unknown here'
		else
			env -u TERM script -qec "'$bin' --db '$db'; echo \"exit \$?\"" /dev/null </dev/null >"$dir/term.out" 2>&1
			why='TERM is not set'
		fi
		tr -d '\r' <"$dir/term.out" >"$dir/term.txt"
		if grep -q "Error opening terminal" "$dir/term.txt" || ! grep -q '^exit 0$' "$dir/term.txt"; then
			not_ok "TERM $how on a terminal: no ncurses abort, exit 0" "$(cat "$dir/term.txt")"
		else
			ok "TERM $how on a terminal: no ncurses abort, exit 0"
		fi
		grep -q '^CUI -- ' "$dir/term.txt" && grep -q '^contacts ' "$dir/term.txt" &&
			ok "TERM $how on a terminal: the plain summary" ||
			not_ok "TERM $how on a terminal: the plain summary" "$(cat "$dir/term.txt")"
		sentences=$(grep -c '^scodesk: ' "$dir/term.txt")
		grep -qF "scodesk: $why" "$dir/term.txt" && grep -q 'so this is the plain summary' "$dir/term.txt" &&
			[ "$sentences" = 1 ] && ok "TERM $how on a terminal: one sentence says why" ||
			not_ok "TERM $how on a terminal: one sentence says why" "$(cat "$dir/term.txt")"
	done
	# A TERM holding ESC and U+202E is named, as placeholders.
	TERM="$(printf 'xx\033[2J\342\200\256yy')" script -qec "stty -onlcr; '$bin' --db '$db'; echo \"exit \$?\"" /dev/null </dev/null >"$dir/inert.out" 2>&1
	rc=$(sed -n 's/^exit \([0-9]*\).*/\1/p' "$dir/inert.out")
	inert_check "a hostile TERM is named in the sentence as placeholders" 0 "$dir/inert.out" 'type "xx\x1B[2J<U+202E>yy" (TERM)'
else
	echo "# script(1) is not installed: the TERM checks were left out"
fi

echo "1..$n"
[ "$failed" = 0 ]
