# Ptrace job control series: apply, build, boot, test. Thin wrapper: the work is in tools/.
# `make` runs the loop for KERNEL (default: the patched kernel); `make check` is what CI runs.
# See README.md and Documentation/workflow.md. `make help` lists targets and variables.

BUILD        ?= $(CURDIR)/build
KERNEL       ?= patched
SERIES       ?=
ifeq ($(SERIES),none)
override KERNEL := vanilla
endif
KASAN        ?= 0
ACCEL        ?= tcg
BOOT_TIMEOUT ?= 900
STEPS        ?= kselftest
APPEND       ?=
GUEST_BINS   ?=
SMP          ?= 2
JOBS         ?= $(shell nproc)
V            ?= 0
# Steps of `make check`, in order. Later work adds its own check-* targets here.
CHECK_TARGETS ?= check-deps check-verdict check-static check-export check-docs check-manpage check-bisect test test-stress test-strace check-sparse test-kasan check-fresh

export BUILD KERNEL KASAN ACCEL BOOT_TIMEOUT STEPS APPEND GUEST_BINS SMP JOBS V

T := $(CURDIR)/tools
.NOTPARALLEL:
.DEFAULT_GOAL := test

.PHONY: test test-kasan test-stress test-strace stress-long proof bench all deps base trees kernel kselftest initramfs boot verdict tree export \
	check check-deps check-verdict check-static check-apply check-checkpatch check-bisect \
	check-sparse check-docs check-manpage check-export check-fresh clean distclean help

all test:            ; @$(T)/run
test-kasan:          ; @KASAN=1 $(T)/run
# The series' randomised stress test in the patched guest: about a minute in make check, with
# a fixed seed (CHECK_STRESS_SEED) so that CI is reproducible; stress-long runs STRESS_SECS
# (default 1200) with a fresh seed each time. STRESS_SEED replays a run (either target).
STRESS_SECS  ?= 1200
STRESS_SEED  ?=
CHECK_STRESS_SEED ?= 21
test-stress:         ; @STEPS=stress APPEND="ptj.stress_secs=60 ptj.stress_seed=$(or $(STRESS_SEED),$(CHECK_STRESS_SEED)) $(APPEND)" $(T)/run
stress-long:         ; @STEPS=stress BOOT_TIMEOUT=$$(($(STRESS_SECS) + 600)) APPEND="ptj.stress_secs=$(STRESS_SECS) $(if $(STRESS_SEED),ptj.stress_seed=$(STRESS_SEED)) $(APPEND)" $(T)/run
# strace decodes PTRACE_JOBCTL_CONT (patches/strace/): a static strace from Debian 12's source +
# the patch (tools/build-strace, which also runs strace's ptrace decoding tests on the host), run
# by the guest step strace on the series' selftests in the patched guest. STRACE_BIN=path: that
# strace instead (e.g. build/strace-unpatched/strace of tools/build-strace --unpatched).
STRACE_BIN   ?=
test-strace:         ; @PTJ_DEPS_QUIET=1 $(T)/deps && $(if $(STRACE_BIN),,$(T)/build-strace &&) STEPS=strace GUEST_BINS="$(abspath $(or $(STRACE_BIN),$(BUILD)/strace/strace)) $(GUEST_BINS)" $(T)/run
deps check-deps:     ; @$(T)/deps
base:                ; @$(T)/deps && $(T)/base
trees: base          ; @$(T)/worktree patched && $(if $(filter patched linux,$(KERNEL)),true,$(T)/worktree $(KERNEL))
kernel: trees        ; @$(T)/build-kernel $(KERNEL)
kselftest: trees     ; @$(T)/build-kselftest $(if $(filter linux,$(KERNEL)),linux,patched)
initramfs:           ; @$(T)/mkinitramfs $(KERNEL) $(if $(filter linux,$(KERNEL)),linux,patched)
boot:                ; @$(T)/boot $(KERNEL)
verdict:             ; @$(T)/verdict --cpus $(SMP) $(BUILD)/logs/$(KERNEL)$(if $(filter 1,$(KASAN)),-kasan)/console.log

tree:                ; @$(T)/deps && $(T)/base && $(T)/tree
export:              ; @$(T)/export

proof:               ; @PROOF_OUT=$(CURDIR)/Documentation/proof.md $(T)/proof
# PTRACE_JOBCTL_CONT benchmark: patched vs vanilla, alternated boots (BENCH_REPS=4, BENCH_SEED,
# BENCH_SCALE, BENCH_PLACE, BENCH_DOC=0); see Documentation/benchmark.md
bench:               ; @$(T)/bench/run

check:               ; @$(T)/check $(CHECK_TARGETS)
check-verdict:       ; @$(T)/test-verdict
check-static: check-apply check-checkpatch
check-apply: base    ; @$(T)/check-apply
check-checkpatch: base ; @$(T)/check-checkpatch
check-bisect: base   ; @$(T)/check-bisect
check-sparse: base   ; @$(T)/check-sparse
check-docs: base     ; @$(T)/worktree patched && bash -c '. $(T)/lib.sh && exec $(T)/check-docs "$$(tree_dir patched)"'
check-manpage:       ; @$(T)/check-manpage
check-export: base   ; @$(T)/worktree patched && $(T)/check-export
# The README's first line + `make` in a fresh minbase Debian 12 root (mmdebstrap), from a clean
# clone of HEAD; the host's ccache and package cache (FRESH_CACHE) keep it to a few minutes.
check-fresh:         ; @$(T)/check-fresh

clean:               ; rm -rf $(BUILD)/logs $(BUILD)/guest
distclean:           ; rm -rf $(BUILD)

help:
	@sed -n '/^## /s/^## //p' $(T)/../Documentation/workflow.md 2>/dev/null || true
	@echo "targets: test (default) test-kasan test-stress test-strace stress-long proof bench check tree export kernel kselftest initramfs boot verdict"
	@echo "         check-static check-apply check-checkpatch check-bisect check-sparse check-verdict check-fresh clean distclean"
	@echo "variables: KERNEL=patched|vanilla|mutant-NAME|linux SERIES=none KASAN=1 ACCEL=tcg|kvm|auto"
	@echo "           BOOT_TIMEOUT=900 STEPS=kselftest APPEND= GUEST_BINS= SMP=2 JOBS=n V=1 BUILD=dir"
	@echo "           CHECK_TARGETS='$(CHECK_TARGETS)'"
