#!/bin/bash
# bench/spn.sh - check_spn against a 20,000-account Samba AD DC, beside the two baselines an admin has.
#
# One run: provision and seed a private test DC (tests/ad/samba-dc.sh) in a temporary directory, then time,
# ROUNDS rounds each, in a rotating order within every round:
#   (a) check_spn --all                                   the plugin, every SPN in the domain
#   (b) ldapsearch -E pr=1000 ... servicePrincipalName    the raw transfer floor (output to /dev/null)
#   (c) ldapsearch ... | grep | sort -f | uniq -di        the pipeline an admin would write
#   (d) check_spn --spn HTTP/crm.contoso.test             targeted lookup (TARGETED runs per round)
#   (e) ldapsearch '(servicePrincipalName=HTTP/crm...)'   its floor (for information)
# Wall time, user+sys CPU and peak RSS come from wait4(2) in a small C helper compiled here (GNU time's
# %e/%U/%S have 10 ms resolution: too coarse for a 50 ms target). For the pipeline they cover every process
# in it (CPU summed, RSS the largest). The DC's CPU time during each run is read from /proc (samba's process
# group); "wall-DC" (wall minus it) is what the client side and the wire add, which is far steadier than wall
# on a busy machine. The pipeline runs with LC_ALL=C (its fastest) and -o ldif-wrap=no (correct for long SPNs).
# Prints medians, the ratios against the baselines of the same run, the issue-4 targets with PASS/MISS, and a
# sanity check of the duplicate count (and of the set of duplicated SPNs). Stops the DC and removes
# everything on exit (trap). Run as root (provisioning sets NT ACLs); not part of CI.
#
# Environment:
#   BUILD=DIR                build tree holding plugins/check_spn (default: <repo>/build/bench; configured
#                            out of tree with -O2 and no sanitizers, and built, when the plugin is missing)
#   ROUNDS=5                 timed rounds
#   TARGETED=5               targeted lookups (d) and (e) per round
#   WARMUP=1                 untimed rounds first (Samba's prefork workers load their caches)
#   BENCH_DC_IP=127.0.0.31   loopback address of the private DC (passed to samba-dc.sh as DC_IP; a DC_IP left
#                            in the environment by a sourced test DC's env file is deliberately ignored)
#   BULK_USERS=20000 BULK_SPNS_PER_USER=2 BULK_DUPLICATES=300   the seed (tests/ad/README.md)
#
# Exit status: 0 every target met, 1 a target missed or the sanity check failed, 2 the benchmark could not run.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$REPO/build/bench}
ROUNDS=${ROUNDS:-5}
TARGETED=${TARGETED:-5}
WARMUP=${WARMUP:-1}
export DC_IP=${BENCH_DC_IP:-127.0.0.31}
export BULK_USERS=${BULK_USERS:-20000} BULK_SPNS_PER_USER=${BULK_SPNS_PER_USER:-2}
export BULK_DUPLICATES=${BULK_DUPLICATES:-300}
export SAMBA_MAX_RUNTIME=${SAMBA_MAX_RUNTIME:-3600} # samba's own safety net, should this script be killed -9
TARGET_SPN=HTTP/crm.contoso.test
# the targets of issue 4 ("Benchmark")
MAX_FLOOR_RATIO=1.10
MAX_PIPE_RATIO=1.00 # strictly below
MAX_CPU_SHARE=0.10
MAX_RSS_KB=32768
MAX_TARGETED_S=0.050

DC_SCRIPT=$REPO/tests/ad/samba-dc.sh
T=''
DC_STARTED=''
REPORTED=''

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 2
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[ "$rc" -eq 0 ] || [ -n "$REPORTED" ] || log "failed (exit $rc) before the report"
	if [ -n "$DC_STARTED" ]; then
		if [ "$rc" -ne 0 ] && [ -z "$REPORTED" ] && [ -f "$T/dc/log/samba.log" ]; then
			log "last lines of the DC's log:"
			tail -15 "$T/dc/log/samba.log" >&2 || true
		fi
		if ! bash "$DC_SCRIPT" stop "$T/dc" >"$T/stop.log" 2>&1; then
			log "WARNING: could not stop the DC:"
			cat "$T/stop.log" >&2
			log "its PID file: $T/dc/samba.pid (directory kept)"
			exit "$rc"
		fi
	fi
	[ -z "$T" ] || rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- prerequisites ------------------------------------------------------------------------------------------

[ "$(id -u)" -eq 0 ] || die "run as root: provisioning a Samba AD DC sets NT ACLs on sysvol"
for c in samba samba-tool ldbadd ldbmodify ldapsearch openssl cc awk sort uniq grep; do
	command -v "$c" >/dev/null 2>&1 ||
		die "missing '$c' (apt-get install --no-install-recommends samba-ad-dc samba-ad-provision ldb-tools ldap-utils krb5-user openssl gcc)"
done
case $ROUNDS$TARGETED$WARMUP in *[!0-9]*) die "ROUNDS, TARGETED and WARMUP are numbers" ;; esac
if [ "$ROUNDS" -lt 1 ] || [ "$TARGETED" -lt 1 ]; then die "ROUNDS and TARGETED must be at least 1"; fi
if (exec 3<>"/dev/tcp/$DC_IP/389") 2>/dev/null; then
	die "something already listens on $DC_IP:389: choose another BENCH_DC_IP"
fi

# ---- the plugin ---------------------------------------------------------------------------------------------

PLUGIN=$BUILD/plugins/check_spn
if [ ! -x "$PLUGIN" ]; then
	[ ! -f "$REPO/config.status" ] ||
		die "$REPO is configured in the source tree: out-of-tree builds are refused; give BUILD= a built tree"
	[ -x "$REPO/configure" ] || die "no $REPO/configure (run autoreconf -fi there first)"
	log "no $PLUGIN: configuring (-O2, no sanitizers) and building it in $BUILD"
	mkdir -p "$BUILD"
	(
		cd "$BUILD"
		if [ ! -f Makefile ]; then
			"$REPO/configure" CFLAGS="-O2 -g" --disable-sanitizers --disable-unit-tests >configure.log 2>&1 ||
				{ tail -20 configure.log >&2; exit 1; }
		fi
		make -j"$(nproc)" plugins/check_spn >make.log 2>&1 || { tail -30 make.log >&2; exit 1; }
	) || die "building check_spn in $BUILD failed"
fi
if ldd "$PLUGIN" 2>/dev/null | grep -Eq 'lib(a|ub)san'; then
	die "$PLUGIN is built with sanitizers: its timings mean nothing; give BUILD= a tree configured without them"
fi
BUILD_CFLAGS=$(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)

T=$(mktemp -d "${TMPDIR:-/tmp}/crmsec-bench.XXXXXX")
mkdir -p "$T/out"

# runstat STATFILE CMD...: writes "wall user sys maxrss_kb exit" of CMD (and every descendant it waits for) to
# STATFILE; wall from CLOCK_MONOTONIC, the rest from wait4(2)
cat >"$T/runstat.c" <<'EOF'
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double secs(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int st, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: runstat STATFILE COMMAND [ARG]...\n");
		return 127;
	}
	if ((out = fopen(argv[1], "we")) == NULL) {
		perror(argv[1]);
		return 127;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) < 0) {
		perror("fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("wait4");
		return 127;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	fprintf(out, "%.6f %.6f %.6f %ld %d\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, secs(ru.ru_utime), secs(ru.ru_stime),
	    ru.ru_maxrss, rc);
	fclose(out);
	return rc;
}
EOF
cc -O2 -o "$T/runstat" "$T/runstat.c" || die "cannot compile the timing helper"
RUNSTAT=$T/runstat

# ---- the DC -------------------------------------------------------------------------------------------------

t0=$(now)
log "provisioning a Samba AD DC on $DC_IP in $T/dc"
DC_STARTED=1
bash "$DC_SCRIPT" start "$T/dc" >"$T/dc-start.log" 2>&1 ||
	{ tail -20 "$T/dc-start.log" >&2; die "the DC did not start"; }
PROVISION_S=$(since "$t0")
t1=$(now)
log "seeding $BULK_USERS accounts x $BULK_SPNS_PER_USER SPNs, $BULK_DUPLICATES duplicates (about 30 s)"
bash "$DC_SCRIPT" seed "$T/dc" >"$T/dc-seed.log" 2>&1 ||
	{ tail -20 "$T/dc-seed.log" >&2; die "seeding failed"; }
SEED_S=$(since "$t1")
# shellcheck disable=SC1091
. "$T/dc/env"

BIND=(-H "$DC_URI" -D "$DC_MONITOR_DN")
SPN_ARGS=("${BIND[@]}" --password-file "$DC_MONITOR_PASSWORD_FILE" -t 120)
LDAP_ARGS=(-x "${BIND[@]}" -y "$DC_MONITOR_PASSWORD_FILE" -b "$DC_BASE" -E pr=1000/noprompt -LLL)
export LC_ALL=C # the fastest sort/uniq, so the pipeline baseline is not handicapped
PIPE_SCRIPT='set -o pipefail; ldapsearch "$@" -o ldif-wrap=no "(servicePrincipalName=*)" servicePrincipalName |
	grep "^servicePrincipalName:" | sort -f | uniq -di'

# ---- one measured run ---------------------------------------------------------------------------------------

# CPU time (clock ticks) used so far by the DC: every process of samba's process group (samba-dc.sh starts it
# with setsid, so pid = pgid; the prefork workers that answer LDAP live as long as samba)
DC_PGID=$(cat "$DC_PID_FILE")
HZ=$(getconf CLK_TCK)
dc_ticks() {
	# processes come and go between the glob and cat: cat's complaint is no error here
	{ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v g="$DC_PGID" '{ sub(/^.*\) /, ""); if ($3 == g) t += $12 + $13 }
		END { print t + 0 }'
}

# run NAME EXPECTED_EXIT STDOUT COMMAND...: appends "NAME round wall user sys rss dc_cpu" to $T/results
run() {
	local name=$1 want=$2 dest=$3 rc=0 wall user sys rss xrc dc0 dc1
	shift 3
	dc0=$(dc_ticks)
	"$RUNSTAT" "$T/stat" "$@" >"$dest" 2>"$T/out/$name.err" || rc=$?
	dc1=$(dc_ticks)
	# no process substitution here: once PIDs wrap, bash can hand a new child the remembered exit status of
	# an earlier asynchronous child that had the same PID (seen after ~12,000 runs: "exited 0")
	xrc=''
	read -r wall user sys rss xrc <"$T/stat" || true
	[ -n "$xrc" ] || die "($name): no measurement (the helper exited $rc): $(head -c 500 "$T/out/$name.err")"
	[ "$rc" -eq "$xrc" ] || log "($name): bash says exit $rc, wait4 in the helper says $xrc; using $xrc"
	if [ "$xrc" -ne "$want" ]; then
		log "($name) exited $xrc, expected $want:"
		head -c 2000 "$T/out/$name.err" >&2
		[ "$dest" = /dev/null ] || head -c 2000 "$dest" >&2
		die "($name) failed"
	fi
	echo "$name $ROUND $wall $user $sys $rss $(((dc1 - dc0) * 1000 / HZ))" >>"$T/results"
}

measure() {
	local k
	case $1 in
	all)
		run all 2 "$T/out/all.txt" "$PLUGIN" "${SPN_ARGS[@]}" --all
		head -1 "$T/out/all.txt" >>"$T/all.status"
		;;
	floor) run floor 0 /dev/null ldapsearch "${LDAP_ARGS[@]}" '(servicePrincipalName=*)' servicePrincipalName ;;
	pipe) run pipe 0 "$T/out/pipe.txt" bash -c "$PIPE_SCRIPT" pipe "${LDAP_ARGS[@]}" ;;
	spn) for ((k = 0; k < TARGETED; k++)); do
		run spn 2 "$T/out/spn.txt" "$PLUGIN" "${SPN_ARGS[@]}" --spn "$TARGET_SPN"
	done ;;
	spnfloor) for ((k = 0; k < TARGETED; k++)); do
		run spnfloor 0 /dev/null ldapsearch -x "${BIND[@]}" -y "$DC_MONITOR_PASSWORD_FILE" -b "$DC_BASE" -LLL \
			"(servicePrincipalName=$TARGET_SPN)" sAMAccountName
	done ;;
	esac
}

# ---- sanity and warm-up -------------------------------------------------------------------------------------

"$PLUGIN" "${SPN_ARGS[@]}" --all -v --output-format=json >"$T/sanity.json" 2>"$T/sanity.err" || true
PAGES=$(sed -n 's/^\([0-9]*\) pages, .*/\1/p' "$T/sanity.err" | tail -1)
ITEMS=(all floor pipe spn spnfloor)
log "warm-up: $WARMUP untimed round(s)"
ROUND=0
for ((w = 0; w < WARMUP; w++)); do
	for i in "${ITEMS[@]}"; do measure "$i"; done
done
: >"$T/results"

# ---- the rounds ---------------------------------------------------------------------------------------------

t1=$(now)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
	order=''
	for ((slot = 0; slot < ${#ITEMS[@]}; slot++)); do
		i=${ITEMS[$(((ROUND - 1 + slot) % ${#ITEMS[@]}))]}
		order+=" $i"
		measure "$i"
	done
	log "round $ROUND/$ROUNDS done:$order"
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
ROUNDS_S=$(since "$t1")

# ---- the duplicate counts -----------------------------------------------------------------------------------

# check_spn: the perfdata of every run (warm-up included) must agree
SPN_DUPS=$(sed -n 's/.*| duplicates=\([0-9]*\);.*/\1/p' "$T/all.status" | sort -u)
case $SPN_DUPS in *[!0-9]*) log "check_spn counted different numbers of duplicates: $(echo "$SPN_DUPS" | tr '\n' ' ')" ;; esac
SPN_SPNS=$(sed -n 's/.* spns=\([0-9]*\);.*/\1/p' "$T/out/all.txt" | head -1)
SPN_ACCOUNTS=$(sed -n 's/.* accounts=\([0-9]*\);.*/\1/p' "$T/out/all.txt" | head -1)
# the pipeline counts an SPN twice on one account (in two cases) too, and does not exclude kadmin/changepw
PIPE_ALL=$(wc -l <"$T/out/pipe.txt")
PIPE_KADMIN=$(grep -ci '^servicePrincipalName: kadmin/changepw$' "$T/out/pipe.txt" || true)
PIPE_DUPS=$((PIPE_ALL - PIPE_KADMIN))
# and the same set of SPNs, not only the same number
SET_DIFF=''
if command -v jq >/dev/null 2>&1 && [ -s "$T/sanity.json" ]; then
	jq -r '.data.duplicates[].spn' "$T/sanity.json" | tr '[:upper:]' '[:lower:]' | sort >"$T/set.spn"
	sed 's/^servicePrincipalName: //' "$T/out/pipe.txt" | tr '[:upper:]' '[:lower:]' |
		grep -vx 'kadmin/changepw' | sort >"$T/set.pipe" || true
	if cmp -s "$T/set.spn" "$T/set.pipe"; then SET_DIFF=identical; else SET_DIFF=DIFFERENT; fi
fi

# ---- the table ----------------------------------------------------------------------------------------------

# stats NAME: n wall_med wall_min wall_max cpu_med cpu_share_med rss_med rss_max dc_med client_med
# (client = wall - the DC's CPU time during the run: what the client side and the wire add; robust against the
# DC's own run-to-run variation, which is large here)
stats() {
	awk -v n="$1" '
	function med(a, k,   i, j, t) {
		for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	$1 == n { k++; w[k] = $3; c[k] = $4 + $5; s[k] = ($4 + $5) / $3; r[k] = $6; d[k] = $7 / 1000; x[k] = $3 - $7 / 1000
		if (k == 1 || $3 < lo) lo = $3; if (k == 1 || $3 > hi) hi = $3; if ($6 > rmax) rmax = $6 }
	END { if (!k) { print "0 0 0 0 0 0 0 0 0 0"; exit }
		printf "%d %.6f %.6f %.6f %.6f %.6f %d %d %.6f %.6f\n", k, med(w, k), lo, hi, med(c, k), med(s, k), med(r, k),
			rmax, med(d, k), med(x, k) }
	' "$T/results"
}
# paired A B: median over rounds of (A's wall in the round / B's wall in the round)
paired() {
	awk -v a="$1" -v b="$2" '
	$1 == a { wa[$2] = $3 } $1 == b { wb[$2] = $3 }
	END { for (r in wa) if (r in wb) { k++; x[k] = wa[r] / wb[r] }
		for (i = 2; i <= k; i++) { t = x[i]; for (j = i - 1; j >= 1 && x[j] > t; j--) x[j + 1] = x[j]; x[j + 1] = t }
		printf "%.3f\n", k % 2 ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2 }
	' "$T/results"
}

read -r A_N A_W A_LO A_HI A_C A_S A_R A_RMAX A_D A_X <<<"$(stats all)"
read -r B_N B_W B_LO B_HI B_C B_S B_R B_RMAX B_D B_X <<<"$(stats floor)"
read -r C_N C_W C_LO C_HI C_C C_S C_R C_RMAX C_D C_X <<<"$(stats pipe)"
read -r D_N D_W D_LO D_HI D_C D_S D_R D_RMAX D_D D_X <<<"$(stats spn)"
read -r E_N E_W E_LO E_HI E_C E_S E_R E_RMAX E_D E_X <<<"$(stats spnfloor)"

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
FMT='%-47s %4s %8s %8s %8s %8s %7s %8s %8s %8s %8s\n'
row() { # label n wall lo hi cpu share rss rssmax dc client
	# shellcheck disable=SC2059
	printf "$FMT" "$1" "$2" "$(calc %.3f "$3")" "$(calc %.3f "$4")" "$(calc %.3f "$5")" "$(calc %.3f "$6")" \
		"$(calc %.1f%% "$7 * 100")" "$(calc %.1f "$8 / 1024")" "$(calc %.1f "$9 / 1024")" "$(calc %.3f "${10}")" \
		"$(calc %.3f "${11}")"
}
RESULT=0
REPORTED=1
verdict() { # label measured target ok(1/0)
	local v=PASS
	[ "$4" = 1 ] || { v=MISS; RESULT=1; }
	printf '%-47s %14s %14s   %s\n' "$1" "$2" "$3" "$v"
}

R_FLOOR=$(calc %.3f "$A_W / $B_W")
R_PIPE=$(calc %.3f "$A_W / $C_W")
CPU_SHARE=$(calc %.4f "$A_C / $A_W")
NLIBS=$(ldd "$PLUGIN" 2>/dev/null | grep -c '=>' || true)

echo
echo "check_spn benchmark - $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -srm), $(nproc) CPU(s)"
echo "plugin:  $PLUGIN (CFLAGS: ${BUILD_CFLAGS:-?}; $NLIBS shared libraries)"
echo "DC:      Samba $(samba -V 2>/dev/null | sed 's/^Version //') on $DC_URI, provisioned in ${PROVISION_S}s, seeded in ${SEED_S}s"
echo "domain:  BULK_USERS=$BULK_USERS BULK_SPNS_PER_USER=$BULK_SPNS_PER_USER BULK_DUPLICATES=$BULK_DUPLICATES:" \
	"${SPN_ACCOUNTS:-?} accounts with SPNs, ${SPN_SPNS:-?} distinct SPNs (check_spn), ${PAGES:-?} pages of 1000"
echo "rounds:  $ROUNDS (+$WARMUP warm-up), order rotated each round; $TARGETED targeted lookups per round;" \
	"${ROUNDS_S}s; load average ${LOAD0} -> ${LOAD1}"
echo "timing:  wait4(2) rusage via a C helper (pipeline: all its processes, CPU summed, RSS the largest);" \
	"DC CPU from /proc of samba's process group"
echo
# shellcheck disable=SC2059
printf "$FMT" "command (medians; RSS also max)" runs "wall s" "min" "max" "CPU s" "CPU/wl" "RSS MiB" "max" \
	"DC CPU" "wall-DC"
row "(a) check_spn --all" "$A_N" "$A_W" "$A_LO" "$A_HI" "$A_C" "$A_S" "$A_R" "$A_RMAX" "$A_D" "$A_X"
row "(b) floor: ldapsearch pr=1000 > /dev/null" "$B_N" "$B_W" "$B_LO" "$B_HI" "$B_C" "$B_S" "$B_R" "$B_RMAX" "$B_D" "$B_X"
row "(c) pipeline: ldapsearch|grep|sort -f|uniq -di" "$C_N" "$C_W" "$C_LO" "$C_HI" "$C_C" "$C_S" "$C_R" "$C_RMAX" "$C_D" "$C_X"
row "(d) check_spn --spn $TARGET_SPN" "$D_N" "$D_W" "$D_LO" "$D_HI" "$D_C" "$D_S" "$D_R" "$D_RMAX" "$D_D" "$D_X"
row "(e) ldapsearch '(servicePrincipalName=...)'" "$E_N" "$E_W" "$E_LO" "$E_HI" "$E_C" "$E_S" "$E_R" "$E_RMAX" "$E_D" "$E_X"
echo
printf '%-47s %14s %14s   %s\n' "target (issue 4)" measured target verdict
verdict "check_spn wall / floor wall" "$R_FLOOR" "<= $MAX_FLOOR_RATIO" \
	"$(calc %d "$R_FLOOR <= $MAX_FLOOR_RATIO")"
verdict "check_spn wall / pipeline wall" "$R_PIPE" "< $MAX_PIPE_RATIO" "$(calc %d "$R_PIPE < $MAX_PIPE_RATIO")"
verdict "check_spn CPU (user+sys) / wall" "$(calc %.1f%% "$CPU_SHARE * 100")" \
	"<= $(calc %.0f%% "$MAX_CPU_SHARE * 100")" "$(calc %d "$CPU_SHARE <= $MAX_CPU_SHARE")"
verdict "check_spn peak RSS (max of runs)" "$(calc '%.1f MiB' "$A_RMAX / 1024")" \
	"<= $(calc '%.0f MiB' "$MAX_RSS_KB / 1024")" "$(calc %d "$A_RMAX <= $MAX_RSS_KB")"
verdict "check_spn --spn median wall" "$(calc '%.1f ms' "$D_W * 1000")" \
	"<= $(calc '%.0f ms' "$MAX_TARGETED_S * 1000")" "$(calc %d "$D_W <= $MAX_TARGETED_S")"
verdict "sanity: duplicates, check_spn = pipeline" "${SPN_DUPS:-?} = $PIPE_DUPS" "equal" \
	"$(case $SPN_DUPS in '' | *[!0-9]*) echo 0 ;; *) [ "$SPN_DUPS" -eq "$PIPE_DUPS" ] &&
		[ "$SET_DIFF" != DIFFERENT ] && echo 1 || echo 0 ;; esac)"
echo
echo "paired (median over rounds of the per-round ratio): check_spn/floor $(paired all floor)," \
	"check_spn/pipeline $(paired all pipe)"
echo "without the DC's CPU time (wall-DC): check_spn $(calc %.3f "$A_X")s, floor $(calc %.3f "$B_X")s," \
	"pipeline $(calc %.3f "$C_X")s: check_spn adds $(calc %+.0f "($A_X - $B_X) * 1000") ms to the floor" \
	"($(calc %+.1f%% "($A_X - $B_X) / $B_W * 100") of its wall) and $(calc %+.0f "($A_X - $C_X) * 1000") ms" \
	"to the pipeline"
echo "duplicates: the pipeline found $PIPE_ALL duplicated SPNs, $PIPE_KADMIN of them kadmin/changepw (excluded" \
	"by check_spn)${SET_DIFF:+; sets of duplicated SPNs: $SET_DIFF}"
echo "per-run wall (s): $(awk '{ w[$1] = w[$1] sprintf(" %.3f", $3) } END {
	printf "check_spn%s; floor%s; pipeline%s", w["all"], w["floor"], w["pipe"] }' "$T/results")"
exit "$RESULT"
