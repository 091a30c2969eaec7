#!/bin/sh
# tui_bytes.sh [SCODESK] [DB]: bytes the interface sends to the terminal at
# 80x24 for one cursor-down, one page-down, a cursor-down that scrolls
# the rows by one, and ten idle seconds, recorded
# with tmux pipe-pane. A measurement, not a test: it prints figures.
# Without DB it makes a demo database.
set -u
bin=${1:-./build/scodesk}
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-bytes-XXXXXX")
sock="scodesk-bytes-$$"
T="tmux -L $sock -f /dev/null"
trap '$T kill-server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
db=${2:-$dir/demo.db}
[ -f "$db" ] || "$bin" --db "$db" demo >/dev/null

wait_for() {
	i=0
	while [ $i -lt 500 ]; do
		$T capture-pane -p | grep -qF -- "$1" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	echo "timed out waiting for: $1" >&2
	exit 1
}
# measure NAME SCREEN-TEXT KEY: bytes from the key until the screen shows TEXT
# and stays still for 200 ms.
measure() {
	: >"$dir/$1"
	$T pipe-pane -o "cat >>$dir/$1"
	$T send-keys "$3"
	wait_for "$2"
	last=-1
	while :; do
		now=$(wc -c <"$dir/$1")
		[ "$now" = "$last" ] && break
		last=$now
		sleep 0.2
	done
	$T pipe-pane
	printf '%-28s %6d bytes\n' "$4" "$now"
}

$T new-session -d -x 80 -y 24 "env LANG=C.UTF-8 TERM=xterm-256color $bin --db $db"
wait_for "1 Dashboard"
measure dash "row 2 of" j "cursor-down (Dashboard)"
$T send-keys 2 ]
wait_for "Last name"
measure roster "row 2 of" j "cursor-down (Personnel)"
$T send-keys 5
wait_for "5 Contacts"
measure down "row 2 of" j "cursor-down (Contacts)"
measure pgdn "row 21 of" NPage "page-down (Contacts)"
measure scroll "row 22 of" j "cursor-down that scrolls"
: >"$dir/idle"
$T pipe-pane -o "cat >>$dir/idle"
sleep 10
$T pipe-pane
printf '%-28s %6d bytes\n' "ten idle seconds" "$(wc -c <"$dir/idle")"
$T send-keys Q
