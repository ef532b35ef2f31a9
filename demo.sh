#!/bin/bash
# The demo: installs what is needed, builds the plugins and runs each one
# against the bundled sample Dynamics 365 server configuration in
# examples/dynamics/crmfe01, printing its Nagios output under a heading.
# Leaves nothing running; the build stays in build/demo.
set -euo pipefail
cd "$(dirname "$0")"
top=$(pwd)

bash scripts/deps.sh build
[ -x configure ] || autoreconf -fi >/dev/null
mkdir -p build/demo
cd build/demo
[ -f Makefile ] || "$top/configure" -q >/dev/null
make -j2 >/dev/null

B=$(pwd)/plugins
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
