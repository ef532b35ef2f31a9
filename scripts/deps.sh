#!/bin/bash
# Installs what crmsec-plugins needs to build and test, from Debian's archive.
# Idempotent and non-interactive; runs apt-get update once, and only when
# something is missing. Usage: scripts/deps.sh [build|test]   (default: test)
set -euo pipefail

build_pkgs=(
	build-essential autoconf automake libtool pkg-config
	libxml2-dev libjson-c-dev libldap-dev libsasl2-dev libsmbclient-dev libcmocka-dev samba-dev
)
test_pkgs=(
	jq gdb valgrind libxml2-utils ldap-utils clang
	samba-ad-dc samba-ad-provision ldb-tools krb5-user
	libsasl2-modules-gssapi-mit openssl
	smbclient samba-common-bin
	icinga2-bin nagios4-core nagios-nrpe-server nagios-nrpe-plugin curl
)

want=("${build_pkgs[@]}")
[ "${1:-test}" = test ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
	echo "deps: all ${#want[@]} packages present"
	exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
