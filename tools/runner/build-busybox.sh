#!/usr/bin/env bash
# tools/runner/build-busybox.sh: the guest's busybox for ARCH, in build/busybox/<arch>/: the static
# binary `busybox` and `busybox.links`, the applets' paths (one per line, /bin/sh style). Prints
# that directory as its last line.
#
# One busybox source on every architecture: Debian 12's busybox 1:1.35.0-4+deb12u1.
#   x86_64   the host's busybox-static, the Debian package built from that source (deps.sh
#            installs it); busybox.links from its --list-full.
#   others   Debian 12 has a busybox-static for arm64 but none for sparc64 (a port), so both are
#            built the same way: the source fetched by deb_source (tools/lib.sh) and checked
#            against tools/guest/busybox-source.sha256, unpacked with dpkg-source -x (Debian's
#            patches), configured with Debian's own configuration of busybox-static
#            (debian/config/pkg/static, new options at their defaults) and built with
#            CROSS_COMPILE=PTJ_CROSS, under the machine-wide build lock. Rebuilt only when the
#            pinned source or this script changes.
. "$(dirname "$0")/../lib.sh"

BUSYBOX_DEB_VERSION=1:1.35.0-4+deb12u1
sums=$PTJ_TOP/tools/guest/busybox-source.sha256
top=$BUILD/busybox
out=$top/$ARCH
log=$PTJ_LOGS/busybox-$ARCH.log
mkdir -p "$out" "$PTJ_LOGS"

if [ "$ARCH" = x86_64 ]; then
	bb=/bin/busybox
	[ -x "$bb" ] || bb=/usr/bin/busybox
	[ -x "$bb" ] || die "busybox not found (apt-get install busybox-static)"
	! readelf -l "$bb" | grep -q 'Requesting program interpreter' ||
		die "$bb is dynamically linked: install busybox-static"
	if ! cmp -s "$bb" "$out/busybox"; then
		cp "$bb" "$out/busybox.tmp"
		mv "$out/busybox.tmp" "$out/busybox"
	fi
	"$bb" --list-full | sed 's|^|/|' >"$out/busybox.links"
	echo "$out"
	exit 0
fi

stamp=$(cat "$sums" "$0" | sha)
if [ -x "$out/busybox" ] && [ -s "$out/busybox.links" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "$out"
	exit 0
fi
rm -f "$out/stamp"
deb_source busybox "$BUSYBOX_DEB_VERSION" "$top/dl" "$sums" bookworm >&2
dsc=$top/dl/busybox_${BUSYBOX_DEB_VERSION#*:}.dsc
src=$top/src
obj=$out/obj
build() {
	[ -f "$src/.ptj-$stamp" ] || {
		rm -rf "$src"
		dpkg-source -x "$dsc" "$src" && touch "$src/.ptj-$stamp"
	}
	rm -rf "$obj"
	mkdir -p "$obj"
	cp "$src/debian/config/pkg/static" "$obj/.config"
	local m=(make -C "$src" O="$obj" CROSS_COMPILE="$PTJ_CROSS" CC="ccache ${PTJ_CROSS}gcc")
	# (yes ends with SIGPIPE when make is done: not a failure)
	{ yes '' || true; } | "${m[@]}" oldconfig >/dev/null &&
		"${m[@]}" -j"$JOBS" busybox busybox.links &&
		! readelf -l "$obj/busybox" | grep -q 'Requesting program interpreter' &&
		cp "$obj/busybox" "$obj/busybox.links" "$out/"
}
: >"$log"
build_lock
step "building busybox $BUSYBOX_DEB_VERSION for $ARCH (static)" run_logged "$log" build >&2 ||
	die "building busybox for $ARCH failed" "$log"
exec 9>&-
echo "$stamp" >"$out/stamp"
echo "$out"
