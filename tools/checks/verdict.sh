#!/usr/bin/env bash
# tools/checks/verdict.sh: the verdict's self-test (tools/verdict/selftest.py), with its results
# in build/logs/verdict-selftest/results.tsv (which make check gathers), and the strace-suite
# report's test (tools/runner/strace-suite-report-test.py).
. "$(dirname "$0")/../lib.sh"

tsv=$PTJ_LOGS/verdict-selftest/results.tsv
mkdir -p "$(dirname "$tsv")"
rc=0
python3 "$PTJ_TOP/tools/verdict/selftest.py" --tsv "$tsv" || rc=$?
[ $rc -eq 0 ] || die "the verdict's self-test failed (tools/verdict/selftest.py)"
python3 "$PTJ_TOP/tools/runner/strace-suite-report-test.py" >"$PTJ_LOGS/verdict-selftest/strace-suite-report.log" 2>&1 ||
	die "the strace-suite report's test failed (tools/runner/strace-suite-report-test.py)" "$PTJ_LOGS/verdict-selftest/strace-suite-report.log"
say "strace-suite report: $(tail -n 1 "$PTJ_LOGS/verdict-selftest/strace-suite-report.log")"
