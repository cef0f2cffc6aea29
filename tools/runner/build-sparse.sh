#!/usr/bin/env bash
# tools/runner/build-sparse.sh: the sparse that check-sparse runs. Linux 7.3's checker-valid.sh
# wants a sparse that knows __typeof_unqual__; Debian 12's 0.6.4 does not, and kbuild then skips
# the check with only a warning. So build sparse from the source of Debian's 0.6.5~rc1-2 (sid),
# fetched with `apt-get source --download-only` and a private apt configuration (deb-src for sid
# only, lists in build/sparse-tool/apt; nothing is installed and the host's apt configuration is
# not touched), checked against tools/checks/sparse-source.sha256, unpacked with dpkg-source -x
# (Debian's patches) and built with the host's gcc: only the `sparse` program, none of the
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
verify() { (cd "$dl" && sha256sum --quiet -c "$sums") >/dev/null 2>&1; }
download() {
	local apt=$top/apt a
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s sid main\n' \
		"$(apt-get indextargets --format '$(REPO_URI)' 2>/dev/null | grep -v security | head -n 1)" >"$apt/sources.list"
	a=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o APT::Sandbox::User=root -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
	apt-get -q "${a[@]}" --error-on=any update &&
		(cd "$dl" && apt-get -q "${a[@]}" source --download-only "sparse=$SPARSE_DEB_VERSION")
}
if ! verify; then
	step "downloading Debian's sparse $SPARSE_DEB_VERSION source" run_logged "$log" download >&2 ||
		die "apt-get source sparse=$SPARSE_DEB_VERSION failed" "$log"
	verify || die "Debian's sparse source in $dl does not match ${sums#"$PTJ_TOP"/}"
fi
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
