#!/bin/sh
# /init of the ptj test guest (busybox sh, no disk). Mounts the pseudo filesystems, reports the
# CPUs, runs each step named by ptj.steps= on the kernel command line (comma separated; each one
# is the executable /ptj/steps/<name>), then powers off. tools/verdict/verdict.py reads the markers below.
export PATH=/ptj/bin:/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
# devtmpfs has no /dev/fd, /dev/std*: udev makes them elsewhere; kselftest's runner writes
# its TAP to /dev/stdout.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /dev/shm
hostname ptj-guest

echo "PTJ: guest init start"
echo "PTJ: kernel $(uname -r) $(uname -v)"
# (nproc: the CPUs this process may run on, i.e. the online ones; /proc/cpuinfo's format is
# the architecture's own, sparc64's has no "processor" lines)
echo "PTJ: cpus online: $(nproc) ($(cat /sys/devices/system/cpu/online))"

steps=kselftest
for arg in $(cat /proc/cmdline); do
	case $arg in
	ptj.steps=*) steps=${arg#ptj.steps=} ;;
	esac
done
echo "PTJ: steps: $steps"

for s in $(echo "$steps" | tr ',' ' '); do
	[ "$s" = none ] && continue
	echo "PTJ: step $s begin"
	if [ -x "/ptj/steps/$s" ]; then
		(cd /tmp && "/ptj/steps/$s")
		rc=$?
	else
		echo "PTJ: no step /ptj/steps/$s in the initramfs"
		rc=127
	fi
	echo "PTJ: step $s end rc=$rc"
done

sync
echo "PTJ: guest done"
poweroff -f
