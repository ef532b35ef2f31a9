#!/bin/bash
# The demo: installs what is needed, builds the plugins and runs each one
# against the bundled sample Dynamics 365 server configuration in
# examples/dynamics/crmfe01 and against a throwaway Samba AD domain seeded
# like a small Dynamics deployment (tests/ad/samba-dc.sh), printing each
# plugin's Nagios output under a heading. Stops the DC and leaves nothing
# running; the build stays in build/demo.
set -euo pipefail
cd "$(dirname "$0")"
top=$(pwd)

bash scripts/deps.sh test
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p build/demo
cd build/demo
[ -f Makefile ] || "$top/configure" -q >/dev/null
make -j2 >/dev/null

B=$(pwd)/plugins
DC=$(mktemp -d "${TMPDIR:-/tmp}/crmsec-demo-dc.XXXXXX")
trap 'bash "$top/tests/ad/samba-dc.sh" stop "$DC" >/dev/null 2>&1; rm -rf "$DC"' EXIT
# run from the server's "C:" so findings show Windows-like paths
cd "$top/examples/dynamics/crmfe01"
NET="Windows/Microsoft.NET/Framework64/v4.0.30319/Config"
APPHOST="Windows/System32/inetsrv/config/applicationHost.config"
CRMWEB="Program Files/Microsoft Dynamics CRM/CRMWeb"

run() {
	local title=$1; shift
	printf '\n### %s\n$ %s' "$title" "$(basename "$1")"
	printf " '%s'" "${@:2}"
	printf '\n'

	local rc=0
	"$@" || rc=$?
	printf '(exit code %d)\n' "$rc"
}

run "check_aspnet_debug: debug and detailed errors in machine.config and the CRM web root" \
	"$B/check_aspnet_debug" -m "$NET/machine.config" -r "$NET/web.config" \
	-A "$APPHOST" -f "$CRMWEB" --require-retail
if [ -x "$B/check_apppool" ]; then
	run "check_apppool: CRM application pool identities and the applications using them" \
		"$B/check_apppool" -f "$APPHOST"
fi

echo
echo "### starting a throwaway Samba AD domain CONTOSO.TEST on 127.0.0.2 ..."
# DC_SMB=1: the DC also serves SAMR, standing in for a Dynamics server's local groups; it needs a
# private mount namespace (unshare -m), which some containers refuse
smb=0
unshare -m --propagation private true 2>/dev/null && smb=1
if DC_IP=${DEMO_DC_IP:-127.0.0.2} DC_SMB=$smb bash "$top/tests/ad/samba-dc.sh" start "$DC" >"$DC.log" 2>&1 &&
    bash "$top/tests/ad/samba-dc.sh" seed "$DC" >>"$DC.log" 2>&1; then
	. "$DC/env"
	AD=(-H "$DC_LDAPS_URI" --cacert "$DC_CA" -D "$DC_MONITOR_UPN"
	    --password-file "$DC_MONITOR_PASSWORD_FILE")
	run "check_spn: every duplicated SPN in the domain (like setspn -X)" \
		"$B/check_spn" "${AD[@]}" --all
	run "check_spn: the SPNs the CRM URL needs, expected on the app pool account" \
		"$B/check_spn" "${AD[@]}" --url https://crm.contoso.test -o 'CONTOSO\svc-crmapp'
	if [ -x "$B/check_svcaccount" ]; then
		# the demo domain holds two deployments' CRM groups: name the OU of ours
		run "check_svcaccount: the CRMAppPool account" \
			"$B/check_svcaccount" "${AD[@]}" -a svc-crmapp -r app \
			--crm-groups-ou "$DC_CRM_GROUPS_OU"
		run "check_svcaccount: an account nested into Domain Admins" \
			"$B/check_svcaccount" "${AD[@]}" -a svc-crm-nestedadmin -r async \
			--crm-groups-ou "$DC_CRM_GROUPS_OU"
		if [ "$smb" = 1 ]; then
			run "check_svcaccount --server: the VSS writer account's local groups over SAMR (the DC plays the server)" \
				"$B/check_svcaccount" "${AD[@]}" -a svc-crmvss -r vss -S "$DC_IP" \
				--crm-groups-ou "$DC_CRM_GROUPS_OU"
		else
			echo "(no mount namespace here: the check_svcaccount --server example is skipped)"
		fi
	fi
else
	echo "could not start the Samba DC (log: $DC.log); AD plugins skipped"
	tail -5 "$DC.log"
fi
rm -f "$DC.log"
