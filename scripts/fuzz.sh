#!/bin/bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan in
# build/fuzz and runs each for SECONDS (default 60), two at a time.
# A crash fails the run and its input is saved in
# tests/fuzz/regress/<target>/, where `make check` (tests/fuzz/replay.test)
# replays it from then on.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Environment: FUZZ_JOBS (parallel targets, default 2), FUZZ_BUILD (build
# directory, default build/fuzz), FUZZ_MAX_LEN (default 65536).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(range spn ldap_escape ini aspnet apppool output)
build=${FUZZ_BUILD:-$top/build/fuzz}
jobs=${FUZZ_JOBS:-2}
maxlen=${FUZZ_MAX_LEN:-65536}

command -v clang >/dev/null || { echo "fuzz: clang not found (apt-get install clang)" >&2; exit 2; }
mkdir -p "$build"
[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi)
cd "$build"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
	echo "fuzz: configuring in $build"
	"$top/configure" --disable-unit-tests >configure.log 2>&1 ||
		{ tail -20 configure.log; exit 2; }
fi
echo "fuzz: building ${#targets[@]} targets with clang"
make -s fuzz FUZZ_TARGETS="${targets[*]}" FUZZ_DIR="$build/bin"

# run_one TARGET: fuzz for $secs seconds; 0, or 1 after saving a crash
run_one() {
	local t=$1 work="$build/run/$t" seeds="$top/tests/fuzz/corpus/$t"
	local regress="$top/tests/fuzz/regress/$t" rc=0 extra=()
	rm -rf "$work/artifacts" && mkdir -p "$work/corpus" "$work/artifacts"
	[ -d "$seeds" ] && extra+=("$seeds")
	[ -d "$regress" ] && extra+=("$regress")
	if [ "$t" = aspnet ] || [ "$t" = apppool ]; then
		# the plugin fixtures, each behind an options byte of 0
		mkdir -p "$work/fixtures"
		for f in "$top"/tests/plugins/fixtures/"$t"/*.config \
		    "$top"/tests/plugins/fixtures/"$t"/*/*.config \
		    "$top"/tests/hostile/inputs/*.config; do
			[ -f "$f" ] && { printf '\000'; cat "$f"; } > "$work/fixtures/$(basename "$(dirname "$f")")_$(basename "$f")"
		done
		extra+=("$work/fixtures")
	fi
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$build/bin/fuzz_$t" -max_total_time="$secs" -max_len="$maxlen" \
	    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$work/artifacts/" "$work/corpus" "${extra[@]}" \
	    >"$work/log" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		mkdir -p "$regress"
		for a in "$work"/artifacts/*; do
			[ -f "$a" ] || continue
			cp "$a" "$regress/$(basename "$a")"
			echo "fuzz: $t: CRASH, input saved as tests/fuzz/regress/$t/$(basename "$a")"
		done
		grep -E 'ERROR|SUMMARY|malformed|abort' "$work/log" | head -5 | sed "s/^/fuzz: $t: /"
		return 1
	fi
	echo "fuzz: $t: ok ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$work/log" |
	    grep -Eo '[0-9]+$' || echo '?') runs, $(grep -Eo 'cov: [0-9]+' "$work/log" | tail -1))"
}

pids=() names=() failed=0
for t in "${targets[@]}"; do
	run_one "$t" & pids+=($!) names+=("$t")
	if [ ${#pids[@]} -ge "$jobs" ]; then
		wait "${pids[0]}" || failed=$((failed + 1))
		pids=("${pids[@]:1}") names=("${names[@]:1}")
	fi
done
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
if [ "$failed" -gt 0 ]; then
	echo "fuzz: $failed target(s) crashed; logs in $build/run/*/log"
	exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${secs} s without a crash"
