#!/usr/bin/env bash
# tools/checks/check.sh STEP...: `make check`. Runs the targets STEP... of tools/ptj.sh in
# order, with the time of each; stops at the first failure and names it. Every step prints its
# own cause and log path when it fails. The test results of all steps (every guest run's
# results.tsv and the verdict's self-test) are gathered, with the run's name in front, in
# build/logs/check/results.tsv (PTJ_CHECK_RESULTS: another file, for make check-long); the last line is their total: "total: N passed, N failed, N
# skipped".
. "$(dirname "$0")/../lib.sh"
ptj_lock

t0=$(date +%s)
all=${PTJ_CHECK_RESULTS:-$PTJ_LOGS/check/results.tsv}
mkdir -p "$(dirname "$all")"
printf 'run\ttest\tstatus\treason\n' >"$all"
export PTJ_RESULTS_ALL=$all
total() {
	awk -F'\t' 'NR > 1 { p += $3 == "PASS"; f += $3 == "FAIL"; s += $3 == "SKIP" || $3 == "XFAIL" }
		END { printf "total: %d passed, %d failed, %d skipped\n", p, f, s }' "$all"
}
passed=()
for t in "$@"; do
	s=$(date +%s)
	say "==== check: $t ===="
	if ! "$PTJ_TOP/tools/ptj.sh" "$t"; then
		total
		die "make check: step '$t' failed after $(fmt_secs $(($(date +%s) - t0))) (passed before it: ${passed[*]:-none}); results so far: $all"
	fi
	passed+=("$t($(fmt_secs $(($(date +%s) - s))))")
done
say "make check: all ${#passed[@]} steps passed in $(fmt_secs $(($(date +%s) - t0))): ${passed[*]}"
say "results of every test run: $all"
total
