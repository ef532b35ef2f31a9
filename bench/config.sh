#!/bin/bash
# bench/config.sh - check_aspnet_debug and check_apppool against `xmllint --noout` of the same files (issue 7).
#
# Two configuration sets, each timed in ROUNDS rounds after WARMUP untimed ones, the commands of a round in a
# rotating order:
#   example  examples/dynamics/crmfe01 as it is: applicationHost.config (44 KB), machine.config (39 KB), the
#            framework's root web.config (23 KB) and the CRM web root with 5 web.config files (47 KB). At 154 KB
#            process start-up dominates every command, so a second, generated set follows.
#   large    generated into a temporary directory from the example (it says so): applicationHost.config with
#            SITES extra sites, each with its own pool (SpecificUser identity), two applications and a
#            <location> block for Windows authentication; and a CRM web root with APPS extra applications,
#            each a copy of one of the example's application web.config files, under the example's root
#            web.config.
# For each set:
#   (a) check_aspnet_debug -m machine.config -r web.config -A applicationHost.config -f CRMWeb
#   (b) baseline "xmllint-aspnet": xmllint --noout of those same files (every web.config below CRMWeb)
#   (c) check_apppool -f applicationHost.config
#   (d) baseline "xmllint-apppool": xmllint --noout applicationHost.config
# Wall time (monotonic clock, around fork/exec/wait4) per run comes from a Python 3 standard-library runner,
# peak RSS from tests/lib/rusage_run.c between it and the command: ru_maxrss of a child that Python forked
# itself would count the interpreter's pages from before exec (the same ~10 MB for every command). Prints medians, the ratio plugin/baseline (target <= 1.5) with PASS/MISS,
# and peak RSS. Not part of CI.
#
# Environment:
#   BUILD=DIR     build tree holding plugins/check_aspnet_debug and plugins/check_apppool (default:
#                 <repo>/build/bench, configured out of tree with -O2 and no sanitizers, and built, when missing)
#   ROUNDS=9      timed rounds          WARMUP=2   untimed rounds
#   SITES=500     extra IIS sites in the large applicationHost.config
#   APPS=200      extra applications (web.config files) in the large CRM web root
#   SETS="example large"
#
# Exit status: 0 every ratio within 1.5, 1 a ratio above it, 2 the benchmark could not run.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$REPO/build/bench}
ROUNDS=${ROUNDS:-9}
WARMUP=${WARMUP:-2}
SITES=${SITES:-500}
APPS=${APPS:-200}
SETS=${SETS:-example large}
MAX_RATIO=1.5
EX=$REPO/examples/dynamics/crmfe01

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 2
}

command -v xmllint >/dev/null || die "xmllint is needed (apt-get install libxml2-utils)"
command -v python3 >/dev/null || die "python3 is needed"
command -v cc >/dev/null || die "a C compiler is needed (apt-get install gcc)"
[ -d "$EX" ] || die "no $EX"

ASPNET=$BUILD/plugins/check_aspnet_debug
APPPOOL=$BUILD/plugins/check_apppool
if [ ! -x "$ASPNET" ] || [ ! -x "$APPPOOL" ]; then
	[ ! -f "$REPO/config.status" ] ||
		die "$REPO is configured in the source tree: out-of-tree builds are refused; give BUILD= a built tree"
	[ -x "$REPO/configure" ] || die "no $REPO/configure (run autoreconf -fi there first)"
	log "no plugins in $BUILD: configuring (-O2, no sanitizers) and building them"
	mkdir -p "$BUILD"
	(
		cd "$BUILD"
		if [ ! -f Makefile ]; then
			"$REPO/configure" CFLAGS="-O2 -g" --disable-sanitizers --disable-unit-tests >configure.log 2>&1 ||
				{ tail -20 configure.log >&2; exit 1; }
		fi
		make -j"$(nproc)" plugins/check_aspnet_debug plugins/check_apppool >make.log 2>&1 ||
			{ tail -30 make.log >&2; exit 1; }
	) || die "building the plugins in $BUILD failed"
fi
for p in "$ASPNET" "$APPPOOL"; do
	if ldd "$p" 2>/dev/null | grep -Eq 'lib(a|ub)san'; then
		die "$p is built with sanitizers: its timings mean nothing; give BUILD= a tree configured without them"
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/crmsec-bench-config.XXXXXX")
trap 'rm -rf "$T"' EXIT
cc -O2 -o "$T/rusage_run" "$REPO/tests/lib/rusage_run.c" || die "cannot build tests/lib/rusage_run.c"

# ---- the large set, generated from the example ------------------------------------------------------------
gen_large() {
	local d=$T/large
	mkdir -p "$d"
	cp -r "$EX/." "$d/"
	python3 - "$d" "$SITES" "$APPS" <<'EOF'
import os, random, sys
root, sites, apps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
ah = os.path.join(root, "Windows/System32/inetsrv/config/applicationHost.config")
text = open(ah, encoding="utf-8-sig").read()
pools, site, locs = [], [], []
for i in range(sites):
    n = "Tenant%05d" % i
    ident = ('<processModel identityType="SpecificUser" userName="CONTOSO\\svc-web%05d" '
             'password="[enc:IISCngProvider:%s:enc]" loadUserProfile="true" />' % (i, "%064x" % random.getrandbits(256)))
    pools.append('            <add name="%sPool" autoStart="true" managedRuntimeVersion="v4.0" '
                 'managedPipelineMode="Integrated">\n                %s\n'
                 '                <recycling><periodicRestart time="1.05:00:00" /></recycling>\n'
                 '            </add>\n' % (n, ident))
    site.append('            <site name="%s" id="%d" serverAutoStart="true">\n'
                '                <application path="/" applicationPool="%sPool">\n'
                '                    <virtualDirectory path="/" physicalPath="D:\\Sites\\%s" />\n'
                '                </application>\n'
                '                <application path="/api" applicationPool="%sPool">\n'
                '                    <virtualDirectory path="/" physicalPath="D:\\Sites\\%s\\api" />\n'
                '                </application>\n'
                '                <bindings><binding protocol="https" bindingInformation="*:443:%s.contoso.test" sslFlags="1" /></bindings>\n'
                '            </site>\n' % (n, 1000 + i, n, n, n, n, n.lower()))
    locs.append('    <location path="%s" overrideMode="Allow">\n'
                '        <system.webServer><security><authentication>\n'
                '            <anonymousAuthentication enabled="false" />\n'
                '            <windowsAuthentication enabled="true" useKernelMode="%s" />\n'
                '        </authentication></security></system.webServer>\n'
                '    </location>\n' % (n, "true" if i % 3 else "false"))
text = text.replace("        </applicationPools>", "".join(pools) + "        </applicationPools>", 1)
text = text.replace("            <siteDefaults>", "".join(site) + "            <siteDefaults>", 1)
i = text.rindex("</configuration>")
text = text[:i] + "".join(locs) + text[i:]
open(ah, "w", encoding="utf-8").write(text)

web = os.path.join(root, "Program Files/Microsoft Dynamics CRM/CRMWeb")
models = []
for dp, dn, fn in os.walk(web):
    for f in fn:
        if f.lower() == "web.config" and dp != web:
            models.append(open(os.path.join(dp, f), "rb").read())  # as they are: UTF-8 or UTF-16
for i in range(apps):
    d = os.path.join(web, "ISV", "App%04d" % i, "bin" if i % 5 == 0 else "")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "web.config"), "wb").write(models[i % len(models)])
EOF
	printf '%s' "$d"
}

# ---- the runner ------------------------------------------------------------------------------------------------
cat >"$T/run.py" <<'EOF'
import json, os, statistics, sys, time
rounds, warmup, max_ratio = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
sets = json.load(open(sys.argv[4]))
rusage_run, report = sys.argv[5], sys.argv[6]
devnull = os.open(os.devnull, os.O_WRONLY)

def run(argv):
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execv(rusage_run, [rusage_run, report] + argv)
        finally:
            os._exit(127)
    _, status, _ = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    fields = dict(kv.split("=") for kv in open(report).read().split())
    return wall, int(fields["maxrss_kib"]), os.waitstatus_to_exitcode(status)

worst = 0.0
for s in sets:
    cmds = s["commands"]
    names = list(cmds)
    res = {n: [] for n in names}
    codes = {}
    for r in range(warmup + rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for n in order:
            w, rss, code = run(cmds[n])
            codes.setdefault(n, set()).add(code)
            if r >= warmup:
                res[n].append((w, rss))
    print("\n== %s: %s" % (s["name"], s["what"]))
    print("   %-18s %10s %10s %10s %12s  %s" % ("command", "median ms", "min ms", "max ms", "peak RSS KB", "exit"))
    med = {}
    for n in names:
        walls = [w for w, _ in res[n]]
        med[n] = statistics.median(walls)
        print("   %-18s %10.1f %10.1f %10.1f %12d  %s" % (n, med[n] * 1e3, min(walls) * 1e3, max(walls) * 1e3,
              max(x for _, x in res[n]), ",".join(str(c) for c in sorted(codes[n]))))
        if n.startswith("xmllint-") and codes[n] != {0}:
            print("   ERROR: %s failed: the files are not well-formed XML" % n)
            worst = float("inf")
        if n.startswith("check_") and 3 in codes[n]:
            print("   ERROR: %s said UNKNOWN: it did not read everything" % n)
            worst = float("inf")
    for plugin, base, start in s["pairs"]:
        ratio = med[plugin] / med[base]
        paired = statistics.median(a[0] / b[0] for a, b in zip(res[plugin], res[base]))
        worst = max(worst, ratio)
        print("   %-18s / %-16s = %.2fx (paired median %.2fx)  target <= %.1fx  %s" %
              (plugin, base, ratio, paired, max_ratio, "PASS" if ratio <= max_ratio else "MISS"))
        # the same without process start-up (dynamic linking), for information
        net_p = med[plugin] - med[start]
        net_b = med[base] - med["startup-xmllint"]
        if net_b > 0.001:
            print("   %-18s   net of start-up: %.1f ms / %.1f ms = %.2fx (start-up %.1f ms vs %.1f ms)" %
                  ("", net_p * 1e3, net_b * 1e3, net_p / net_b, med[start] * 1e3, med["startup-xmllint"] * 1e3))
        else:
            print("   %-18s   net of start-up: %.1f ms vs %.1f ms (too small to divide; start-up %.1f ms vs %.1f ms)" %
                  ("", net_p * 1e3, net_b * 1e3, med[start] * 1e3, med["startup-xmllint"] * 1e3))
sys.exit(0 if worst <= max_ratio else 1)
EOF

# ---- the sets ------------------------------------------------------------------------------------------------------
json_set() { # NAME WHAT ROOT
	local root=$3 web
	web="$root/Program Files/Microsoft Dynamics CRM/CRMWeb"
	local mc="$root/Windows/Microsoft.NET/Framework64/v4.0.30319/Config/machine.config"
	local rw="$root/Windows/Microsoft.NET/Framework64/v4.0.30319/Config/web.config"
	local ah="$root/Windows/System32/inetsrv/config/applicationHost.config"
	local -a webs
	mapfile -t webs < <(find "$web" -iname web.config | sort)
	local xl
	xl=$(command -v xmllint)
	python3 - "$1" "$2" "$ASPNET" "$APPPOOL" "$xl" "$mc" "$rw" "$ah" "$web" "${webs[@]}" <<'EOF'
import json, sys
name, what, aspnet, apppool, xl, mc, rw, ah, web = sys.argv[1:10]
webs = sys.argv[10:]
print(json.dumps({"name": name, "what": what, "commands": {
    "check_aspnet_debug": [aspnet, "-m", mc, "-r", rw, "-A", ah, "-f", web],
    "xmllint-aspnet": [xl, "--noout", mc, rw, ah] + webs,
    "check_apppool": [apppool, "-f", ah],
    "xmllint-apppool": [xl, "--noout", ah],
    "startup-aspnet": [aspnet, "--version"],
    "startup-apppool": [apppool, "--version"],
    "startup-xmllint": [xl, "--version"],
}, "pairs": [["check_aspnet_debug", "xmllint-aspnet", "startup-aspnet"],
              ["check_apppool", "xmllint-apppool", "startup-apppool"]]}))
EOF
}

size_of() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s / 1024 }'; }
sets=()
for s in $SETS; do
	case $s in
	example)
		n=$(find "$EX/Program Files" -iname web.config | wc -l)
		json_set example "examples/dynamics/crmfe01 as shipped: $(size_of "$EX") KB, applicationHost.config $(size_of \
			"$EX/Windows/System32/inetsrv/config/applicationHost.config") KB, $n web.config under CRMWeb" "$EX" \
			>"$T/set-example.json"
		sets+=("$T/set-example.json")
		;;
	large)
		log "generating the large set ($SITES extra sites, $APPS extra applications) into $T/large"
		gen_large >"$T/large.path" || die "generating the large set failed"
		L=$(cat "$T/large.path")
		n=$(find "$L/Program Files" -iname web.config | wc -l)
		json_set large "GENERATED from the example into a temporary directory: $(size_of "$L") KB,\
 applicationHost.config $(size_of "$L/Windows/System32/inetsrv/config/applicationHost.config") KB ($SITES extra sites\
 and pools), $n web.config under CRMWeb ($APPS extra applications)" "$L" >"$T/set-large.json"
		sets+=("$T/set-large.json")
		;;
	*) die "unknown set '$s' (example, large)" ;;
	esac
done
python3 -c 'import json, sys; print(json.dumps([json.load(open(f)) for f in sys.argv[1:]]))' "${sets[@]}" >"$T/sets.json"

log "plugins from $BUILD ($(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || echo '?')); $(xmllint --version 2>&1 | head -1)"
log "$ROUNDS rounds after $WARMUP warm-up rounds; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
python3 "$T/run.py" "$ROUNDS" "$WARMUP" "$MAX_RATIO" "$T/sets.json" "$T/rusage_run" "$T/rusage.txt" || rc=$?
exit "$rc"
