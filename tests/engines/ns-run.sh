#!/bin/bash
# ns-run.sh - run a command in a private mount namespace, so that configuration that names fixed system
# paths (examples/nrpe/crmsec.cfg: /usr/lib/nagios/plugins, /mnt/<server>, /etc/crmsec/crmsec.ini) can be
# loaded as shipped while those paths show the test's files. Nothing changes outside the namespace; its
# mounts disappear with its last process.
#
#   ns-run.sh [--etc-overlay UPPER WORK] [--bind SRC DST]... [--as USER] -- COMMAND [ARG]...
#
#   --etc-overlay UPPER WORK  an overlay over /etc: files under UPPER appear in /etc (UPPER/crmsec/x is
#                             /etc/crmsec/x); writes go to UPPER. WORK: an empty directory on UPPER's fs.
#   --bind SRC DST            bind-mount SRC over the existing DST (a directory or a file), after the overlay
#   --as USER                 run COMMAND as USER (and its primary group), with NRPE's environment
#                             (PATH=/usr/bin:/bin:/usr/sbin:/sbin, nothing else)
#
# COMMAND replaces this script (exec): the PID that started ns-run.sh is COMMAND's PID, so an engine started
# through it can be stopped by that PID. Needs root (CAP_SYS_ADMIN) and unshare/setpriv (util-linux).
set -euo pipefail

if [ "${1:-}" != --inner ]; then
	exec unshare --mount --propagation private -- /bin/bash "$0" --inner "$@"
fi
shift

as=''
while [ $# -gt 0 ]; do
	case $1 in
	--etc-overlay)
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$2,workdir=$3" /etc
		shift 3
		;;
	--bind)
		mount --bind "$2" "$3"
		shift 3
		;;
	--as)
		as=$2
		shift 2
		;;
	--)
		shift
		break
		;;
	*)
		echo "ns-run.sh: unknown option $1" >&2
		exit 2
		;;
	esac
done
[ $# -gt 0 ] || { echo "ns-run.sh: no command" >&2; exit 2; }

if [ -n "$as" ]; then
	uid=$(id -u "$as")
	gid=$(id -g "$as")
	cd /
	exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- \
		env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin "$@"
fi
exec "$@"
