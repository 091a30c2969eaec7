#!/bin/sh
# test_check_items.sh SCODESK: an EUM check's items loaded from the list of
# serial numbers its inspector scanned, as the office runs it: refused
# files (unknown, duplicate, deleted and already-loaded serials, a bad
# result, a bare list without its header) leave the database byte for
# byte as it was and name every problem FILE:LINE:COL; a good file (a
# spreadsheet's, with semicolons, CRLF and marking lines) records what the
# list saw and, for an inventory, what it lacks (and not what it need not
# account for); the alerts follow; scodesk check finds a line that breaks
# the rule a check sees only its own case's items. TAP.
set -u
bin=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-checkitems-XXXXXX")
trap 'rm -rf "$dir"' EXIT
export SCODESK_DB="$dir/unused.db"
. "$(dirname "$0")/tap.sh"
check() { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

db="$dir/office.db"
"$bin" --db "$db" demo >/dev/null || { echo "Bail out! no demo database"; exit 1; }
q() { sqlite3 "$db" "$1"; }
sum() { sqlite3 "$db" .dump | cksum; }
vab=$(q "select id from programs where case_id = 'QV-B-VAB'")
depot="Land Forces Central Depot"

# A new annual inventory of the night-vision case at the depot (its 20
# devices), entered as the office would: an import of one check.
printf 'date,kind,program_id,site\n2026-11-20,annual_inventory,%s,%s\n' "$vab" "$depot" >"$dir/check.csv"
"$bin" --db "$db" import eum_checks "$dir/check.csv" >/dev/null || { echo "Bail out! no check"; exit 1; }
check=$(q "select max(id) from eum_checks")

# ---- refused whole --------------------------------------------------------
# lines 1-2 marking and header; 3-20 serials 101..118; then the problems
{
	printf 'CUI\r\nserial_number,result,notes\r\n'
	for i in $(seq 101 118); do printf 'PVS14-210%s,,\r\n' "$i"; done
	printf 'pvs14-210119,,\r\n'          # 21: a typist's case
	printf 'PVS14-999999,,\r\n'          # 22: no such device
	printf 'PVS14-210103,damaged,\r\n'   # 23: listed twice
	printf 'PVS14-210120,broken,\r\n'    # 24: not a result
	printf 'TL175-0101,,\r\n'            # 25: a device of another case
	printf 'CUI\r\n'
} >"$dir/bad.csv"
before=$(sum)
out=$("$bin" --db "$db" check-items "$check" "$dir/bad.csv" 2>&1)
rc=$?
check "a file with problems is refused (exit 1)" [ "$rc" = 1 ]
for want in \
	"bad.csv:21:1: field \"serial_number\": value \"pvs14-210119\": no item of case QV-B-VAB has this serial number (the register has PVS14-210119)" \
	"bad.csv:22:1: field \"serial_number\": value \"PVS14-999999\": no item of case QV-B-VAB" \
	"bad.csv:23:1: field \"serial_number\": value \"PVS14-210103\": listed twice: line 5 has it too" \
	"bad.csv:24:14: field \"result\": value \"broken\": not one of seen, not_seen, damaged, wrong_site" \
	"bad.csv:25:1: field \"serial_number\": value \"TL175-0101\": no item of case QV-B-VAB has this serial number" \
	"bad.csv: 5 problems; nothing was loaded"; do
	if printf '%s\n' "$out" | grep -qF -- "$want"; then ok "refused: $want"; else not_ok "refused: $want" "$out"; fi
done
check "the refused file left the database as it was" [ "$(sum)" = "$before" ]

printf 'PVS14-210101\nPVS14-210102\n' >"$dir/bare.csv"
expect 1 "a bare list of serials is told it needs its header" \
	"bare.csv:1:1: value \"PVS14-210101\": the file needs a header row naming its columns: serial_number" \
	-- --db "$db" check-items "$check" "$dir/bare.csv"
printf 'serial,note\nPVS14-210101,x\n' >"$dir/named.csv"
expect 1 "a header of unknown columns says which are known" \
	"named.csv:1:1: value \"serial\": the file needs a header row naming its columns: serial_number, then result and notes" \
	-- --db "$db" check-items "$check" "$dir/named.csv"
expect 1 "an unknown check is named" "there is no EUM check 999" \
	-- --db "$db" check-items 999 "$dir/bare.csv"
expect 2 "the check is a number" "not an EUM check's id" \
	-- --db "$db" check-items 5x "$dir/bare.csv"
printf 'serial_number\n\033[2Jx\n' >"$dir/esc.csv"
out=$("$bin" --db "$db" check-items "$check" "$dir/esc.csv" 2>&1)
check "a control character in a serial reaches the terminal inert" \
	sh -c 'printf "%s\n" "$1" | grep -qF "value \"\\x1B[2Jx\": no item of case" && ! printf "%s" "$1" | grep -q "$(printf "\033")"' _ "$out"
printf 'serial_number,result,serial_number\nPVS14-210101,seen,PVS14-210101\n' >"$dir/twice.csv"
expect 1 "a column named twice is one problem" "twice.csv: 1 problem; nothing was loaded" \
	-- --db "$db" check-items "$check" "$dir/twice.csv"
check "nothing of that reached the database" [ "$(sum)" = "$before" ]

# What an inventory does not account for, at the depot beside the 20: a
# device lost and one expended, a mount without enhanced monitoring, one
# delivered after the check; and one whose delivery was never recorded,
# which it does account for.
"$bin" --db "$db" import eum_items /dev/stdin >/dev/null <<EOF
program_id,category,description,serial_number,eeum,delivered_date,site,status
$vab,nvd,AN/PVS-14 monocular night vision device,DEP-LOST,1,2024-08-17,$depot,lost
$vab,nvd,AN/PVS-14 monocular night vision device,DEP-EXP,1,2024-08-17,$depot,expended
$vab,other,Weapon mount,DEP-MOUNT,0,2024-08-17,$depot,in_storage
$vab,nvd,AN/PVS-14 monocular night vision device,DEP-LATE,1,2026-11-22,$depot,in_storage
$vab,nvd,AN/PVS-14 monocular night vision device,DEP-NODATE,1,,$depot,in_storage
EOF
before=$(sum)

# ---- a good file, as a spreadsheet in a semicolon locale saves it ---------
# 17 of the depot's 20: 107, 119 and 120 are not on it; 110 damaged; 111
# listed not seen; the serials and a result padded with blanks as a
# scanner's export or a typist may leave them
{
	printf 'CUI;;\r\nserial_number;result;notes\r\n'
	for i in $(seq 101 118); do
		case $i in
		107) ;;
		110) printf 'PVS14-210110;damaged;cracked objective lens\r\n' ;;
		111) printf 'PVS14-210111; not_seen ;presented empty case\r\n' ;;
		*) printf ' PVS14-210%s ;;\r\n' "$i" ;;
		esac
	done
	printf 'CUI;;\r\n'
} >"$dir/scan.csv"
out=$("$bin" --db "$db" check-items "$check" "$dir/scan.csv" --dry-run 2>&1)
f="$dir/scan.csv"
check "a dry run says what it would record, and nothing more" [ "$out" = "$f: 17 serials would go on check $check: 15 seen, 1 damaged or at the wrong site, 1 not seen
$f: 4 watched items the list lacks would be recorded not seen: DEP-NODATE, PVS14-210107, PVS14-210119, PVS14-210120
$f: nothing was written (--dry-run)" ]
check "the dry run wrote nothing" [ "$(sum)" = "$before" ]
expect 0 "the load says what it recorded" \
	"scan.csv: 17 serials on check $check: 15 seen, 1 damaged or at the wrong site, 1 not seen" \
	-- --db "$db" check-items "$check" "$dir/scan.csv"
check "the check has a line for each of the depot's 20 devices and the undated one" \
	[ "$(q "select count(*) from eum_check_items where check_id = $check")" = 21 ]
check "the four the list lacks are not_seen, noting the list" \
	[ "$(q "select group_concat(s, ' ') from (select i.serial_number as s from eum_check_items x join eum_items i on i.id = x.item_id
	        where x.check_id = $check and x.result = 'not_seen' and x.notes like 'not on the list %scan.csv' order by 1)")" = \
	  "DEP-NODATE PVS14-210107 PVS14-210119 PVS14-210120" ]
check "the one listed not seen is, its blanks dropped, with its note" \
	[ "$(q "select x.result || ':' || x.notes from eum_check_items x join eum_items i on i.id = x.item_id
	        where x.check_id = $check and i.serial_number = 'PVS14-210111'")" = "not_seen:presented empty case" ]
check "the damaged device keeps its note" \
	[ "$(q "select x.result || ':' || x.notes from eum_check_items x join eum_items i on i.id = x.item_id
	        where x.check_id = $check and i.serial_number = 'PVS14-210110'")" = "damaged:cracked objective lens" ]
check "the devices of the brigade armory are not this check's" \
	[ "$(q "select count(*) from eum_check_items x join eum_items i on i.id = x.item_id
	        where x.check_id = $check and i.site <> '$depot'")" = 0 ]
check "every line is in the audit log as an import" \
	[ "$(q "select count(*) from audit_log where table_name = 'eum_check_items' and action = 'import'")" = 21 ]
out=$("$bin" --db "$db" list eum_items 2>&1)
check "an item's last inventory is the new one" \
	sh -c 'printf "%s\n" "$1" | grep -q "| PVS14-210101 | .* | 2026-11-20 | seen | 2027-11-20 |"' _ "$out"
out=$("$bin" --db "$db" alerts 2>&1)
check "a device the list lacked raises eum-item-missing" \
	sh -c 'printf "%s\n" "$1" | grep -q "eum-item-missing .*PVS14-210119 .*not seen by the annual inventory of 2026-11-20"' _ "$out"

after=$(sum)
expect 1 "loading the same list again is refused" \
	"scan.csv:3:1: field \"serial_number\": value \"PVS14-210101\": check $check has a line for EUM item" \
	-- --db "$db" check-items "$check" "$dir/scan.csv"
check "and changes nothing" [ "$(sum)" = "$after" ]

# ---- a deleted item; a check that names no case; --only-listed ------------
id107=$(q "select id from eum_items where serial_number = 'PVS14-210107'")
"$bin" --db "$db" import eum_items /dev/stdin >/dev/null <<EOF
id,program_id,category,description,serial_number,deleted_at
$id107,$vab,nvd,AN/PVS-14 monocular night vision device,PVS14-210107,2026-11-21T09:00:00Z
EOF
printf 'date,kind,site\n2026-11-22,routine,%s\n' "$depot" >"$dir/routine.csv"
"$bin" --db "$db" import eum_checks "$dir/routine.csv" >/dev/null
routine=$(q "select max(id) from eum_checks")
printf 'serial_number\nPVS14-210107\n' >"$dir/gone.csv"
expect 1 "a deleted item's serial is refused, named" \
	"gone.csv:2:1: field \"serial_number\": value \"PVS14-210107\": EUM item $id107 with this serial number is deleted" \
	-- --db "$db" check-items "$routine" "$dir/gone.csv"
# the same serial on a second case: a check without a case cannot tell
vae=$(q "select id from programs where case_id = 'QV-B-VAE'")
"$bin" --db "$db" import eum_items /dev/stdin >/dev/null <<EOF
program_id,category,description,serial_number,eeum
$vae,comsec,KG-175D TACLANE encryptor,PVS14-210111,1
EOF
printf 'serial_number\nPVS14-210111\n' >"$dir/shared.csv"
expect 1 "a serial two cases share needs the check's case" \
	"items of several cases have this serial number (QV-B-VAB, QV-B-VAE): give check $routine its case" \
	-- --db "$db" check-items "$routine" "$dir/shared.csv"
printf 'serial_number,result\nPVS14-210112,wrong_site\n' >"$dir/one.csv"
expect 0 "a routine check records only what is listed" \
	"(standard input): 1 serial on check $routine: 0 seen, 1 damaged or at the wrong site, 0 not seen" \
	-- --db "$db" check-items "$routine" - <"$dir/one.csv"
check "one line, from standard input" [ "$(q "select count(*) from eum_check_items where check_id = $routine")" = 1 ]

# a line deleted from the check still holds its place (the unique index):
# the file is told to restore it
line112=$(q "select id from eum_check_items where check_id = $routine")
"$bin" --db "$db" import eum_check_items /dev/stdin >/dev/null <<EOF
id,check_id,item_id,result,deleted_at
$line112,$routine,$(q "select item_id from eum_check_items where id = $line112"),wrong_site,2026-11-22T10:00:00Z
EOF
expect 1 "a serial whose line on the check was deleted is told to restore it" \
	"one.csv:2:1: field \"serial_number\": value \"PVS14-210112\": check $routine has a deleted line for EUM item" \
	-- --db "$db" check-items "$routine" "$dir/one.csv"
# a serial that begins with a dash comes back from an export guarded
# against formulas ('-...): it is read as the register has it
"$bin" --db "$db" import eum_items /dev/stdin >/dev/null <<EOF
program_id,category,description,serial_number,eeum,site
$vab,other,Mount,-M7,0,$depot
EOF
printf "serial_number\n'-M7\n" >"$dir/guarded.csv"
expect 0 "a guarded serial is read as the register has it" "1 serial on check $routine" \
	-- --db "$db" check-items "$routine" "$dir/guarded.csv"

printf 'date,kind,program_id,site\n2026-11-23,annual_inventory,%s,%s\n' "$vab" "$depot" >"$dir/again.csv"
"$bin" --db "$db" import eum_checks "$dir/again.csv" >/dev/null
third=$(q "select max(id) from eum_checks")
printf 'serial_number\nPVS14-210113\n' >"$dir/partial.csv"
expect 0 "--only-listed leaves the rest of the site alone" "1 serial on check $third" \
	-- --db "$db" check-items "$third" "$dir/partial.csv" --only-listed
check "so the inventory has one line" [ "$(q "select count(*) from eum_check_items where check_id = $third")" = 1 ]

# ---- the rule behind it, for every way in --------------------------------
taclane=$(q "select id from eum_items where program_id = $vae order by id limit 1")
printf 'check_id,item_id\n%s,%s\n' "$check" "$taclane" >"$dir/cross.csv"
expect 1 "an import may not put another case's item on a check" \
	"cross.csv:2:3: field \"item_id\": value \"$taclane\": the item is on case QV-B-VAE, check $check on case QV-B-VAB" \
	-- --db "$db" import eum_check_items "$dir/cross.csv"

# ---- scodesk check finds a line that breaks the rule ----------------------
# (as data written before the rule, or past scodesk, may hold)
expect 0 "scodesk check: the lines loaded keep the rule" "ok (schema version" -- --db "$db" check
taclane_line=$(q "select max(id) + 1 from eum_check_items")
sqlite3 "$db" "insert into eum_check_items (check_id, item_id, result, created_at, updated_at, version)
	values ($check, $taclane, 'seen', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z', 1)"
expect 1 "scodesk check names a line of another case's item" \
	"rule: EUM check item $taclane_line names item $taclane, which is not of the case of check $check" \
	-- --db "$db" check

echo "1..$n"
[ "$failed" = 0 ]
