#!/usr/bin/env bash
# tools/checks/bisect.sh [OPTION...]: every patch builds on its own, and every patch that
# changes the kernel boots and passes the kselftests that exist at that point.
#
# In the `bisect` test tree, for each commit base+1..HEAD of the patched tree: check it out and
# run the loop on it (tools/runner/run.sh --kernel bisect: incremental kernel build in its own
# O= dir with ccache, the kselftests of that commit, 64-bit only, boot, verdict). A commit that
# changes no file of the kernel build (only tools/testing/, Documentation/, MAINTAINERS, ...)
# gives the same kernel as the one before it: its kernel is not built again, only its
# kselftests if it changes them. Console and verdict of patch N: build/logs/bisect/
# console-NN.log, verdict-NN.txt, results-NN.tsv. The per-patch boots leave out
# ptrace:vmaccess: its attach case deadlocks until the harness timeout (kernel/known-failures),
# 30 s of every boot; `make test` keeps it.
# ARCH (make's BISECT_ARCH) is the architecture of the per-patch kernels: make check uses arm64,
# whose test kernel has a third fewer objects than x86_64's and boots on 2 vCPUs; every patch
# that changes a widely included header costs a rebuild of most objects.
#   --all             build and boot at every commit, even where the kernel cannot change
#   --no-boot         build only
#   --ksft-skip LIST  tests the per-patch boots leave out (default ptrace:vmaccess)
. "$(dirname "$0")/../lib.sh"
ptj_lock

all=0 boot=1 skip=ptrace:vmaccess
while [ $# -gt 0 ]; do
	case $1 in
	--all) all=1; shift ;;
	--no-boot) boot=0; shift ;;
	--ksft-skip) skip=$2; shift 2 ;;
	*) die "usage: bisect.sh [--all] [--no-boot] [--ksft-skip LIST]" ;;
	esac
done
R=$PTJ_TOP/tools/runner
"$R/testtree.sh" patched
mapfile -t patches < <(series_patches)
n=${#patches[@]}
if [ "$n" -eq 0 ]; then
	say "check-bisect: patches/series is empty: nothing to bisect"
	exit 0
fi
pt=$(tree_dir patched)
mapfile -t commits < <(git -C "$pt" rev-list --reverse base..HEAD)
[ ${#commits[@]} -eq "$n" ] || die "patched tree has ${#commits[@]} commits on base, patches/series has $n"
"$R/testtree.sh" bisect
bt=$(tree_dir bisect)
ldir=$(log_dir bisect)
# Paths that take no part in building the kernel image.
not_kernel='^(tools/testing/|Documentation/|MAINTAINERS$|CREDITS$|README$|LICENSES/|samples/)'
t0=$(date +%s)
built=0
booted=0
for i in "${!commits[@]}"; do
	c=${commits[$i]}
	p=$(basename "${patches[$i]}")
	nn=$(printf '%02d' $((i + 1)))
	files=$(git -C "$pt" diff-tree --no-commit-id --name-only -r "$c")
	say "check-bisect: [$((i + 1))/$n] $p: $(git -C "$pt" log -1 --format=%s "$c")"
	git -C "$bt" checkout -q -f --detach "$c" || die "cannot check out $c in $bt"
	if [ $all = 1 ] || [ $built = 0 ] || echo "$files" | grep -qvE "$not_kernel"; then
		built=1
		if [ $boot = 0 ]; then
			"$R/build-kernel.sh" bisect ||
				die "bisectability: the kernel does not build after patch $((i + 1))/$n $p (log: $ldir/build.log)"
			continue
		fi
		rc=0
		"$R/run.sh" --kernel bisect --arch "$ARCH" --no-m32 --append "ptj.ksft_skip=$skip" || rc=$?
		# Kept per patch; results.tsv moves, so that make check's total has no per-patch rows.
		for f in console.log verdict.txt; do
			[ ! -f "$ldir/$f" ] || cp "$ldir/$f" "$ldir/${f%.*}-$nn.${f##*.}"
		done
		[ ! -f "$ldir/results.tsv" ] || mv "$ldir/results.tsv" "$ldir/results-$nn.tsv"
		[ $rc -eq 0 ] || die "bisectability: the kernel after patch $((i + 1))/$n $p does not build, boot or pass the kselftests of that commit (console: $ldir/console-$nn.log)"
		say "check-bisect: patch $((i + 1))/$n boots and passes its kselftests: $(tail -n1 "$ldir/verdict-$nn.txt")"
		booted=$((booted + 1))
	else
		say "check-bisect: $p changes no kernel build input ($(echo "$files" | xargs | cut -c1-100)): same kernel, build skipped"
		if echo "$files" | grep -q '^tools/testing/selftests/'; then
			"$R/build-kselftest.sh" --no-m32 bisect ||
				die "bisectability: the kselftests do not build after patch $((i + 1))/$n $p (log: $ldir/kselftest.log)"
		fi
	fi
done
say "check-bisect: all $n patch(es) build one by one, $booted kernel(s) booted and tested ($(fmt_secs $(($(date +%s) - t0))))"
