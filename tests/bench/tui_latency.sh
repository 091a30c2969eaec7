#!/bin/sh
# tui_latency.sh [DB] [SCODESK]: how long the interface takes from a key to
# a settled screen on a big database (tests/bench/gen_theater.sh makes
# one), measured through a pseudo-terminal at 80x24 by ptyclock.c (built
# here with cc). A measurement, not a test: it prints figures.
#
# scodesk: open (to the first screen, settled; three times, then once
# more before the keys), screen 5 and a switch between its two tabs
# (Contacts, Engagements: the first switch reads the list, later ones show
# it again), then on the Engagements tab cursor-down (within the rows on
# screen, and from the last row on screen, which scrolls), page-down, G,
# g, the first letter of a filter and the ones after it, clearing the
# filter, a one-character CJK filter, the sort moved one column right four
# times (Type, Contacts, Location, Follow-up due) and back; the peak memory;
# then, on a database with the end-use monitoring register, its tab. With visidata installed (vd; VD=0 skips it):
# the same SQLite file's engagements table opened in vd, cursor-down
# (within the screen and past it), page-down and G, and the ratios (vd's
# gk is the first row; its g alone is a prefix).
#
# QUIET (ms, 300): the screen is settled after this long without output.
# N (5): runs of each timed key (3 for the slow ones).
set -eu
db=${1:-/tmp/theater.db}
bin=${2:-./build/scodesk}
quiet=${QUIET:-300}
n=${N:-5}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-latency-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
[ -f "$db" ] || { echo "tui_latency: no database $db (make one with gen_theater.sh)" >&2; exit 1; }

cc -std=c11 -O2 -Wall -o "$dir/ptyclock" "$here/ptyclock.c" -lutil
clock="$dir/ptyclock -q $quiet -w 600"

echo "machine: $(nproc) cores, $(uname -sr); $db $(du -m "$db" | cut -f1) MB"
echo "scodesk: $bin; quiet $quiet ms; times in ms, key to the last byte of the answer"
# The first open of a day makes the daily backup (a copy of the whole file
# in backups/ beside it): open-1 includes it when there was none yet.
if [ -e "$(dirname "$db")/backups/scodesk-$(date +%Y-%m-%d).db" ]; then
	echo "a backup of today is there already: no open below makes one"
else
	echo "no backup of today yet: open-1 makes it"
fi
printf 'open Dashboard\nquit Q\n' >"$dir/open.steps"
for i in 1 2 3; do
	$clock "$dir/open.steps" -- "$bin" --db "$db" | sed -n "s/^open    /open-$i  /p"
done
# A filter word that is in the data (an item of the engagements' objectives),
# then one in Chinese (a location).
cat >"$dir/scodesk.steps" <<EOF
open Dashboard
redraw \\x0c
time screen-5 3 2 5
expect Native name
time tab-switch 3 - ]
expect Follow-up due
time cursor-down $n - j
key g
$(i=1; while [ $i -lt 19 ]; do echo "key j"; i=$((i + 1)); done)
time cursor-down-scroll $n - j
time page-down $n - \\e[6~
time G-end 3 g G
time g-top 3 G g
time filter-1st-letter 3 \\e+f J
time filter-2nd-letter 1 - a
time filter-3rd-letter 1 - v
time filter-4th-letter 1 - e
time filter-clear 1 - \\e
time filter-CJK 3 \\e+f 国
time filter-clear 1 - \\e
time sort-next-column 4 - >
time sort-back 4 - <
mem
quit Q
EOF
$clock "$dir/scodesk.steps" -- "$bin" --db "$db" | tee "$dir/scodesk.out"

# The end-use monitoring register (schema 6 on): its tab on Programs, the
# same moves, a filter on a serial's prefix and one on a description's
# word, and the sort moved to the next inventory due (a derived column:
# every item's lines are read) and back to the serial.
if [ "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 'eum_items'" 2>/dev/null)" = 1 ]; then
	echo
	echo "the EUM items tab: $(sqlite3 "$db" "SELECT count(*) FROM eum_items") items," \
		"$(sqlite3 "$db" "SELECT count(*) FROM eum_check_items") check lines"
	cat >"$dir/eum.steps" <<EOF
open Dashboard
redraw \\x0c
time screen-4 3 1 4
expect Authority
key ]
key ]
time eum-tab 3 [ ]
expect Next due
time cursor-down $n - j
time page-down $n - \\e[6~
time G-end 3 g G
time g-top 3 G g
time filter-serial-1st 1 \\e+f N
time filter-serial-2nd 1 - V
time filter-serial-3rd 1 - 1
time filter-clear 1 - \\e
time filter-word-1st 1 \\e+f J
time filter-word-2nd 1 - a
time filter-word-3rd 1 - v
time filter-word-4th 1 - e
time filter-clear 1 - \\e
time sort-status 1 - >
time sort-next-due 1 - >
time sort-back 1 <+< <
mem
quit Q
EOF
	$clock "$dir/eum.steps" -- "$bin" --db "$db"
fi

command -v vd >/dev/null 2>&1 && [ "${VD:-1}" != 0 ] || exit 0
echo
echo "visidata $(vd --version 2>/dev/null | sed 's/.*v//'): vd $db +:engagements:0:0 (first screen: the burst"
echo "that shows the header; settled: loaded, the progress stops)"
cat >"$dir/vd.steps" <<EOF
open us_participants
redraw \\x0c
mem
time cursor-down $n - j
key gk
$(i=1; while [ $i -le 25 ]; do echo "key j"; i=$((i + 1)); done)
time cursor-down-scroll $n - j
time page-down $n - \\e[6~
time G-end 3 gk G
mem
quit gq
EOF
$clock "$dir/vd.steps" -- vd "$db" +:engagements:0:0 | tee "$dir/vd.out"

# ratios: visidata / scodesk, first screen and the first burst of a key
awk '
FNR == 1 { file++ }
$1 == "open" { for (i = 1; i <= NF; i++) if ($i == "ends") { sub(/\)/, "", $(i + 2)); burst[file] = $(i + 2) }; settled[file] = $2 }
/median/ { k = $1; sub(/.*first burst /, ""); sub(/\).*/, ""); key[file, k] = $0 }
END {
	printf "\nvisidata / scodesk: first screen %.3g (%s / %s ms), settled %.3g (%s / %s ms)\n",
		burst[2] / burst[1], burst[2], burst[1], settled[2] / settled[1], settled[2], settled[1]
	split("cursor-down cursor-down-scroll page-down G-end", ks, " ")
	for (i = 1; i <= 4; i++)
		if (((1, ks[i]) in key) && ((2, ks[i]) in key))
			printf "visidata / scodesk: %s %.3g (%s / %s ms, first bursts)\n", ks[i],
				(key[1, ks[i]] > 0 ? key[2, ks[i]] / key[1, ks[i]] : 0), key[2, ks[i]], key[1, ks[i]]
}' "$dir/scodesk.out" "$dir/vd.out"
