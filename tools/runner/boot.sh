#!/usr/bin/env bash
# tools/runner/boot.sh KERNEL: boot the kernel image of KERNEL with its initramfs (image_path,
# initramfs_path of tools/lib.sh) under QEMU, no disk; the serial console goes to console_log.
# Settings from tools/runner/run.sh (its options; defaults: PTJ_SETTINGS of tools/lib.sh):
#   ARCH          x86_64 | arm64 (-M virt -cpu cortex-a57) | sparc64 (-M sun4u, 1 CPU)
#   ACCEL         tcg | kvm | auto (bounded KVM probe boot, falls back to TCG); x86_64 only
#   BOOT_TIMEOUT  seconds for the whole guest run
#   STEPS         guest steps, comma separated: ptj.steps=
#   APPEND        extra kernel command line
#   SMP, MEM      vCPUs (PTJ_SMP of the architecture table) and memory
# Exit: 0 if QEMU ended by itself (the verdict decides about the content), 3 on timeout,
# 1 on other errors.
. "$(dirname "$0")/../lib.sh"

kernel=${1:?usage: boot.sh KERNEL}
SMP=$PTJ_SMP
rname=$(run_name "$kernel")
bz=$(image_path "$kernel")
initrd=$(initramfs_path "$kernel")
ldir=$(log_dir "$kernel")
log=$(console_log "$kernel")
[ -f "$bz" ] || die "no kernel image $bz"
[ -f "$initrd" ] || die "no initramfs $initrd"
command -v "$PTJ_QEMU" >/dev/null || die "$PTJ_QEMU missing (ARCH=$ARCH: apt-get install ${PTJ_ARCH_PKGS:-qemu-system-x86})"
[ "$SMP" -le "$PTJ_MAX_SMP" ] || die "SMP=$SMP: QEMU's $ARCH machine ($PTJ_QEMU_ARGS) takes at most $PTJ_MAX_SMP CPU(s)"
[ "$ARCH" = x86_64 ] || [ "$ACCEL" = tcg ] || die "ACCEL=$ACCEL: ARCH=$ARCH runs under TCG only"
mkdir -p "$ldir"

# qemu ACCEL TIMEOUT LOG STEPS
qemu() {
	local accel=$1 tmo=$2 clog=$3 steps=$4 cpu=()
	[ "$accel" = kvm ] && cpu=(-cpu host)
	: >"$clog"
	# shellcheck disable=SC2086
	timeout -k 10 "$tmo" "$PTJ_QEMU" $PTJ_QEMU_ARGS -accel "$accel" "${cpu[@]}" -smp "$SMP" -m "$MEM" \
		-nographic -no-reboot -nic none -monitor none -serial "file:$clog" \
		-kernel "$bz" -initrd "$initrd" \
		-append "console=$PTJ_CONSOLE panic=-1 ptj.steps=$steps ${APPEND:-}" </dev/null
}

if [ "$ACCEL" = auto ]; then
	ACCEL=tcg
	if [ -w /dev/kvm ]; then
		probe=$ldir/kvm-probe.log
		say "ACCEL=auto: probing KVM with a 30 s boot (log: $probe)"
		if qemu kvm 30 "$probe" none >"$ldir/qemu.log" 2>&1 && grep -q 'PTJ: guest done' "$probe"; then
			ACCEL=kvm
		fi
	fi
	say "ACCEL=auto: using $ACCEL"
fi
case $ACCEL in tcg | kvm) ;; *) die "ACCEL must be tcg, kvm or auto, not '$ACCEL'" ;; esac

cmd="$PTJ_QEMU${PTJ_QEMU_ARGS:+ $PTJ_QEMU_ARGS} -accel $ACCEL -smp $SMP -m $MEM ... ptj.steps=$STEPS"
say "booting $rname ($cmd), timeout ${BOOT_TIMEOUT}s; console: $log"
t0=$(date +%s)
rc=0
qemu "$ACCEL" "$BOOT_TIMEOUT" "$log" "$STEPS" >"$ldir/qemu.log" 2>&1 &
qpid=$!
# Progress: guest markers and top-level test results as they come.
tail -n +1 -F "$log" --pid=$qpid 2>/dev/null |
	grep --line-buffered -aE '^(PTJ: (step|cpus|guest done)|ok |not ok )' | sed -u 's/^/[guest] /' &
tpid=$!
wait $qpid || rc=$?
wait $tpid 2>/dev/null || true
el=$(fmt_secs $(($(date +%s) - t0)))
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	(die "guest ($rname) did not finish within BOOT_TIMEOUT=${BOOT_TIMEOUT}s (hang?)" "$log") || true
	exit 3
elif [ $rc -ne 0 ]; then
	die "qemu exited with rc=$rc after $el" "$ldir/qemu.log"
fi
echo $(($(date +%s) - t0)) >"$ldir/guest-seconds"
say "guest run of $rname ended after $el"
