#!/usr/bin/env bash
# tools/runner/run.sh: the loop for one kernel. `make`, `make test-*`, the proof, the benchmark
# and check-bisect all run it; see usage() for the options.

usage() {
	(
		. "$(dirname "$0")/../lib.sh"
		cat <<EOF
usage: tools/runner/run.sh [OPTION...]

Build one kernel, boot it under QEMU with the kselftests and guest steps, judge the console.
Stages: deps, base, test trees, kernel, kselftests, initramfs, boot, verdict.

  -k, --kernel NAME   $(ptj_default KERNEL) (default) | vanilla | mutant-NAME (kernel/mutants/NAME.patch)
                      | variant-NAME (kernel/variants/NAME.patch) | devtree (build/devtree,
                      as it is) | bisect (the check-bisect tree, as check-bisect left it)
  -a, --arch ARCH     x86_64 | arm64 | sparc64 (default $(ptj_default ARCH))
      --sanitizer S   kasan | kcsan: a KASAN or KCSAN build (own build dir, own logs)
  -s, --steps LIST    guest steps, comma separated (default $(ptj_default STEPS); tools/guest/steps/)
      --tests TREE    whose kselftests the guest runs (default: the patched tree's; devtree
                      and bisect: their own)
      --no-m32        leave out the 32-bit collections ptrace_32 and ptrace_compat
      --append ARGS   extra kernel command line
      --bin FILE      an extra static binary for the guest's /ptj/bin (repeatable)
      --overlay DIR   a directory tree copied onto the guest's root (repeatable; adds files,
                      never replaces one: tools/runner/mkinitramfs.sh)
      --accel A       tcg | kvm | auto (30 s KVM probe, else TCG; default $(ptj_default ACCEL));
                      x86_64 only
      --smp N         guest vCPUs (default 2; sparc64 1)
      --mem SIZE      guest memory (default $(ptj_default MEM))
      --timeout SECS  the whole guest run (default $(ptj_default BOOT_TIMEOUT))
      --build-only    stop before the boot
      --verdict-only  judge the last guest run of this kernel again
  -h, --help          this text

Results, in build/logs/<kernel>[-<arch>][-<sanitizer>]/: console.log, verdict.txt (the verdict's
text), results.tsv (test, status, reason). The last line is the verdict with the base version,
or a one-line cause with the log path. Exit 0 only if the verdict is PASS.
EOF
	)
}

# Options only: the settings of the environment do not count here; what no option sets gets
# its default from tools/lib.sh (PTJ_SETTINGS).
unset KERNEL ARCH SANITIZER STEPS ACCEL SMP MEM BOOT_TIMEOUT
APPEND= GUEST_BINS= GUEST_OVERLAYS=
testtree= mode=all m32=()
opts=$(getopt -o k:a:s:h -l kernel:,arch:,sanitizer:,steps:,tests:,no-m32,append:,bin:,overlay:,accel:,smp:,mem:,timeout:,build-only,verdict-only,help \
	-n run.sh -- "$@") || { usage >&2; exit 2; }
eval set -- "$opts"
while true; do
	case $1 in
	-k | --kernel) KERNEL=$2; shift 2 ;;
	-a | --arch) ARCH=$2; shift 2 ;;
	--sanitizer) SANITIZER=$2; shift 2 ;;
	-s | --steps) STEPS=$2; shift 2 ;;
	--tests) testtree=$2; shift 2 ;;
	--no-m32) m32=(--no-m32); shift ;;
	--append) APPEND="$APPEND $2"; shift 2 ;;
	--bin) GUEST_BINS="$GUEST_BINS $2"; shift 2 ;;
	--overlay) GUEST_OVERLAYS="$GUEST_OVERLAYS $(realpath "$2")"; shift 2 ;;
	--accel) ACCEL=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--timeout) BOOT_TIMEOUT=$2; shift 2 ;;
	--build-only) mode=build; shift ;;
	--verdict-only) mode=verdict; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	esac
done
[ $# -eq 0 ] || { usage >&2; exit 2; }
# The stages read these (tools/lib.sh, boot.sh, mkinitramfs.sh).
export KERNEL ARCH SANITIZER STEPS APPEND GUEST_BINS GUEST_OVERLAYS ACCEL SMP MEM BOOT_TIMEOUT
. "$(dirname "$0")/../lib.sh"
ptj_lock

R=$PTJ_TOP/tools/runner
# x86_64 keeps the plain verdict line; other architectures say where and on how many CPUs.
arch_note() {
	[ "$ARCH" = x86_64 ] && return 0
	printf ' (%s, %s CPU%s%s)' "$ARCH" "$PTJ_SMP" "$([ "$PTJ_SMP" = 1 ] || echo s)" \
		"$([ "$PTJ_SMP" -ge 2 ] || echo ": QEMU's $PTJ_QEMU_ARGS takes no more")"
}
# The patched tree names the series' functions, which decide whether a KCSAN report fails.
verdict() {
	local rc=0 series=()
	[ ! -e "$(tree_dir patched)/.git" ] || series=(--series-tree "$(tree_dir patched)")
	"$PTJ_TOP/tools/verdict/verdict.py" --arch "$ARCH" --cpus "$PTJ_SMP" --tsv "$(results_tsv "$KERNEL")" \
		"${series[@]}" "$(console_log "$KERNEL")" | tee "$(verdict_txt "$KERNEL")" || rc=$?
	return $rc
}

t0=$(date +%s)
case $KERNEL in
devtree | bisect) testtree=${testtree:-$KERNEL} ;;
patched | vanilla | mutant-* | variant-*) testtree=${testtree:-patched} ;;
*) die "unknown kernel '$KERNEL' (patched, vanilla, mutant-NAME, variant-NAME, devtree, bisect)" ;;
esac
if [ $mode != verdict ]; then
	"$R/deps.sh" --quiet
	"$R/base.sh"
	case $KERNEL in
	devtree) [ -d "$(tree_dir devtree)" ] || die "KERNEL=devtree but there is no developer tree: run 'make devtree' first" ;;
	bisect) [ -d "$(tree_dir bisect)" ] || die "no bisect tree: check-bisect makes it" ;;
	*)
		[ "$testtree" != patched ] || "$R/testtree.sh" patched
		[ "$KERNEL" = patched ] || "$R/testtree.sh" "$KERNEL"
		;;
	esac
	"$R/build-kernel.sh" "$KERNEL"
	"$R/build-kselftest.sh" "${m32[@]}" "$testtree"
	"$R/mkinitramfs.sh" "$KERNEL" "$testtree"
	if [ $mode = build ]; then
		say "built $(run_name "$KERNEL"): $(image_path "$KERNEL"), $(initramfs_path "$KERNEL")"
		exit 0
	fi
fi
log=$(console_log "$KERNEL")
brc=0
[ $mode = verdict ] || "$R/boot.sh" "$KERNEL" || brc=$?
vrc=0
verdict || vrc=$?
el=$(fmt_secs $(($(date +%s) - t0)))
if [ $brc -eq 3 ]; then
	die "guest run of $(run_name "$KERNEL") timed out: no end within BOOT_TIMEOUT=${BOOT_TIMEOUT}s (hang?); console: $log"
elif [ $brc -ne 0 ]; then
	die "guest run of $(run_name "$KERNEL") failed (see above); console: $log"
elif [ "$vrc" -ne 0 ]; then
	die "verdict for $(run_name "$KERNEL") on Linux $(base_version)$(arch_note): FAIL (after $el); console: $log"
fi
say "verdict for $(run_name "$KERNEL") on Linux $(base_version)$(arch_note): PASS (after $el)"
