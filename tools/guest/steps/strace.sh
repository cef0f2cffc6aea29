#!/bin/sh
# Guest step: does strace decode PTRACE_JOBCTL_CONT? Runs /ptj/bin/strace (the static strace of
# tools/runner/build-strace.sh, passed in with --bin; `make test-strace`) with -e trace=ptrace on
# two programs that call the request from their main thread, the project's stress test
# (tools/tests/jobctl_stress.c) and the series' jobctl selftest, and prints TAP:
#   1  strace decodes PTRACE_JOBCTL_CONT: jobctl_stress -n 1 -p 1 -T 1 probes the request with
#      addr and data 0 on a seized tracee in a PTRACE_INTERRUPT trap; strace must print
#      "ptrace(PTRACE_JOBCTL_CONT, <pid>, NULL, 0) = 0".
#   2  strace decodes PTRACE_JOBCTL_CONT with data != 0: jobctl -r jobctl_cont.basic
#      probes it with data ~0 (EINVAL where the request exists); strace must print
#      "ptrace(PTRACE_JOBCTL_CONT, <pid>, NULL, 0xffffffffffffffff) = -1 EINVAL (...)".
#   3  jobctl_cont.basic passes (not skipped) with its main process under strace.
# No -f: with -f strace would trace the tracees the tests seize (their PTRACE_SEIZE would fail
# with EPERM), so only the main thread is traced; the test cases themselves run in children.
# The programs' own TAP is shown as "# <name>| ..." comments, which the verdict does not count.
bin=/ptj/bin/strace
ksft=/ptj/kselftest/ptrace
tmp=/tmp/strace-step
echo "TAP version 13"
echo "1..3"
if [ ! -x $bin ]; then
	for n in 1 2 3; do
		echo "not ok $n strace # $bin missing (make test-strace, or GUEST_BINS=build/strace/strace)"
	done
	exit 1
fi
echo "# $($bin -V | head -1)"
mkdir -p $tmp
rc=0

# run NAME CMD...: CMD under strace -e trace=ptrace; trace in $tmp/NAME.trace, output as comments.
run() {
	name=$1
	shift
	echo "# $name: $bin -e trace=ptrace $*"
	busybox timeout -s KILL 300 $bin -e trace=ptrace -o "$tmp/$name.trace" "$@" >"$tmp/$name.out" 2>&1
	echo $? >"$tmp/$name.rc"
	sed "s/^/# $name| /" "$tmp/$name.out"
	echo "# $name: exit status $(cat "$tmp/$name.rc"), $(grep -c '^ptrace(' "$tmp/$name.trace") ptrace calls traced"
}

# result N DESCRIPTION TRACE REGEX: ok if a line of TRACE matches REGEX, else not ok with what
# strace printed for request 0x4213 (or every ptrace line if there is none).
result() {
	n=$1 desc=$2 trace=$3 re=$4
	line=$(grep -E -m1 "$re" "$trace")
	if [ -n "$line" ]; then
		echo "ok $n $desc"
		echo "# seen: $line"
		return
	fi
	echo "not ok $n $desc"
	echo "# expected a line matching: $re"
	seen=$(grep -E 'PTRACE_JOBCTL_CONT|0x4213' "$trace")
	[ -n "$seen" ] || seen=$(grep '^ptrace(' "$trace")
	echo "${seen:-(no ptrace call traced)}" | head -n 20 | sed 's/^/# saw: /'
	rc=1
}

run jobctl_stress $ksft/jobctl_stress -n 1 -t 1 -p 1 -T 1 -s 1
result 1 "strace decodes PTRACE_JOBCTL_CONT" $tmp/jobctl_stress.trace \
	'^ptrace\(PTRACE_JOBCTL_CONT, [0-9]+, NULL, 0\) += 0$'

run jobctl $ksft/jobctl -r jobctl_cont.basic
result 2 "strace decodes PTRACE_JOBCTL_CONT with data != 0" $tmp/jobctl.trace \
	'^ptrace\(PTRACE_JOBCTL_CONT, [0-9]+, NULL, 0xffffffffffffffff\) += -1 EINVAL '

if [ "$(cat $tmp/jobctl.rc)" = 0 ] && grep -q '^ok 1 jobctl_cont\.basic$' $tmp/jobctl.out; then
	echo "ok 3 jobctl_cont.basic passes under strace"
else
	echo "not ok 3 jobctl_cont.basic passes under strace # exit status $(cat $tmp/jobctl.rc), see its output above"
	rc=1
fi
exit $rc
