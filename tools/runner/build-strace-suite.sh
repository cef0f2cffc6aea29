#!/usr/bin/env bash
# tools/runner/build-strace-suite.sh: build strace's own test suite for the x86_64 guest, from
# the same source as tools/runner/build-strace.sh (Debian 12's strace 6.1-0.1 + patches/strace/),
# and assemble it as an initramfs overlay: build/strace-suite/root/, which
# `tools/runner/run.sh --overlay` copies onto the guest's root and tools/guest/steps/strace-suite.sh runs.
#
#   1. The source: build/strace/dl (deb_source of tools/lib.sh downloads and verifies it if needed),
#      dpkg-source -x, patches/strace/*.patch, regenerated xlat headers; into build/strace-suite/src.
#   2. configure (the options of build-strace.sh, but dynamically linked: 1,200 static test
#      programs would not fit an initramfs), make -C src, and `make -C tests check TESTS=`, which
#      builds every test program (check_PROGRAMS) and runs none. Under the machine-wide build lock.
#   3. The overlay, root/:
#        /ptj/strace-suite/tests/   strace's tests/ source directory (scripts, .expected, .in,
#                                   .awk, ...) with the built test programs: an in-tree layout,
#                                   run with srcdir=. as tests/Makefile runs the tests
#        /ptj/strace-suite/src/     strace, strace-log-merge, config.h (read by tests/init.sh)
#        /ptj/strace-suite/bin/     the GNU tools the test scripts call (coreutils, sed, grep,
#                                   gawk, diff, cmp, find, xargs, unshare, dash): the guest's
#                                   busybox lacks options they use
#        /ptj/strace-suite/lists/   all (tests/Makefile's TESTS, in its order) and jobctl (the
#                                   ptrace-stop/job-control/attach/detach part, by the rule below)
#        /lib64, /lib/x86_64-linux-gnu  the host's ld.so and every library these programs load
#
# The jobctl rule (make check's part): a test is in it when its script matches $script_re
# below (strace attaches to a running process: -p PID, or -D, whose tracer attaches to its
# grandparent; or the script checks strace's attached/detached messages, or stops or continues
# a process with kill), or the source of its program (tests/NAME.c) matches $source_re (it
# sends, blocks or waits for SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT, or makes a ptrace
# attach/seize/interrupt/listen/detach request). A gen test (NAME.gen.test, one decoding check
# each) is judged by its program's source only. Out: the option-parsing tests (scripts that
# source syntax.sh: strace exits before it traces anything).
#
# Incremental: nothing is redone when the source, patches/strace/, this script and the host
# packages copied are unchanged. Own lock: build/strace-suite/.lock. Logs:
# build/logs/strace-suite/{unpack,configure,build,root}.log.
. "$(dirname "$0")/../lib.sh"
[ "$ARCH" = x86_64 ] || die "build-strace-suite.sh: x86_64 only (the overlay is the host's glibc)"

pdir=$PTJ_TOP/patches/strace
sums=$pdir/debian-source.sha256
dl=$PTJ_STRACE_DL
top=$BUILD/strace-suite
src=$top/src
obj=$top/obj
root=$top/root
logs=$PTJ_LOGS/strace-suite
suite=/ptj/strace-suite
mkdir -p "$top" "$logs"
exec 7>>"$top/.lock"
flock -n 7 || { say "another build-strace-suite.sh runs: waiting for it"; flock 7; }

# The tools the test scripts run, besides the test programs and strace.
tools=(sed grep gawk diff cmp find xargs unshare dash)
mapfile -t coreutils < <(dpkg -L coreutils | grep -E '^(/usr)?/bin/.')
script_re='-p *"?\$|(^|[[:space:]])-D+([[:space:]]|$)|--daemonize|Process [^ ]* (attached|detached)|kill -(STOP|CONT|TSTP|TTIN|TTOU)'
source_re='SIG(STOP|TSTP|TTIN|TTOU|CONT)|PTRACE_(SEIZE|INTERRUPT|LISTEN|ATTACH|DETACH)'
opts=("${PTJ_STRACE_OPTS[@]}")
shopt -s nullglob
patches=("$pdir"/*.patch)
shopt -u nullglob

deb_source strace "$PTJ_STRACE_VERSION" "$dl" "$sums" bookworm

# Two stamps: the build (steps 1-2: source, patches, options, compiler) and the overlay (step 3:
# the build, this script, the host packages copied into it).
recipe=1 # steps 1-2 of this script: bump when they change
bstamp=$(
	{
		cat "$sums"
		echo "recipe $recipe ${opts[*]}"
		for p in "${patches[@]}"; do sha256sum <"$p"; done
		dpkg-query -W gcc-12 libc6-dev
	} | sha
)
stamp=$(
	{
		echo "$bstamp"
		cat "$0"
		dpkg-query -W libc6 coreutils sed grep gawk diffutils findutils util-linux dash
	} | sha
)
if [ -f "$root/$suite/lists/all" ] && [ "$(cat "$top/stamp" 2>/dev/null)" = "$stamp" ]; then
	say "strace-suite: up to date: $root ($(wc -l <"$root/$suite/lists/all") tests, $(wc -l <"$root/$suite/lists/jobctl") in the jobctl part)"
	exit 0
fi
rm -f "$top/stamp"
rm -rf "$root"
if [ -x "$obj/src/strace" ] && [ "$(cat "$top/stamp-build" 2>/dev/null)" = "$bstamp" ]; then
	say "strace-suite: the build is up to date ($obj)"
else
	rm -f "$top/stamp-build"

	# --- 1. source ------------------------------------------------------------------------------
	: >"$logs/unpack.log"
	rm -rf "$obj"
	strace_unpack "$src" "$logs/unpack.log" "${patches[@]}" >/dev/null

	# --- 2. configure, build (under the machine-wide build lock) ------------------------------
	build_lock
	mkdir -p "$obj"
	: >"$logs/configure.log"
	configure() { (cd "$obj" && "$src/configure" "${opts[@]}" CC="ccache gcc"); }
	step "strace-suite: configure (${opts[*]})" run_logged "$logs/configure.log" configure ||
		die "strace configure failed" "$logs/configure.log"
	: >"$logs/build.log"
	step "strace-suite: make -C src" run_logged "$logs/build.log" make -C "$obj/src" -j"$JOBS" ||
		die "strace build failed" "$logs/build.log"
	step "strace-suite: the test programs (make -C tests check TESTS=)" run_logged "$logs/build.log" \
		make -C "$obj/tests" -j"$JOBS" check TESTS= ||
		die "strace's test programs failed to build" "$logs/build.log"
	exec 9>&-
	echo "$bstamp" >"$top/stamp-build"
fi

# --- 3. the overlay ---------------------------------------------------------------------------
: >"$logs/root.log"
g=$root$suite
mkdir -p "$g/src" "$g/bin" "$g/lists"
cp -a "$src/tests" "$g/tests"
# The built test programs (ELF executables of obj/tests; not the .o, .a, logs).
n=0
while IFS= read -r -d '' f; do
	head -c4 "$f" | grep -q ELF || continue
	install -m 0755 "$f" "$g/tests/"
	n=$((n + 1))
done < <(find "$obj/tests" -maxdepth 1 -type f -perm -u+x -print0)
install -m 0755 "$obj/src/strace" "$g/src/strace"
install -m 0755 "$src/src/strace-log-merge" "$g/src/strace-log-merge"
install -m 0644 "$obj/src/config.h" "$g/src/config.h"
for t in "${tools[@]}"; do
	p=$(command -v "$t") || die "$t not found on the host (tools/runner/deps.sh)"
	install -m 0755 "$(realpath "$p")" "$g/bin/$t"
done
for p in "${coreutils[@]}"; do [ -e "$g/bin/${p##*/}" ] || install -m 0755 "$(realpath "$p")" "$g/bin/${p##*/}"; done
# The tests list, from tests/Makefile (TESTS: GEN_TESTS DECODER_TESTS MISC_TESTS ...).
make -s -C "$obj/tests" -f Makefile -f - ptj-print-tests <<<$'ptj-print-tests:\n\t@printf \'%s\\n\' $(TESTS)' |
	grep . >"$g/lists/all" || die "no TESTS in $obj/tests/Makefile"
# The jobctl part, by the rule of the header: the script, or its program's source.
while read -r t; do
	name=${t%.test}
	name=${name%.gen}
	if [[ $t != *.gen.test ]] && grep -qE -- "$script_re" "$g/tests/$t" &&
		! grep -q 'syntax\.sh' "$g/tests/$t"; then
		echo "$t"
	elif [ -f "$g/tests/$name.c" ] && grep -qE -- "$source_re" "$g/tests/$name.c"; then
		echo "$t"
	fi
done <"$g/lists/all" >"$g/lists/jobctl"
# Libraries: every one ldd names for the ELF files of the overlay, at the host's path.
mkdir -p "$root/lib64"
install -m 0755 "$(realpath /lib64/ld-linux-x86-64.so.2)" "$root/lib64/ld-linux-x86-64.so.2"
# (ldd fails on the scripts among them: its status says nothing here.)
find "$g" -type f -perm -u+x -print0 | { xargs -0 ldd 2>/dev/null || true; } |
	awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u | while read -r l; do
	mkdir -p "$root$(dirname "$l")"
	install -m 0755 "$(realpath "$l")" "$root$l"
	echo "lib $l" >>"$logs/root.log"
done
# ld.so's own absolute path in the libraries' directory, as on the host.
mkdir -p "$root/lib/x86_64-linux-gnu"
ln -sf /lib64/ld-linux-x86-64.so.2 "$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
echo "$stamp" >"$top/stamp"
say "strace-suite: $root ($(du -sh "$root" | cut -f1); $n test programs, $(wc -l <"$g/lists/all") tests, $(wc -l <"$g/lists/jobctl") in the jobctl part)"
