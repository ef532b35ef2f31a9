#!/bin/bash
# shellcheck disable=SC2016 # check ... eval '...' expands when the check runs
# selftest.sh - prove the throwaway SMB server works: start it from an empty DIR, use it the ways the plugins'
# tests will (smbclient file reads, error cases, rpcclient SAMR alias queries, a stalling listener), stop it, and
# check that no process is left and nothing was written outside DIR.
#
#   tests/smb/selftest.sh [CYCLES]      default 1; each cycle uses a new empty directory under ${TMPDIR:-/tmp}
#
# Environment: KEEP=1 keeps the directories; SMB_IP, SMB_PORT, ... are passed through to "smbd.sh start".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SMBD=$HERE/smbd.sh
STALL=$HERE/stall.py
CYCLES=${1:-1}
FAILS=0
# the system's Samba state, and the places a stray client or server could write to
SYSDIRS="/etc /run /root /home /var/lib/samba /var/cache/samba /var/log/samba"

ok() { printf 'ok   - %s\n' "$*"; }
fail() {
	printf 'FAIL - %s\n' "$*"
	FAILS=$((FAILS + 1))
}
check() { # description command...
	local d=$1
	shift
	if "$@"; then ok "$d"; else fail "$d"; fi
}
has() { grep -qF -- "$2" <<<"$1"; }
now() { date +%s.%N; }
# checksums of every file of the system's Samba directories and of the user database
sums() {
	find /etc/samba /var/lib/samba /run/samba /var/cache/samba /var/log/samba -type f -print0 2>/dev/null |
		sort -z | xargs -0r sha256sum
	sha256sum /etc/passwd /etc/group /etc/shadow /etc/gshadow 2>/dev/null
	find /etc/samba /var/lib/samba /run/samba /var/cache/samba /var/log/samba 2>/dev/null | sort
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# clients: the server's client configuration (no /etc/samba/smb.conf, caches under DIR), bounded in time
smbc() { timeout 20 smbclient --configfile="$SMB_CLIENT_CONF" -p "$SMB_PORT" "$@" 2>&1; }
mon() { smbc -A "$SMB_AUTH_FILE" "$@"; }
rpc() { timeout 20 rpcclient --configfile="$SMB_CLIENT_CONF" -p "$SMB_PORT" -A "$SMB_AUTH_FILE" "ncacn_np:$SMB_IP" -c "$1" 2>&1; }

cycle() {
	local n=$1 dir marker t0 t1 t2 t3 t4 out pid tag left tools help ahc port spid rc
	dir=$(mktemp -d "${TMPDIR:-/tmp}/crmsec-smb.XXXXXX")
	rmdir "$dir" # smbd.sh start creates it: proves "from an empty/nonexistent DIR"
	marker=$(mktemp "${TMPDIR:-/tmp}/crmsec-smb-marker.XXXXXX")
	# shellcheck disable=SC2086
	find $SYSDIRS -xdev 2>/dev/null | sort >"$marker.before"
	sums >"$marker.sums"
	sleep 1 # mtime granularity for find -newer
	echo "# cycle $n: $dir"

	t0=$(now)
	"$SMBD" start "$dir" || {
		fail "start"
		"$SMBD" stop "$dir"
		return
	}
	t1=$(now)
	# shellcheck disable=SC1091
	. "$dir/env"
	pid=$(cat "$SMB_PID_FILE")
	tag=$(cat "$dir/run/smbd.tag")
	tools="Program Files/Microsoft Dynamics CRM/CRMWeb/Tools"
	help="Program Files/Microsoft Dynamics CRM/CRMWeb/Help/web.config"
	ahc="Windows/System32/inetsrv/config/applicationHost.config"

	check "the private passwd/group bind mounts are not visible on the host" eval '! grep -qE " /etc/(passwd|group) " /proc/self/mountinfo'
	check "the host has no unix user crmmon (it exists only in DIR/etc/passwd)" eval '! getent passwd crmmon >/dev/null'

	# --- files (issue 8)
	out=$(mon "//$SMB_IP/$SMB_SHARE_ADMIN" -c 'ls')
	check "smbclient //$SMB_IP/$SMB_SHARE_ADMIN ls: Windows and Program Files" eval 'has "$out" " Windows " && has "$out" " Program Files "'
	out=$(mon "//$SMB_IP/$SMB_SHARE_ADMIN" -c "cd \"$tools\"; ls")
	check "mixed-case Web.Config in CRMWeb/Tools" has "$out" " Web.Config "
	out=$(mon "//$SMB_IP/$SMB_SHARE_ADMIN" -c "get \"$ahc\" $dir/got.ahc")
	check "get applicationHost.config from $SMB_SHARE_ADMIN, identical to SMB_TREE" cmp -s "$dir/got.ahc" "$SMB_TREE/$ahc"
	out=$(mon "//$SMB_IP/$SMB_SHARE_RO" -c "get \"$help\" $dir/got.help")
	check "get the UTF-16 Help/web.config from $SMB_SHARE_RO, identical" cmp -s "$dir/got.help" "$SMB_TREE/$help"
	check "Help/web.config starts with the UTF-16 LE BOM" test "$(head -c2 "$dir/got.help" | od -An -tx1 | tr -d ' ')" = fffe
	out=$(mon "//$SMB_IP/$SMB_SHARE_ADMIN" -c 'get "program files/microsoft dynamics crm/crmweb/tools/web.config" /dev/null')
	check "case-insensitive open of tools/web.config" test $? -eq 0
	out=$(mon -L "$SMB_IP")
	check "share list has C\$ and crmconfig" eval 'has "$out" "C\$  " && has "$out" "crmconfig  "'
	out=$(mon -m SMB3 --option='client min protocol=SMB3' --client-protection=encrypt "//$SMB_IP/$SMB_SHARE_RO" -c 'ls')
	check "SMB3 minimum and encryption requested by the client" has "$out" " Windows "
	printf 'x\n' >"$dir/put.txt"
	out=$(mon "//$SMB_IP/$SMB_SHARE_ADMIN" -c "put $dir/put.txt x.txt")
	check "shares are read-only (put: NT_STATUS_ACCESS_DENIED)" has "$out" NT_STATUS_ACCESS_DENIED
	out=$(smbc -A "$SMB_APP_AUTH_FILE" "//$SMB_IP/$SMB_SHARE_ADMIN" -c 'ls')
	check "another valid account ($SMB_APP_USER): tree connect NT_STATUS_ACCESS_DENIED" has "$out" 'tree connect failed: NT_STATUS_ACCESS_DENIED'
	out=$(smbc -U "$SMB_USER%wrong-password" "//$SMB_IP/$SMB_SHARE_ADMIN" -c 'ls')
	check "wrong password: NT_STATUS_LOGON_FAILURE" has "$out" 'session setup failed: NT_STATUS_LOGON_FAILURE'
	out=$(mon "//$SMB_IP/nosuchshare" -c 'ls')
	check "missing share: NT_STATUS_BAD_NETWORK_NAME" has "$out" 'tree connect failed: NT_STATUS_BAD_NETWORK_NAME'
	out=$(mon "//$SMB_IP/$SMB_SHARE_ADMIN" -c 'get "Windows/nosuch.config" /dev/null')
	check "missing file: NT_STATUS_OBJECT_NAME_NOT_FOUND" has "$out" NT_STATUS_OBJECT_NAME_NOT_FOUND
	mkdir "$SMB_TREE/Windows/Added"
	printf 'added\r\n' >"$SMB_TREE/Windows/Added/web.config"
	out=$(mon "//$SMB_IP/$SMB_SHARE_ADMIN" -c 'get "Windows/Added/web.config" /dev/null')
	check "a file added to SMB_TREE while running is served" test $? -eq 0

	# --- SAMR (issue 9)
	out=$(rpc 'enumalsgroups builtin')
	check "enumalsgroups builtin: Administrators, Backup Operators, Performance Log Users" eval \
		'has "$out" "group:[Administrators] rid:[0x220]" && has "$out" "group:[Backup Operators] rid:[0x227]" && has "$out" "group:[Performance Log Users] rid:[0x22f]"'
	out=$(rpc 'queryaliasmem builtin 0x22f')
	check "queryaliasmem builtin 0x22f (Performance Log Users): svc-crmapp and svc-crmasync" eval \
		'has "$out" "sid:[$SMB_APP_SID]" && has "$out" "sid:[$SMB_ASYNC_SID]" && test "$(grep -c "sid:" <<<"$out")" -eq 2'
	out=$(rpc 'queryaliasmem builtin 0x220')
	check "queryaliasmem builtin 0x220 (Administrators): empty" test -z "$out"
	out=$(rpc 'queryaliasmem builtin 0x227')
	check "queryaliasmem builtin 0x227 (Backup Operators): empty" test -z "$out"
	out=$(rpc 'enumalsgroups domain')
	check "enumalsgroups domain: CRM_WPG rid ${SMB_CRM_WPG_SID##*-}" has "$out" "group:[CRM_WPG] rid:[$(printf '0x%x' "${SMB_CRM_WPG_SID##*-}")]"
	out=$(rpc "queryaliasmem domain $(printf '0x%x' "${SMB_CRM_WPG_SID##*-}")")
	check "queryaliasmem domain CRM_WPG: svc-crmapp only" test "$out" = "	sid:[$SMB_APP_SID]"
	out=$(rpc 'lookupnames CRM_WPG "Performance Log Users" svc-crmapp')
	check "lookupnames CRM_WPG, Performance Log Users, svc-crmapp" eval \
		'has "$out" "CRM_WPG $SMB_CRM_WPG_SID (Local Group: 4)" && has "$out" "Performance Log Users S-1-5-32-559 (Local Group: 4)" && has "$out" "svc-crmapp $SMB_APP_SID (User: 1)"'
	out=$(rpc "lookupsids $SMB_APP_SID S-1-5-32-559")
	check "lookupsids: CRMFE01\\svc-crmapp, BUILTIN\\Performance Log Users" eval \
		'has "$out" "$SMB_APP_SID CRMFE01\\svc-crmapp (1)" && has "$out" "S-1-5-32-559 BUILTIN\\Performance Log Users (4)"'
	# a domain SID (e.g. an AD group of the test DC) as a member, added while smbd runs
	"$SMBD" net "$dir" groupmap addmem S-1-5-32-544 S-1-5-21-1111-2222-3333-1105 >/dev/null
	out=$(rpc 'queryaliasmem builtin 0x220')
	check "net groupmap addmem of a foreign SID, visible at once" test "$out" = "	sid:[S-1-5-21-1111-2222-3333-1105]"
	"$SMBD" net "$dir" groupmap delmem S-1-5-32-544 S-1-5-21-1111-2222-3333-1105 >/dev/null
	out=$(rpc 'queryaliasmem builtin 0x220')
	check "net groupmap delmem, visible at once" test -z "$out"
	out=$(timeout 20 rpcclient --configfile="$SMB_CLIENT_CONF" -p "$SMB_PORT" -U "$SMB_USER%wrong-password" "ncacn_np:$SMB_IP" -c 'enumalsgroups builtin' 2>&1)
	check "rpcclient, wrong password: NT_STATUS_LOGON_FAILURE" has "$out" NT_STATUS_LOGON_FAILURE

	# --- a listener that never answers (stall.py), on the server's address, another port
	port=$((SMB_PORT == 445 ? 44551 : SMB_PORT + 100))
	"$STALL" "$port" "$SMB_IP" &
	spid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do ss -ltn "sport = :$port" | grep -q LISTEN && break; sleep 0.1; done
	t2=$(now)
	timeout 4 smbclient --configfile="$SMB_CLIENT_CONF" -p "$port" -A "$SMB_AUTH_FILE" -t 2 "//$SMB_IP/x" -c ls >/dev/null 2>&1
	rc=$?
	check "smbclient -t 2 against stall.py $SMB_IP:$port hangs until killed (exit $rc after $(secs "$t2" "$(now)")s)" test $rc -eq 124
	kill "$spid"
	wait "$spid"
	check "stall.py exits 0 on SIGTERM" test $? -eq 0

	t3=$(now)
	"$SMBD" stop "$dir" || fail "stop"
	t4=$(now)
	# zombies (already dead, not yet reaped by init) do not count
	left=$(ps -e -o pid=,pgid=,stat= | awk -v g="$pid" '$2 == g && $3 !~ /^Z/ { printf "%s ", $1 }')
	check "no live process left in smbd's process group $pid ${left:+($left)}" test -z "$left"
	left=$(grep -lzxF "CRMSEC_SMBD_TAG=$tag" /proc/[0-9]*/environ 2>/dev/null | tr '\n' ' ')
	check "no process left with this start's tag (samba-dcerpcd, rpcd_*) ${left:+($left)}" test -z "$left"
	left=$(pgrep -r R,S,D,T -f -- "--configfile=$dir/" | tr '\n' ' ')
	check "no process left with --configfile=$dir/... ${left:+($left)}" test -z "$left"
	check "nothing listens on $SMB_IP:$SMB_PORT" eval '! ss -ltn "src $SMB_IP" | grep -q ":$SMB_PORT "'
	# shellcheck disable=SC2086
	out=$({
		find $SYSDIRS /usr -xdev -newer "$marker" 2>/dev/null
		find $SYSDIRS -xdev 2>/dev/null | sort | comm -13 "$marker.before" -
	} | sort -u | head -20)
	check "nothing created or modified below $SYSDIRS /usr${out:+: $out}" test -z "$out"
	out=$(sums | diff "$marker.sums" - | head -10)
	check "system Samba dirs, /etc/passwd and /etc/group: same files, same contents${out:+: $out}" test -z "$out"
	rm -f "$marker" "$marker.before" "$marker.sums"
	printf '# timings cycle %s: start (configure + first start) %ss, checks %ss, stop %ss\n' \
		"$n" "$(secs "$t0" "$t1")" "$(secs "$t1" "$t3")" "$(secs "$t3" "$t4")"
	# a second start of the same DIR (configured): how long until the share answers, and stop again
	t0=$(now)
	if "$SMBD" start "$dir" >/dev/null 2>&1; then
		t1=$(now)
		out=$(mon "//$SMB_IP/$SMB_SHARE_ADMIN" -c "get \"$tools/Web.Config\" /dev/null")
		rc=$?
		check "restart of a configured DIR (${SMB_IP}:${SMB_PORT}) in $(secs "$t0" "$t1")s, Web.Config readable" test $rc -eq 0
		"$SMBD" stop "$dir" >/dev/null 2>&1 || fail "second stop"
	else
		fail "second start"
	fi
	if [ -z "${KEEP:-}" ]; then rm -rf "$dir"; fi
}

for ((c = 1; c <= CYCLES; c++)); do
	cycle "$c"
done
if [ "$FAILS" -eq 0 ]; then
	echo "# all checks passed ($CYCLES cycle(s))"
else
	echo "# $FAILS check(s) failed"
	exit 1
fi
