#!/usr/bin/env bash
# tools/runner/build-sparse.sh: the sparse that check-sparse runs. Linux 7.3's checker-valid.sh
# wants a sparse that knows __typeof_unqual__; Debian 12's 0.6.4 does not, and kbuild then skips
# the check with only a warning. So build sparse from the source of Debian's 0.6.5~rc1-2 (sid),
# fetched with deb_source (tools/lib.sh: `apt-get source --download-only` with a private apt
# configuration for sid; nothing is installed, the host's apt configuration is not touched),
# checked against tools/checks/sparse-source.sha256, unpacked with dpkg-source -x (Debian's
# patches) and built with the host's gcc: only the `sparse` program, none of the
# optional tools (LLVM, sqlite, GTK, libxml). Result: build/sparse-tool/sparse, rebuilt only when
# the pinned source or this script changes. Prints its path as the last line.
. "$(dirname "$0")/../lib.sh"

SPARSE_DEB_VERSION=0.6.5~rc1-2
sums=$PTJ_TOP/tools/checks/sparse-source.sha256
top=$BUILD/sparse-tool
dl=$top/dl
bin=$top/sparse
log=$PTJ_LOGS/sparse-tool.log
mkdir -p "$dl" "$PTJ_LOGS"
stamp=$(cat "$sums" "$0" | sha)
if [ -x "$bin" ] && [ "$(cat "$top/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "$bin"
	exit 0
fi
: >"$log"
deb_source sparse "$SPARSE_DEB_VERSION" "$dl" "$sums" sid >&2
build() {
	rm -rf "$top/src"
	dpkg-source -x "$dl/sparse_$SPARSE_DEB_VERSION.dsc" "$top/src" &&
		make -C "$top/src" -j"$JOBS" CC="ccache gcc" HAVE_LLVM=no HAVE_SQLITE=no HAVE_GTK=no \
			HAVE_LIBXML=no sparse &&
		cp "$top/src/sparse" "$bin"
}
step "building sparse $SPARSE_DEB_VERSION" run_logged "$log" build >&2 || die "building sparse failed" "$log"
echo "$stamp" >"$top/stamp"
echo "$bin"
