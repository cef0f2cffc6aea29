#!/usr/bin/env bash
# tools/runner/deps.sh [--quiet]: make sure the Debian 12 packages the project needs are installed. As root, missing
# ones are installed with apt-get (after apt-get update); otherwise print the exact apt-get line
# and stop; --quiet: say nothing when all are there. ARCH=arm64|sparc64 adds that architecture's cross compiler, libc and QEMU.
. "$(dirname "$0")/../lib.sh"

# Package: what it is for.
pkgs=(
	make gcc libc6-dev binutils bc flex bison libelf-dev libssl-dev  # kernel build
	cpio xz-utils gzip git perl python3 ccache rsync                  # tree, tools, checks; rsync: kselftest install
	dpkg xz-utils apt debian-archive-keyring                           # the base tree: fetched .deb (tools/runner/base.sh)
	qemu-system-x86 busybox-static                                    # the guest
	python3-docutils python3-sphinx manpages-dev groff-base man-db    # docs and man page checks
	python3-ply python3-git                                           # checkpatch's SPDX check
	gnuplot-nox                                                       # make bench's plot
	patch                                                             # check-manpage applies the man page patch
	g++                                                               # check-docs compiles the example as C++
	mmdebstrap                                                        # make check-fresh's Debian 12 root
	dpkg-dev bzip2                                                    # dpkg-source: Debian's strace, sparse and busybox sources (busybox's is .tar.bz2)
	libc6-dev-i386 lib32gcc-12-dev                                    # gcc -m32: the 32-bit kselftests (not gcc-multilib: it removes the cross compilers)
	spin                                                              # make check-model: the SPIN model checker (tools/model/)
	gawk                                                              # make strace-suite: strace's tests run gawk (copied into the guest)
)
# shellcheck disable=SC2206
[ -z "$PTJ_ARCH_PKGS" ] || pkgs+=($PTJ_ARCH_PKGS)
missing=()
for p in "${pkgs[@]}"; do
	[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	line="apt-get install -y --no-install-recommends ${missing[*]}"
	if [ "$(id -u)" != 0 ]; then
		say "missing Debian packages: ${missing[*]}"
		say "run as root: apt-get update && $line"
		die "missing packages: ${missing[*]}"
	fi
	log=$PTJ_LOGS/deps.log
	mkdir -p "$PTJ_LOGS"
	: >"$log"
	step "installing ${missing[*]} with apt-get" run_logged "$log" \
		sh -c "apt-get update && DEBIAN_FRONTEND=noninteractive $line" ||
		die "apt-get install of ${missing[*]} failed" "$log"
fi
[ "${1:-}" = --quiet ] || say "dependencies: ${#pkgs[@]} Debian packages present"
