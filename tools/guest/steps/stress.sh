#!/bin/sh
# Guest step: the project's randomised job control stress test (tools/tests/jobctl_stress.c,
# which tools/runner/build-kselftest.sh installs with the ptrace kselftests, not in their
# list). Settings from the kernel command line (APPEND=...):
#   ptj.stress_secs=N   time limit (default 60)
#   ptj.stress_seed=N   seed (default: the program picks one and prints it)
#   ptj.stress_args=a,b extra arguments, comma separated (e.g. -p,4,-T,4)
# It prints KTAP (ok/not ok 1 jobctl_stress ...) and its closing report, which the verdict
# counts like any other test.
secs=60 seed= extra=
for arg in $(cat /proc/cmdline); do
	case $arg in
	ptj.stress_secs=*) secs=${arg#ptj.stress_secs=} ;;
	ptj.stress_seed=*) seed=${arg#ptj.stress_seed=} ;;
	ptj.stress_args=*) extra=$(echo "${arg#ptj.stress_args=}" | tr ',' ' ') ;;
	esac
done
bin=/ptj/kselftest/ptrace/jobctl_stress
# A development build passed with GUEST_BINS=.../jobctl_stress takes precedence.
[ -x /ptj/bin/jobctl_stress ] && bin=/ptj/bin/jobctl_stress
[ -x "$bin" ] || { echo "not ok 1 jobctl_stress # not installed at $bin"; exit 1; }
# shellcheck disable=SC2086
exec "$bin" -t "$secs" ${seed:+-s "$seed"} $extra
