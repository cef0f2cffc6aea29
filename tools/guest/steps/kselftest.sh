#!/bin/sh
# Guest step: run the kselftests installed in /ptj/kselftest (built from the patched tree by
# tools/runner/build-kselftest.sh with the kernel's own framework); TAP goes to the console.
#   ptj.ksft_skip=C:T,...  leave these tests out (the console says so; check-bisect
#                          leaves out ptrace:vmaccess, see kernel/known-failures)
cd /ptj/kselftest || exit 1
skip=
for arg in $(cat /proc/cmdline); do
	case $arg in
	ptj.ksft_skip=*) skip=${arg#ptj.ksft_skip=} ;;
	esac
done
[ -n "$skip" ] || exec ./run_kselftest.sh
set --
while IFS= read -r t; do
	case ",$skip," in
	*",$t,"*) echo "PTJ: kselftest $t left out (ptj.ksft_skip)" ;;
	*) set -- "$@" -t "$t" ;;
	esac
done <kselftest-list.txt
exec ./run_kselftest.sh "$@"
