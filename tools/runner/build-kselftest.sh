#!/usr/bin/env bash
# tools/runner/build-kselftest.sh [--no-m32] [TREE]: build and install the ptrace kselftests of TREE (default:
# patched; the tests are part of the series, so every kernel runs the patched tree's tests)
# with the kernel's own framework, statically linked (the guest has no libc), into
# build/guest/kselftest-TREE (kselftest-TREE-<arch> for ARCH=arm64|sparc64: cross-built).
# On x86_64 the same install also gets, as two more collections:
#   ptrace_32      the ptrace kselftests built with -m32: 32-bit tracers of 32-bit tracees,
#                  whose requests go through compat_ptrace_request() (the test kernel has
#                  CONFIG_IA32_EMULATION and CONFIG_COMPAT_32BIT_TIME);
#   ptrace_compat  tools/tests/jobctl_compat.c: a 64-bit tracer of a 32-bit tracee
#                  (jobctl_compat_32, the same source built with -m32).
# --no-m32 leaves the two 32-bit collections out. tools/tests/jobctl_stress.c (the project's
# stress test, not part of the series) goes into the install's ptrace/ dir, outside
# kselftest-list.txt, for the guest steps stress and strace.
. "$(dirname "$0")/../lib.sh"

m32=1
if [ "${1:-}" = --no-m32 ]; then m32=0; shift; fi
tree=${1:-patched}
src=$(tree_dir "$tree")
out=$(out_dir "$tree")
inst=$(kselftest_dir "$tree")
log=$(log_dir "$tree")/kselftest.log
mkdir -p "$(dirname "$log")"
: >"$log"

# uapi headers of the same tree (the tests use the series' new constants).
[ -f "$out/.config" ] || "$PTJ_TOP/tools/runner/build-kernel.sh" --config-only "$tree"
run_logged "$log" kmake_tree "$tree" headers ||
	die "make headers in $tree failed" "$log"

build() {
	rm -rf "$inst"
	env LDFLAGS=-static make -C "$src/tools/testing/selftests" O="$out" ARCH="$ARCH" \
		${PTJ_CROSS:+CROSS_COMPILE=$PTJ_CROSS} TARGETS=ptrace KHDR_INCLUDES="-isystem $out/usr/include" \
		INSTALL_PATH="$inst" install
}
step "building kselftests (ptrace) of the $tree tree for $ARCH" run_logged "$log" build ||
	die "kselftest build (ptrace) of $tree failed" "$log"

# The stress test includes kselftest.h and selftests/ptrace/jobctl.h of the same tree; built
# with ptj_cc (tools/lib.sh) and the tree's uapi headers, for ARCH. A tree without
# jobctl.h (check-bisect before the series' first selftest patch) gets no stress test.
if [ ! -f "$src/tools/testing/selftests/ptrace/jobctl.h" ]; then
	say "no tools/testing/selftests/ptrace/jobctl.h in the $tree tree: jobctl_stress not built"
else
	stress() {
		ptj_cc -I"$src/tools/testing/selftests" -I"$src/tools/testing/selftests/ptrace" \
			-isystem "$out/usr/include" -o "$inst/ptrace/jobctl_stress" "$PTJ_TOP/tools/tests/jobctl_stress.c"
	}
	step "building tools/tests/jobctl_stress.c into $tree's ptrace kselftests" run_logged "$log" stress ||
		die "jobctl_stress build against the $tree tree failed" "$log"
fi

if [ "$ARCH" = x86_64 ] && [ $m32 = 1 ]; then
	inst32=$BUILD/guest/kselftest-$tree-m32
	build32() {
		rm -rf "$inst32"
		env LDFLAGS=-static make -C "$src/tools/testing/selftests" O="$out/m32" ARCH=x86_64 \
			TARGETS=ptrace KHDR_INCLUDES="-isystem $out/usr/include" \
			USERCFLAGS=-m32 USERLDFLAGS=-m32 INSTALL_PATH="$inst32" install
	}
	step "building the ptrace kselftests of the $tree tree with -m32 (ptrace_32)" \
		run_logged "$log" build32 || die "-m32 kselftest build of $tree failed" "$log"
	mv "$inst32/ptrace" "$inst/ptrace_32"
	sed -n 's/^ptrace:/ptrace_32:/p' "$inst32/kselftest-list.txt" >>"$inst/kselftest-list.txt"
	rm -rf "$inst32"

	compat() {
		local d=$inst/ptrace_compat cc=(ptj_cc -I"$src/tools/testing/selftests"
			-I"$src/tools/testing/selftests/ptrace" -isystem "$out/usr/include")
		mkdir -p "$d"
		"${cc[@]}" -o "$d/jobctl_compat" "$PTJ_TOP/tools/tests/jobctl_compat.c" &&
			"${cc[@]}" -m32 -o "$d/jobctl_compat_32" "$PTJ_TOP/tools/tests/jobctl_compat.c" &&
			cp "$src/tools/testing/selftests/ptrace/settings" "$d/"
	}
	step "building jobctl_compat (64-bit tracer, 32-bit tracee: ptrace_compat)" \
		run_logged "$log" compat || die "jobctl_compat build failed" "$log"
	echo "ptrace_compat:jobctl_compat" >>"$inst/kselftest-list.txt"
	for f in "$inst"/ptrace_32/* "$inst/ptrace_compat/jobctl_compat_32"; do
		if head -c4 "$f" | grep -q ELF && ! readelf -h "$f" | grep -q 'Class: *ELF32'; then
			die "${f#"$inst"/} is not a 32-bit binary" "$log"
		fi
	done
fi

# The guest has no dynamic loader: every ELF must be static.
dyn=()
while IFS= read -r -d '' f; do
	if head -c4 "$f" | grep -q ELF && readelf -l "$f" 2>/dev/null | grep -q 'Requesting program interpreter'; then
		dyn+=("${f#$inst/}")
	fi
done < <(find "$inst" -type f -perm -u+x -print0)
[ ${#dyn[@]} -eq 0 ] || die "dynamically linked test binaries (the guest has no libc): ${dyn[*]}" "$log"
[ -x "$inst/run_kselftest.sh" ] && [ -f "$inst/kselftest-list.txt" ] ||
	die "no run_kselftest.sh/kselftest-list.txt in $inst" "$log"
say "kselftests: $(wc -l <"$inst/kselftest-list.txt") test(s) in $inst: $(cut -d: -f2 "$inst/kselftest-list.txt" | xargs)"
