# tmux.sh: what the interface test scripts share, sourced after they set
# bin and name (the script's short name). A private tmux server per script
# (and per start, fresh_server), a temporary folder $dir removed at the
# end, TAP counting, and waits that poll the screen in 20 ms steps, 10 s at
# most (a loaded machine, a sanitized build), never a fixed sleep.
dir=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-$name-XXXXXX")
sock="scodesk-$name-$$"
T="tmux -L $sock -f /dev/null"
. "$(dirname "$0")/tmux_stop.sh"
cleanup() { stop_server; rm -rf "$dir"; }
k=0
fresh_server() {
	stop_server
	k=$((k + 1))
	T="tmux -L $sock-$k -f /dev/null"
}
trap cleanup EXIT
# A script killed at its timeout must not leave a server and a scodesk.
trap 'exit 1' INT TERM HUP
n=0
failed=0
tgt="-t a"
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'
	$T capture-pane -p $tgt 2>/dev/null | sed 's/^/# | /'
}
screen() { $T capture-pane -p $tgt 2>/dev/null; }
keys() { $T send-keys $tgt "$@"; }
# wait_until GREP-OPTIONS TEXT: until grep OPTIONS TEXT holds on the screen.
wait_until() {
	i=0
	while [ $i -lt 500 ]; do
		screen | grep -q "$1" -- "$2" && return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
wait_for() { wait_until -F "$1"; }
wait_re() { wait_until -E "$1"; }
wait_gone() {
	i=0
	while [ $i -lt 500 ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.02
		i=$((i + 1))
	done
	return 1
}
check() { if wait_for "$2"; then ok "$1"; else not_ok "$1" "waited for: $2"; fi; }
check_re() { if wait_re "$2"; then ok "$1"; else not_ok "$1" "waited for /$2/"; fi; }
# A record form is open: its current field's line starts with > (or !
# when the rules refused it) and its label.
form_line='^[>!][A-Z]'
check_gone() { if wait_gone "$2"; then ok "$1"; else not_ok "$1" "still there: $2"; fi; }
# line_re N DESCRIPTION ERE: line N of the screen comes to match ERE
line_re() {
	i=0
	while [ $i -lt 500 ]; do
		screen | sed -n "$1p" | grep -qE -- "$3" && { ok "$2"; return; }
		sleep 0.02
		i=$((i + 1))
	done
	not_ok "$2" "line $1 waited for /$3/"
}
status_has() { line_re $((h - 1)) "$1" "$2"; }
# is DESCRIPTION GOT WANTED: a value read back (from sqlite3) is the one wanted
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got: $2; wanted: $3"; fi
}
# to_tab SCREEN HEADER-TEXT: that screen, then its tabs until line 3 has it
to_tab() {
	keys "$1"
	wait_re "^$1 " >/dev/null
	i=0
	while ! screen | sed -n 3p | grep -qF -- "$2" && [ $i -lt 4 ]; do
		keys ]
		j=0
		while ! screen | sed -n 3p | grep -qF -- "$2" && [ $j -lt 100 ]; do sleep 0.02; j=$((j + 1)); done
		i=$((i + 1))
	done
}
