#!/bin/bash
# samba-dc.sh - a throwaway Samba AD domain controller for the crmsec-plugins tests.
#
#   samba-dc.sh start DIR   provision DIR on first use, then start Samba (LDAP 389, LDAPS 636, CLDAP, KDC)
#   samba-dc.sh seed DIR    seed the Dynamics-like test domain (offline; restarts Samba if it was running)
#   samba-dc.sh stop DIR    stop Samba by its recorded PID (TERM, bounded wait, KILL)
#   samba-dc.sh env DIR     print DIR/env (shell-sourceable: DC_URI, DC_CA, DC_MONITOR_DN, ...)
#   samba-dc.sh status DIR  exit 0 when the recorded Samba process is alive
#
# Everything - databases, sockets, pid, lock, cache and log files, certificates, passwords - lives under DIR.
# Nothing is written below /etc/samba, /var/lib/samba, /run/samba, /var/cache/samba or /var/log/samba:
# every Samba tool runs with --configfile=DIR/etc/smb.conf and SMB_CONF_PATH set, so the system smb.conf is
# never read either.  The DC listens on DC_IP (default 127.0.0.2) only; Linux routes all of 127/8 to lo.
#
# Tunables (environment):
#   DC_IP=127.0.0.2          loopback address to bind (persisted in DIR at provisioning time)
#   DC_SMB=0                 1: also serve SMB and DCE/RPC (smbd, winbindd; SAMR on the builtin aliases),
#                            port 445 on DC_IP (persisted in DIR at provisioning time)
#   START_TIMEOUT=90         seconds to wait for LDAP/LDAPS after starting samba
#   STOP_TIMEOUT=20          seconds to wait after SIGTERM before SIGKILL
#   SAMBA_MAX_RUNTIME=7200   samba --maximum-runtime safety net (seconds)
#   BULK_USERS=1100          seed: users under OU=Bulk, each with BULK_SPNS_PER_USER unique SPNs
#   BULK_SPNS_PER_USER=2     seed: 1 or 2
#   BULK_DUPLICATES=0        seed: extra duplicated SPNs among the bulk users (<= BULK_USERS/2)
#   BULK_CHUNK=1000          seed: entries per ldbadd transaction
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SEED_TEMPLATES=$HERE/seed

REALM=CONTOSO.TEST
NETBIOS_DOMAIN=CONTOSO
DNS_DOMAIN=contoso.test
DC_NAME=dc1
DC_HOST=$DC_NAME.$DNS_DOMAIN
BASE=DC=contoso,DC=test
START_TIMEOUT=${START_TIMEOUT:-90}
STOP_TIMEOUT=${STOP_TIMEOUT:-20}
SAMBA_MAX_RUNTIME=${SAMBA_MAX_RUNTIME:-7200}

# GUIDs of the two simulated CRM deployments (group names "PrivUserGroup {GUID}" ...).
CRM_GUID1=6a2b3c4d-5e6f-4a70-8b91-c2d3e4f5a6b7
CRM_GUID2=0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0

# log, die, elapsed, the start tag and stopping: shared with tests/smb/smbd.sh
# shellcheck source=../lib/daemon.sh
. "$HERE/../lib/daemon.sh"
TAG_VAR=CRMSEC_DC_TAG

need() { need_cmds "apt-get install --no-install-recommends samba-ad-dc samba-ad-provision ldb-tools ldap-utils krb5-user openssl" "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# paths

set_paths() {
	use_dir "${0##*/} start|seed|stop|env|status DIR" "$@"
	SMBCONF=$D/etc/smb.conf
	KRB5CONF=$D/etc/krb5.conf
	PIDFILE=$D/samba.pid
	LOGFILE=$D/log/samba.log # after smb.conf is loaded; the first lines go to $D/log/log.samba (--log-basename)
	OUTFILE=$D/log/samba.out
	SAM=$D/private/sam.ldb
	TAGFILE=$D/run/samba.tag
	ENVFILE=$D/env
	if [ -f "$D/dc-ip" ]; then
		DC_IP=$(cat "$D/dc-ip")
	else
		DC_IP=${DC_IP:-127.0.0.2}
	fi
	if [ -f "$D/dc-smb" ]; then
		DC_SMB=$(cat "$D/dc-smb")
	else
		DC_SMB=${DC_SMB:-0}
	fi
	export SMB_CONF_PATH=$SMBCONF
}

# The partition file of the domain NC (tdb backend: "DC=CONTOSO,DC=TEST.ldb"; mdb: same name, lmdb format).
domain_partition() {
	local f=$D/private/sam.ldb.d/${BASE^^}.ldb
	[ -f "$f" ] || die "domain partition file not found: $f"
	printf '%s\n' "$f"
}

# ---------------------------------------------------------------------------------------------------------------
# process handling

# samba's pid while it runs (samba rewrites its argv: "samba: root process")
samba_pid() { recorded_pid "$PIDFILE" "$D/run/samba.starttime"; }

# ldapsearch of the rootDSE; $1 = URI.  LDAPS/StartTLS verify against DIR/ca.pem.
rootdse() {
	LDAPTLS_CACERT=$D/ca.pem LDAPTLS_REQCERT=demand LDAPCONF=/dev/null LDAPRC=/dev/null \
		timeout 10 ldapsearch -LLL -x -o nettimeout=3 -H "$1" -s base -b "" dnsHostName "${@:2}" 2>&1
}

start_samba() {
	local pid deadline t0 tag ok389 ok636
	if pid=$(samba_pid); then
		log "samba already running (pid $pid)"
		return 0
	fi
	rm -f "$PIDFILE"
	[ -z "$(tagged_pids)" ] || die "processes of an earlier start of $D are still running: $(tagged_pids | tr '\n' ' ')- run '${0##*/} stop $D'"
	# another server on our address would make the readiness probe below lie
	if rootdse "ldap://$DC_IP" | grep -q '^dnsHostName:'; then
		die "another LDAP server already answers on $DC_IP:389 (a DC of another DIR?)"
	fi
	mkdir -p "$D/log" "$D/run"
	: >"$OUTFILE"
	t0=$(now)
	tag=$(new_tag "$D")
	# --log-basename: samba opens its compiled-in log file (/var/log/samba/log.samba) before it reads smb.conf;
	# this moves that one under DIR too.
	# setsid: samba and all its forked workers get their own process group (pgid = pid), which stop kills.
	# samba itself is not a group leader here, so setsid execs without forking and $! is samba's pid.
	# CRMSEC_DC_TAG: inherited by every process samba starts (smbd's samba-dcerpcd leaves the group).
	if [ "$DC_SMB" = 1 ]; then
		# smbd finds winbindd only at the compiled-in socket directory /run/samba/winbindd (libwbclient
		# ignores "winbindd socket directory"), and the samba-dcerpcd it starts logs to /var/log/samba
		# before it reads smb.conf.  In a private mount namespace, a tmpfs over /run holds that path,
		# bind-mounted from DIR/winbindd, and DIR/log covers /var/log/samba: the host's /run and
		# /var/log are never touched.  unshare and sh exec, so $! is still samba's pid.
		env CRMSEC_DC_TAG="$tag" unshare -m --propagation private -- sh -c '
			mount -t tmpfs -o mode=0755,size=1m crmsec-dc-run /run &&
			mkdir -p /run/samba/winbindd && mount --bind "$1" /run/samba/winbindd &&
			{ [ ! -d /var/log/samba ] || mount --bind "$2" /var/log/samba; } &&
			shift 2 && exec setsid samba "$@"' crmsec-dc "$D/winbindd" "$D/log" -F --configfile="$SMBCONF" \
			--log-basename="$D/log" --maximum-runtime="$SAMBA_MAX_RUNTIME" </dev/null >>"$OUTFILE" 2>&1 &
	else
		setsid env CRMSEC_DC_TAG="$tag" samba -F --configfile="$SMBCONF" --log-basename="$D/log" \
			--maximum-runtime="$SAMBA_MAX_RUNTIME" </dev/null >>"$OUTFILE" 2>&1 &
	fi
	pid=$!
	echo "$pid" >"$PIDFILE"
	proc_starttime "$pid" >"$D/run/samba.starttime"
	deadline=$(($(date +%s) + START_TIMEOUT))
	ok389='' ok636=''
	while :; do
		if ! kill -0 "$pid" 2>/dev/null; then
			log "samba (pid $pid) exited during startup; last log lines:"
			tail -n 40 "$D/log/log.samba" "$LOGFILE" "$OUTFILE" >&2 2>/dev/null || true
			rm -f "$PIDFILE"
			return 1
		fi
		[ -n "$ok389" ] || { rootdse "ldap://$DC_IP" | grep -q '^dnsHostName:' && ok389=1; } || true
		[ -n "$ok636" ] || { rootdse "ldaps://$DC_IP" | grep -q '^dnsHostName:' && ok636=1; } || true
		if [ -n "$ok389" ] && [ -n "$ok636" ]; then
			# with SMB: until the monitoring account gets through a session setup (smbd asks winbindd)
			[ "$DC_SMB" = 1 ] || break
			smb_ready && break
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			log "timeout after ${START_TIMEOUT}s waiting for LDAP ($ok389) / LDAPS ($ok636) on $DC_IP; last log lines:"
			tail -n 60 "$D/log/log.samba" "$LOGFILE" "$OUTFILE" >&2 2>/dev/null || true
			rootdse "ldaps://$DC_IP" >&2 || true
			stop_samba || true
			return 1
		fi
		sleep 0.2
	done
	log "samba running (pid $pid), LDAP, LDAPS$([ "$DC_SMB" = 1 ] && echo ' and SMB') answer on $DC_IP after $(elapsed "$t0")s"
}

# the monitoring account lists the DC's shares: logon through smbd and winbindd works
smb_ready() {
	timeout 10 smbclient --configfile="$SMBCONF" -A "$D/monitor.auth" -L "//$DC_IP" >/dev/null 2>&1
}

stop_samba() {
	local pid
	pid=$(samba_pid) || pid=''
	if [ -z "$pid" ] && ! alive_any ''; then
		log "samba not running"
	else
		stop_tagged samba "$pid"
	fi
	rm -f "$PIDFILE"
}

# ---------------------------------------------------------------------------------------------------------------
# provisioning

check_loopback() {
	# Linux routes the whole 127.0.0.0/8 to lo, so 127.0.0.2 is usable without adding an address.
	if command -v ip >/dev/null 2>&1; then
		ip route get "$DC_IP" 2>/dev/null | grep -qE '(^local .* dev lo|dev lo)' ||
			die "$DC_IP is not routed to lo: $(ip route get "$DC_IP" 2>&1)"
	fi
	if rootdse "ldap://$DC_IP" | grep -q '^dnsHostName:'; then
		die "another LDAP server already answers on $DC_IP:389 (a DC of another DIR? use DC_IP=127.0.0.3)"
	fi
}

# random password meeting the AD complexity rules; written without newline, mode 0600
make_password() {
	local f=$1
	(umask 077 && printf 'Crm-%s-9x' "$(openssl rand -hex 10)" >"$f")
	chmod 600 "$f"
}

make_certs() {
	local t=$D/tls
	mkdir -p "$t"
	chmod 700 "$t"
	(
		umask 077
		cd "$t"
		cat >ca.cnf <<-EOF
			[req]
			distinguished_name = dn
			prompt = no
			[dn]
			CN = crmsec-plugins test CA
			O = crmsec-plugins tests
			[v3_ca]
			basicConstraints = critical, CA:TRUE
			keyUsage = critical, keyCertSign, cRLSign
			subjectKeyIdentifier = hash
			[v3_server]
			basicConstraints = critical, CA:FALSE
			keyUsage = critical, digitalSignature, keyEncipherment
			extendedKeyUsage = serverAuth
			subjectAltName = DNS:$DC_HOST, DNS:localhost, IP:$DC_IP
			subjectKeyIdentifier = hash
			authorityKeyIdentifier = keyid
		EOF
		openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 -keyout ca.key -out ca.pem \
			-config ca.cnf -extensions v3_ca 2>/dev/null
		openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr \
			-subj "/O=crmsec-plugins tests/CN=$DC_HOST" 2>/dev/null
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
			-extfile ca.cnf -extensions v3_server -out server.pem 2>/dev/null
		# a second CA that signed nothing the DC presents: for "untrusted certificate" tests
		openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 -keyout untrusted-ca.key \
			-out untrusted-ca.pem -subj "/O=crmsec-plugins tests/CN=crmsec-plugins UNTRUSTED test CA" \
			-config ca.cnf -extensions v3_ca 2>/dev/null
		rm -f server.csr
	)
	chmod 600 "$t"/*.key
	chmod 644 "$t"/*.pem
	cp "$t/ca.pem" "$D/ca.pem"
	cp "$t/untrusted-ca.pem" "$D/untrusted-ca.pem"
	openssl verify -CAfile "$D/ca.pem" "$t/server.pem" >/dev/null || die "server certificate does not verify"
}

write_smbconf() {
	local services='ldap, cldap, kdc'
	# s3fs starts smbd, which serves IPC$ and hands the named pipes to the rpc task; smbd maps the
	# authenticated SIDs to unix ids through winbindd
	[ "$DC_SMB" = 1 ] && services='ldap, cldap, kdc, rpc, s3fs, winbindd'
	mkdir -p "$D/etc" "$D/private" "$D/state" "$D/cache" "$D/lock" "$D/run" "$D/log" "$D/ncalrpc" \
		"$D/binddns" "$D/ntp_signd" "$D/winbindd" "$D/usershares"
	cat >"$SMBCONF" <<-EOF
		# Generated by tests/ad/samba-dc.sh - throwaway test DC, never for production.
		[global]
			netbios name = ${DC_NAME^^}
			workgroup = $NETBIOS_DOMAIN
			realm = $REALM
			server role = active directory domain controller
			server services = $services
			# IP/mask form: samba adds it as is.  A bare 127.0.0.2 must match an address probed on an
			# interface, and only 127.0.0.1 is on lo ("WARNING: no network interfaces found").
			interfaces = $DC_IP/8
			bind interfaces only = yes
			nbt client socket address = $DC_IP
			ldap server require strong auth = no
			ldb:nosync = true
			tls enabled = yes
			tls keyfile = $D/tls/server.key
			tls certfile = $D/tls/server.pem
			tls cafile = $D/ca.pem
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
			smb passwd file = $D/private/smbpasswd
			log file = $D/log/samba.log
			logging = file
			max log size = 0
			log level = 1
			# no DNS server here: never try to update DNS or SPNs of the DC itself
			dns update command = /bin/true
			spn update command = /bin/true
			nsupdate command = /bin/true

		[sysvol]
			path = $D/state/sysvol
			read only = no

		[netlogon]
			path = $D/state/sysvol/$DNS_DOMAIN/scripts
			read only = no
	EOF
}

write_krb5conf() {
	cat >"$KRB5CONF" <<-EOF
		# Client configuration for the test realm: export KRB5_CONFIG=$KRB5CONF
		[libdefaults]
			default_realm = $REALM
			dns_lookup_realm = false
			dns_lookup_kdc = false
			rdns = false
			dns_canonicalize_hostname = false
			udp_preference_limit = 0
			default_ccache_name = FILE:$D/krb5cc
		[realms]
			$REALM = {
				kdc = $DC_IP
				admin_server = $DC_IP
			}
		[domain_realm]
			.$DNS_DOMAIN = $REALM
			$DNS_DOMAIN = $REALM
			$DC_IP = $REALM
	EOF
}

# base64 of the UTF-16LE encoding of "password" (quotes included): the unicodePwd wire format
unicodepwd_b64() {
	printf '"%s"' "$(cat "$1")" | iconv -f UTF-8 -t UTF-16LE | base64 -w0
}

# Offline writes through sam.ldb and Samba's module stack.  batch_mode:1 turns off ldb's per-operation nested
# transaction: without it every add copies the growing index lists (objectClass, one-level) at its
# sub-transaction commit, so adds get linearly slower with the database size (1,000 users into a 21,000-user
# database: ~18 s instead of ~1.2 s).  In batch mode a failed entry aborts the whole chunk, which is what we want.
sam_ldbadd() { ldbadd -o batch_mode:1 --configfile="$SMBCONF" -H "$SAM" "$@" >/dev/null; }
sam_ldbmodify() { ldbmodify -o batch_mode:1 --configfile="$SMBCONF" -H "$SAM" "$@" >/dev/null; }

provision() {
	local t0 t1
	t0=$(now)
	need samba samba-tool ldbadd ldbmodify ldbsearch ldapsearch openssl iconv setsid timeout
	[ "$DC_SMB" = 1 ] && need smbd winbindd smbclient unshare
	check_loopback
	echo "$DC_IP" >"$D/dc-ip"
	echo "$DC_SMB" >"$D/dc-smb"
	make_certs
	write_smbconf
	write_krb5conf
	make_password "$D/admin.password"
	make_password "$D/monitor.password"
	make_password "$D/seed.password"
	(umask 077 && printf 'username = svc-monitor\npassword = %s\ndomain = %s\n' "$(cat "$D/monitor.password")" \
		"$NETBIOS_DOMAIN" >"$D/monitor.auth")
	log "provisioning $REALM in $D ..."
	t1=$(now)
	# Our smb.conf exists and is not empty, so provision uses it as it is (no merge of /etc/samba/smb.conf).
	samba-tool domain provision --configfile="$SMBCONF" \
		--realm="$REALM" --domain="$NETBIOS_DOMAIN" --server-role=dc \
		--dns-backend=NONE --host-name="$DC_NAME" --host-ip="$DC_IP" \
		--adminpass="$(cat "$D/admin.password")" >"$D/log/provision.log" 2>&1 ||
		{ tail -n 40 "$D/log/provision.log" >&2; die "samba-tool domain provision failed"; }
	log "samba-tool domain provision: $(elapsed "$t1")s"
	# the monitoring account used by the plugins' tests: a plain user, member of Domain Users only
	sed -e "s/@BASE@/$BASE/g" -e "s/@DNS_DOMAIN@/$DNS_DOMAIN/g" \
		-e "s|@PW@|$(unicodepwd_b64 "$D/monitor.password")|g" \
		"$SEED_TEMPLATES/00-monitor.ldif" | sam_ldbadd
	# Kerberos to the DC by IP: clients that do not canonicalise (SASL_NOCANON / ldapsearch -N) ask for
	# ldap/127.0.0.2; register it on the DC's machine account so GSSAPI binds to ldap://$DC_IP work.
	printf 'dn: CN=%s,OU=Domain Controllers,%s\nchangetype: modify\nadd: servicePrincipalName\nservicePrincipalName: ldap/%s\nservicePrincipalName: host/%s\n' \
		"${DC_NAME^^}" "$BASE" "$DC_IP" "$DC_IP" | sam_ldbmodify
	DOMAIN_SID=$(ldbsearch --configfile="$SMBCONF" -H "$SAM" -s base -b "$BASE" objectSid | sed -n 's/^objectSid: //p')
	echo "$DOMAIN_SID" >"$D/domain-sid"
	write_env
	log "provisioned in $(elapsed "$t0")s"
}

write_env() {
	cat >"$ENVFILE" <<-EOF
		# Test DC environment - source this file (generated by tests/ad/samba-dc.sh).
		DC_DIR='$D'
		DC_REALM=$REALM
		DC_DOMAIN=$NETBIOS_DOMAIN
		DC_HOST=$DC_HOST
		DC_IP=$DC_IP
		# TLS: the server certificate (signed by DC_CA) carries SAN DNS:$DC_HOST, DNS:localhost, IP:$DC_IP.
		# OpenLDAP's libldap (GnuTLS build on Debian 12) checks an IP literal in the URI against the IP SAN
		# (a certificate without it fails: "hostname (127.0.0.3) does not match common name"), so
		# ldaps://$DC_IP and StartTLS on ldap://$DC_IP verify with DC_CA and need no name resolution.
		# $DC_HOST itself does not resolve (no DNS server here; /etc/hosts is left alone): use the IP URIs.
		# Kerberos: the DC's machine account also carries ldap/$DC_IP and host/$DC_IP, so GSSAPI binds to
		# ldap://$DC_IP work (ldapsearch -Y GSSAPI, with or without -N / SASL_NOCANON).
		DC_URI=ldap://$DC_IP
		DC_LDAPS_URI=ldaps://$DC_IP
		DC_GC_URI=ldap://$DC_IP:3268
		DC_GC_LDAPS_URI=ldaps://$DC_IP:3269
		DC_CA='$D/ca.pem'
		DC_UNTRUSTED_CA='$D/untrusted-ca.pem'
		DC_BASE=$BASE
		DC_DOMAIN_SID=$DOMAIN_SID
		DC_ADMIN_DN='CN=Administrator,CN=Users,$BASE'
		DC_ADMIN_UPN=Administrator@$DNS_DOMAIN
		DC_PASSWORD_FILE='$D/admin.password'
		DC_MONITOR_DN='CN=svc-monitor,CN=Users,$BASE'
		DC_MONITOR_UPN=svc-monitor@$DNS_DOMAIN
		DC_MONITOR_PASSWORD_FILE='$D/monitor.password'
		# the same account as a Samba auth file (smbclient -A, check_svcaccount --smb-auth-file)
		DC_MONITOR_AUTH_FILE='$D/monitor.auth'
		# DC_SMB=1: smbd serves IPC$ (SAMR: the builtin aliases) on $DC_IP:445
		DC_SMB=$DC_SMB
		# password of every seeded account that has one (tests/ad/seed/*.ldif)
		DC_SEED_PASSWORD_FILE='$D/seed.password'
		DC_CRM_GUID=$CRM_GUID1
		DC_CRM_GUID2=$CRM_GUID2
		DC_CRM_GROUPS_OU='OU=CRM Groups,OU=Dynamics,$BASE'
		DC_CRM_GROUPS2_OU='OU=CRM Groups 2,OU=Dynamics,$BASE'
		DC_PID_FILE='$PIDFILE'
		DC_LOG='$LOGFILE'
		# Kerberos: KRB5_CONFIG=... kinit -c \$KRB5CCNAME svc-monitor@$REALM <\$DC_MONITOR_PASSWORD_FILE
		KRB5_CONFIG='$KRB5CONF'
		KRB5CCNAME='FILE:$D/krb5cc'
		export DC_DIR DC_REALM DC_DOMAIN DC_HOST DC_IP DC_URI DC_LDAPS_URI DC_GC_URI DC_GC_LDAPS_URI DC_CA DC_UNTRUSTED_CA
		export DC_BASE DC_DOMAIN_SID DC_ADMIN_DN DC_ADMIN_UPN DC_PASSWORD_FILE DC_MONITOR_DN DC_MONITOR_UPN DC_MONITOR_PASSWORD_FILE
		export DC_MONITOR_AUTH_FILE DC_SMB
		export DC_SEED_PASSWORD_FILE DC_CRM_GUID DC_CRM_GUID2 DC_CRM_GROUPS_OU DC_CRM_GROUPS2_OU DC_PID_FILE DC_LOG
		export KRB5_CONFIG KRB5CCNAME
	EOF
}

cmd_start() {
	set_paths "${1:-}" create
	if [ ! -f "$SAM" ]; then
		if [ -n "$(ls -A "$D")" ]; then
			die "$D is neither empty nor a provisioned test DC"
		fi
		provision
	fi
	start_samba
}

# ---------------------------------------------------------------------------------------------------------------
# seeding

# FILETIME (100 ns since 1601-01-01) of now
filetime_now() { echo $(( ($(date +%s) + 11644473600) * 10000000 )); }

render() {
	sed -e "s/@BASE@/$BASE/g" -e "s/@DNS_DOMAIN@/$DNS_DOMAIN/g" -e "s/@REALM@/$REALM/g" \
		-e "s/@GUID1@/$CRM_GUID1/g" -e "s/@GUID2@/$CRM_GUID2/g" \
		-e "s|@PW@|$SEED_PW_B64|g" -e "s/@NOW@/$(filetime_now)/g" "$@"
}

# svc-crm-nodomusers: primary group "CRM Service Accounts" instead of Domain Users, and no Domain Users membership
seed_primary_group() {
	local user="CN=svc-crm-nodomusers,OU=Service Accounts,OU=Dynamics,$BASE" rid
	rid=$(ldbsearch --configfile="$SMBCONF" -H "$SAM" -s base -b "CN=CRM Service Accounts,OU=Groups,OU=Dynamics,$BASE" \
		objectSid | sed -n 's/^objectSid: S-1-5-21-.*-\([0-9]*\)$/\1/p')
	[ -n "$rid" ] || die "cannot read the RID of CRM Service Accounts"
	printf 'dn: %s\nchangetype: modify\nreplace: primaryGroupID\nprimaryGroupID: %s\n' "$user" "$rid" | sam_ldbmodify ||
		die "cannot set primaryGroupID of svc-crm-nodomusers"
	# samldb turns the old primary group into an explicit membership (as AD does): drop it
	printf 'dn: CN=Domain Users,CN=Users,%s\nchangetype: modify\ndelete: member\nmember: %s\n' "$BASE" "$user" |
		sam_ldbmodify || die "cannot remove svc-crm-nodomusers from Domain Users"
}

# bulk users, one LDIF file per BULK_CHUNK entries; $1 = output directory
gen_bulk() {
	awk -v n="$BULK_USERS" -v per="$BULK_SPNS_PER_USER" -v chunk="$BULK_CHUNK" -v base="$BASE" \
		-v dom="$DNS_DOMAIN" -v out="$1" 'BEGIN {
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/bulk-%04d.ldif", out, int((i - 1) / chunk))
			printf "dn: CN=svcbulk%05d,OU=Bulk,%s\nobjectClass: user\nsAMAccountName: svcbulk%05d\n", i, base, i > f
			printf "description: bulk SPN holder %d\nservicePrincipalName: svcbulk/host%05d.%s\n", i, i, dom > f
			if (per > 1) printf "servicePrincipalName: svcbulk/host%05d\n", i > f
			printf "\n" > f
			if (i % chunk == 0) close(f)
		}
	}'
}

# extra SPNs making BULK_DUPLICATES duplicates: user n/2+j gets user j's FQDN SPN (every other one upper-cased,
# so exact and case-variant duplicates are both present).  Applied to the partition file, like the others.
gen_bulk_duplicates() {
	awk -v n="$BULK_USERS" -v d="$BULK_DUPLICATES" -v base="$BASE" -v dom="$DNS_DOMAIN" 'BEGIN {
		h = int(n / 2)
		for (j = 1; j <= d; j++) {
			spn = sprintf("svcbulk/host%05d.%s", j, dom)
			if (j % 2 == 0) spn = toupper(spn)
			printf "dn: CN=svcbulk%05d,OU=Bulk,%s\nchangetype: modify\nadd: servicePrincipalName\nservicePrincipalName: %s\n\n", h + j, base, spn
		}
	}'
}

cmd_seed() {
	local was_running='' t0 t1 f part tmp
	set_paths "${1:-}"
	[ -f "$SAM" ] || die "$D is not provisioned: run '${0##*/} start $D' first"
	BULK_USERS=${BULK_USERS:-1100}
	BULK_SPNS_PER_USER=${BULK_SPNS_PER_USER:-2}
	BULK_DUPLICATES=${BULK_DUPLICATES:-0}
	BULK_CHUNK=${BULK_CHUNK:-1000}
	case $BULK_SPNS_PER_USER in 1 | 2) ;; *) die "BULK_SPNS_PER_USER must be 1 or 2" ;; esac
	[ "$BULK_DUPLICATES" -le $((BULK_USERS / 2)) ] || die "BULK_DUPLICATES must be <= BULK_USERS/2"
	[ ! -f "$D/seeded" ] || die "$D is already seeded (seed runs once after provisioning)"
	t0=$(now)
	if samba_pid >/dev/null; then
		was_running=1
		stop_samba
	fi
	SEED_PW_B64=$(unicodepwd_b64 "$D/seed.password")
	tmp=$D/seed.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"

	# 1. through sam.ldb and Samba's whole module stack (SIDs, RIDs, password hashes, memberOf links, checks)
	t1=$(now)
	for f in "$SEED_TEMPLATES"/[1-5]?-*.ldif; do
		render "$f" >"$tmp/${f##*/}"
		case $f in
		*-add.ldif) sam_ldbadd "$tmp/${f##*/}" || die "ldbadd $f failed" ;;
		*) sam_ldbmodify "$tmp/${f##*/}" || die "ldbmodify $f failed" ;;
		esac
	done
	seed_primary_group
	log "seed: Dynamics accounts, groups, computers, policies: $(elapsed "$t1")s"

	t1=$(now)
	gen_bulk "$tmp"
	for f in "$tmp"/bulk-*.ldif; do
		sam_ldbadd "$f" || die "ldbadd $f failed"
	done
	log "seed: $BULK_USERS bulk users with $BULK_SPNS_PER_USER SPN(s) each: $(elapsed "$t1")s"

	# 2. duplicate and HOST-alias-colliding SPNs: samldb refuses them (LDAP, and sam.ldb even with relax), so
	#    write them straight into the domain partition's own ldb file, below the module stack.
	t1=$(now)
	part=$(domain_partition)
	render "$SEED_TEMPLATES/90-partition-spns.ldif" >"$tmp/90-partition-spns.ldif"
	if [ "$BULK_DUPLICATES" -gt 0 ]; then
		gen_bulk_duplicates >>"$tmp/90-partition-spns.ldif"
	fi
	ldbmodify -H "$part" "$tmp/90-partition-spns.ldif" >/dev/null || die "ldbmodify on $part failed"
	log "seed: duplicate SPNs written to the partition file: $(elapsed "$t1")s"

	rm -rf "$tmp"
	{
		echo "BULK_USERS=$BULK_USERS"
		echo "BULK_SPNS_PER_USER=$BULK_SPNS_PER_USER"
		echo "BULK_DUPLICATES=$BULK_DUPLICATES"
		date -u +%Y-%m-%dT%H:%M:%SZ
	} >"$D/seeded"
	log "seeded in $(elapsed "$t0")s"
	if [ -n "$was_running" ]; then
		start_samba
	fi
}

# ---------------------------------------------------------------------------------------------------------------

main() {
	local cmd=${1:-}
	shift || true
	case $cmd in
	start) cmd_start "$@" ;;
	stop)
		set_paths "$@"
		stop_samba
		;;
	seed) cmd_seed "$@" ;;
	env)
		set_paths "$@"
		[ -f "$ENVFILE" ] || die "no $ENVFILE: run '${0##*/} start $D' first"
		cat "$ENVFILE"
		;;
	status)
		set_paths "$@"
		samba_pid >/dev/null
		;;
	*)
		sed -n '2,9s/^# \{0,1\}//p' "$0" >&2
		exit 2
		;;
	esac
}

main "$@"
