# TAP helpers for the plugin tests (sourced by tests/*/*.test).
#
#   plugin_case NAME EXIT JQ -- PLUGIN ARGS...
# runs PLUGIN ARGS... --output-format=json, and passes when the exit code
# is EXIT and the jq expression JQ is true of the JSON output.
#   text_case NAME EXIT REGEX -- PLUGIN ARGS...
# runs it in the nagios format and matches the extended REGEX against the
# whole output (use (?s)-free patterns; the output is one string).
# Paths: $BUILD (build tree), $SRC (source tree), $FIXTURES.

set -u
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
BUILD=$(cd "$top_builddir" && pwd)
SRC=$(cd "$top_srcdir" && pwd)
PLUGINS="$BUILD/plugins"
tap_n=0
tap_failed=0
TAP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/crmsec-test.XXXXXX")
trap 'rm -rf "$TAP_TMP"' EXIT

# Valgrind, when asked for ($CRMSEC_VALGRIND=1), wraps every plugin run.
tap_runner() {
	if [ "${CRMSEC_VALGRIND:-0}" = 1 ]; then
		valgrind -q --error-exitcode=97 --leak-check=full \
		    --errors-for-leak-kinds=definite "$@"
	else
		"$@"
	fi
}

tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
tap_not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}

# ok NAME COMMAND...: passes when COMMAND succeeds.
ok() {
	local name=$1; shift
	if "$@" >"$TAP_TMP/ok.out" 2>&1; then tap_ok "$name"
	else tap_not_ok "$name" "command: $*" "$(head -c 2000 "$TAP_TMP/ok.out")"; fi
}

plugin_case() {
	local name=$1 want=$2 expr=$3; shift 3
	[ "$1" = -- ] && shift
	local rc=0
	tap_runner "$@" --output-format=json >"$TAP_TMP/out" 2>"$TAP_TMP/err" || rc=$?
	if [ "$rc" != "$want" ]; then
		tap_not_ok "$name" "exit $rc, expected $want" "command: $*" \
		    "$(head -c 3000 "$TAP_TMP/out")" "$(head -c 2000 "$TAP_TMP/err")"
		return
	fi
	if ! jq -e "$expr" "$TAP_TMP/out" >/dev/null 2>"$TAP_TMP/jqerr"; then
		tap_not_ok "$name" "jq expression false: $expr" "command: $*" \
		    "$(head -c 3000 "$TAP_TMP/out")" "$(cat "$TAP_TMP/jqerr")"
		return
	fi
	tap_ok "$name"
}

text_case() {
	local name=$1 want=$2 re=$3; shift 3
	[ "$1" = -- ] && shift
	local rc=0
	tap_runner "$@" >"$TAP_TMP/out" 2>"$TAP_TMP/err" || rc=$?
	if [ "$rc" != "$want" ]; then
		tap_not_ok "$name" "exit $rc, expected $want" "command: $*" \
		    "$(head -c 3000 "$TAP_TMP/out")" "$(head -c 2000 "$TAP_TMP/err")"
		return
	fi
	if ! grep -Eq -- "$re" "$TAP_TMP/out"; then
		tap_not_ok "$name" "output does not match: $re" "command: $*" \
		    "$(head -c 3000 "$TAP_TMP/out")"
		return
	fi
	tap_ok "$name"
}

# The output of the last plugin_case/text_case run.
last_output() { cat "$TAP_TMP/out"; }

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
