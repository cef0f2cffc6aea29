#!/bin/sh
# Guest step: the PTRACE_JOBCTL_CONT benchmark /ptj/bin/jobctl_bench (tools/bench/jobctl_bench.c,
# passed in by tools/bench/bench.sh with --bin). Its options come from ptj.bench_<option>=<value>
# on the kernel command line (bench.sh sets them), e.g. ptj.bench_seed=1 ptj.bench_rep=2.
# The results are printed between the markers "PTJ-BENCH: begin" and "PTJ-BENCH: end rc=N";
# the binary also prints TAP lines ("ok N bench: ...") for the verdict.
bin=/ptj/bin/jobctl_bench
args=
for arg in $(cat /proc/cmdline); do
	case $arg in
	ptj.bench_*=*)
		kv=${arg#ptj.bench_}
		args="$args --${kv%%=*} ${kv#*=}"
		;;
	esac
done
if [ ! -x $bin ]; then
	echo "not ok 1 bench: $bin missing (run it through make bench, or GUEST_BINS=.../jobctl_bench)"
	exit 1
fi
echo "PTJ-BENCH: begin"
echo "PTJB guest args=${args# }"
# The binary has its own per-item alarm(2) watchdog; this is the last resort.
busybox timeout -s KILL 780 $bin $args
rc=$?
echo "PTJ-BENCH: end rc=$rc"
[ $rc -eq 0 ] || echo "not ok 99 bench: jobctl_bench exited with rc=$rc"
exit $rc
