# daemon.sh - process handling shared by the scripts that run test servers
# (tests/ad/samba-dc.sh, tests/smb/smbd.sh). Source it; it defines functions only.
#
# A server is started under setsid (its own process group, pgid = pid) with a start tag in its
# environment, "$TAG_VAR=<DIR:time:pid>" (the tag value is also in $TAGFILE). Samba helpers that
# leave the process group (samba-dcerpcd and its rpcd_* workers call setsid) still inherit the tag,
# so "stop" finds them all. The caller sets TAG_VAR, TAGFILE and STOP_TIMEOUT.

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# fields 22 (start time) and 3 (state) of /proc/PID/stat
proc_starttime() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $20 }'; }
proc_state() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $1 }'; }

# recorded_pid PIDFILE STARTFILE: the pid recorded at start, while that very process lives. The start
# time guards against pid reuse (Samba rewrites its argv); a zombie (dead, not yet reaped: here init
# takes 1-1.5 s) is not running.
recorded_pid() {
	local pid
	[ -s "$1" ] || return 1
	pid=$(cat "$1")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	[ "$(proc_state "$pid")" != Z ] || return 1
	[ "$(proc_starttime "$pid")" = "$(cat "$2" 2>/dev/null)" ] || return 1
	printf '%s\n' "$pid"
}

# new_tag DIR: a fresh start tag, written to $TAGFILE and printed
new_tag() {
	local tag="$1:$(date +%s%N):$$"
	printf '%s\n' "$tag" >"$TAGFILE"
	printf '%s\n' "$tag"
}

# every process carrying this DIR's start tag in its environment
tagged_pids() {
	local tag
	tag=$(cat "$TAGFILE" 2>/dev/null) || return 0
	[ -n "$tag" ] || return 0
	grep -lzxF "$TAG_VAR=$tag" /proc/[0-9]*/environ 2>/dev/null | sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p'
	return 0
}

# Live processes of process group $1 (may be empty) or with the start tag. Zombies do not count: they
# have closed every socket and file.
live_pids() {
	local pgid=$1 f line p st pg tagged
	tagged=" $(tagged_pids | tr '\n' ' ') "
	for f in /proc/[0-9]*/stat; do
		{ line=$(<"$f"); } 2>/dev/null || continue
		p=${f#/proc/}
		p=${p%/stat}
		read -r st _ pg _ <<<"${line##*) }"
		[ "$st" != Z ] || continue
		if { [ -n "$pgid" ] && [ "$pg" = "$pgid" ]; } || [[ $tagged == *" $p "* ]]; then
			printf '%s\n' "$p"
		fi
	done
	return 0
}

alive_any() { [ -n "$(live_pids "$1")" ]; }

# signal_all SIG PGID: to the process group (if PGID is not empty) and to every tagged process
signal_all() {
	local sig=$1 pid=$2 p
	[ -z "$pid" ] || kill "-$sig" -- "-$pid" 2>/dev/null || true
	for p in $(tagged_pids); do
		kill "-$sig" "$p" 2>/dev/null || true
	done
}

# stop_tagged NAME PID: TERM to everything of this start, a bounded wait, then KILL; dies if anything
# survives. PID may be empty (the server died, its helpers may live on).
stop_tagged() {
	local name=$1 pid=$2 i t0
	t0=$(now)
	signal_all TERM "$pid"
	for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
		alive_any "$pid" || break
		sleep 0.1
	done
	if alive_any "$pid"; then
		log "$name (pgid ${pid:-?}) or its helpers still alive after ${STOP_TIMEOUT}s: SIGKILL"
		signal_all KILL "$pid"
		for ((i = 0; i < 50; i++)); do
			alive_any "$pid" || break
			sleep 0.1
		done
	fi
	# reap, if this shell happens to be the parent
	[ -z "$pid" ] || wait "$pid" 2>/dev/null || true
	alive_any "$pid" && die "processes of $name survived SIGKILL: $(live_pids "$pid" | tr '\n' ' ')"
	log "$name stopped (pid ${pid:-none}) in $(elapsed "$t0")s"
}

# true when something accepts TCP connections on $1:$2
port_open() { timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

# need_cmds HINT CMD...: dies naming the first missing command and HINT (the packages that bring it)
need_cmds() {
	local hint=$1 c
	shift
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || die "missing command '$c' ($hint)"
	done
}

# use_dir USAGE DIR [create]: D := DIR's physical path; "create" makes it, otherwise it must exist
use_dir() {
	[ -n "${2:-}" ] || die "usage: $1"
	if [ "${3:-}" = create ]; then
		mkdir -p "$2"
	else
		[ -d "$2" ] || die "no such directory: $2"
	fi
	D=$(cd "$2" && pwd -P)
}
