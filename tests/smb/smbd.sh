#!/bin/bash
# shellcheck disable=SC2016 # single-quoted scripts for sh -c / bash -c expand in the child
# smbd.sh - a throwaway standalone Samba file server for the crmsec-plugins tests (SMB config reads, SAMR).
#
#   smbd.sh start DIR        configure DIR on first use, then start smbd on SMB_IP:SMB_PORT
#   smbd.sh stop DIR         stop smbd and its helpers (TERM, bounded wait, KILL)
#   smbd.sh env DIR          print DIR/env (shell-sourceable: SMB_IP, SMB_URL_BASE, SMB_AUTH_FILE, ...)
#   smbd.sh status DIR       exit 0 when the recorded smbd process is alive
#   smbd.sh reset-tree DIR   replace the share tree (SMB_TREE) by a fresh copy of examples/dynamics/crmfe01
#   smbd.sh net DIR ARGS...  run `net ARGS` on DIR's databases (e.g. net sam addmem / net groupmap addmem)
#
# Needs root (binds port 445, smbd switches to the users' uids, and the private user database below needs a
# mount namespace: unshare -m).  Everything - configuration, tdb databases, sockets, pid, lock, cache and log
# files, passwords, the share tree - lives under DIR.  Nothing is written below /etc, /var/lib/samba, /run/samba,
# /var/cache/samba or /var/log/samba: every Samba program runs with --configfile=DIR/etc/smb.conf, so the system
# smb.conf is never read, and the unix users and groups the local accounts need exist only in DIR/etc/passwd and
# DIR/etc/group, which are bind-mounted over /etc/passwd and /etc/group in a private mount namespace for smbd,
# smbpasswd and net (no useradd/groupadd on the host).  smbd listens on SMB_IP (default 127.0.0.51) only.
#
# Tunables (environment; SMB_IP, SMB_PORT and the protocol/encryption settings are persisted in DIR on first use):
#   SMB_IP=127.0.0.51          loopback address to bind (Linux routes all of 127/8 to lo)
#   SMB_PORT=445               TCP port (smb ports); clients: smbclient -p PORT, smb://IP:PORT/... for libsmbclient
#   SMB_MIN_PROTOCOL=SMB2_10   server min protocol
#   SMB_MAX_PROTOCOL=SMB3      server max protocol (SMB2_10: a server that a SMB3-minimum client must refuse)
#   SMB_ENCRYPT=default        server smb encrypt (default | desired | required | off)
#   SMB_NETBIOS_NAME=CRMFE01   the server's name (netbios name, the local accounts' domain)
#   SMB_MON_PASSWORD_FILE=     crmmon's password from this file (another server's SMB_PASSWORD_FILE) instead of a
#                              random one: the same credentials on several servers
#   SMB_IPC_INVALID_USERS=     users refused on IPC$ (tree connect: access denied), e.g. svc-crmasync; the
#                              SAMR tests' "access denied" (default: none)
#   START_TIMEOUT=30           seconds to wait until the share answers
#   STOP_TIMEOUT=10            seconds to wait after SIGTERM before SIGKILL
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
EXAMPLE_TREE=$TOP/examples/dynamics/crmfe01

NETBIOS_NAME=${SMB_NETBIOS_NAME:-CRMFE01}
WORKGROUP=WORKGROUP
SHARE_ADMIN='C$'
SHARE_RO=crmconfig
MON_USER=crmmon
APP_USER=svc-crmapp
ASYNC_USER=svc-crmasync
# private uid/gid range (only in DIR/etc/passwd and DIR/etc/group)
UID_BASE=47100
START_TIMEOUT=${START_TIMEOUT:-30}
STOP_TIMEOUT=${STOP_TIMEOUT:-10}
# a file that the readiness probe fetches
PROBE_FILE='Windows/System32/inetsrv/config/applicationHost.config'

# log, die, elapsed, the start tag and stopping: shared with tests/ad/samba-dc.sh
# shellcheck source=../lib/daemon.sh
. "$HERE/../lib/daemon.sh"
TAG_VAR=CRMSEC_SMBD_TAG

need() { need_cmds "apt-get install --no-install-recommends samba smbclient util-linux openssl" "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# paths

set_paths() {
	use_dir "${0##*/} start|stop|env|status|reset-tree|net DIR" "$@"
	SMBCONF=$D/etc/smb.conf
	CLIENTCONF=$D/etc/client.conf
	PASSWD=$D/etc/passwd
	GROUP=$D/etc/group
	PIDFILE=$D/smbd.pid
	STARTFILE=$D/run/smbd.starttime
	TAGFILE=$D/run/smbd.tag
	# --log-basename=DIR/log: log.smbd, log.samba-dcerpcd, log.rpcd_classic (SAMR, LSA), ...
	LOGFILE=$D/log/log.smbd
	OUTFILE=$D/log/smbd.out
	TREE=$D/share/C
	ENVFILE=$D/env
	AUTHFILE=$D/$MON_USER.auth
	PWFILE=$D/$MON_USER.password
	if [ -f "$D/smb-ip" ]; then
		SMB_IP=$(cat "$D/smb-ip")
		SMB_PORT=$(cat "$D/smb-port")
		[ ! -f "$D/netbios-name" ] || NETBIOS_NAME=$(cat "$D/netbios-name")
	else
		SMB_IP=${SMB_IP:-127.0.0.51}
		SMB_PORT=${SMB_PORT:-445}
	fi
	# every Samba program of ours, including samba-dcerpcd that smbd starts on demand: no winbindd here
	export _NO_WINBINDD=1
}

# Run a command in a private mount namespace where /etc/passwd and /etc/group are DIR's.  unshare and sh exec,
# so the command keeps the pid.  The mounts vanish with the namespace; the host's files are never touched.
NS_SH='mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"'
in_ns() { unshare -m --propagation private -- /bin/sh -c "$NS_SH" in_ns "$PASSWD" "$GROUP" "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# process handling

# smbd's pid while it runs (its helpers rename themselves: smbd-notifyd, cleanupd)
smbd_pid() { recorded_pid "$PIDFILE" "$STARTFILE"; }

# smbclient against our server with the client configuration and the monitoring account
smbc() {
	local share=$1
	shift
	timeout 15 smbclient --configfile="$CLIENTCONF" -p "$SMB_PORT" -A "$AUTHFILE" "//$SMB_IP/$share" "$@"
}

start_smbd() {
	local pid deadline t0 tag out
	if pid=$(smbd_pid); then
		log "smbd already running (pid $pid)"
		return 0
	fi
	rm -f "$PIDFILE"
	[ -z "$(tagged_pids)" ] || die "processes of an earlier start of $D are still running: $(tagged_pids | tr '\n' ' ')- run '${0##*/} stop $D'"
	if port_open "$SMB_IP" "$SMB_PORT"; then
		die "something already listens on $SMB_IP:$SMB_PORT (a server of another DIR? give a new DIR another free SMB_IP)"
	fi
	mkdir -p "$D/log" "$D/run"
	: >"$OUTFILE"
	[ -d "$TREE" ] || copy_tree
	tag=$(new_tag "$D")
	t0=$(now)
	# --log-basename: smbd opens its compiled-in log file (/var/log/samba/log.smbd) before it reads smb.conf;
	# this moves that one under DIR too (and smbd passes it on to samba-dcerpcd, as it does --configfile).
	# setsid: smbd and its forked children get their own process group (pgid = pid), which stop kills;
	# smbd itself does not setsid (--no-process-group).  setsid, env, unshare and sh all exec, so $! is smbd.
	# CRMSEC_SMBD_TAG: inherited by every process smbd starts, see tagged_pids.
	setsid env CRMSEC_SMBD_TAG="$tag" unshare -m --propagation private -- /bin/sh -c "$NS_SH" in_ns "$PASSWD" "$GROUP" \
		smbd -F --no-process-group --configfile="$SMBCONF" --log-basename="$D/log" \
		</dev/null >>"$OUTFILE" 2>&1 &
	pid=$!
	echo "$pid" >"$PIDFILE"
	proc_starttime "$pid" >"$STARTFILE"
	deadline=$(($(date +%s) + START_TIMEOUT))
	while :; do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null || true
			log "smbd (pid $pid) exited during startup; last log lines:"
			tail -n 40 "$LOGFILE" "$OUTFILE" >&2 2>/dev/null || true
			rm -f "$PIDFILE"
			return 1
		fi
		# ready = the monitoring account can fetch a file from C$ (connect, login, tree connect, read)
		if out=$(smbc "$SHARE_ADMIN" -c "get \"$PROBE_FILE\" /dev/null" 2>&1); then
			break
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			log "timeout after ${START_TIMEOUT}s waiting for //$SMB_IP/$SHARE_ADMIN (port $SMB_PORT); last probe: $out"
			log "last log lines:"
			tail -n 60 "$LOGFILE" "$D"/log/log.rpcd_* "$D/log/log.samba-dcerpcd" "$OUTFILE" >&2 2>/dev/null || true
			stop_smbd || true
			return 1
		fi
		sleep 0.2
	done
	log "smbd running (pid $pid), //$SMB_IP/$SHARE_ADMIN answers on port $SMB_PORT after $(elapsed "$t0")s"
}

stop_smbd() {
	local pid
	pid=$(smbd_pid) || pid=''
	if [ -z "$pid" ] && ! alive_any ''; then
		log "smbd not running"
	else
		stop_tagged smbd "$pid"
	fi
	rm -f "$PIDFILE"
}

# ---------------------------------------------------------------------------------------------------------------
# configuration (first start)

check_loopback() {
	case $SMB_IP in
	127.*) ;;
	*) die "SMB_IP=$SMB_IP is not a loopback address" ;;
	esac
	if command -v ip >/dev/null 2>&1; then
		ip route get "$SMB_IP" 2>/dev/null | grep -qE 'dev lo( |$)' ||
			die "$SMB_IP is not routed to lo: $(ip route get "$SMB_IP" 2>&1)"
	fi
	case $SMB_PORT in
	'' | *[!0-9]*) die "SMB_PORT=$SMB_PORT is not a port number" ;;
	esac
	if port_open "$SMB_IP" "$SMB_PORT"; then
		die "something already listens on $SMB_IP:$SMB_PORT (a server of another DIR? give a new DIR another free SMB_IP)"
	fi
}

# random password, written without newline, mode 0600
make_password() {
	(umask 077 && printf 'Crm-%s-9x' "$(openssl rand -hex 10)" >"$1")
	chmod 600 "$1"
}

# smbclient/rpcclient/libsmbclient-style credentials file, mode 0600
make_authfile() {
	local user=$1 pwfile=$2 out=$3
	(umask 077 && printf 'username = %s\npassword = %s\ndomain = %s\n' "$user" "$(cat "$pwfile")" "$NETBIOS_NAME" >"$out")
	chmod 600 "$out"
}

# Private copies of the host's passwd/group (root, nobody, ...) plus the accounts and groups of the test server.
write_nss_files() {
	local u g
	cp /etc/passwd "$PASSWD"
	cp /etc/group "$GROUP"
	chmod 644 "$PASSWD" "$GROUP"
	# refuse a range the host already uses (the private files shadow the host's)
	for u in 0 1 2 3 4 5 6 7 8 9; do
		! awk -F: -v id=$((UID_BASE + u)) '$3 == id { f = 1 } END { exit !f }' /etc/passwd /etc/group ||
			die "uid/gid $((UID_BASE + u)) already exists on this host; change UID_BASE in ${0##*/}"
	done
	g=$UID_BASE
	{
		printf 'crmsec-users:x:%d:\n' "$g"
		printf 'crmsec-admins:x:%d:\n' $((g + 1))
		printf 'crmsec-backupops:x:%d:\n' $((g + 2))
		printf 'crmsec-perflog:x:%d:\n' $((g + 3))
		printf 'crmsec-crm_wpg:x:%d:\n' $((g + 4))
	} >>"$GROUP"
	u=$((UID_BASE + 5))
	for name in "$MON_USER" "$APP_USER" "$ASYNC_USER"; do
		printf '%s:x:%d:%d:crmsec-plugins SMB test account:/nonexistent:/usr/sbin/nologin\n' "$name" "$u" "$g" >>"$PASSWD"
		u=$((u + 1))
	done
}

write_smbconf() {
	mkdir -p "$D/etc" "$D/private" "$D/state" "$D/cache" "$D/lock" "$D/run" "$D/log" "$D/ncalrpc" \
		"$D/winbindd" "$D/usershares" "$D/binddns" "$D/ntp_signd" "$D/client/cache" "$D/client/lock" \
		"$D/client/state" "$D/client/private" "$D/client/run" "$D/share"
	chmod 700 "$D/private" "$D/client/private"
	cat >"$SMBCONF" <<-EOF
		# Generated by tests/smb/smbd.sh - throwaway test file server, never for production.
		[global]
			netbios name = $NETBIOS_NAME
			workgroup = $WORKGROUP
			server string = crmsec-plugins test server
			server role = standalone server
			security = user
			passdb backend = tdbsam:$D/private/passdb.tdb
			# IP/mask form: a bare address must equal one found on an interface (lo has only 127.0.0.1)
			interfaces = $SMB_IP/8
			bind interfaces only = yes
			smb ports = $SMB_PORT
			disable netbios = yes
			server min protocol = $SMB_MIN_PROTOCOL
			server max protocol = $SMB_MAX_PROTOCOL
			server smb encrypt = $SMB_ENCRYPT
			map to guest = never
			restrict anonymous = 2
			obey pam restrictions = no
			unix password sync = no
			load printers = no
			printing = bsd
			printcap name = /dev/null
			disable spoolss = yes
			name resolve order = host
			dns proxy = no
			panic action =
			create krb5 conf = no
			private dir = $D/private
			state directory = $D/state
			cache directory = $D/cache
			lock directory = $D/lock
			pid directory = $D/run
			ncalrpc dir = $D/ncalrpc
			binddns dir = $D/binddns
			ntp signd socket directory = $D/ntp_signd
			winbindd socket directory = $D/winbindd
			usershare path = $D/usershares
			usershare max shares = 0
			smb passwd file = $D/private/smbpasswd
			# no "log file": --log-basename=DIR/log names the files (log.smbd, log.samba-dcerpcd, log.rpcd_*)
			logging = file
			max log size = 0
			log level = 1
			debug pid = yes

		# Windows' administrative share of C:, a copy of examples/dynamics/crmfe01 (SMB_TREE)
		[$SHARE_ADMIN]
			comment = Default share
			path = $TREE
			read only = yes
			guest ok = no
			valid users = $MON_USER

		# the dedicated read-only share README recommends for the monitoring account (same tree)
		[$SHARE_RO]
			comment = CRM configuration (read-only, monitoring)
			path = $TREE
			read only = yes
			guest ok = no
			valid users = $MON_USER
	EOF
	if [ -n "${SMB_IPC_INVALID_USERS:-}" ]; then
		cat >>"$SMBCONF" <<-EOF

			# SMB_IPC_INVALID_USERS: these accounts log on but may not open IPC$ (no RPC: access denied)
			[IPC\$]
				invalid users = $SMB_IPC_INVALID_USERS
		EOF
	fi
	# Client side (smbclient, rpcclient): its caches and state under DIR/client, never the system smb.conf.
	cat >"$CLIENTCONF" <<-EOF
		# Client configuration for the test server (generated by tests/smb/smbd.sh):
		#   smbclient --configfile=$CLIENTCONF ...    rpcclient --configfile=$CLIENTCONF ...
		[global]
			workgroup = $WORKGROUP
			client min protocol = SMB2_10
			name resolve order = host
			disable netbios = yes
			private dir = $D/client/private
			state directory = $D/client/state
			cache directory = $D/client/cache
			lock directory = $D/client/lock
			pid directory = $D/client/run
			ncalrpc dir = $D/client/run
			create krb5 conf = no
	EOF
}

copy_tree() {
	[ -d "$EXAMPLE_TREE" ] || die "example tree not found: $EXAMPLE_TREE"
	rm -rf "$TREE"
	mkdir -p "$D/share"
	cp -R "$EXAMPLE_TREE" "$TREE"
	# one mixed-case name, as found on Windows servers (lookups there are case-insensitive)
	mv "$TREE/Program Files/Microsoft Dynamics CRM/CRMWeb/Tools/web.config" \
		"$TREE/Program Files/Microsoft Dynamics CRM/CRMWeb/Tools/Web.Config"
	# smbd reads the files as the monitoring user's uid
	chmod -R u+rwX,go+rX,go-w "$TREE"
}

# smbd serves the tree as crmmon's uid: every directory from / down to the tree must be searchable by it
check_traversal() {
	local uid
	uid=$(awk -F: -v n="$MON_USER" '$1 == n { print $3 }' "$PASSWD")
	setpriv --reuid="$uid" --regid="$UID_BASE" --clear-groups test -r "$TREE/$PROBE_FILE" ||
		die "uid $uid cannot read $TREE/$PROBE_FILE: make $D and its parents searchable (chmod o+x)"
}

smb_net() { in_ns net --configfile="$SMBCONF" "$@"; }

configure() {
	local t0 u sid
	t0=$(now)
	need smbd smbpasswd net pdbedit smbclient rpcclient unshare setsid setpriv openssl timeout
	SMB_MIN_PROTOCOL=${SMB_MIN_PROTOCOL:-SMB2_10}
	SMB_MAX_PROTOCOL=${SMB_MAX_PROTOCOL:-SMB3}
	SMB_ENCRYPT=${SMB_ENCRYPT:-default}
	check_loopback
	echo "$SMB_IP" >"$D/smb-ip"
	echo "$SMB_PORT" >"$D/smb-port"
	case $NETBIOS_NAME in
	'' | *[!A-Za-z0-9-]* | ???????????????*) die "SMB_NETBIOS_NAME=$NETBIOS_NAME: 1-15 letters, digits or -" ;;
	esac
	echo "$NETBIOS_NAME" >"$D/netbios-name"
	# smbd, running as crmmon, must traverse DIR to reach the share tree; secrets stay 0600/0700 below it
	chmod 711 "$D"
	write_smbconf
	write_nss_files
	copy_tree
	check_traversal
	for u in "$MON_USER" "$APP_USER" "$ASYNC_USER"; do
		if [ "$u" = "$MON_USER" ] && [ -n "${SMB_MON_PASSWORD_FILE:-}" ]; then
			# the same monitoring password as another test server (one --smb-auth-file for several)
			(umask 077 && cp "$SMB_MON_PASSWORD_FILE" "$D/$u.password") || die "cannot copy $SMB_MON_PASSWORD_FILE"
			chmod 600 "$D/$u.password"
		else
			make_password "$D/$u.password"
		fi
		make_authfile "$u" "$D/$u.password" "$D/$u.auth"
		# smbpasswd -s reads the new password twice from stdin (never on a command line)
		printf '%s\n%s\n' "$(cat "$D/$u.password")" "$(cat "$D/$u.password")" |
			in_ns smbpasswd -c "$SMBCONF" -s -a "$u" >>"$D/log/setup.log" 2>&1 ||
			{ tail -n 20 "$D/log/setup.log" >&2; die "smbpasswd -a $u failed"; }
	done
	# Builtin aliases as "local" (alias) mappings with their S-1-5-32 SIDs, which is what Samba itself stores
	# for a builtin alias (pdb_create_builtin_alias).  type=builtin stores a "well-known group": queryaliasmem
	# works on it, but SAMR EnumDomainAliases on BUILTIN (rpcclient enumalsgroups builtin) skips it.
	{
		smb_net groupmap add sid=S-1-5-32-544 ntgroup=Administrators unixgroup=crmsec-admins type=local &&
			smb_net groupmap add sid=S-1-5-32-551 ntgroup="Backup Operators" unixgroup=crmsec-backupops type=local &&
			smb_net groupmap add sid=S-1-5-32-559 ntgroup="Performance Log Users" unixgroup=crmsec-perflog type=local &&
			smb_net groupmap add ntgroup=CRM_WPG unixgroup=crmsec-crm_wpg type=local &&
			smb_net sam addmem "Performance Log Users" "$APP_USER" &&
			smb_net sam addmem CRM_WPG "$APP_USER" &&
			smb_net sam addmem "Performance Log Users" "$ASYNC_USER"
	} >>"$D/log/setup.log" 2>&1 || { tail -n 20 "$D/log/setup.log" >&2; die "net groupmap/sam setup failed"; }
	MACHINE_SID=$(smb_net getlocalsid 2>>"$D/log/setup.log" | sed -n 's/^SID for domain .* is: //p')
	[ -n "$MACHINE_SID" ] || die "cannot read the machine SID"
	CRM_WPG_SID=$(smb_net groupmap list ntgroup=CRM_WPG 2>>"$D/log/setup.log" | sed -n 's/^CRM_WPG (\(S-[0-9-]*\)).*/\1/p')
	[ -n "$CRM_WPG_SID" ] || die "cannot read the SID of CRM_WPG"
	for u in "$MON_USER" "$APP_USER" "$ASYNC_USER"; do
		sid=$(in_ns pdbedit --configfile="$SMBCONF" -Lv "$u" 2>>"$D/log/setup.log" | sed -n 's/^User SID: *//p')
		[ -n "$sid" ] || die "cannot read the SID of $u"
		printf '%s %s\n' "$u" "$sid"
	done >"$D/user-sids"
	write_env
	log "configured $D in $(elapsed "$t0")s"
}

user_sid() { awk -v u="$1" '$1 == u { print $2 }' "$D/user-sids"; }

write_env() {
	local url=smb://$SMB_IP
	[ "$SMB_PORT" = 445 ] || url=smb://$SMB_IP:$SMB_PORT
	cat >"$ENVFILE" <<-EOF
		# Test SMB server environment - source this file (generated by tests/smb/smbd.sh).
		SMB_DIR='$D'
		SMB_IP=$SMB_IP
		SMB_PORT=$SMB_PORT
		# libsmbclient URL prefix; a port other than 445 is part of it (smb://IP:PORT/share/path)
		SMB_URL_BASE=$url
		# the server's name (its local accounts' domain); it does not resolve: address the server by SMB_IP
		SMB_NETBIOS_NAME=$NETBIOS_NAME
		SMB_SHARE_ADMIN='$SHARE_ADMIN'
		SMB_SHARE_RO=$SHARE_RO
		SMB_USER=$MON_USER
		SMB_DOMAIN=$NETBIOS_NAME
		SMB_PASSWORD_FILE='$PWFILE'
		# username/password/domain lines, mode 0600 (smbclient -A, rpcclient -A, --smb-auth-file)
		SMB_AUTH_FILE='$AUTHFILE'
		# accounts that log in but may not use either share (access denied); members of local groups
		SMB_APP_USER=$APP_USER
		SMB_APP_AUTH_FILE='$D/$APP_USER.auth'
		SMB_ASYNC_USER=$ASYNC_USER
		SMB_ASYNC_AUTH_FILE='$D/$ASYNC_USER.auth'
		# local SAM: machine SID, account SIDs, local group CRM_WPG (builtin aliases: S-1-5-32-544/551/559)
		SMB_MACHINE_SID=$MACHINE_SID
		SMB_MON_SID=$(user_sid "$MON_USER")
		SMB_APP_SID=$(user_sid "$APP_USER")
		SMB_ASYNC_SID=$(user_sid "$ASYNC_USER")
		SMB_CRM_WPG_SID=$CRM_WPG_SID
		# the share's files on disk (a copy made at first start; '${0##*/} reset-tree DIR' copies afresh)
		SMB_TREE='$TREE'
		# smb.conf for smbclient/rpcclient: keeps their caches under DIR and never reads /etc/samba/smb.conf
		SMB_CLIENT_CONF='$CLIENTCONF'
		SMB_CONF='$SMBCONF'
		SMB_PID_FILE='$PIDFILE'
		SMB_LOG='$LOGFILE'
		export SMB_DIR SMB_IP SMB_PORT SMB_URL_BASE SMB_NETBIOS_NAME SMB_SHARE_ADMIN SMB_SHARE_RO SMB_USER SMB_DOMAIN
		export SMB_PASSWORD_FILE SMB_AUTH_FILE SMB_APP_USER SMB_APP_AUTH_FILE SMB_ASYNC_USER SMB_ASYNC_AUTH_FILE
		export SMB_MACHINE_SID SMB_MON_SID SMB_APP_SID SMB_ASYNC_SID SMB_CRM_WPG_SID
		export SMB_TREE SMB_CLIENT_CONF SMB_CONF SMB_PID_FILE SMB_LOG
	EOF
}

cmd_start() {
	set_paths "${1:-}" create
	if [ ! -f "$ENVFILE" ]; then
		if [ -n "$(ls -A "$D")" ]; then
			die "$D is neither empty nor a configured test server"
		fi
		configure
	fi
	start_smbd
}

# ---------------------------------------------------------------------------------------------------------------

main() {
	local cmd=${1:-}
	shift || true
	case $cmd in
	start) cmd_start "$@" ;;
	stop)
		set_paths "$@"
		stop_smbd
		;;
	env)
		set_paths "$@"
		[ -f "$ENVFILE" ] || die "no $ENVFILE: run '${0##*/} start $D' first"
		cat "$ENVFILE"
		;;
	status)
		set_paths "$@"
		smbd_pid >/dev/null
		;;
	reset-tree)
		set_paths "$@"
		[ -f "$ENVFILE" ] || die "no $ENVFILE: run '${0##*/} start $D' first"
		copy_tree
		;;
	net)
		set_paths "${1:-}"
		shift
		[ -f "$ENVFILE" ] || die "no $ENVFILE: run '${0##*/} start $D' first"
		smb_net "$@"
		;;
	*)
		sed -n '3,10s/^# \{0,1\}//p' "$0" >&2
		exit 2
		;;
	esac
}

main "$@"
