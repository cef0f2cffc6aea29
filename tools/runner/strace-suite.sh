#!/usr/bin/env bash
# tools/runner/strace-suite.sh: `make strace-suite`. strace's whole test suite (strace 6.1-0.1
# + patches/strace/, tools/runner/build-strace-suite.sh) in the x86_64 TCG guest, on the patched
# and on the vanilla kernel, in STRACE_SUITE_SHARDS boots per kernel (the step's
# ptj.strace_shard); then tools/runner/strace-suite-report.py compares them and writes the
# results part of Documentation/strace-suite.md and Documentation/strace-suite.tsv.
#
# The verdict of each boot is not the result here (the full suite has failures that the
# guest's environment explains, on both kernels); what fails this script: a boot that did not
# complete the step, a kernel splat, a test that passes on vanilla and not on patched.
# Consoles are kept in build/strace-suite/results/<kernel>-<shard>.console.log, or
# <kernel>-<shard>-rerun.console.log when STRACE_SUITE_APPEND names the tests (a rerun must not
# replace the console of the full shard).
#
# Settings (defaults: PTJ_SETTINGS of tools/lib.sh):
#   STRACE_SUITE_SHARDS       boots per kernel
#   STRACE_SUITE_ONLY         only these shards (e.g. 1: a sample, test k with k mod N = 1);
#                             the results part then says so
#   STRACE_SUITE_KERNELS      the kernels, the one with the series first
#   STRACE_SUITE_APPEND       more kernel command line (ptj.strace_only=NAME,... for a rerun)
#   STRACE_SUITE_DOC          0: leave Documentation/ alone, print the comparison only
#   STRACE_SUITE_VANILLA      all: the same tests on both kernels; failures: the second kernel
#                             runs only the tests that failed on the first (the only possible
#                             regressions; the suite's time on TCG is hours per kernel)
#   STRACE_SUITE_EARLIER      what the run that wrote Documentation/strace-suite.tsv was (e.g.
#                             "shard 1 on commit X"): its rows give the results of the tests this
#                             run does not have, so shards run on different days add up
. "$(dirname "$0")/../lib.sh"
[ "$ARCH" = x86_64 ] || die "make strace-suite: x86_64 only"
# One lock for all the boots: no other run may replace a kernel's logs or image in between.
ptj_lock
shards=$STRACE_SUITE_SHARDS
kernels=$STRACE_SUITE_KERNELS
doc=$STRACE_SUITE_DOC
R=$PTJ_TOP/tools/runner
res=$BUILD/strace-suite/results

"$R/deps.sh" --quiet
"$R/build-strace-suite.sh"
mkdir -p "$res"
t0=$(date +%s)
case $STRACE_SUITE_VANILLA in all | failures) ;; *) die "STRACE_SUITE_VANILLA: all or failures, not '$STRACE_SUITE_VANILLA'" ;; esac
args=()
only=
rerun=
case " $STRACE_SUITE_APPEND" in *" ptj.strace_only="*) rerun=-rerun ;; esac
for k in $kernels; do
	logs=()
	for i in ${STRACE_SUITE_ONLY:-$(seq 1 "$shards")}; do
		say "strace-suite: $k, shard $i/$shards${only:+ (only the failures of the first kernel)}"
		"$R/run.sh" --kernel "$k" --steps strace-suite --overlay "$BUILD/strace-suite/root" \
			--mem 2G --timeout 10800 \
			--append "ptj.strace_shard=$i/$shards ${only:+ptj.strace_only=$only }$STRACE_SUITE_APPEND" ||
			say "strace-suite: $k shard $i: the verdict failed (expected with environment failures; judged below)"
		c=$res/$k-$i${rerun}.console.log
		cp "$(console_log "$k")" "$c"
		grep -q '^PTJ: step strace-suite end' "$c" || die "strace-suite: the $k guest did not finish shard $i" "$c"
		! grep -q 'console:splat' "$(results_tsv "$k")" || die "strace-suite: kernel splat on $k (shard $i)" "$c"
		logs+=("$c")
	done
	args+=(--run "$k=$(IFS=,; echo "${logs[*]}")")
	# After the first kernel: its failures ("not ok" lines), for STRACE_SUITE_VANILLA=failures.
	[ "$STRACE_SUITE_VANILLA" = failures ] || continue
	only=$(cat "${logs[@]}" | tr -d '\r' | awk '/^not ok [0-9]+ / { print $4 }' | paste -sd, -)
	[ -n "$only" ] || only=none
	[ ${#only} -le 1500 ] || die "strace-suite: too many failures on $k for the kernel command line (${#only} characters): run with STRACE_SUITE_VANILLA=all"
done
[ "$STRACE_SUITE_VANILLA" = all ] || args+=(--failures-only)
o=()
[ "$doc" = 0 ] || o=(--doc "$PTJ_TOP/Documentation/strace-suite.md" --tsv "$PTJ_TOP/Documentation/strace-suite.tsv")
if [ -n "$STRACE_SUITE_EARLIER" ]; then
	o+=(--earlier "$PTJ_TOP/Documentation/strace-suite.tsv" --earlier-note "$STRACE_SUITE_EARLIER")
elif [ -n "$STRACE_SUITE_ONLY" ]; then
	o+=(--part "shard(s) ${STRACE_SUITE_ONLY} of $shards")
fi
rc=0
"$R/strace-suite-report.py" --commit "$(git -C "$PTJ_TOP" rev-parse --short=12 HEAD)" "${o[@]}" "${args[@]}" || rc=$?
el=$(fmt_secs $(($(date +%s) - t0)))
[ $rc -ne 1 ] || die "strace-suite: a test passes on vanilla and not on patched (after $el)"
[ $rc -eq 0 ] || die "strace-suite: incomplete results (after $el)"
say "strace-suite: done in $el"
