# Shared by the engine tests (tests/engines/*.test), sourced after tests/lib/tap.sh.
#
# Each test starts a monitoring engine from the Debian packages as its own process, with a private
# configuration that loads the shipped examples unchanged (examples/icinga2, examples/nagios, examples/nrpe)
# and points them at this test's files through the variables the examples provide: Icinga 2 constants,
# Nagios $USERn$ resource macros, and for NRPE (which has no variables) a private mount namespace
# (ns-run.sh). The checks run against:
#   - the sample servers' configuration: crmfe01 = examples/dynamics/crmfe01 (deliberate findings),
#     crmfe02 and crmbe01 = tests/engines/fixtures (clean), as the "mounted C: drives" under $ENG_T/drives;
#   - a Samba AD DC (tests/ad/samba-dc.sh) on the test's own loopback address.
#   - crmfe03, the sample front end read over SMB (--crm-host, a read-only share, an auth file): its name does
#     not resolve, so both checks are UNKNOWN naming the smb:// URL the example builds;
# The expected results (eng_scenarios) are the same for every engine: one table, each row one sample
# service with its plugin, state, first line, a long-output line and the performance data. Rows whose
# service is not in the examples (a non-OK service account: the seeded domain's svc-crm-nestedadmin) use
# test-only objects built from the shipped definitions: host findings.contoso.test with the shipped apply
# rule / command (icinga2.test, nagios.test), and NRPE's crmsec_test_svcaccount_nestedadmin, the shipped
# crmsec_svcaccount_svc_crmapp line with the account and roles replaced (eng_nrpe_start).
#
# Adding a plugin: its CheckCommand/apply rule (examples/icinga2), command/service (examples/nagios),
# command[...] lines (examples/nrpe, examples/nagios/crmsec-nrpe.cfg), then a row per sample service in
# eng_scenarios. Rows of a plugin that is not built are skipped.

PATH=$PATH:/usr/sbin:/sbin # the daemons, for users whose PATH lacks them
set +m # no job control: setsid must not fork, so that $! is the engine's PID and its process group

ENG_HERE="$SRC/tests/engines"
ENG_DCDIR=''
ENG_PIDS=()
ENG_DUPS=2 # duplicated SPNs in the seeded domain (BULK_DUPLICATES adds to it)
ENG_T=$(mktemp -d "${TMPDIR:-/tmp}/crmsec-eng-${ENG_NAME}.XXXXXX")
chmod 755 "$ENG_T" # the NRPE user must get through it
ENG_START=$(date +%s.%N)

eng_elapsed() { awk -v a="$ENG_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# eng_stop PID: TERM to the engine (PID), bounded wait for it to exit; then whatever is left of its process
# group (workers, helpers) gets TERM, then KILL. Returns 1 if anything survived.
eng_stop() {
	local pid=$1 i t0
	t0=$(date +%s.%N)
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && echo "# pid $pid still alive 20 s after SIGTERM"
	for sig in TERM KILL; do
		kill -0 -- "-$pid" 2>/dev/null || break
		kill "-$sig" -- "-$pid" 2>/dev/null
		for ((i = 0; i < 50; i++)); do
			kill -0 -- "-$pid" 2>/dev/null || break
			sleep 0.1
		done
	done
	wait "$pid" 2>/dev/null
	echo "# stopped process group $pid in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	! kill -0 -- "-$pid" 2>/dev/null
}

eng_cleanup() {
	local pid
	for pid in "${ENG_PIDS[@]}"; do
		eng_stop "$pid" >/dev/null 2>&1
	done
	if [ -n "$ENG_DCDIR" ]; then
		bash "$SRC/tests/ad/samba-dc.sh" stop "$ENG_DCDIR" >/dev/null 2>&1
	fi
	rm -rf "$ENG_T" "$TAP_TMP"
}
trap eng_cleanup EXIT

# eng_unavailable REASON [LOGFILE]: the engine (or what it needs) cannot run here. With CI=true that is a
# failure; otherwise the whole test is skipped. Only before the first test result.
eng_unavailable() {
	if [ "${CI:-}" = true ]; then
		echo "not ok 1 - $ENG_NAME: $1"
		[ -n "${2:-}" ] && [ -f "$2" ] && tail -n 40 "$2" | sed 's/^/#   /'
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

# eng_fail REASON [LOGFILE]: the engine is there but does not work: a failure, CI or not (ends the test).
eng_fail() {
	tap_not_ok "$ENG_NAME: $1" "$( [ -n "${2:-}" ] && [ -f "$2" ] && tail -n 60 "$2")"
	eng_finish
	exit 1
}

# eng_need COMMAND PACKAGE ...: pairs of a command and the Debian package that has it.
eng_need() {
	local missing=()
	while [ $# -gt 0 ]; do
		command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || missing+=("$2")
		shift 2
	done
	[ ${#missing[@]} -eq 0 ] ||
		eng_unavailable "not installed: ${missing[*]} (apt-get install --no-install-recommends ${missing[*]})"
	[ "$(id -u)" -eq 0 ] || eng_unavailable "needs root (the Samba DC, and the NRPE user switch)"
}

# eng_port ADDRESS: a TCP port nothing listens on at ADDRESS.
eng_port() {
	local p i
	for ((i = 0; i < 50; i++)); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/$1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# eng_start_dc IP: provision, seed and start the test DC on IP; exports its DC_* variables.
eng_start_dc() {
	ENG_DCDIR=$ENG_T/dc
	if ! { DC_IP=$1 bash "$SRC/tests/ad/samba-dc.sh" start "$ENG_DCDIR" &&
		BULK_USERS=${ENG_BULK_USERS:-50} BULK_DUPLICATES=${ENG_BULK_DUPLICATES:-0} \
			bash "$SRC/tests/ad/samba-dc.sh" seed "$ENG_DCDIR"; } >"$ENG_T/dc.log" 2>&1; then
		eng_unavailable "cannot start the Samba AD test DC on $1: $(tail -1 "$ENG_T/dc.log")" "$ENG_T/dc.log"
	fi
	. "$ENG_DCDIR/env"
	ENG_DUPS=$((2 + ${ENG_BULK_DUPLICATES:-0}))
	echo "# $ENG_NAME: Samba DC on $1 ready after $(eng_elapsed) s"
}

# eng_site: what a monitoring host has, made from this build and the test DC:
#   $ENG_T/plugins   the plugin directory: our built plugins, plus check_nrpe
#   $ENG_T/drives    the servers' "mounted C: drives" (copies: readable by the NRPE user whatever the checkout)
#   $ENG_T/secrets   crmsec.ini ([check_spn], [check_svcaccount]: DC URI, CA, bind DN, password file),
#                    smb.auth (the SMB logon of the servers read over SMB; mode 0600)
eng_site() {
	local p owner=${1:-root}
	mkdir -p "$ENG_T/plugins" "$ENG_T/drives" "$ENG_T/secrets"
	for p in "$PLUGINS"/check_*; do
		case ${p##*/} in *.*) continue ;; esac
		[ -f "$p" ] && [ -x "$p" ] && cp "$p" "$ENG_T/plugins/"
	done
	[ -x /usr/lib/nagios/plugins/check_nrpe ] && ln -s /usr/lib/nagios/plugins/check_nrpe "$ENG_T/plugins/"
	cp -R "$SRC/examples/dynamics/crmfe01" "$ENG_T/drives/crmfe01"
	cp -R "$ENG_HERE/fixtures/crmfe02" "$ENG_T/drives/crmfe02"
	cp -R "$ENG_HERE/fixtures/crmbe01" "$ENG_T/drives/crmbe01"
	chmod -R a+rX "$ENG_T/plugins" "$ENG_T/drives"
	chmod 755 "$ENG_T/secrets"
	install -m 0644 "$DC_CA" "$ENG_T/secrets/ca.pem"
	install -m 0600 -o "$owner" "$DC_MONITOR_PASSWORD_FILE" "$ENG_T/secrets/monitor.pw"
	printf 'username = svc-monitor\npassword = not-used-here\ndomain = CONTOSO\n' >"$ENG_T/secrets/smb.auth"
	chown "$owner" "$ENG_T/secrets/smb.auth"
	chmod 0600 "$ENG_T/secrets/smb.auth"
	local s
	for s in check_spn check_svcaccount; do
		printf '[%s]\nhost = %s\ncacert = %s\nbind-dn = %s\npassword-file = %s\n\n' "$s" "$DC_LDAPS_URI" \
			"$ENG_T/secrets/ca.pem" "$DC_MONITOR_DN" "$ENG_T/secrets/monitor.pw"
	done >"$ENG_T/secrets/crmsec.ini"
	chmod 0644 "$ENG_T/secrets/crmsec.ini"
}

# eng_start LOG COMMAND...: start an engine in its own process group; its PID is ENG_PID.
eng_start() {
	local log=$1
	shift
	setsid "$@" </dev/null >>"$log" 2>&1 &
	ENG_PID=$!
	ENG_PIDS+=("$ENG_PID")
}

# eng_wait SECONDS COMMAND...: until COMMAND succeeds (every 0.5 s); 1 on timeout.
eng_wait() {
	local deadline=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.5
	done
}

# eng_nrpe_start ADDRESS PORT LOG: NRPE from the Debian package, as `nrpe -c CFG -f`, with the commands of
# examples/nrpe/crmsec.cfg (included as shipped) and NRPE's user nobody. It runs in a mount namespace where
# /usr/lib/nagios/plugins is our plugins, /mnt the drives and /etc/crmsec/crmsec.ini the test's ini.
ENG_NRPE_NS=()
eng_nrpe_start() {
	local addr=$1 port=$2 log=$3 d=$ENG_T/nrpe p
	mkdir -p "$d/plugins" "$d/etc/crmsec" "$d/work"
	for p in "$ENG_T/plugins"/check_*; do
		case ${p##*/} in check_nrpe) ;; *) cp "$p" "$d/plugins/" ;; esac
	done
	cp "$ENG_T/secrets/crmsec.ini" "$d/etc/crmsec/crmsec.ini"
	chown -R "nobody:$(id -gn nobody)" "$ENG_T/secrets/monitor.pw" "$ENG_T/secrets/smb.auth"
	# test only: a service account with findings, through the shipped command line of svc-crmapp
	sed -n -e 's/^command\[crmsec_svcaccount_svc_crmapp\]=\(.* -a \)svc-crmapp -r app$/command[crmsec_test_svcaccount_nestedadmin]=\1svc-crm-nestedadmin -r app,deployment/p' \
		"$SRC/examples/nrpe/crmsec.cfg" >"$d/test-commands.cfg"
	head -c 70000 /dev/urandom | base64 -w 76 >"$d/big.txt"
	: >"$d/nrpe.log"
	chown nobody "$d/nrpe.log"
	chmod -R a+rX "$d"
	install -m 0600 -o nobody "$ENG_T/secrets/smb.auth" "$d/etc/crmsec/smb.auth"
	cat >"$d/nrpe.cfg" <<-EOF
		# private NRPE configuration of tests/engines ($ENG_NAME)
		log_file=$d/nrpe.log
		debug=1
		pid_file=$d/nrpe.pid
		server_address=$addr
		server_port=$port
		nrpe_user=nobody
		nrpe_group=$(id -gn nobody)
		allowed_hosts=127.0.0.1
		dont_blame_nrpe=0
		allow_bash_command_substitution=0
		command_timeout=60
		connection_timeout=60
		# test only: 70,000 bytes of output, to measure NRPE's limit
		command[crmsec_test_big]=/usr/bin/cat $d/big.txt
		include=$SRC/examples/nrpe/crmsec.cfg
		include=$d/test-commands.cfg
	EOF
	ENG_NRPE_NS=(bash "$ENG_HERE/ns-run.sh" --etc-overlay "$d/etc" "$d/work"
		--bind "$d/plugins" /usr/lib/nagios/plugins --bind "$ENG_T/drives" /mnt)
	eng_start "$log" "${ENG_NRPE_NS[@]}" -- nrpe -c "$d/nrpe.cfg" -f
	ENG_NRPE_PID=$ENG_PID
	ENG_NRPE_ADDR=$addr ENG_NRPE_PORT=$port
	if ! eng_wait 20 /usr/lib/nagios/plugins/check_nrpe -H "$addr" -p "$port"; then
		return 1
	fi
}

# ---- the expected results ---------------------------------------------------------------------------

SCN_PLUGIN=() SCN_HOST=() SCN_SERVICE=() SCN_NRPE=() SCN_STATE=() SCN_FIRST=() SCN_LONG=() SCN_PERF=()
# scn PLUGIN HOST SERVICE NRPE_COMMAND STATE FIRST_LINE LONG_LINE PERFDATA (the last three: extended regexes;
# LONG_LINE must match a line of the long output; PERFDATA the perfdata items joined by single spaces)
scn() {
	SCN_PLUGIN+=("$1") SCN_HOST+=("$2") SCN_SERVICE+=("$3") SCN_NRPE+=("$4") SCN_STATE+=("$5")
	SCN_FIRST+=("$6") SCN_LONG+=("$7") SCN_PERF+=("$8")
}

eng_scenarios() {
	local time='time=[0-9.]+s;;;0'
	# check_aspnet_debug: crmfe01 has the example tree's findings; crmfe02 and crmbe01 are clean
	scn aspnet_debug crmfe01.contoso.test crm-aspnet-debug crmsec_aspnet_debug_crmfe01 2 \
		'^ASPNET_DEBUG CRITICAL - 1 critical, 2 warnings? in 8 configuration files: custom-errors-off, retail, debug$' \
		'^CRITICAL: custom-errors-off: customErrors mode=Off in /.*/crmfe01/Program Files/Microsoft Dynamics CRM/CRMWeb/web\.config:532 \(location "Tools"\)$' \
		'^findings=3;;;0 critical=1;;;0 warning=2;;;0 files=8;;;0$'
	scn aspnet_debug crmfe02.contoso.test crm-aspnet-debug crmsec_aspnet_debug_crmfe02 0 \
		'^ASPNET_DEBUG OK - no debug, trace or detailed error output in 4 configuration files$' \
		'^OK: retail mode is on \(/.*/crmfe02/Windows/Microsoft\.NET/Framework64/v4\.0\.30319/Config/machine\.config:10\)' \
		'^findings=0;;;0 critical=0;;;0 warning=0;;;0 files=4;;;0$'
	scn aspnet_debug crmbe01.contoso.test crm-aspnet-debug crmsec_aspnet_debug_crmbe01 0 \
		'^ASPNET_DEBUG OK - no debug, trace or detailed error output in 1 configuration file$' \
		'^OK: retail mode is on \(/.*/crmbe01/Windows/Microsoft\.NET/Framework64/v4\.0\.30319/Config/machine\.config:10\)' \
		'^findings=0;;;0 critical=0;;;0 warning=0;;;0 files=1;;;0$'
	# check_apppool
	scn apppool crmfe01.contoso.test crm-apppool crmsec_apppool_crmfe01 1 \
		'^APPPOOL WARNING - Default Web Site/LegacyTools runs in CRMAppPool \(line 175\)' \
		'^WARNING: foreign-app: Default Web Site/LegacyTools runs in CRMAppPool \(line 175\)' \
		'^pools=2;;;0 applications=4;;;0 foreign_apps=1;;;0 builtin_identities=0;;;0$'
	scn apppool crmfe02.contoso.test crm-apppool crmsec_apppool_crmfe02 0 \
		'^APPPOOL OK - 2 pools on domain accounts, 3 applications, none foreign' \
		'^OK: pool CRMAppPool: SpecificUser CONTOSO\\svc-crmapp \(line 9\), password encrypted; 2 applications: Microsoft Dynamics 365/, Microsoft Dynamics 365/Help$' \
		'^pools=2;;;0 applications=3;;;0 foreign_apps=0;;;0 builtin_identities=0;;;0$'
	# the front end read over SMB: the example's --crm-host, --share and auth file reach the plugin, which
	# cannot resolve crmfe03.contoso.test (the auth file's mode is accepted: the error is about the host)
	local smb='smb://crmfe03\.contoso\.test/crmconfig' why='(cannot resolve the host name|connection refused|timed out)'
	scn aspnet_debug crmfe03.contoso.test crm-aspnet-debug crmsec_aspnet_debug_crmfe03 3 \
		"^ASPNET_DEBUG UNKNOWN - $smb/Windows/Microsoft\.NET/Framework64/v4\.0\.30319/Config/machine\.config: $why \(and more files not checked\)" \
		"^UNKNOWN: unreadable: $smb/Windows/Microsoft\.NET/Framework64/v4\.0\.30319/Config/machine\.config: $why" \
		'^findings=[0-9]+;;;0 critical=0;;;0 warning=0;;;0 files=0;;;0$'
	scn apppool crmfe03.contoso.test crm-apppool crmsec_apppool_crmfe03 3 \
		"^APPPOOL UNKNOWN - $smb/Windows/System32/inetsrv/config/applicationHost\.config: $why" \
		'^$' '^$'
	# check_spn against the test DC
	scn spn contoso.test crm-spn-duplicates crmsec_spn_duplicates 2 \
		"^SPN CRITICAL - $ENG_DUPS duplicate SPNs\$" \
		'^CRITICAL: spn-duplicate: [^ ]+ is registered on 2 accounts: CONTOSO\\' \
		"^duplicates=$ENG_DUPS;;0;0 spns=[0-9]+;;;0 accounts=[0-9]+;;;0 $time\$"
	scn spn contoso.test crm-spn-url-crm crmsec_spn_url_crm 2 \
		'^SPN CRITICAL - 1 duplicate SPN$' \
		'^CRITICAL: spn-duplicate: HTTP/crm\.contoso\.test is registered on 2 accounts: .*CONTOSO\\svc-crmapp \(CN=svc-crmapp,' \
		"^$time\$"
	scn spn crmbe01.contoso.test crm-spn-MSCRMAsyncService crmsec_spn_crmbe01_async 0 \
		'^SPN OK - every SPN checked is registered once$' \
		'^OK: MSCRMAsyncService/crmbe01\.contoso\.test is on CONTOSO\\svc-crmasync \(CN=svc-crmasync,' \
		"^$time\$"
	scn spn crmbe01.contoso.test crm-spn-MSCRMSandboxService crmsec_spn_crmbe01_sandbox 0 \
		'^SPN OK - every SPN checked is registered once$' \
		'^OK: MSCRMSandboxService/crmbe01 is on CONTOSO\\svc-crmsandbox \(CN=svc-crmsandbox,' \
		"^$time\$"
	# check_svcaccount against the test DC: the sample deployment's accounts are clean
	local a r
	for a in crmapp:app crmdeploy:deployment crmasync:async crmsandbox:sandbox crmvss:vss crmmon:monitoring; do
		r=${a#*:} a=svc-${a%%:*}
		scn svcaccount contoso.test "crm-svcaccount-$a" "crmsec_svcaccount_${a//-/_}" 0 \
			"^SVCACCOUNT OK - CONTOSO\\\\$a \\($r\\): all AD checks passed[;:] password expires in [0-9.]+ days\$" \
			"^OK: privileged: " \
			'^days_to_expiry=[0-9.]+;14:;3: groups=[0-9]+;;;0 privileged_groups=0;;;0$'
	done
	# test only (see above): nested into Domain Admins
	scn svcaccount findings.contoso.test crm-svcaccount-svc-crm-nestedadmin crmsec_test_svcaccount_nestedadmin 2 \
		'^SVCACCOUNT CRITICAL - CONTOSO\\svc-crm-nestedadmin: privileged: Domain Admins, Administrators$' \
		'^CRITICAL: privileged: member of Domain Admins \(S-1-5-21-[0-9-]+-512\): svc-crm-nestedadmin → CRM Admins L1 → CRM Admins L2 → Domain Admins$' \
		'^days_to_expiry=[0-9.]+;14:;3: groups=[0-9]+;;;0 privileged_groups=2;;;0$'
}

# eng_built PLUGIN: the plugin is in this build
eng_built() { [ -x "$ENG_T/plugins/check_$1" ]; }

# eng_unescape: \n -> newline, \\ -> \ (status.dat long output, jq @tsv)
eng_unescape() { perl -pe 's/\\(.)/$1 eq "n" ? "\n" : $1 eq "t" ? "\t" : $1/ge'; }

# eng_assert NAME I STATE FIRST LONG PERF [EXIT]: one TAP result for scenario I, from what the engine
# reported: the state, the first line (without perfdata), the long output (lines), the perfdata (items
# joined by single spaces) and, where the engine shows it, the exit code.
eng_assert() {
	local name=$1 i=$2 state=$3 first=$4 long=$5 perf=$6 exitc=${7:-}
	local errs=()
	first=${first%"${first##*[! ]}"} # the engines keep the space before '|'
	[ "$state" = "${SCN_STATE[$i]}" ] || errs+=("state $state, expected ${SCN_STATE[$i]}")
	[ -z "$exitc" ] || [ "$exitc" = "${SCN_STATE[$i]}" ] || errs+=("exit code $exitc, expected ${SCN_STATE[$i]}")
	grep -Eq -- "${SCN_FIRST[$i]}" <<<"$first" || errs+=("first line does not match ${SCN_FIRST[$i]}")
	grep -Eq -- "${SCN_LONG[$i]}" <<<"$long" || errs+=("no long output line matches ${SCN_LONG[$i]}")
	grep -Eq -- "${SCN_PERF[$i]}" <<<"$perf" || errs+=("perfdata does not match ${SCN_PERF[$i]}")
	if [ ${#errs[@]} -eq 0 ]; then
		tap_ok "$name"
	else
		tap_not_ok "$name" "${errs[@]}" "first line: $first" "long output:" "$(head -c 2500 <<<"$long")" \
			"perfdata: $perf"
	fi
}

# eng_finish: stop the engines (and the DC) by PID, check that nothing is left, print the plan.
eng_finish() {
	local pid left=()
	for pid in "${ENG_PIDS[@]}"; do
		eng_stop "$pid" || left+=("$pid")
	done
	ENG_PIDS=()
	if [ -n "$ENG_DCDIR" ]; then
		bash "$SRC/tests/ad/samba-dc.sh" stop "$ENG_DCDIR" >/dev/null 2>&1 || left+=(samba)
		bash "$SRC/tests/ad/samba-dc.sh" status "$ENG_DCDIR" 2>/dev/null && left+=(samba)
		ENG_DCDIR=''
	fi
	if [ ${#left[@]} -eq 0 ]; then
		tap_ok "$ENG_NAME: engine and DC stopped by PID, nothing left running"
	else
		tap_not_ok "$ENG_NAME: engine and DC stopped by PID, nothing left running" "still alive: ${left[*]}"
	fi
	echo "# $ENG_NAME: $(eng_elapsed) s"
	tap_done
}
