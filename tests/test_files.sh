#!/bin/sh
# test_files.sh SCODESK: the files beside the database from the command
# line: --read-only changes nothing anywhere, init --shared leaves planted
# links alone and says so, pipes and names too long are refused at once,
# a killed backup's temporary file goes with the next backup, and (as
# root, with two users made for the test) a shared office where both
# members make backups. TAP output.
set -u
bin=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-files-XXXXXX")
users=""
group=""
cleanup() {
	for u in $users; do userdel "$u" 2>/dev/null; done
	[ -n "$group" ] && groupdel "$group" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
. "$(dirname "$0")/tap.sh"

grp=$(id -gn)
listing() { ls -A "$1" | LC_ALL=C sort | tr '\n' ' '; }

# ---- --read-only changes nothing ---------------------------------------------
ro="$dir/ro/office.db"
"$bin" --db "$ro" demo >/dev/null
before=$(listing "$dir/ro")
expect 2 "--read-only init --shared is refused" "not with --read-only" -- --read-only --db "$ro" init --shared "$grp"
[ "$(stat -c %a "$ro")" = 600 ] && [ "$(stat -c %a "$dir/ro")" = 700 ] &&
	ok "... and the file and folder keep their modes" ||
	not_ok "... and the file and folder keep their modes" "$(stat -c '%a %n' "$dir/ro" "$ro")"
expect 2 "--read-only init is refused" "not with --read-only" -- --read-only --db "$ro" init
expect 2 "--read-only backup into the backups folder is refused" "not with --read-only" -- --read-only --db "$ro" backup
expect 2 "--read-only backup --daily is refused" "not with --read-only" -- --read-only --db "$ro" backup --daily
expect 0 "--read-only check" ": ok" -- --read-only --db "$ro" check
expect 0 "--read-only list" "last_name" -- --read-only --db "$ro" list contacts
expect 0 "--read-only summary" "(read-only)" -- --read-only --db "$ro"
after=$(listing "$dir/ro")
[ "$before" = "$after" ] && ok "... and nothing appeared beside the database (no -wal, -shm, backups)" ||
	not_ok "... and nothing appeared beside the database (no -wal, -shm, backups)" "before: $before" "after: $after"
expect 0 "--read-only backup FILE writes the file asked for" "copy.db" -- --read-only --db "$ro" backup "$dir/copy.db"
expect 0 "... a sound copy" ": ok" -- --read-only --db "$dir/copy.db" check

# ---- init --shared again: a link planted in backups/ is left alone ------------------
sh="$dir/shared/office.db"
"$bin" --db "$sh" init --shared "$grp" >/dev/null
"$bin" --db "$sh" backup --daily >/dev/null
printf 'private\n' >"$dir/secret"
chmod 600 "$dir/secret"
ln -s "$dir/secret" "$dir/shared/backups/scodesk-2026-01-01.db"
out=$("$bin" --db "$sh" init --shared "$grp" 2>"$dir/share-err")
rc=$?
[ "$rc" = 0 ] && [ "$(stat -c %a "$dir/secret")" = 600 ] && [ -L "$dir/shared/backups/scodesk-2026-01-01.db" ] &&
	ok "init --shared again does not follow a link in backups/" ||
	not_ok "init --shared again does not follow a link in backups/" "exit $rc: $out" "$(stat -c '%a %n' "$dir/secret")" "$(cat "$dir/share-err")"
grep -q "^scodesk: warning: .*scodesk-2026-01-01.db.*left alone" "$dir/share-err" &&
	ok "... and says it left it alone" || not_ok "... and says it left it alone" "$(cat "$dir/share-err")"
[ "$(stat -c %a "$dir/shared/backups/scodesk-2026-11-25.db")" = 660 ] &&
	ok "... while the real backup is the group's" ||
	not_ok "... while the real backup is the group's" "$(stat -c '%a %n' "$dir/shared/backups/"*)"

# ---- not a file, names too long -------------------------------------------------------
mkfifo "$dir/pipe.db"
out=$(timeout 30 "$bin" --db "$dir/pipe.db" check 2>&1)
rc=$?
[ "$rc" = 1 ] && printf '%s' "$out" | grep -q "pipe.db is a named pipe" &&
	ok "a named pipe is refused at once with one sentence" ||
	not_ok "a named pipe is refused at once with one sentence" "exit $rc: $out"
mkdir "$dir/folder.db"
expect 1 "a folder is refused with one sentence" "folder.db is a folder, not a database file" -- --db "$dir/folder.db" check
long=$(printf '%0300d' 0)
expect 1 "a name too long is refused with one sentence" "too long" -- --db "$dir/made/$long/office.db" init
[ ! -e "$dir/made" ] && ok "... and no folder was made" || not_ok "... and no folder was made" "$(ls -A "$dir")"

# ---- a killed backup's temporary file ---------------------------------------------------
big="$dir/big/office.db"
"$bin" --db "$big" init >/dev/null
sqlite3 "$big" "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 40) INSERT INTO contacts(last_name, notes, created_at, updated_at, version) SELECT 'Ballast', printf('%.*c', 2000000, 'x'), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1 FROM c"
mkdir "$dir/out"
"$bin" --db "$big" backup "$dir/out/copy.db" >/dev/null 2>&1 &
pid=$!
i=0
while ! ls "$dir/out" | grep -q '^copy\.db\.tmp-......$' && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
left=$(ls "$dir/out" | grep '^copy\.db\.tmp-' | tr '\n' ' ')
if [ -z "$left" ]; then
	echo "# the copy ended before it could be killed: a leftover is made by hand"
	: >"$dir/out/copy.db.tmp-Ab3xY9"
	left="copy.db.tmp-Ab3xY9 "
fi
expect 0 "the next backup to the same file goes through" "copy.db" -- --db "$big" backup "$dir/out/copy.db"
now=$(listing "$dir/out")
[ "$now" = "copy.db " ] && ok "... and removes what the killed one left ($left)" ||
	not_ok "... and removes what the killed one left ($left)" "$now"

# ---- a shared office of two users (root only) -------------------------------------------
if [ "$(id -u)" != 0 ]; then
	echo "# not root: the shared office of two users was not tried"
	echo "1..$n"
	[ "$failed" = 0 ]
	exit
fi
id=$$
group="sktg$id"
ua="skta$id"
ub="sktb$id"
groupadd "$group" && users="$ua" && useradd -M -N -g "$group" -s /usr/sbin/nologin "$ua" &&
	users="$ua $ub" && useradd -M -N -g "$group" -s /usr/sbin/nologin "$ub" ||
	{ echo "Bail out! cannot make the test's users"; exit 1; }
as() { u=$1; shift; setpriv --reuid="$u" --regid="$group" --init-groups -- "$@"; }
chmod 755 "$dir"
mkdir "$dir/office"
chown "$ua:$group" "$dir/office"
chmod 700 "$dir/office"
odb="$dir/office/office.db"
out=$(as "$ua" "$bin" --db "$odb" init --shared "$group" 2>&1)
[ $? = 0 ] && ok "the first member shares the database" || not_ok "the first member shares the database" "$out"
out=$(as "$ua" "$bin" --db "$odb" backup 2>&1)
[ $? = 0 ] && ok "the first member makes a backup by hand" || not_ok "the first member makes a backup by hand" "$out"
[ "$(stat -c %a "$dir/office/backups")" = 2770 ] && ok "... and backups/ is 2770, for the group" ||
	not_ok "... and backups/ is 2770, for the group" "$(stat -c '%a %U %G' "$dir/office/backups")"
out=$(as "$ub" "$bin" --db "$odb" backup --daily 2>&1)
rc=$?
[ "$rc" = 0 ] && [ -f "$dir/office/backups/scodesk-2026-11-25.db" ] &&
	ok "the second member's daily backup works" || not_ok "the second member's daily backup works" "exit $rc: $out"
out=$(as "$ub" "$bin" --db "$odb" backup 2>&1)
[ $? = 0 ] && ok "the second member's backup by hand works" || not_ok "the second member's backup by hand works" "$out"
out=$(as "$ua" "$bin" --read-only --db "$dir/office/backups/scodesk-2026-11-25.db" check 2>&1)
[ $? = 0 ] && ok "the other member finds that backup sound" ||
	not_ok "the other member finds that backup sound" "$out"
# Root is held to the same rules: a member's private file is not opened.
out=$(as "$ua" "$bin" --db "$dir/office/private.db" init 2>&1)
expect 1 "root does not open another user's private database" "belongs to $ua" -- --db "$dir/office/private.db" check

echo "1..$n"
[ "$failed" = 0 ]
