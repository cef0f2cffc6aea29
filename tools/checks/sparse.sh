#!/usr/bin/env bash
# tools/checks/sparse.sh: sparse (make C=2) on the objects the series touches, in the patched and
# the vanilla tree; fails on warnings that are new in the patched tree (compared without line
# numbers, as distinct file+message pairs). The vanilla result is cached per base, config and sparse version.
#   SPARSE_OBJS   objects to check (default: kernel/signal.o kernel/ptrace.o plus every
#                 kernel/*.o, mm/*.o, fs/*.o whose .c the series changes)
#   SPARSE_FATAL  0 to only print new warnings (default 1)
. "$(dirname "$0")/../lib.sh"
ptj_lock

sparse=$("$PTJ_TOP/tools/runner/build-sparse.sh" | tail -n 1)
"$PTJ_TOP/tools/runner/testtree.sh" patched
pt=$(tree_dir patched)
objs=${SPARSE_OBJS:-kernel/signal.o kernel/ptrace.o $(git -C "$pt" diff --name-only base HEAD -- 'kernel/*.c' 'mm/*.c' 'fs/*.c' 'arch/x86/kernel/*.c' | sed 's/\.c$/.o/' | xargs)}
objs=$(echo "$objs" | tr ' ' '\n' | LC_ALL=C sort -u | xargs)
sdir=$BUILD/sparse
mkdir -p "$sdir"

run_sparse() { # TREE OUTFILE
	local tree=$1 outf=$2 src out log
	src=$(tree_dir "$tree")
	out=$(out_dir "$tree")
	log=$(log_dir "$tree")/sparse.log
	mkdir -p "$(dirname "$log")"
	"$PTJ_TOP/tools/runner/build-kernel.sh" --config-only "$tree"
	: >"$log"
	# shellcheck disable=SC2086
	kmake_tree "$tree" -j"$JOBS" C=2 CHECK="$sparse" $objs >>"$log" 2>&1 ||
		die "sparse run (make C=2 $objs) failed in $tree" "$log"
	# kbuild skips the checker with only a warning when it is missing or too old.
	! grep -q 'specified, but .* is not available or not up to date' "$log" ||
		die "kbuild did not run $sparse in $tree: not available or not up to date" "$log"
	[ "$(grep -c '^  CHECK ' "$log")" -ge "$(echo "$objs" | wc -w)" ] ||
		die "sparse did not check every one of $objs in $tree" "$log"
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$log" | sed -E 's/^([^ :]+):[0-9]+:[0-9]+: /\1: /' | LC_ALL=C sort >"$outf" || true
}

step "sparse on patched: $objs" run_sparse patched "$sdir/patched.txt"
key=$( (git -C "$pt" rev-parse base; cat "$PTJ_FRAGMENT" "$PTJ_ARCH_FRAGMENT"; sha256sum <"$sparse"; echo "$objs") | sha)
vfile=$sdir/vanilla-$key.txt
if [ ! -f "$vfile" ]; then
	"$PTJ_TOP/tools/runner/testtree.sh" vanilla
	step "sparse on vanilla: $objs" run_sparse vanilla "$vfile.tmp"
	mv "$vfile.tmp" "$vfile"
fi
# Distinct (file, message) pairs: more of a warning vanilla already has (e.g. one more
# "different address spaces" for sighand->siglock) is not new; a new kind or place is.
new=$(comm -13 <(sort -u "$vfile") <(sort -u "$sdir/patched.txt"))
say "sparse: $(wc -l <"$sdir/patched.txt") warning(s) in patched, $(wc -l <"$vfile") in vanilla, $(printf '%s' "$new" | grep -c . || true) new"
if [ -n "$new" ]; then
	printf '%s\n' "$new" | sed 's/^/[ptj] sparse new: /'
	[ "$SPARSE_FATAL" = 1 ] && die "sparse: new warnings in the patched tree (log: $(log_dir patched)/sparse.log)"
fi
say "check-sparse: no new sparse warnings in $objs"
