#!/usr/bin/env bash
# tools/runner/mkinitramfs.sh KERNEL [TESTTREE]: build the guest's initramfs (gzip cpio, made with the
# kernel's usr/gen_init_cpio) into build/guest/<kernel>/initramfs.cpio.gz. Content:
#   /bin/busybox + applet symlinks (tools/runner/build-busybox.sh: Debian 12's busybox-static on
#                      x86_64, the same source cross-built elsewhere), /init = tools/guest/init.sh,
#   /usr/bin/timeout = tools/guest/timeout.sh (busybox timeout made kselftest-compatible),
#   /ptj/steps/<name>  every executable tools/guest/steps/<name>.sh (run by ptj.steps=<name>),
#   /ptj/kselftest/    the kselftest install of TESTTREE (default patched),
#   /ptj/bin/          extra guest binaries (in PATH): every file in $BUILD/guest-bins/ and
#                      every path listed in GUEST_BINS (space separated). Must be static.
#   overlays           every directory listed in GUEST_OVERLAYS (space separated; run.sh
#                      --overlay), copied onto the root as it is (dynamic programs may come with
#                      their libraries: tools/runner/build-strace-suite.sh). An overlay adds, never
#                      replaces: a file of it that the root already has is an error.
. "$(dirname "$0")/../lib.sh"

kernel=${1:?usage: mkinitramfs.sh KERNEL [TESTTREE]}
testtree=${2:-patched}
gdir=$(guest_dir "$kernel")
root=$gdir/root
ksft=$(kselftest_dir "$testtree")
cpio_tool=$(out_dir "$kernel")/usr/gen_init_cpio
[ -x "$cpio_tool" ] || die "no $cpio_tool (build the $kernel kernel first)"
[ -x "$ksft/run_kselftest.sh" ] || die "no kselftest install in $ksft (tools/runner/build-kselftest.sh $testtree)"

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,root,etc,ptj/steps,ptj/bin}
bb=$("$PTJ_TOP/tools/runner/build-busybox.sh" | tail -n 1)
cp "$bb/busybox" "$root/bin/busybox"
while read -r a; do
	[ "$a" = /bin/busybox ] || [ -e "$root$a" ] || ln -s /bin/busybox "$root$a"
done <"$bb/busybox.links"
install -m 0755 "$PTJ_TOP/tools/guest/init.sh" "$root/init"
rm -f "$root/usr/bin/timeout"
install -m 0755 "$PTJ_TOP/tools/guest/timeout.sh" "$root/usr/bin/timeout"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' >"$root/etc/group"
for s in "$PTJ_TOP"/tools/guest/steps/*.sh; do
	[ -x "$s" ] || die "guest step ${s#"$PTJ_TOP"/} is not executable (chmod +x, and commit the mode)"
	install -m 0755 "$s" "$root/ptj/steps/$(basename "$s" .sh)"
done
cp -a "$ksft" "$root/ptj/kselftest"
extra=()
[ -d "$BUILD/guest-bins" ] && for f in "$BUILD"/guest-bins/*; do [ -f "$f" ] && extra+=("$f"); done
for f in ${GUEST_BINS:-}; do
	[ -f "$f" ] || die "GUEST_BINS names $f, which does not exist"
	extra+=("$f")
done
for f in "${extra[@]}"; do
	if head -c4 "$f" | grep -q ELF && readelf -l "$f" | grep -q 'Requesting program interpreter'; then
		die "guest binary $f is dynamically linked (the guest has no libc: link it with -static)"
	fi
	install -m 0755 "$f" "$root/ptj/bin/"
done
for d in ${GUEST_OVERLAYS:-}; do
	[ -d "$d" ] || die "GUEST_OVERLAYS names $d, which is not a directory"
	# A directory of the overlay may exist in the root (a real one, never a symlink: cp would
	# follow it out of the root); any other path must not.
	clash=$(cd "$d" && find . -mindepth 1 | while read -r p; do
		if [ -L "$root/$p" ] || { [ -e "$root/$p" ] && ! { [ -d "$p" ] && [ -d "$root/$p" ]; }; }; then
			echo "${p#.}"
			break
		fi
	done)
	[ -z "$clash" ] || die "overlay $d would replace the guest's $clash"
	cp -a "$d/." "$root/"
done

# gen_init_cpio list: fixed owner (root) and mtime, sorted, plus /dev/console for early output.
list=$gdir/initramfs.list
{
	echo "nod /dev/console 0600 0 0 c 5 1"
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort) | while read -r p; do
		p=${p#.}
		f=$root$p
		mode=$(stat -c %a "$f")
		if [ -L "$f" ]; then
			echo "slink $p $(readlink "$f") 0777 0 0"
		elif [ -d "$f" ]; then
			echo "dir $p $mode 0 0"
		else
			echo "file $p $f $mode 0 0"
		fi
	done
} >"$list"
img=$(initramfs_path "$kernel")
"$cpio_tool" -t 946684800 "$list" | gzip -n -6 >"$img.tmp" || die "gen_init_cpio failed on $list"
mv "$img.tmp" "$img"
say "initramfs: $img ($(du -h "$img" | cut -f1); steps: $(ls "$root/ptj/steps" | xargs); extra bins: ${#extra[@]}$([ -z "${GUEST_OVERLAYS:-}" ] || echo "; overlays: $GUEST_OVERLAYS"))"
