#!/bin/sh
# Guest step: run the kselftests installed in /ptj/kselftest (built from the patched tree by
# tools/runner/build-kselftest.sh with the kernel's own framework); TAP goes to the console.
#   ptj.ksft_skip=C:T,...  leave these tests out (the console says so; check-bisect
#                          leaves out ptrace:vmaccess, see kernel/known-failures)
#   PTJ_KSFT_ONLY=C:T      (environment) only this test: the step jobctl
# The verdict judges every test from the TAP, known failures included. run_kselftest.sh exits 1
# when a test failed (7.3; 6.12's exited 0): that is not a failure of the step, which fails
# only if the runner itself could not run.
cd /ptj/kselftest || exit 1
skip=
for arg in $(cat /proc/cmdline); do
	case $arg in
	ptj.ksft_skip=*) skip=${arg#ptj.ksft_skip=} ;;
	esac
done
set --
while IFS= read -r t; do
	[ -z "${PTJ_KSFT_ONLY:-}" ] || [ "$t" = "$PTJ_KSFT_ONLY" ] || continue
	case ",$skip," in
	*",$t,"*) echo "PTJ: kselftest $t left out (ptj.ksft_skip)" ;;
	*) set -- "$@" -t "$t" ;;
	esac
done <kselftest-list.txt
# (without -t the runner would run every test)
[ $# -gt 0 ] || { echo "PTJ: no kselftest left to run"; exit 1; }
rc=0
./run_kselftest.sh "$@" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
