#!/bin/bash
# selftest.sh - prove the throwaway test DC works: start (provision), seed, query it the ways the plugins will,
# stop, and check that no process is left and nothing was written outside DIR.
#
#   tests/ad/selftest.sh [CYCLES]      default 1; each cycle uses a new empty directory under ${TMPDIR:-/tmp}
#
# Environment: KEEP=1 keeps the directories; BULK_USERS etc. are passed through to "samba-dc.sh seed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DC=$HERE/samba-dc.sh
CYCLES=${1:-1}
FAILS=0

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
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ldapsearch with no user or system ldap.conf, a short network timeout and the test CA
lds() { LDAPCONF=/dev/null LDAPRC=/dev/null LDAPTLS_CACERT=${CA:-$DC_CA} timeout 30 ldapsearch -o nettimeout=5 -LLL "$@"; }
mon() { lds -x -D "$DC_MONITOR_DN" -y "$DC_MONITOR_PASSWORD_FILE" "$@"; }
not_domain_user() { ! grep -q '^primaryGroupID: 513$' <<<"$1" && ! grep -q 'CN=Domain Users,' <<<"$1"; }
count_dn() { grep -c '^dn:' || true; }

cycle() {
	local n=$1 dir marker t0 t1 t2 t3 t4 out pgid left
	dir=$(mktemp -d "${TMPDIR:-/tmp}/crmsec-dc.XXXXXX")
	rmdir "$dir" # samba-dc.sh start creates it: proves "from an empty/nonexistent DIR"
	marker=$(mktemp "${TMPDIR:-/tmp}/crmsec-dc-marker.XXXXXX")
	SYSDIRS="/etc /var /run /root /home /srv /opt"
	# shellcheck disable=SC2086
	find $SYSDIRS -xdev 2>/dev/null | sort >"$marker.before"
	sleep 1 # mtime granularity for find -newer
	echo "# cycle $n: $dir"

	t0=$(now)
	"$DC" start "$dir" || {
		fail "start"
		return
	}
	t1=$(now)
	"$DC" seed "$dir" || {
		fail "seed"
		"$DC" stop "$dir"
		return
	}
	t2=$(now)
	# shellcheck disable=SC1091
	. "$dir/env"
	pgid=$(cat "$DC_PID_FILE")

	# --- binds and transports
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(sAMAccountName=svc-crmapp)' dn 2>&1)
	check "simple bind as svc-monitor over $DC_URI, svc-crmapp found" grep -q '^dn: CN=svc-crmapp,OU=Service Accounts,OU=Dynamics,DC=contoso,DC=test' <<<"$out"
	out=$(lds -x -D "$DC_MONITOR_UPN" -y "$DC_MONITOR_PASSWORD_FILE" -H "$DC_LDAPS_URI" -s base -b "" dnsHostName 2>&1)
	check "LDAPS $DC_LDAPS_URI with DC_CA (IP SAN verified), UPN bind" grep -q '^dnsHostName: dc1.contoso.test' <<<"$out"
	out=$(lds -x -ZZ -D "CONTOSO\\svc-monitor" -y "$DC_MONITOR_PASSWORD_FILE" -H "$DC_URI" -s base -b "" dnsHostName 2>&1)
	check "StartTLS (-ZZ) on $DC_URI with DC_CA, DOMAIN\\user bind" grep -q '^dnsHostName: dc1.contoso.test' <<<"$out"
	CA=$DC_UNTRUSTED_CA lds -x -H "$DC_LDAPS_URI" -s base -b "" dnsHostName >/dev/null 2>&1
	check "LDAPS with DC_UNTRUSTED_CA fails" test $? -ne 0
	CA=$DC_UNTRUSTED_CA lds -x -ZZ -H "$DC_URI" -s base -b "" dnsHostName >/dev/null 2>&1
	check "StartTLS with DC_UNTRUSTED_CA fails" test $? -ne 0
	lds -x -D "$DC_MONITOR_DN" -w wrong-password -H "$DC_URI" -s base -b "" dnsHostName >/dev/null 2>&1
	check "wrong password: invalidCredentials (49)" test $? -eq 49
	out=$(lds -x -D "$DC_ADMIN_DN" -y "$DC_PASSWORD_FILE" -H "$DC_URI" -s base -b "CN=Domain Admins,CN=Users,$DC_BASE" member 2>&1)
	check "Administrator bind (DC_ADMIN_DN + DC_PASSWORD_FILE)" grep -q '^member: CN=CRM Admins L2' <<<"$out"

	# --- SPNs
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(servicePrincipalName=HTTP/crm.contoso.test)' sAMAccountName 2>&1)
	check "exact duplicate HTTP/crm.contoso.test on svc-crmapp and svc-crmdeploy" \
		test "$(grep '^sAMAccountName:' <<<"$out" | sort | tr '\n' ' ')" = "sAMAccountName: svc-crmapp sAMAccountName: svc-crmdeploy "
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(servicePrincipalName=HTTP/CRMBE01.CONTOSO.TEST)' sAMAccountName servicePrincipalName 2>&1)
	check "case-variant duplicate: http/CRMBE01.contoso.test on svc-crmasync" grep -q '^servicePrincipalName: http/CRMBE01.contoso.test' <<<"$out"
	check "case-variant duplicate: HTTP/crmbe01.contoso.test on svc-crmsandbox" grep -q '^servicePrincipalName: HTTP/crmbe01.contoso.test' <<<"$out"
	check "case-variant duplicate: exactly those two accounts" test "$(count_dn <<<"$out")" -eq 2
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(servicePrincipalName=HTTP/sql01.contoso.test)' sAMAccountName 2>&1)
	check "HOST-alias shadow: HTTP/sql01.contoso.test on svc-crm-sql" grep -q '^sAMAccountName: svc-crm-sql' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(servicePrincipalName=HOST/crmfe01.contoso.test)' sAMAccountName dNSHostName 2>&1)
	check "computer CRMFE01\$ with HOST/crmfe01.contoso.test" grep -q '^sAMAccountName: CRMFE01\$' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(servicePrincipalName=MSSQLSvc/sql01.contoso.test:1433)' sAMAccountName 2>&1)
	check "MSSQLSvc/sql01.contoso.test:1433 on svc-crm-sql" grep -q '^sAMAccountName: svc-crm-sql' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(servicePrincipalName=kadmin/changepw)' sAMAccountName 2>&1)
	check "kadmin/changepw on krbtgt (Samba default)" grep -q '^sAMAccountName: krbtgt' <<<"$out"

	# --- Global Catalog (check_spn -G)
	out=$(mon -H "$DC_GC_URI" -b "" '(servicePrincipalName=HTTP/crm.contoso.test)' sAMAccountName 2>&1)
	check "Global Catalog $DC_GC_URI: forest-wide SPN search finds both owners" test "$(count_dn <<<"$out")" -eq 2
	out=$(mon -H "$DC_GC_LDAPS_URI" -b "" '(servicePrincipalName=HTTP/crm)' sAMAccountName 2>&1)
	check "Global Catalog over LDAPS $DC_GC_LDAPS_URI" grep -q '^sAMAccountName: svc-crmapp' <<<"$out"

	# --- paging
	out=$(mon -H "$DC_URI" -b "$DC_BASE" -E pr=1000/noprompt '(servicePrincipalName=*)' servicePrincipalName 2>&1)
	check "paged search (pr=1000): $(count_dn <<<"$out") SPN-bearing objects > 1000" test "$(count_dn <<<"$out")" -gt 1000
	check "paged search took $(grep -c '^# pagedresults' <<<"$out") pages (> 1)" test "$(grep -c '^# pagedresults' <<<"$out")" -gt 1

	# --- service account facts (check_svcaccount)
	out=$(mon -H "$DC_URI" -b "$DC_BASE" "(memberOf:1.2.840.113556.1.4.1941:=CN=Domain Admins,CN=Users,$DC_BASE)" dn 2>&1)
	check "svc-crm-nestedadmin is in Domain Admins through the chain (IN_CHAIN)" grep -q '^dn: CN=svc-crm-nestedadmin,' <<<"$out"
	out=$(mon -H "$DC_URI" -s base -b "CN=svc-crm-nestedadmin,OU=Service Accounts,OU=Dynamics,$DC_BASE" tokenGroups 2>&1)
	# S-1-5-21-...-512 as binary SID ends with RID 512 = 00 02 00 00 -> base64 tail "AAIAAA=="
	check "tokenGroups of svc-crm-nestedadmin contains RID 512" grep -q '^tokenGroups:: .*AAIAAA==$' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(sAMAccountName=svc-crm-acctop)' memberOf 2>&1)
	check "svc-crm-acctop in Account Operators" grep -q 'CN=Account Operators,CN=Builtin' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(sAMAccountName=svc-crm-locked)' msDS-User-Account-Control-Computed 2>&1)
	check "svc-crm-locked: msDS-User-Account-Control-Computed has UF_LOCKOUT (16)" grep -q '^msDS-User-Account-Control-Computed: 16$' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(sAMAccountName=svc-crm-disabled)' userAccountControl 2>&1)
	check "svc-crm-disabled: userAccountControl 514" grep -q '^userAccountControl: 514$' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(sAMAccountName=svc-crm-expiring)' msDS-UserPasswordExpiryTimeComputed msDS-ResultantPSO 2>&1)
	local exp days
	exp=$(sed -n 's/^msDS-UserPasswordExpiryTimeComputed: //p' <<<"$out")
	days=$(awk -v e="$exp" -v now="$(date +%s)" 'BEGIN { printf "%.2f", (e / 1e7 - 11644473600 - now) / 86400 }')
	check "svc-crm-expiring: password expires in $days days (PSO)" awk -v d="$days" 'BEGIN { exit !(d > 4.5 && d <= 5.01) }'
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(sAMAccountName=svc-crm-nodomusers)' primaryGroupID memberOf 2>&1)
	check "svc-crm-nodomusers: primary group not 513 and no Domain Users membership" \
		not_domain_user "$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(sAMAccountName=svc-crm-admincount)' adminCount memberOf 2>&1)
	check "svc-crm-admincount: adminCount 1" grep -q '^adminCount: 1$' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(sAMAccountName=svc-crm\28x\29)' dn 2>&1)
	check "metacharacter account found by the escaped filter (sAMAccountName=svc-crm\\28x\\29)" grep -q '^dn: CN=svc-crm\*)(cn\\3Dx,' <<<"$out"
	out=$(mon -H "$DC_URI" -b "$DC_BASE" '(&(objectClass=group)(cn=PrivUserGroup {*}))' dn 2>&1)
	check "two deployments: two PrivUserGroup {GUID} groups" test "$(count_dn <<<"$out")" -eq 2

	# --- Kerberos
	if command -v kinit >/dev/null; then
		kdestroy >/dev/null 2>&1
		if kinit "svc-monitor@$DC_REALM" <"$DC_MONITOR_PASSWORD_FILE" >/dev/null 2>&1; then
			ok "kinit svc-monitor@$DC_REALM (KRB5_CONFIG=$KRB5_CONFIG)"
			out=$(LDAPCONF=/dev/null LDAPRC=/dev/null timeout 30 ldapsearch -LLL -N -Y GSSAPI -H "$DC_URI" \
				-b "$DC_BASE" '(sAMAccountName=svc-crm-sql)' servicePrincipalName 2>&1)
			check "ldapsearch -Y GSSAPI (SASL_NOCANON) on $DC_URI" grep -q '^servicePrincipalName: MSSQLSvc/' <<<"$out"
			kdestroy >/dev/null 2>&1
		else
			fail "kinit svc-monitor@$DC_REALM"
		fi
	fi

	t3=$(now)
	"$DC" stop "$dir" || fail "stop"
	t4=$(now)
	# zombies do not count: dead, only not yet reaped (this VM's init takes 1-1.5 s)
	left=$(ps -e -o pid=,pgid=,stat= | awk -v g="$pgid" '$2 == g && $3 !~ /^Z/ { printf "%s ", $1 }')
	check "no process left in samba's process group $pgid ${left:+($left)}" test -z "$left"
	# any samba process whose smb.conf is ours?  (samba rewrites argv; check environment and open files)
	left=$(for p in $(pgrep -x samba 2>/dev/null); do
		for f in /proc/"$p"/fd/*; do
			case $(readlink "$f" 2>/dev/null) in "$dir"/*) echo "$p" && break ;; esac
		done
	done)
	check "no samba process holds files of $dir" test -z "$left"
	# shellcheck disable=SC2086
	out=$({
		find $SYSDIRS /usr -xdev -newer "$marker" 2>/dev/null
		find $SYSDIRS -xdev 2>/dev/null | sort | comm -13 "$marker.before" -
	} | sort -u | head -20)
	check "nothing created or modified below $SYSDIRS /usr${out:+: $out}" test -z "$out"
	rm -f "$marker" "$marker.before"
	printf '# timings cycle %s: start (provision + first start) %ss, seed (incl. restart) %ss, queries %ss, stop %ss\n' \
		"$n" "$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")" "$(secs "$t2" "$t3")" "$(secs "$t3" "$t4")"
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
