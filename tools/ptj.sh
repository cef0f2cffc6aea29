#!/usr/bin/env bash
# tools/ptj.sh TARGET...: the project's one entry point; `make TARGET` runs it. Every target
# is declared here, once, with the help text `make help` prints. Variables are make-level
# overrides (`make KERNEL=vanilla`, or the environment); their defaults are PTJ_SETTINGS of
# tools/lib.sh. This script turns the loop's variables into the options of
# tools/runner/run.sh; the other scripts read theirs from the environment. Scripts call
# scripts, never make.
#
# Lines starting with "#>" are the help text (tools/ptj.sh help); in them "NAME=%" is the
# variable NAME and its default.
#
#> usage: make [TARGET...] [VARIABLE=value...]     (or tools/ptj.sh TARGET...)
#>
#> Variables of the loop (make, make test-*):
#>   KERNEL=%               the kernel the loop tests: patched | vanilla | mutant-NAME
#>                          (kernel/mutants/) | variant-NAME (kernel/variants/) | devtree
#>                          (make devtree's build/devtree, as it is)
#>   ARCH=%                 x86_64 | arm64 | sparc64: cross-built kernel and tests, QEMU TCG
#>   SANITIZER=%            kasan | kcsan: a KASAN or KCSAN build (kernel/config/kasan.config,
#>                          kcsan.config; own build dir)
#>   STEPS=%                guest steps, comma separated (tools/guest/steps/)
#>   APPEND=%               extra kernel command line
#>   GUEST_BINS=%           extra static binaries for the guest's /ptj/bin (space separated)
#>   ACCEL=%                tcg | kvm | auto (a 30 s KVM probe, else TCG); x86_64 only
#>   SMP=%                  guest vCPUs (default 2; sparc64: 1, all QEMU's sun4u takes); the
#>                          verdict wants that many online
#>   MEM=%                  guest memory
#>   BOOT_TIMEOUT=%         seconds for the whole guest run
#>   BUILD=build            build area: base and test trees, ccache, guest images, logs
#>   CCACHE_DIR=            the compiler cache (default: ccache's own, ~/.cache/ccache;
#>                          shared by every clone and build area)
#>   JOBS=%                 make -j of the kernel builds
#>   V=%                    1: show the commands' output instead of only logging it
#>
#> Variables of the other targets:
#>   CHECK_STEPS=...        the steps of make check, in order; default:
#>                          @CHECK_DEFAULT@
#>   LONG_STEPS=...         the steps of make check-long; default: @LONG_DEFAULT@
#>   BISECT_ARCH=%          check-bisect: the architecture of the per-patch kernels
#>   STRESS_SECS=%          stress-long's duration
#>   STRESS_SEED=%          replay a stress run (test-stress, test-kasan, test-kcsan, races and
#>                          make check use seed 21)
#>   RACES_SECS=%           races: the stress test's duration on each sanitizer kernel
#>   STRACE_BIN=%           test-strace: use that strace instead of building one
#>   STRACE_CHECK=%         test-strace: 0 skips strace's own ptrace tests on the host
#>   STRACE_SUITE_SHARDS=%  strace-suite: boots per kernel (STRACE_SUITE_APPEND: more
#>                          ptj.* parameters, e.g. ptj.strace_only=NAME,NAME for a rerun)
#>   STRACE_SUITE_VANILLA=% strace-suite: failures: vanilla runs only patched's failures
#>   STRACE_SUITE_EARLIER=% strace-suite: add up with the run of the recorded table (TEXT: what
#>                          that run was, e.g. "shard 1 on commit X")
#>   PROOF_KERNELS=%        proof: these kernels only (default: patched vanilla mutant-*
#>                          variant-*)
#>   BENCH_REPS=%           bench: boots per kernel, alternated ABBA
#>   BENCH_SEED=%           bench: seed of the in-guest variant order
#>   BENCH_SCALE=%          bench: iteration count factor
#>   BENCH_PLACE=%          bench: CPU placements of the tracer/tracee pairs
#>   BENCH_KERNELS=%        bench: the kernel with the series first, then the
#>                          baseline (variant-layout-pad: the layout-matched control)
#>   BENCH_BOOT_TIMEOUT=%   bench: seconds per guest run
#>   BENCH_DOC=%            bench: 0 leaves Documentation/benchmark.md alone
#>   FORMAT_PATCH_OPTS=%    export: extra git format-patch options
#>   SPARSE_OBJS=%          check-sparse: these objects (default: those the series touches)
#>   SPARSE_FATAL=%         check-sparse: 0 only prints new warnings
#>   CHECK_DOCS_SPHINX=%    check-docs: 0 skips the Sphinx build
#>   MANPAGE_GZ=%           check-manpage: another ptrace.2.gz than manpages-dev's
#>   MODEL_MUTANTS=%        check-model: 0 runs the model of v6 only, not its mutants
#>                          (check-fresh's root: SPIN installs and runs)
#>   FRESH_CHECKS=%         check-fresh: the make check steps it also runs in the root
#>   FRESH_CACHE=%          check-fresh: package cache
#>   FRESH_MIRROR=%         check-fresh: mmdebstrap mirror arguments (default: the host's
#>                          bookworm sources)
#>   FRESH_MIN_HITRATE=%    check-fresh: the inner kernel build's minimal ccache hit rate, %
#>   FRESH_TIMEOUT=%        check-fresh: seconds for the inner make
#>   FRESH_KEEP=%           check-fresh: 1 keeps the fresh root after a pass
#>
#> Targets:
CHECK_DEFAULT="check-deps check-verdict check-static check-export check-docs check-model check-manpage
	check-long-record test test-stress test-strace test-strace-jobctl check-sparse test-arm64 test-sparc64
	test-sparc64-arch-stop check-fresh"
LONG_DEFAULT="check-bisect test-kasan test-kcsan"
ALL_TARGETS=()
# target NAME: declares NAME; its help is the "#>" text above, its work the function t_NAME.
target() { ALL_TARGETS+=("$1"); }

set -euo pipefail
# The variables of a `make VAR=value` command line reach this script through the environment;
# make also puts them into MAKEFLAGS, from where they would override the kernel's and the
# kselftests' own variables (the kselftests' BUILD, for one) in every make the scripts run.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL
T=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$T")

. "$T/lib.sh"
CHECK_STRESS_SEED=21

# run [OPTION...]: the runner with the make-level variables, then OPTIONs (which win); the
# make-level APPEND goes last, so that it can override what a target appends.
run() {
	local o=(--kernel "$KERNEL" --arch "$ARCH" --steps "$STEPS" --accel "$ACCEL"
		--timeout "$BOOT_TIMEOUT") b
	[ -z "$SANITIZER" ] || o+=(--sanitizer "$SANITIZER")
	[ -z "$SMP" ] || o+=(--smp "$SMP")
	[ -z "$MEM" ] || o+=(--mem "$MEM")
	for b in $GUEST_BINS; do o+=(--bin "$b"); done
	o+=("$@")
	[ -z "$APPEND" ] || o+=(--append "$APPEND")
	"$T/runner/run.sh" "${o[@]}"
}
stress_seed() { echo "${STRESS_SEED:-$CHECK_STRESS_SEED}"; }
# The base tree, for the checks that read the test trees.
prep() { "$T/runner/deps.sh" --quiet && "$T/runner/base.sh"; }

#>   test (default)         the loop for KERNEL: build, boot, kselftests, verdict
target test
t_test() { run; }
#>   build                  the loop without the boot: trees, kernel, kselftests, initramfs
target build
t_build() { run --build-only; }
#>   verdict                judge the last guest run of KERNEL again
target verdict
t_verdict() { run --verdict-only; }
# sanitized KIND [OPTION...]: the kselftests, then SECS (default 60) of the stress test, on a
# KIND (kasan, kcsan) build of KERNEL.
sanitized() {
	local kind=$1 secs=${2:-60}
	run --sanitizer "$kind" --steps kselftest,stress --timeout $((BOOT_TIMEOUT + 2 * secs)) \
		--append "ptj.stress_secs=$secs ptj.stress_seed=$(stress_seed)"
}
#>   test-kasan             the loop on a KASAN build, then a minute of stress
target test-kasan
t_test-kasan() { sanitized kasan; }
#>   test-kcsan             the loop on a KCSAN build, then a minute of stress; a data race
#>                          whose stacks name a function the series touches fails it
target test-kcsan
t_test-kcsan() { sanitized kcsan; }
#>   races                  KCSAN and KASAN builds of patched and vanilla, each running the
#>                          kselftests and RACES_SECS of stress: every report, with its
#>                          vanilla counterpart, into Documentation/races.md
target races
t_races() {
	local s=$SECONDS san k runs=() commit
	commit=$(git -C "$TOP" rev-parse --short HEAD)
	for san in kcsan kasan; do
		for k in patched vanilla; do
			# vanilla fails the series' tests by design: races.py judges every run itself
			KERNEL=$k sanitized "$san" "$RACES_SECS" || true
			runs+=("$san:$k:$(SANITIZER=$san && log_dir "$k")")
		done
	done
	"$T/verdict/races.py" --series-tree "$(tree_dir patched)" \
		--out "$TOP/Documentation/races.md" --meta "commit=$commit" \
		--meta "date=$(date -u +%Y-%m-%d)" --meta "duration=$(((SECONDS - s) / 60)) min" \
		--meta "stress=${RACES_SECS} s, seed $(stress_seed), after the kselftests" "${runs[@]}"
}
#>   test-arm64             the loop on arm64 (cross-built, QEMU virt, 2 vCPUs)
target test-arm64
t_test-arm64() { run --arch arm64; }
#>   test-sparc64           the loop on sparc64 (+ kernel/base-fixups/sparc64; QEMU sun4u, 1 CPU)
target test-sparc64
t_test-sparc64() { run --arch sparc64; }
#>   test-sparc64-arch-stop sparc64 with every stop through arch_ptrace_stop() (the variant
#>                          kernel/variants/arch-stop-always.patch): kselftests + a minute of
#>                          stress racing SIGKILL, SIGCONT, detach and JOBCTL_CONT into it
target test-sparc64-arch-stop
t_test-sparc64-arch-stop() {
	run --arch sparc64 --kernel variant-arch-stop-always --steps kselftest,stress \
		--append "ptj.stress_secs=60 ptj.stress_seed=$(stress_seed)"
}
#>   test-stress            a minute of jobctl_stress (tools/tests/) in the patched guest
target test-stress
t_test-stress() { run --steps stress --append "ptj.stress_secs=60 ptj.stress_seed=$(stress_seed)"; }
#>   stress-long            STRESS_SECS of jobctl_stress; STRESS_SEED=N replays a run
target stress-long
t_stress-long() {
	run --steps stress --timeout $((STRESS_SECS + 600)) \
		--append "ptj.stress_secs=$STRESS_SECS ${STRESS_SEED:+ptj.stress_seed=$STRESS_SEED}"
}
#>   test-strace            strace + patches/strace/ decodes PTRACE_JOBCTL_CONT in the guest
target test-strace
t_test-strace() {
	local bin=$STRACE_BIN
	if [ -z "$bin" ]; then
		"$T/runner/deps.sh" --quiet
		"$T/runner/build-strace.sh"
		bin=$(strace_bin)
	fi
	run --steps strace --bin "$(realpath "$bin")"
}
#>   test-strace-jobctl     the ptrace-stop/job-control/attach/detach part of strace's own
#>                          test suite (selected by a rule: tools/runner/build-strace-suite.sh)
#>                          in the patched guest
target test-strace-jobctl
t_test-strace-jobctl() {
	"$T/runner/deps.sh" --quiet
	"$T/runner/build-strace-suite.sh" --part jobctl
	run --steps strace-suite --overlay "$BUILD/strace-suite/root" --mem 2G \
		--append ptj.strace_list=jobctl
}
#>   strace-suite           strace's whole test suite on patched and vanilla (hours in TCG):
#>                          the comparison into Documentation/strace-suite.md
target strace-suite
t_strace-suite() { "$T/runner/strace-suite.sh"; }

#>   deps                   install the Debian packages (as root) or name them
target deps
t_deps() { "$T/runner/deps.sh"; }
#>   devtree                the developer tree build/devtree: branch series = base + patches/
target devtree
t_devtree() { prep && "$T/series/devtree.sh"; }
#>   export                 regenerate patches/ from build/devtree
target export
t_export() { "$T/series/export.sh"; }
#>   proof                  the series' tests on vanilla, every mutant and every variant:
#>                          the test x kernel table, into Documentation/proof.md (x86_64;
#>                          other ARCH: build/proof/proof-ARCH.md)
target proof
t_proof() {
	local out=$TOP/Documentation/proof.md
	[ "$ARCH" = x86_64 ] || out=$BUILD/proof/proof-$ARCH.md
	"$T/proof/proof.sh" --out "$out" ${PROOF_KERNELS:+--kernels "$PROOF_KERNELS"}
}
#>   bench                  PTRACE_JOBCTL_CONT vs PTRACE_LISTEN, patched vs vanilla, alternated
#>                          boots, into Documentation/benchmark.md (BENCH_*)
target bench
t_bench() { "$T/bench/bench.sh"; }

#>   check                  what CI runs: the CHECK_STEPS in order, with their time and a total
target check
t_check() { "$T/checks/check.sh" ${CHECK_STEPS:-$CHECK_DEFAULT}; }
#>   check-long             the LONG_STEPS (every patch built and booted, KASAN), which
#>                          make check leaves out; records them in Documentation/long-checks.md
target check-long
t_check-long() { prep && "$T/checks/long.sh" record ${LONG_STEPS:-$LONG_DEFAULT}; }
#>   check-long-record      Documentation/long-checks.md is the record of this very series,
#>                          config and test programs (make check-long writes it)
target check-long-record
t_check-long-record() { prep && "$T/checks/long.sh" verify; }
#>   check-deps             the Debian packages are there (installs them as root)
target check-deps
t_check-deps() { t_deps; }
#>   check-verdict          the verdict's and the strace-suite report's own tests on crafted
#>                          console logs
target check-verdict
t_check-verdict() { "$T/checks/verdict.sh"; }
#>   check-static           check-apply + check-checkpatch
target check-static
t_check-static() { t_check-apply && t_check-checkpatch; }
#>   check-apply            the series applies with git am to a fresh base
target check-apply
t_check-apply() { prep && "$T/checks/apply.sh"; }
#>   check-checkpatch       checkpatch.pl --strict, waivers in kernel/checkpatch-waivers
target check-checkpatch
t_check-checkpatch() { prep && "$T/checks/checkpatch.sh"; }
#>   check-export           patches/ is its own re-export; get_maintainer.pl reaches the
#>                          ptrace maintainers
target check-export
t_check-export() { prep && "$T/checks/export.sh"; }
#>   check-docs             ptrace.rst renders; its example compiles as C and C++
target check-docs
t_check-docs() { prep && "$T/checks/docs.sh"; }
#>   check-model            the Promela model of job control notification (tools/model/):
#>                          SPIN proves its properties on v6 and finds a counterexample for
#>                          every kernel mutant's switch; its citations are in the patched tree
target check-model
t_check-model() { prep && "$T/model/model.sh"; }
#>   model-long             check-model with wider bounds (5 requests, 2 SIGSTOP, 2 SIGCONT),
#>                          into build/model-long/
target model-long
t_model-long() { prep && "$T/model/model.sh" --long; }
#>   check-manpage          the ptrace(2) patch applies and renders
target check-manpage
t_check-manpage() { "$T/checks/manpage.sh"; }
#>   check-bisect           every patch builds; every kernel-changing one boots and passes
#>                          the kselftests of its commit
target check-bisect
t_check-bisect() { prep && ARCH=$BISECT_ARCH "$T/checks/bisect.sh"; }
#>   check-sparse           no new sparse warning in the objects the series touches
target check-sparse
t_check-sparse() { prep && "$T/checks/sparse.sh"; }
#>   check-fresh            the README's two commands in a fresh minimal Debian 12 root
target check-fresh
t_check-fresh() { "$T/checks/fresh.sh"; }

#>   clean                  remove logs and guest images
target clean
t_clean() { rm -rf "$BUILD/logs" "$BUILD/guest"; }
#>   distclean              remove the whole build area
target distclean
t_distclean() { rm -rf "$BUILD"; }
#>   help                   this text
target help
t_help() {
	local line steps
	steps=$(echo $CHECK_DEFAULT | fold -s -w 64 | sed -e 's/ *$//' -e '2,$s/^/                         /')
	while IFS= read -r line; do
		[[ $line == '#>'* ]] || continue
		line=${line#'#>'}
		line=${line# }
		line=${line/@LONG_DEFAULT@/$LONG_DEFAULT}
		# "NAME=%  text": NAME=its default, the text at column 26 (on the next line if longer)
		if [[ $line =~ ^\ \ ([A-Z][A-Z_0-9]*)=%\ +(.*)$ ]]; then
			local nv
			nv="${BASH_REMATCH[1]}=$(ptj_default "${BASH_REMATCH[1]}")"
			[ ${#nv} -lt 23 ] || { echo "  $nv"; nv=; }
			printf '  %-22s %s\n' "$nv" "${BASH_REMATCH[2]}"
			continue
		fi
		echo "${line/@CHECK_DEFAULT@/$steps}"
	done <"${BASH_SOURCE[0]}"
}

case ${1:-} in
--targets) echo "${ALL_TARGETS[*]}"; exit 0 ;;
-h | --help | "") t_help; exit 0 ;;
esac
for t in "$@"; do
	[[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { t_help >&2; echo "[ptj] FAILED: no target '$t'" >&2; exit 2; }
done
export KERNEL ARCH SANITIZER
for t in "$@"; do
	"t_$t"
done
