# Ptrace job control series: apply, build, boot, test. Thin wrapper: the work is in tools/.
# `make` runs the loop for KERNEL (default: the patched kernel); `make check` is what CI runs.
# See README.md and Documentation/workflow.md. `make help` lists targets and variables.

#> make [TARGET...] [VAR=value...]   (README.md; Documentation/workflow.md for the details)
#>
#> Variables (tools/ read the same names from the environment):
#>   BUILD=build          build area: trees, ccache, guest images, logs
BUILD        ?= $(CURDIR)/build
#>   KERNEL=patched       patched | vanilla | mutant-NAME (kernel/mutants/) | linux (make tree's build/linux)
KERNEL       ?= patched
#>   SERIES=none          the same as KERNEL=vanilla
SERIES       ?=
ifeq ($(SERIES),none)
override KERNEL := vanilla
endif
#>   KASAN=1              KASAN build in its own O= dir (.out-kasan)
KASAN        ?= 0
#>   ACCEL=tcg            tcg | kvm | auto (30 s KVM probe, else TCG)
ACCEL        ?= tcg
#>   BOOT_TIMEOUT=900     seconds for the whole guest run
BOOT_TIMEOUT ?= 900
#>   STEPS=kselftest      guest steps, comma separated (tools/guest/steps/)
STEPS        ?= kselftest
#>   APPEND=              extra kernel command line
APPEND       ?=
#>   GUEST_BINS=          extra static binaries for the guest's /ptj/bin
GUEST_BINS   ?=
#>   ARCH=x86_64          x86_64 | arm64 | sparc64: cross-built kernel and tests, QEMU TCG guest
ARCH         ?= x86_64
#>   SMP=                 guest vCPUs (default 2; sparc64: 1, all QEMU's sun4u takes); the
#>                        verdict wants that many online
SMP          ?=
#>   JOBS=nproc           make -j of the kernel builds
JOBS         ?= $(shell nproc)
#>   V=1                  show the commands' output instead of logging it
V            ?= 0
# Steps of `make check`, in order. Later work adds its own check-* targets here.
#>   CHECK_TARGETS=...    the steps of make check, in order
CHECK_TARGETS ?= check-deps check-verdict check-static check-export check-docs check-manpage check-bisect test test-stress test-strace check-sparse test-kasan test-arm64 test-sparc64 test-sparc64-arch-stop check-fresh

export ARCH BUILD KERNEL KASAN ACCEL BOOT_TIMEOUT STEPS APPEND GUEST_BINS SMP JOBS V

T := $(CURDIR)/tools
.NOTPARALLEL:
.DEFAULT_GOAL := test

.PHONY: test test-kasan test-arm64 test-sparc64 test-sparc64-arch-stop test-stress test-strace stress-long proof bench all deps base trees kernel kselftest initramfs boot verdict tree export \
	check check-deps check-verdict check-static check-apply check-checkpatch check-bisect \
	check-sparse check-docs check-manpage check-export check-fresh clean distclean help

#>
#> Targets:
#>   test (default)      the loop for KERNEL: build, boot, kselftests, verdict
all test:            ; @$(T)/run
#>   test-kasan          the loop on a KASAN build
test-kasan:          ; @KASAN=1 $(T)/run
#>   test-arm64          the loop on arm64 (cross-built, QEMU virt, 2 vCPUs)
test-arm64:          ; @ARCH=arm64 $(T)/run
#>   test-sparc64        the loop on sparc64 (+ kernel/base-fixups/sparc64; QEMU sun4u, 1 CPU)
test-sparc64:        ; @ARCH=sparc64 $(T)/run
# sparc64 is the one architecture with a real arch_ptrace_stop(): the arch-stop variant forces
# ptrace_stop() through it (siglock dropped, user register windows flushed) before every stop;
# the kselftests and a minute of the stress test race SIGKILL, SIGCONT, detach and
# PTRACE_JOBCTL_CONT into that window.
#>   test-sparc64-arch-stop  sparc64, every stop through arch_ptrace_stop(): kselftests + stress
test-sparc64-arch-stop: ; @ARCH=sparc64 KERNEL=mutant-series-arch-stop-always STEPS=kselftest,stress APPEND="ptj.stress_secs=60 ptj.stress_seed=$(or $(STRESS_SEED),$(CHECK_STRESS_SEED)) $(APPEND)" $(T)/run
# The series' randomised stress test in the patched guest: about a minute in make check, with
# a fixed seed (CHECK_STRESS_SEED) so that CI is reproducible; stress-long runs STRESS_SECS
# (default 1200) with a fresh seed each time. STRESS_SEED replays a run (either target).
STRESS_SECS  ?= 1200
STRESS_SEED  ?=
CHECK_STRESS_SEED ?= 21
#>   test-stress         a minute of jobctl_stress in the patched guest
test-stress:         ; @STEPS=stress APPEND="ptj.stress_secs=60 ptj.stress_seed=$(or $(STRESS_SEED),$(CHECK_STRESS_SEED)) $(APPEND)" $(T)/run
#>   stress-long         STRESS_SECS (1200) of jobctl_stress; STRESS_SEED=N replays a run of
#>                       either (make check's seed: CHECK_STRESS_SEED=21)
stress-long:         ; @STEPS=stress BOOT_TIMEOUT=$$(($(STRESS_SECS) + 600)) APPEND="ptj.stress_secs=$(STRESS_SECS) $(if $(STRESS_SEED),ptj.stress_seed=$(STRESS_SEED)) $(APPEND)" $(T)/run
# strace decodes PTRACE_JOBCTL_CONT (patches/strace/): a static strace from Debian 12's source +
# the patch (tools/build-strace, which also runs strace's ptrace decoding tests on the host), run
# by the guest step strace on the series' selftests in the patched guest. STRACE_BIN=path: that
# strace instead (e.g. build/strace-unpatched/strace of tools/build-strace --unpatched).
STRACE_BIN   ?=
#>   test-strace         the patched strace decodes PTRACE_JOBCTL_CONT in the guest
#>                       (STRACE_BIN=path: that strace instead of building one)
test-strace:         ; @PTJ_DEPS_QUIET=1 $(T)/deps && $(if $(STRACE_BIN),,$(T)/build-strace &&) STEPS=strace GUEST_BINS="$(abspath $(or $(STRACE_BIN),$(BUILD)/strace/strace)) $(GUEST_BINS)" $(T)/run
#>   deps, check-deps    install the Debian packages (root) or name them
deps check-deps:     ; @$(T)/deps
#>   base                extract and commit the base tree
base:                ; @$(T)/deps && $(T)/base
#>   trees               the test worktrees (patched, and KERNEL's)
trees: base          ; @$(T)/worktree patched && $(if $(filter patched linux,$(KERNEL)),true,$(T)/worktree $(KERNEL))
#>   kernel, kselftest, initramfs, boot, verdict   one stage of the loop
kernel: trees        ; @$(T)/build-kernel $(KERNEL)
kselftest: trees     ; @$(T)/build-kselftest $(if $(filter linux,$(KERNEL)),linux,patched)
initramfs:           ; @$(T)/mkinitramfs $(KERNEL) $(if $(filter linux,$(KERNEL)),linux,patched)
boot:                ; @$(T)/boot $(KERNEL)
verdict:             ; @bash -c '. $(T)/lib.sh && exec $(T)/verdict --arch $$ARCH --cpus $$PTJ_SMP "$$(log_dir $$KERNEL)/console.log"'

#>   tree                the developer tree build/linux (branch series)
tree:                ; @$(T)/deps && $(T)/base && $(T)/tree
#>   export              regenerate patches/ from build/linux
export:              ; @$(T)/export

#>   proof               the series' tests on vanilla and every mutant -> Documentation/proof.md
proof:               ; @PROOF_OUT=$(CURDIR)/Documentation/proof.md $(T)/proof
# PTRACE_JOBCTL_CONT benchmark: patched vs vanilla, alternated boots (BENCH_REPS=4, BENCH_SEED,
# BENCH_SCALE, BENCH_PLACE, BENCH_DOC=0); see Documentation/benchmark.md
#>   bench               PTRACE_JOBCTL_CONT vs PTRACE_LISTEN, patched vs vanilla (BENCH_REPS,
#>                       BENCH_SEED, BENCH_SCALE, BENCH_PLACE, BENCH_DOC=0: tools/bench/run)
bench:               ; @$(T)/bench/run

#>   check               what CI runs: CHECK_TARGETS in order
check:               ; @$(T)/check $(CHECK_TARGETS)
#>   check-verdict       the verdict's self-test
check-verdict:       ; @$(T)/test-verdict
#>   check-static        check-apply (git am on a fresh base) + check-checkpatch (--strict)
check-static: check-apply check-checkpatch
check-apply: base    ; @$(T)/check-apply
check-checkpatch: base ; @$(T)/check-checkpatch
#>   check-bisect        every patch builds; every kernel-changing one boots and passes its tests
check-bisect: base   ; @$(T)/check-bisect
#>   check-sparse        no new sparse warning in the touched objects
check-sparse: base   ; @$(T)/check-sparse
#>   check-docs          ptrace.rst renders; its example compiles as C and C++
check-docs: base     ; @$(T)/worktree patched && bash -c '. $(T)/lib.sh && exec $(T)/check-docs "$$(tree_dir patched)"'
#>   check-manpage       the ptrace(2) patch applies and renders
check-manpage:       ; @$(T)/check-manpage
#>   check-export        patches/ is its own re-export; get_maintainer
check-export: base   ; @$(T)/worktree patched && $(T)/check-export
# The README's first line + `make` in a fresh minbase Debian 12 root (mmdebstrap), from a clean
# clone of HEAD; the host's ccache and package cache (FRESH_CACHE) keep it to a few minutes.
#>   check-fresh         the README's commands in a fresh Debian 12 root
check-fresh:         ; @$(T)/check-fresh

#>   clean, distclean    remove logs and guest images / the whole build area
clean:               ; rm -rf $(BUILD)/logs $(BUILD)/guest
distclean:           ; rm -rf $(BUILD)

help:                ; @sed -n 's/^#> \{0,1\}//p' $(firstword $(MAKEFILE_LIST))
