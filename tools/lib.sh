# shellcheck shell=bash
# tools/lib.sh: sourced by every script of tools/, never executed. It owns every path of the
# build area (one function per artifact, below), the architecture table and the helpers.
#
# Settings: PTJ_SETTINGS below declares every setting of the project with its default, once;
# sourcing this file gives each one that is not set its default. They are the make-level
# variables of tools/ptj.sh (whose help prints these defaults); tools/runner/run.sh sets the
# loop's from its options for the stages it runs, the other scripts read theirs. BUILD is the
# build area (default: <repo>/build).
#
# The build area:
#   base-<ver>/                    the base tree (tools/runner/base.sh), a git repo, tag base
#   trees-<ver>/<tree>[-<arch>]/   test trees (worktrees of the base): patched, vanilla,
#                                  mutant-*, variant-*, bisect; <tree>/.out[-<arch>][-<sanitizer>]/
#                                  the kernel build (out_dir)
#   devtree/                       the developer tree (make devtree; branch series)
#   guest/<run>/initramfs.cpio.gz  the guest image of a run (run_name: tree[-arch][-sanitizer])
#   guest/kselftest-<tree>[-arch]/ the kselftest install of a tree
#   logs/<run>/                    console.log, verdict.txt, results.tsv, build logs
#   strace/, proof/, bench/, sparse/, fresh/   as named
# Outside it, shared by every clone and build area of the machine (nolibc's run-tests.sh and
# ccache itself keep theirs there too): PTJ_CACHE = ${XDG_CACHE_HOME:-~/.cache}/ptj (the base
# .deb and its private apt lists) and the compiler cache, ccache's own default place
# ${XDG_CACHE_HOME:-~/.cache}/ccache unless CCACHE_DIR says otherwise.
#
# Between the project's own processes only: PTJ_LOCKED (the build area lock is held, see
# ptj_lock).

set -euo pipefail

PTJ_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(realpath -m "${BUILD:-$PTJ_TOP/build}")

# NAME=DEFAULT, for every setting; what each means is in tools/ptj.sh's help.
# shellcheck disable=SC2054 # a comma inside a default (BENCH_PLACE)
PTJ_SETTINGS=(
	# the loop (tools/runner/run.sh)
	KERNEL=patched ARCH=x86_64 SANITIZER= STEPS=kselftest APPEND= GUEST_BINS= GUEST_OVERLAYS=
	ACCEL=tcg SMP= MEM=1G BOOT_TIMEOUT=900 JOBS="$(nproc)" V=0
	# the targets
	BISECT_ARCH=arm64 STRESS_SECS=1200 STRESS_SEED= RACES_SECS=180 STRACE_BIN= STRACE_CHECK=1
	PROOF_KERNELS= FORMAT_PATCH_OPTS= SPARSE_OBJS= SPARSE_FATAL=1 CHECK_DOCS_SPHINX=1
	MANPAGE_GZ=/usr/share/man/man2/ptrace.2.gz MODEL_MUTANTS=1
	BENCH_REPS=4 BENCH_SEED=1 BENCH_SCALE=1 BENCH_PLACE=cpu0,any "BENCH_KERNELS=patched vanilla"
	BENCH_BOOT_TIMEOUT=600 BENCH_DOC=1
	STRACE_SUITE_SHARDS=2 "STRACE_SUITE_KERNELS=patched vanilla" STRACE_SUITE_ONLY=
	STRACE_SUITE_APPEND= STRACE_SUITE_DOC=1 STRACE_SUITE_VANILLA=all STRACE_SUITE_EARLIER=
	"FRESH_CHECKS=check-verdict check-static check-export check-docs check-model check-manpage"
	FRESH_CACHE="$BUILD/fresh-cache" FRESH_MIRROR= FRESH_MIN_HITRATE=90 FRESH_TIMEOUT=3600
	FRESH_KEEP=0
)
# The project's own C programs (the stress and compat tests, the bench): one compiler,
# ${PTJ_CROSS}gcc, with one set of flags. ptj_cc ARG...: that compiler with those flags, then
# ARG... (include paths, -m32, -o OUT, the source).
PTJ_CFLAGS=(-std=gnu11 -O2 -Wall -Werror -pthread -static)
ptj_cc() { "${PTJ_CROSS}gcc" "${PTJ_CFLAGS[@]}" "$@"; }

# ptj_default NAME: the default of setting NAME.
ptj_default() {
	local s
	for s in "${PTJ_SETTINGS[@]}"; do
		[ "${s%%=*}" != "$1" ] || { echo "${s#*=}"; return 0; }
	done
	return 1
}
for _s in "${PTJ_SETTINGS[@]}"; do
	_n=${_s%%=*}
	[ -n "${!_n+x}" ] || printf -v "$_n" '%s' "${_s#*=}"
done
unset _s _n

PTJ_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/ptj
# One kernel build at a time on this machine (2 cores), whichever clone or build area it is for.
PTJ_BUILD_LOCK=/tmp/ptj-kernel-build.lock
# kernel/base: "key: value" lines; base_pin KEY prints the value.
base_pin() { awk -v k="$1:" '$1 == k { sub(/^[^:]*: */, ""); print; exit }' "$PTJ_TOP/kernel/base"; }
PTJ_PKG=$(base_pin package)
PTJ_VERIFIED_SUBLEVEL=$(awk -F': *' '/^SUBLEVEL last verified:/{print $2}' "$PTJ_TOP/kernel/base")
PTJ_LOGS=$BUILD/logs
PTJ_FRAGMENT=$PTJ_TOP/kernel/config/ptrace-test.config
case $SANITIZER in
'' | kasan | kcsan) ;;
*) echo "[ptj] unknown SANITIZER '$SANITIZER' (kasan, kcsan, or empty)" >&2; exit 2 ;;
esac
# The sanitizer's fragment, after the others (empty without one).
PTJ_SAN_FRAGMENT=${SANITIZER:+$PTJ_TOP/kernel/config/$SANITIZER.config}

# --- architectures ----------------------------------------------------------------------------
# One table: what differs between the architectures the loop runs on. x86_64 is the host; the
# others are cross-built (Debian's cross compilers) and booted under QEMU TCG.
#   PTJ_CROSS     CROSS_COMPILE prefix of kernel and tests
#   PTJ_IMAGE     the kernel image QEMU boots, relative to the O= dir
#   PTJ_QEMU      the QEMU binary; PTJ_QEMU_ARGS its machine arguments; PTJ_CONSOLE the console
#   PTJ_MAX_SMP   vCPUs the machine supports (sparc64 sun4u: QEMU 7.2 refuses more than one)
#   PTJ_ARCH_PKGS Debian packages for it (tools/runner/deps.sh)
#   PTJ_ARCH_FRAGMENT  kernel/config/<arch>.config, after ptrace-test.config
case $ARCH in
x86_64)
	PTJ_CROSS= PTJ_IMAGE=arch/x86/boot/bzImage PTJ_QEMU=qemu-system-x86_64 PTJ_QEMU_ARGS=
	PTJ_CONSOLE=ttyS0 PTJ_MAX_SMP=8 PTJ_ARCH_PKGS=
	;;
arm64)
	PTJ_CROSS=aarch64-linux-gnu- PTJ_IMAGE=arch/arm64/boot/Image PTJ_QEMU=qemu-system-aarch64
	PTJ_QEMU_ARGS="-M virt -cpu cortex-a57" PTJ_CONSOLE=ttyAMA0 PTJ_MAX_SMP=8
	PTJ_ARCH_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm"
	;;
sparc64)
	PTJ_CROSS=sparc64-linux-gnu- PTJ_IMAGE=arch/sparc/boot/image PTJ_QEMU=qemu-system-sparc64
	PTJ_QEMU_ARGS="-M sun4u" PTJ_CONSOLE=ttyS0 PTJ_MAX_SMP=1
	PTJ_ARCH_PKGS="gcc-sparc64-linux-gnu libc6-dev-sparc64-cross qemu-system-sparc"
	;;
*)
	echo "[ptj] FAILED: ARCH=$ARCH: the loop knows x86_64, arm64 and sparc64" >&2
	exit 1
	;;
esac
PTJ_ARCH_FRAGMENT=$PTJ_TOP/kernel/config/$ARCH.config
# Base fixups: patches the base needs to build for ARCH at all (kernel/base-fixups/<arch>/),
# applied in trees of their own (<tree>-<arch>) under the series; never part of it.
PTJ_FIXUPS_DIR=$PTJ_TOP/kernel/base-fixups/$ARCH
arch_fixups() { [ -d "$PTJ_FIXUPS_DIR" ] && find "$PTJ_FIXUPS_DIR" -name '*.patch' | LC_ALL=C sort; true; }
# The guest's default vCPUs: 2, or what the machine supports.
PTJ_SMP=${SMP:-$((PTJ_MAX_SMP < 2 ? PTJ_MAX_SMP : 2))}

# Fixed identity for every commit the tools make in kernel trees (base commit, git am in test
# trees): reproducible hashes, and no dependence on the user's git config (CI has none).
PTJ_GIT_NAME="ptj tools"
PTJ_GIT_EMAIL="ptj-tools@localhost"
PTJ_GIT_DATE="2000-01-01T00:00:00+0000"

# Deterministic kernel builds: identical command lines and generated headers in every tree,
# so ccache hits across vanilla/patched/mutant/bisect.
export KBUILD_BUILD_TIMESTAMP="Sat Jan  1 00:00:00 UTC 2000"
export KBUILD_BUILD_USER=ptj KBUILD_BUILD_HOST=ptj KBUILD_BUILD_VERSION=1
export LOCALVERSION=""
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-time_macros,include_file_mtime,include_file_ctime,locale}
export CCACHE_NOHASHDIR=1
export CCACHE_COMPILERCHECK=content
export LC_ALL=C TZ=UTC


say()  { printf '[ptj] %s\n' "$*"; }
warn() { printf '[ptj] WARNING: %s\n' "$*" >&2; }

# die CAUSE [LOG]: one-line cause, the log path and its tail, non-zero exit.
die() {
	local cause=$1 log=${2:-}
	if [ -n "$log" ] && [ -f "$log" ]; then
		printf '[ptj] ---- last 40 lines of %s ----\n' "$log" >&2
		tail -n 40 "$log" >&2 || true
		printf '[ptj] ----\n' >&2
	fi
	printf '[ptj] FAILED: %s%s\n' "$cause" "${log:+ (log: $log)}" >&2
	exit 1
}

fmt_secs() { # 452 -> 7m32s
	local s=$1
	if [ "$s" -ge 60 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# step "message" cmd...: prints "[ptj] message... done in 7m32s" around a long command.
step() {
	local msg=$1 t0 rc=0
	shift
	t0=$(date +%s)
	printf '[ptj] %s...\n' "$msg"
	"$@" || rc=$?
	if [ $rc -eq 0 ]; then
		printf '[ptj] %s... done in %s\n' "$msg" "$(fmt_secs $(($(date +%s) - t0)))"
	fi
	return $rc
}

# run_logged LOG cmd...: output to LOG only (V=1 also shows it).
run_logged() {
	local log=$1
	shift
	mkdir -p "$(dirname "$log")"
	if [ "$V" = 1 ]; then
		"$@" 2>&1 | tee -a "$log"
		return "${PIPESTATUS[0]}"
	fi
	"$@" >>"$log" 2>&1
}

sha() { sha256sum | cut -c1-16; }

# One run at a time per build area: the trees, build dirs and logs in BUILD are shared by every
# make in every clone that uses it. Re-entrant through the environment (make check -> make test).
ptj_lock() {
	[ "${PTJ_LOCKED:-}" = "$BUILD" ] && return 0
	mkdir -p "$BUILD"
	exec 8>>"$BUILD/.ptj.lock"
	if ! flock -n 8; then
		say "another make uses the build area $BUILD: waiting for it to finish"
		flock 8
	fi
	export PTJ_LOCKED=$BUILD
}

# build_lock: the machine-wide compile lock (PTJ_BUILD_LOCK) on fd 9, after waiting for any
# other build that holds it; held until the script exits or closes fd 9 (exec 9>&-).
build_lock() {
	{ exec 9>>"$PTJ_BUILD_LOCK"; } 2>/dev/null || exec 9<"$PTJ_BUILD_LOCK"
	flock -n 9 && return 0
	say "another build holds $PTJ_BUILD_LOCK: waiting for it"
	flock 9
}

# deb_source PKG VERSION DIR SUMS SUITE...: Debian's source package PKG=VERSION (its .dsc and
# the files the .dsc names) in DIR, every file checked against SUMS (sha256sum -c lines).
# Downloaded once, by `apt-get source --download-only` with a private apt configuration: deb-src
# lines for SUITE... of the host's mirror, lists in DIR/apt; nothing is installed and the
# host's apt configuration is not touched. Log: $PTJ_LOGS/source-PKG.log.
deb_source() {
	local pkg=$1 ver=$2 dir=$3 sums=$4 apt=$3/apt log=$PTJ_LOGS/source-$1.log mirror s
	shift 4
	deb_source_ok() { [ -d "$dir" ] && (cd "$dir" && sha256sum --quiet -c "$sums") >/dev/null 2>&1; }
	deb_source_ok && return 0
	mirror=$(apt-get indextargets --format '$(REPO_URI)' 2>/dev/null | grep -v security | head -n 1)
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	for s; do
		printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
			"${mirror:-http://deb.debian.org/debian/}" "$s"
	done >"$apt/sources.list"
	local a=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o APT::Sandbox::User=root -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
	: >"$log"
	# (the locals above are visible in it: bash scopes them dynamically)
	deb_source_get() {
		apt-get -q "${a[@]}" --error-on=any update &&
			(cd "$dir" && apt-get -q "${a[@]}" source --download-only "$pkg=$ver")
	}
	step "downloading Debian's $pkg $ver source" run_logged "$log" deb_source_get ||
		die "apt-get source $pkg=$ver failed" "$log"
	deb_source_ok || die "Debian's $pkg source in $dir does not match ${sums#"$PTJ_TOP"/}: $(cd "$dir" && sha256sum -c "$sums" 2>&1 | grep -v ': OK$' | head -1)"
}

# --- strace -------------------------------------------------------------------------------------
# Debian 12's strace source, which tools/runner/build-strace.sh downloads into PTJ_STRACE_DL and
# checks against patches/strace/debian-source.sha256, and the configure options of its builds.
PTJ_STRACE_VERSION=6.1-0.1
PTJ_STRACE_DL=$BUILD/strace/dl
PTJ_STRACE_OPTS=(--enable-mpers=no --enable-stacktrace=no --without-libdw --without-libunwind
	--without-libiberty --without-libselinux --disable-gcc-Werror)
# strace_unpack DEST LOG PATCH...: that source unpacked into DEST (dpkg-source -x: Debian's
# patches), then PATCH... (patch -p1 --fuzz=0), and the xlat headers the patches touch
# regenerated (the tarball ships generated headers, the patches change the .in files). Prints
# the regenerated headers.
strace_unpack() {
	local dest=$1 log=$2 p f xlat=()
	shift 2
	rm -rf "$dest"
	run_logged "$log" dpkg-source -x "$PTJ_STRACE_DL/strace_$PTJ_STRACE_VERSION.dsc" "$dest" ||
		die "dpkg-source -x strace_$PTJ_STRACE_VERSION.dsc failed" "$log"
	for p in "$@"; do
		run_logged "$log" patch -d "$dest" -p1 --fuzz=0 --no-backup-if-mismatch -i "$p" ||
			die "${p#"$PTJ_TOP"/} does not apply to strace $PTJ_STRACE_VERSION" "$log"
		while read -r f; do xlat+=("$f"); done < <(sed -n 's|^+++ b/\(src/xlat/[^/]*\)\.in$|\1|p' "$p")
	done
	for f in $(printf '%s\n' "${xlat[@]}" | sort -u); do
		(cd "$dest" && run_logged "$log" ./src/xlat/gen.sh "./$f.in" "./$f.h") ||
			die "src/xlat/gen.sh $f.in failed" "$log"
		echo "$f"
	done
}

# --- base tree ---------------------------------------------------------------------------------
# The base repo: build/base-<version>. tools/runner/base.sh writes build/base.stamp: line 1 the
# sha256 and version of the .deb it was extracted from, line 2 the kernel version.
base_version() { # prints 7.3.4 if the base is prepared, else fails
	local stamp=$BUILD/base.stamp ver
	[ -f "$stamp" ] || return 1
	ver=$(sed -n 2p "$stamp")
	[ -n "$ver" ] && [ -f "$BUILD/base-$ver/.ptj-base-done" ] || return 1
	echo "$ver"
}

base_dir()  { echo "$BUILD/base-$(base_version)"; }
trees_dir() { echo "$BUILD/trees-$(base_version)"; }
base_git()  { git -C "$(base_dir)" "$@"; }

# Directory of a kernel tree by name: patched, vanilla, bisect, mutant-NAME, variant-NAME,
# devtree (the developer's). With base fixups for ARCH the test trees are <name>-<arch>: the
# same tree on a different base.
tree_dir() {
	case $1 in
	devtree) echo "$BUILD/devtree" ;;
	*) echo "$(trees_dir)/$1$([ -z "$(arch_fixups)" ] || echo "-$ARCH")" ;;
	esac
}

# O= directory: a DIRECT subdirectory of the tree, so that srctree is ".." and compiler
# command lines are identical in every tree (ccache hits across trees).
# x86_64 keeps the plain names; another ARCH adds -<arch>.
arch_sfx() { [ "$ARCH" = x86_64 ] || echo "-$ARCH"; }
out_name() { echo ".out$(arch_sfx)${SANITIZER:+-$SANITIZER}"; }
out_dir()  { echo "$(tree_dir "$1")/$(out_name)"; }
# tsv_counts TABLE: "N passed, N failed, N skipped" of a results table (the verdict's format,
# maybe with more columns: the one named "status" counts; XFAIL counts as skipped); nothing if
# the table has no rows.
tsv_counts() {
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") c = i; next }
		c { p += $c == "PASS"; f += $c == "FAIL"; s += $c == "SKIP" || $c == "XFAIL"; n++ }
		END { if (n) printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$1"
}
# Name used for logs and images: patched, vanilla-kasan, patched-arm64, patched-kcsan, ...
run_name() { echo "$1$(arch_sfx)${SANITIZER:+-$SANITIZER}"; }
# Kernel make for tree NAME in its O= dir: kmake_tree NAME ARGS...
kmake_tree() {
	local name=$1
	shift
	make -C "$(tree_dir "$name")" O="$(out_dir "$name")" ARCH="$ARCH" \
		${PTJ_CROSS:+CROSS_COMPILE=$PTJ_CROSS} CC="ccache ${PTJ_CROSS}gcc" HOSTCC="ccache gcc" "$@"
}
# The artifacts of a run of kernel NAME (tools/runner/run.sh).
log_dir()        { echo "$PTJ_LOGS/$(run_name "$1")"; }
console_log()    { echo "$(log_dir "$1")/console.log"; }
verdict_txt()    { echo "$(log_dir "$1")/verdict.txt"; }
results_tsv()    { echo "$(log_dir "$1")/results.tsv"; }
image_path()     { echo "$(out_dir "$1")/$PTJ_IMAGE"; }
guest_dir()      { echo "$BUILD/guest/$(run_name "$1")"; }
initramfs_path() { echo "$(guest_dir "$1")/initramfs.cpio.gz"; }
# The static strace for ARCH, with patches/strace/ (tools/runner/build-strace.sh).
strace_bin()     { echo "$BUILD/strace$(arch_sfx)/strace"; }
# The kselftest install of tree NAME for ARCH (tools/runner/build-kselftest.sh).
kselftest_dir()  { echo "$BUILD/guest/kselftest-$1$(arch_sfx)"; }
# The patch of a mutant-NAME or variant-NAME kernel.
kernel_patch() {
	case $1 in
	mutant-*) echo "$PTJ_TOP/kernel/mutants/${1#mutant-}.patch" ;;
	variant-*) echo "$PTJ_TOP/kernel/variants/${1#variant-}.patch" ;;
	*) return 1 ;;
	esac
}

# The series, in order, as absolute paths (empty output: empty series).
series_patches() {
	local s=$PTJ_TOP/patches/series p
	[ -f "$s" ] || return 0
	while IFS= read -r p; do
		p=${p%%#*}
		p=$(echo "$p" | xargs)
		[ -n "$p" ] || continue
		[ -f "$PTJ_TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
		echo "$PTJ_TOP/patches/$p"
	done <"$s"
}

# Hash of everything that decides the content of the series (for the "already applied" stamp).
series_hash() {
	{
		echo "base $(base_git rev-parse base)"
		series_patches | while read -r p; do
			echo "$(basename "$p") $(sha256sum <"$p" | cut -d' ' -f1)"
		done
	} | sha
}

# What the long checks (make check-long) depend on, as one hash: the tree of every commit of the
# patched tree (code, kselftests and docs of each patch; not the commit messages), the config
# fragments, the known failures and the loop's own test programs. Needs an up-to-date patched tree.
long_key() {
	local t c
	t=$(tree_dir patched)
	{
		for c in $(git -C "$t" rev-list --reverse base..HEAD); do git -C "$t" rev-parse "$c^{tree}"; done
		cat "$PTJ_TOP"/kernel/config/*.config "$PTJ_TOP/kernel/known-failures" "$PTJ_TOP"/tools/tests/*.c
	} | sha
}
PTJ_LONG_RECORD=$PTJ_TOP/Documentation/long-checks.md

# git am the series on top of the current HEAD of tree $1. On failure: one line naming the patch.
apply_series() {
	local dir=$1 log=$2 p n=0
	while read -r p; do
		n=$((n + 1))
		# Fixed committer (name, mail, date): the same series gives the same commit ids everywhere.
		if ! GIT_COMMITTER_NAME="$PTJ_GIT_NAME" GIT_COMMITTER_EMAIL="$PTJ_GIT_EMAIL" \
			GIT_COMMITTER_DATE="$PTJ_GIT_DATE" git -C "$dir" am --no-3way --keep-cr "$p" >>"$log" 2>&1; then
			git -C "$dir" am --abort >/dev/null 2>&1 || true
			# ONE line: the patch, the first error git am gave, the log.
			die "patch $(basename "$p") does not apply to base $(base_version): $(grep -m1 -E '^(error|fatal):' "$log" | cut -c1-120) (log: $log)"
		fi
	done < <(series_patches)
	echo "$n"
}
