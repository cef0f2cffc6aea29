#!/usr/bin/env bash
# tools/runner/build-strace.sh [--unpatched]: build a static strace for the guest from the strace source
# Debian 12 ships (strace 6.1-0.1: upstream 6.1 + Debian's debian/patches) plus
# patches/strace/*.patch, and run strace's own ptrace decoding tests on the host.
#
#   1. Download strace_6.1-0.1.dsc, .orig.tar.xz, .debian.tar.xz once into build/strace/dl
#      (deb_source of tools/lib.sh: a private apt configuration, the host's is not touched);
#      every file must match patches/strace/debian-source.sha256.
#   2. dpkg-source -x (Debian's patches), then patch -p1 --fuzz=0 each patches/strace/*.patch and
#      regenerate the xlat headers of every src/xlat/*.in a patch touches (src/xlat/gen.sh: the
#      tarball ships generated headers, the patches change only the .in files).
#   3. configure --enable-mpers=no without libdw/libunwind/libiberty/libselinux, LDFLAGS=-static,
#      CC="ccache ${PTJ_CROSS}gcc" (--host for ARCH=arm64|sparc64); make -C src (strace and its
#      generated headers). Result: build/strace[-<arch>]/strace (strace_bin).
#   4. x86_64 only (the host runs them): the ptrace decoding tests of strace's test suite
#      (tests/ptrace*.gen.test, which compare strace's output with what the test program
#      prints) with `make -C tests check`.
#
# Incremental: nothing is redone when the source hashes, the patches, this script and the
# options are unchanged and the binary exists. Steps 3 and 4 take the machine-wide kernel build
# lock ($PTJ_BUILD_LOCK of tools/lib.sh), so that they never compete with a
# kernel build. Logs: build/logs/strace[-unpatched][-<arch>]/{unpack,configure,build,test}.log,
# the download's build/logs/source-strace.log.
#
#   --unpatched      Debian's strace without patches/strace/ (build/strace-unpatched[-<arch>]/strace),
#                    to show that the guest step fails without the patch.
#   STRACE_CHECK=0   skip step 4.
. "$(dirname "$0")/../lib.sh"
ptj_lock

pdir=$PTJ_TOP/patches/strace
sums=$pdir/debian-source.sha256
check=$STRACE_CHECK
[ "$ARCH" = x86_64 ] || check=0
name=strace$(arch_sfx)
patches=()
case ${1:-} in
--unpatched) name=strace-unpatched$(arch_sfx) ;;
"")
	shopt -s nullglob
	patches=("$pdir"/*.patch)
	shopt -u nullglob
	[ ${#patches[@]} -gt 0 ] || die "no patches in patches/strace/"
	;;
*) die "usage: build-strace.sh [--unpatched]" ;;
esac
[ $# -le 1 ] || die "usage: build-strace.sh [--unpatched]"
[ -f "$sums" ] || die "no $sums (the pinned hashes of Debian's strace source)"
for t in apt-get dpkg-source patch "${PTJ_CROSS}gcc" make ccache xz; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found (tools/runner/deps.sh installs what this needs)"
done

dl=$PTJ_STRACE_DL
out=$BUILD/$name
src=$out/src
obj=$out/obj
bin=$out/strace # = strace_bin for the patched one
logs=$PTJ_LOGS/$name
mkdir -p "$dl" "$out" "$logs"
opts=("${PTJ_STRACE_OPTS[@]}")
[ "$ARCH" = x86_64 ] || opts+=(--host="${PTJ_CROSS%-}")

# --- 1. download (cached), verify --------------------------------------------------------------
deb_source strace "$PTJ_STRACE_VERSION" "$dl" "$sums" bookworm

# --- up to date? -----------------------------------------------------------------------------
stamp=$(
	{
		cat "$sums" "$0"
		echo "${opts[*]} check=$check"
		for p in "${patches[@]}"; do sha256sum <"$p"; done
	} | sha
)
if [ -x "$bin" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
	say "$name: up to date: $bin"
	exit 0
fi
rm -f "$out/stamp"

# --- 2. unpack, Debian's patches, ours, regenerate xlat headers -------------------------------
: >"$logs/unpack.log"
rm -rf "$obj"
strace_unpack "$src" "$logs/unpack.log" "${patches[@]}" >"$out/xlat.list"
mapfile -t xlat <"$out/xlat.list"
say "$name: strace $PTJ_STRACE_VERSION unpacked with Debian's patches$([ ${#patches[@]} -eq 0 ] || echo " + ${#patches[@]} of patches/strace") (regenerated: ${xlat[*]:-no xlat header})"

# --- 3. configure and build (under the kernel build lock) -----------------------------------
build_lock
mkdir -p "$obj"
: >"$logs/configure.log"
configure() { (cd "$obj" && "$src/configure" "${opts[@]}" CC="ccache ${PTJ_CROSS}gcc" LDFLAGS=-static); }
step "$name: configure (${opts[*]}, static)" run_logged "$logs/configure.log" configure ||
	die "strace configure failed" "$logs/configure.log"
: >"$logs/build.log"
step "$name: make -C src" run_logged "$logs/build.log" make -C "$obj/src" -j"$JOBS" ||
	die "strace build failed" "$logs/build.log"
readelf -l "$obj/src/strace" | grep -q 'Requesting program interpreter' &&
	die "$obj/src/strace is dynamically linked (the guest has no libc)" "$logs/build.log"
if [ ${#patches[@]} -gt 0 ]; then
	grep -q PTRACE_JOBCTL_CONT "$obj/src/strace" ||
		die "the patched strace does not know PTRACE_JOBCTL_CONT (xlat header not regenerated?)" "$logs/build.log"
fi

# --- 4. strace's ptrace decoding tests, on the host -------------------------------------------
if [ "$check" = 1 ]; then
	tests=(ptrace ptrace-Xabbrev ptrace-Xraw ptrace-Xverbose
		ptrace-y ptrace-y-Xabbrev ptrace-y-Xraw ptrace-y-Xverbose)
	: >"$logs/test.log"
	# check_PROGRAMS limits the test programs built to the ones these tests run.
	step "$name: strace's ptrace decoding tests (${#tests[@]})" run_logged "$logs/test.log" \
		make -C "$obj/tests" -j"$JOBS" check check_PROGRAMS="${tests[*]}" \
		TESTS="$(printf '%s.gen.test ' "${tests[@]}")" ||
		die "strace's ptrace decoding tests failed ($obj/tests/*.log)" "$logs/test.log"
	res=$(grep -E '^# (PASS|FAIL|SKIP|XFAIL|ERROR):' "$logs/test.log" | awk '{printf "%s%s %s", s, $2, $3; s=", "}')
	if ! grep -qE '^# PASS: +[1-9]' "$logs/test.log" || ! grep -qE '^# FAIL: +0$' "$logs/test.log" ||
		! grep -qE '^# ERROR: +0$' "$logs/test.log"; then
		die "strace's ptrace decoding tests: $res" "$logs/test.log"
	fi
	say "$name: strace's ptrace decoding tests: $res"
fi
exec 9>&-

install -m 0755 "$obj/src/strace" "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$stamp" >"$out/stamp"
say "$name: $bin (strace $PTJ_STRACE_VERSION for $ARCH, static, $(du -h "$bin" | cut -f1))"
