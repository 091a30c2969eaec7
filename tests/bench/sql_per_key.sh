#!/bin/sh
# sql_per_key.sh [SCODESK] [DB]: how many SQL statements the interface runs
# for each key of a fixed walk through the lists, on the demo office (made
# here when DB is not given) at 80x24. A measurement, not a test: it
# prints one line a step, "STEP statements", and the total.
#
# The statements are counted by tests/bench/sqltrace.c (built here with
# cc, loaded with LD_PRELOAD, SQLTRACE_MS=0: every statement that ran is
# one line of its log). A step is over when neither the screen nor the
# log has changed for QUIET ms (default 300): the screen settled and
# nothing more was read.
set -eu
bin=${1:-./build/scodesk}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-sqlkeys-XXXXXX")
sock="scodesk-sqlkeys-$$"
T="tmux -L $sock -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$dir"' EXIT
quiet=${QUIET:-300}
db=${2:-$dir/office.db}
[ -f "$db" ] || "$bin" --db "$db" demo >/dev/null
cc -O2 -shared -fPIC -o "$dir/sqltrace.so" "$here/sqltrace.c" -ldl
log="$dir/sql.log"
: >"$log"

lines() { wc -l <"$log"; }
# settle: waits until screen and log have been still for $quiet ms.
settle() {
	prev="" still=0
	while [ $still -lt $((quiet / 20)) ]; do
		now="$(lines) $($T capture-pane -p -t a 2>/dev/null | cksum)"
		if [ "$now" = "$prev" ]; then still=$((still + 1)); else still=0; fi
		prev=$now
		sleep 0.02
	done
}
total=0
step() { # NAME KEYS...: sends the keys, prints the statements they cost
	name=$1
	shift
	before=$(lines)
	$T send-keys -t a "$@"
	settle
	k=$(($(lines) - before))
	total=$((total + k))
	printf '%-34s %5d\n' "$name" "$k"
}

$T new-session -d -s a -x 80 -y 24 \
	"env LANG=C.UTF-8 SCODESK_TODAY=2026-11-25 SQLTRACE_MS=0 SQLTRACE_FILE=$log LD_PRELOAD=$dir/sqltrace.so $bin --db $db"
settle
k=$(lines)
total=$k
printf '%-34s %5d\n' "open (dashboard)" "$k"
step "dashboard j" j
step "dashboard G" G
step "dashboard g" g
step "dashboard > (sort)" '>'
step "dashboard / Billet Enter" / Billet Enter
step "dashboard Enter (go to record)" Enter
step "1 (dashboard again)" 1
step "2 (roster, billets)" 2
step "billets j" j
step "billets Space (page down)" Space
step "billets G" G
step "billets g" g
step "] (personnel)" ]
step "personnel f s" f s
step "personnel filter m" m
step "personnel filter i" i
step "personnel Esc (filter cleared)" Escape
step "personnel > (sort)" '>'
step "personnel r (reverse)" r
step "personnel / Brennan Enter" / Brennan Enter
step "personnel n" n
step "personnel e (form)" e
step "form Esc" Escape
step "personnel o (related)" o
step "related q" q
step "3 (training, staff)" 3
step "4 (programs)" 4
step "5 (contacts)" 5
step "] (engagements)" ]
step "engagements Space (page down)" Space
step "engagements Space" Space
step "engagements j x12 (past the edge)" j j j j j j j j j j j j
step "engagements PgUp" PPage
step "engagements PgUp" PPage
step "engagements G" G
step "engagements k" k
step "engagements PgUp (from the end)" PPage
step "engagements g" g
step "engagements > (sort by type)" '>'
step "engagements Space (unindexed sort)" Space
step "6 (audit)" 6
echo "total $total"
$T send-keys -t a Q
