#!/bin/sh
# Guest step: strace's own test suite (strace 6.1 + patches/strace/), from the overlay
# /ptj/strace-suite that tools/runner/build-strace-suite.sh assembles (make strace-suite, make
# test-strace-jobctl; tools/runner/run.sh --overlay build/strace-suite/root). Each test runs as
# strace's tests/Makefile runs it: in tests/, `env STRACE_ARCH=... ./run.sh ./NAME.test` with
# srcdir=. and TIMEOUT_DURATION (run.sh kills the test after that many seconds), here under
# dash, the shell Debian's /bin/sh is. One TAP line per test:
#   exit 0  -> ok N NAME
#   exit 77 -> ok N NAME # SKIP <the test's "skipped test:" reason>
#   other   -> not ok N NAME # <the test's "failed test:" line, or the exit status>, the end of
#              its log as comments; or, for a test in $known below,
#              not ok N NAME # TODO environment: <reason> (counted as skipped by the verdict)
# The step fails (exit 1) if any test failed that is not in $known.
# Kernel command line (ptj.*):
#   ptj.strace_list=all|jobctl   which list of /ptj/strace-suite/lists (default all)
#   ptj.strace_shard=I/N         only the tests whose 1-based position P in the list has
#                                P % N == I % N (I in 1..N), to split a long run over boots
#   ptj.strace_timeout=SECS      TIMEOUT_DURATION (default 240; strace's own default is 1500)
#   ptj.strace_only=NAME[,NAME]  only these tests (reruns)
top=/ptj/strace-suite
list=all shard=1/1 tmo=240 only=
for arg in $(cat /proc/cmdline); do
	case $arg in
	ptj.strace_list=*) list=${arg#*=} ;;
	ptj.strace_shard=*) shard=${arg#*=} ;;
	ptj.strace_timeout=*) tmo=${arg#*=} ;;
	ptj.strace_only=*) only=${arg#*=} ;;
	esac
done

# Known environment failures: NAME REASON. Only failures that the guest's environment (its
# kernel configuration: tinyconfig + kernel/config/ptrace-test.config, no disk, no INET)
# explains, the same on the patched and the vanilla kernel (Documentation/strace-suite.md).
known='
'

echo "TAP version 13"
if [ ! -f "$top/lists/$list" ]; then
	echo "1..1"
	echo "not ok 1 strace-suite # no $top/lists/$list (run.sh --overlay build/strace-suite/root)"
	exit 1
fi
i=${shard%/*} n=${shard#*/}
tests=$(awk -v i="$i" -v n="$n" -v only=",$only," \
	'(only == ",," || index(only, "," $1 ",")) && NR % n == i % n' "$top/lists/$list")
echo "1..$(echo "$tests" | grep -c .)"
export PATH="$top/bin:$PATH" LC_ALL=C
echo "# strace-suite: list $list, shard $shard, TIMEOUT_DURATION=$tmo; $($top/src/strace -V | head -1)"
# glibc's malloc asks getrandom(GRND_NONBLOCK) for its tcache key on a process's first
# allocation and leaves errno EAGAIN when the kernel's random generator is not ready yet, which
# in this guest (no hardware RNG) takes minutes. Test programs that print errno after their
# first printf then expect EAGAIN where strace shows the syscall's real error. A read of
# /dev/random waits for the generator and has the kernel seed it from timer jitter, on every
# kernel alike.
r0=$(date +%s)
dd if=/dev/random of=/dev/null bs=1 count=1 2>/dev/null
echo "# strace-suite: random generator ready after $(($(date +%s) - r0))s"
cd $top/tests || exit 1
t0=$(date +%s)
k=0 rc=0 npass=0 nfail=0 nskip=0 nknown=0
for t in $tests; do
	k=$((k + 1))
	name=${t%.test}
	name=${name%.gen}
	s0=$(date +%s)
	env STRACE_ARCH=x86_64 STRACE_NATIVE_ARCH=x86_64 SIZEOF_KERNEL_LONG_T=8 SIZEOF_LONG=8 \
		MIPS_ABI= srcdir=. TIMEOUT_DURATION="$tmo" dash ./run.sh dash "./$t" >"$name.ptjlog" 2>&1 </dev/null
	r=$?
	secs=$(($(date +%s) - s0))
	case $r in
	0)
		echo "ok $k $t"
		npass=$((npass + 1))
		;;
	77)
		why=$(sed -n 's/^.*: \(skipped test\|framework skip\): //p' "$name.ptjlog" | tail -n 1)
		# "../prog exited with code 77": the program said why, on the line before.
		case $why in
		*"exited with code 77") why="$why: $(grep -v ': skipped test: ' "$name.ptjlog" | tail -n 1 | cut -c1-120)" ;;
		esac
		echo "ok $k $t # SKIP ${why:-exit status 77}"
		nskip=$((nskip + 1))
		;;
	*)
		why=$(sed -n 's/^.*: \(failed test\|framework failure\): //p' "$name.ptjlog" | tail -n 1)
		[ "$r" != 124 ] && [ "$r" != 152 ] || why="killed after TIMEOUT_DURATION=${tmo}s${why:+: $why}"
		why="${why:-exit status $r}"
		env=$(echo "$known" | awk -v t="$t" '$1 == t { $1 = ""; sub(/^ /, ""); print; exit }')
		if [ -n "$env" ]; then
			echo "not ok $k $t # TODO environment: $env (${why})"
			nknown=$((nknown + 1))
		else
			echo "not ok $k $t # $why"
			tail -n 15 "$name.ptjlog" | cut -c1-200 | sed "s/^/# $name| /"
			nfail=$((nfail + 1))
			rc=1
		fi
		;;
	esac
	[ "$secs" -lt 5 ] || echo "# $t took ${secs}s"
	# Free the guest's memory (the root is tmpfs): the test's directory and log.
	rm -rf "$name.dir" "$name.ptjlog"
done
echo "# strace-suite: $k tests in $(($(date +%s) - t0))s: $npass passed, $nfail failed, $nskip skipped, $nknown known environment failures"
exit $rc
