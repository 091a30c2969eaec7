# tmux_stop.sh: stop_server, for every script that drives scodesk in a
# private tmux server ($T); sourced by tmux.sh and by the scripts that set
# up their own server.
# stop_server: the server killed, and every scodesk it ran gone with it.
# One still there a moment later is killed outright: a sanitized build
# checking for leaks as its terminal goes can spin there for good, and
# would take a core from the rest of the suite. (A test that wants
# scodesk's exit waits for it first.)
stop_server() {
	panes=$($T list-panes -a -F '#{pane_pid}' 2>/dev/null)
	# a pane's shell runs scodesk as its child: both are waited for
	procs=$panes
	for p in $panes; do
		procs="$procs $(awk -v p="$p" '$4 == p { print $1 }' /proc/[0-9]*/stat 2>/dev/null)"
	done
	$T kill-server 2>/dev/null
	i=0
	while :; do
		alive=""
		for p in $procs; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -z "$alive" ] && return 0
		[ $i -ge 100 ] && break
		sleep 0.05
		i=$((i + 1))
	done
	kill -9 $alive 2>/dev/null
	return 0
}
