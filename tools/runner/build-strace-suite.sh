#!/usr/bin/env bash
# tools/runner/build-strace-suite.sh [--part all|jobctl]: build strace's own test suite for the
# x86_64 guest, from the same source as tools/runner/build-strace.sh (Debian 12's strace 6.1-0.1
# + patches/strace/), and assemble it as an initramfs overlay: build/strace-suite/root/, which
# `tools/runner/run.sh --overlay` copies onto the guest's root and tools/guest/steps/strace-suite.sh runs.
#
#   1. The source: build/strace/dl (deb_source of tools/lib.sh downloads and verifies it if needed),
#      dpkg-source -x, patches/strace/*.patch, regenerated xlat headers; into build/strace-suite/src.
#   2. configure (the options of build-strace.sh, but dynamically linked: 1,200 static test
#      programs would not fit an initramfs), make -C src; the lists (below); then the test
#      programs with `make -C tests check TESTS=`, which builds them and runs none:
#        --part all (default, make strace-suite): every one (check_PROGRAMS);
#        --part jobctl (make test-strace-jobctl): only those the jobctl list runs, about 40 of
#          1,157 (a minute less warm, two cold): each test's own program, and every `../NAME`
#          that its script, or a script it sources besides init.sh, names. A `../$VAR` other than
#          `../$NAME`, a `../NAME` that is not a test program, or a call of init.sh's functions
#          that run programs from a list (test_pure_prog_set, test_prog_set, test_trace_expr,
#          test_pidns*) stops the build: the rule cannot tell what such a test runs.
#      Under the machine-wide build lock.
#   3. The overlay, root/:
#        /ptj/strace-suite/tests/   strace's tests/ source directory (scripts, .expected, .in,
#                                   .awk, ...) with the built test programs: an in-tree layout,
#                                   run with srcdir=. as tests/Makefile runs the tests
#        /ptj/strace-suite/src/     strace, strace-log-merge, config.h (read by tests/init.sh)
#        /ptj/strace-suite/bin/     the GNU tools the test scripts call (coreutils, sed, grep,
#                                   gawk, diff, cmp, find, xargs, unshare, dash): the guest's
#                                   busybox lacks options they use
#        /ptj/strace-suite/lists/   all (tests/Makefile's TESTS, in its order; --part all only)
#                                   and jobctl (the ptrace-stop/job-control/attach/detach part,
#                                   by the rule below)
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
# packages copied are unchanged; a jobctl part is up to date after --part all (a superset), and
# --part all after --part jobctl builds only the programs missing. Own lock: build/strace-suite/.lock. Logs:
# build/logs/strace-suite/{unpack,configure,build,root}.log.
. "$(dirname "$0")/../lib.sh"
[ "$ARCH" = x86_64 ] || die "build-strace-suite.sh: x86_64 only (the overlay is the host's glibc)"
part=all
case $# in
0) ;;
2) [ "$1" = --part ] && case $2 in all | jobctl) part=$2 ;; *) false ;; esac ;;
*) false ;;
esac || die "usage: build-strace-suite.sh [--part all|jobctl]"

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
# the build, the part, this script, the host packages copied into it). $top/programs says which
# test programs the build has: "all", or the jobctl part's names.
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
		echo "$bstamp part=$part"
		cat "$0"
		dpkg-query -W libc6 coreutils sed grep gawk diffutils findutils util-linux dash
	} | sha
)
if [ -f "$root/$suite/lists/$part" ] && [ "$(cat "$top/stamp" 2>/dev/null)" = "$stamp" ]; then
	say "strace-suite: up to date: $root ($(wc -l <"$root/$suite/lists/$part") tests of the $part list)"
	exit 0
fi
rm -f "$top/stamp"
rm -rf "$root"
if [ -x "$obj/src/strace" ] && [ "$(cat "$top/stamp-build" 2>/dev/null)" = "$bstamp" ]; then
	say "strace-suite: strace's build is up to date ($obj)"
else
	rm -f "$top/stamp-build" "$top/programs"

	# --- 1. source ------------------------------------------------------------------------------
	: >"$logs/unpack.log"
	rm -rf "$obj"
	strace_unpack "$src" "$logs/unpack.log" "${patches[@]}" >/dev/null

	# --- 2. configure, build strace (under the machine-wide build lock) ------------------------
	build_lock
	mkdir -p "$obj"
	: >"$logs/configure.log"
	configure() { (cd "$obj" && "$src/configure" "${opts[@]}" CC="ccache gcc"); }
	step "strace-suite: configure (${opts[*]})" run_logged "$logs/configure.log" configure ||
		die "strace configure failed" "$logs/configure.log"
	: >"$logs/build.log"
	step "strace-suite: make -C src" run_logged "$logs/build.log" make -C "$obj/src" -j"$JOBS" ||
		die "strace build failed" "$logs/build.log"
	exec 9>&-
	echo "$bstamp" >"$top/stamp-build"
fi

# --- the lists ----------------------------------------------------------------------------------
# mkvar VAR: the words of tests/Makefile's variable VAR, one a line.
mkvar() {
	make -s -C "$obj/tests" -f Makefile -f - ptj-print <<<"ptj-print:
	@printf '%s\\n' \$($1)" | grep .
}
lists=$top/lists
mkdir -p "$lists"
# all: tests/Makefile's TESTS (GEN_TESTS DECODER_TESTS MISC_TESTS ...), in its order.
mkvar TESTS >"$lists/all" || die "no TESTS in $obj/tests/Makefile"
# The jobctl part, by the rule of the header: the script, or its program's source.
while read -r t; do
	name=${t%.test}
	name=${name%.gen}
	if [[ $t != *.gen.test ]] && grep -qE -- "$script_re" "$src/tests/$t" &&
		! grep -q 'syntax\.sh' "$src/tests/$t"; then
		echo "$t"
	elif [ -f "$src/tests/$name.c" ] && grep -qE -- "$source_re" "$src/tests/$name.c"; then
		echo "$t"
	fi
done <"$lists/all" >"$lists/jobctl"
[ -s "$lists/jobctl" ] || die "strace-suite: the jobctl rule selects no test"

# The test programs the part runs: all of them, or for the jobctl list the rule of the header.
mkvar check_PROGRAMS >"$top/check_programs" || die "no check_PROGRAMS in $obj/tests/Makefile"
if [ "$part" = all ]; then
	progs=(all)
else
	declare -A isprog=()
	while read -r p; do isprog[$p]=1; done <"$top/check_programs"
	unsure() { die "strace-suite: the jobctl part's $1 runs $2: the rule of tools/runner/build-strace-suite.sh cannot tell which test programs that needs: extend the rule"; }
	declare -A want=()
	while read -r t; do
		name=${t%.test}
		name=${name%.gen}
		[ -z "${isprog[$name]:-}" ] || want[$name]=1
		scripts=("$src/tests/$t")
		while read -r sh; do
			[ "$sh" = init.sh ] || scripts+=("$src/tests/$sh")
		done < <(sed -nE 's/^[[:space:]]*\. "\$\{srcdir=\.\}\/([A-Za-z0-9_.-]+\.sh)".*/\1/p' "$src/tests/$t")
		for f in "${scripts[@]}"; do
			[ -f "$f" ] || unsure "$t" "a script that is not there (${f##*/})"
			fn=$(grep -oE '\b(test_pure_prog_set|test_prog_set|test_trace_expr|test_pidns[a-z_]*)\b' "$f" | head -n1 || true)
			[ -z "$fn" ] || unsure "$t" "init.sh's $fn"
			# shellcheck disable=SC2016 # $NAME, ${NAME}: the script's words, not ours
			while read -r ref; do
				case $ref in
				'$NAME' | '${NAME}') [ -n "${isprog[$name]:-}" ] || unsure "$t" "../$ref, not a test program" ;;
				'$'*) unsure "$t" "../$ref" ;;
				*) [ -n "${isprog[$ref]:-}" ] || unsure "$t" "../$ref, not a test program"
					want[$ref]=1 ;;
				esac
			done < <(grep -oE '\.\./[$A-Za-z0-9_{][A-Za-z0-9_.{}-]*' "$f" | cut -c4- || true)
		done
	done <"$lists/jobctl"
	mapfile -t progs < <(printf '%s\n' "${!want[@]}" | LC_ALL=C sort)
fi
have=$(cat "$top/programs" 2>/dev/null || true)
if [ "$have" = all ] || { [ "$part" = jobctl ] && [ "$have" = "${progs[*]}" ]; }; then
	say "strace-suite: the test programs are up to date ($have$([ "$have" = all ] || echo " (${#progs[@]})"))"
else
	rm -f "$top/programs"
	build_lock
	: >"$logs/build-tests.log"
	if [ "$part" = all ]; then
		step "strace-suite: every test program (make -C tests check TESTS=)" run_logged "$logs/build-tests.log" \
			make -C "$obj/tests" -j"$JOBS" check TESTS= ||
			die "strace's test programs failed to build" "$logs/build-tests.log"
	else
		step "strace-suite: the jobctl part's ${#progs[@]} test programs (make -C tests check TESTS= check_PROGRAMS=...)" \
			run_logged "$logs/build-tests.log" \
			make -C "$obj/tests" -j"$JOBS" check TESTS= check_PROGRAMS="${progs[*]}" ||
			die "strace's test programs failed to build" "$logs/build-tests.log"
	fi
	exec 9>&-
	echo "${progs[*]}" >"$top/programs"
fi
[ "$part" = all ] && mapfile -t progs <"$top/check_programs"

# --- 3. the overlay ---------------------------------------------------------------------------
: >"$logs/root.log"
g=$root$suite
mkdir -p "$g/src" "$g/bin" "$g/lists"
cp -a "$src/tests" "$g/tests"
# The part's test programs.
for p in "${progs[@]}"; do
	if ! [ -x "$obj/tests/$p" ] || ! head -c4 "$obj/tests/$p" | grep -q ELF; then
		die "strace-suite: test program $p was not built" "$logs/build-tests.log"
	fi
	install -m 0755 "$obj/tests/$p" "$g/tests/"
done
install -m 0755 "$obj/src/strace" "$g/src/strace"
install -m 0755 "$src/src/strace-log-merge" "$g/src/strace-log-merge"
install -m 0644 "$obj/src/config.h" "$g/src/config.h"
for t in "${tools[@]}"; do
	p=$(command -v "$t") || die "$t not found on the host (tools/runner/deps.sh)"
	install -m 0755 "$(realpath "$p")" "$g/bin/$t"
done
for p in "${coreutils[@]}"; do [ -e "$g/bin/${p##*/}" ] || install -m 0755 "$(realpath "$p")" "$g/bin/${p##*/}"; done
cp "$lists/jobctl" "$g/lists/jobctl"
[ "$part" = jobctl ] || cp "$lists/all" "$g/lists/all"
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
say "strace-suite: $root ($(du -sh "$root" | cut -f1); $([ "$part" = all ] && echo "the whole suite" || echo "the jobctl part"): ${#progs[@]} test programs, $(wc -l <"$g/lists/$part") tests; $(wc -l <"$lists/all") in the suite, $(wc -l <"$lists/jobctl") in the jobctl part)"
