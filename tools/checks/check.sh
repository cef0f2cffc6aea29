#!/usr/bin/env bash
# tools/checks/check.sh STEP...: `make check`. Runs the targets STEP... of tools/ptj.sh in
# order, with the time of each; stops at the first failure and names it. Every step prints its
# own cause and log path when it fails. After each step, every build/logs/<run>/results.tsv it
# wrote (a guest run's, the verdict's self-test's, the model's) is gathered, with <run> in
# front, into build/logs/check/results.tsv (PTJ_CHECK_RESULTS: another file, for make
# check-long); the last line is their total: "total: N passed, N failed, N skipped".
. "$(dirname "$0")/../lib.sh"
ptj_lock

t0=$(date +%s)
all=${PTJ_CHECK_RESULTS:-$PTJ_LOGS/check/results.tsv}
mkdir -p "$(dirname "$all")"
printf 'run\ttest\tstatus\treason\n' >"$all"
stamp=$(dirname "$all")/.step-start
total() {
	local c
	c=$(tsv_counts "$all" || true)
	echo "total: ${c:-0 passed, 0 failed, 0 skipped}"
}
# gather: the results tables written since the step began (the stamp's time).
gather() {
	local f
	while IFS= read -r f; do
		sed "1d; s/^/$(basename "$(dirname "$f")")\t/" "$f" >>"$all"
	done < <(find "$PTJ_LOGS" -mindepth 2 -maxdepth 2 -name results.tsv -newer "$stamp" ! -path "$all" | sort)
}
passed=()
for t in "$@"; do
	s=$(date +%s)
	say "==== check: $t ===="
	touch "$stamp"
	rc=0
	"$PTJ_TOP/tools/ptj.sh" "$t" || rc=$?
	gather
	if [ $rc -ne 0 ]; then
		total
		die "make check: step '$t' failed after $(fmt_secs $(($(date +%s) - t0))) (passed before it: ${passed[*]:-none}); results so far: $all"
	fi
	passed+=("$t($(fmt_secs $(($(date +%s) - s))))")
done
say "make check: all ${#passed[@]} steps passed in $(fmt_secs $(($(date +%s) - t0))): ${passed[*]}"
say "results of every test run: $all"
total
