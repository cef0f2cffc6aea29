#!/usr/bin/env bash
# tools/runner/testtree.sh [--force] NAME: create or reset the test tree NAME (a git worktree
# of the base repo); --force re-applies everything whatever the tree's stamp says.
#   vanilla       base
#   patched       base + `git am` of patches/series, redone whenever patches/ changed or the
#                 tree differs from what the last apply produced (so it always equals patches/)
#   mutant-NAME   base + `git apply` of kernel/mutants/NAME.patch (committed, fixed identity);
#   variant-NAME  the same with kernel/variants/NAME.patch. A line "On: series" before the
#                 diff puts it on top of the series instead (base + git am patches/series +
#                 git apply NAME.patch); "On: base" = default
#   bisect        base (tools/checks/bisect.sh moves it along the series)
# With base fixups for ARCH (kernel/base-fixups/<arch>/*.patch), every tree is <name>-<arch>
# and starts from base + the fixups (git am, fixed identity) instead of base.
# Kernel build dirs (<tree>/.out*) survive every reset: builds stay incremental.
. "$(dirname "$0")/../lib.sh"

force=0
if [ "${1:-}" = --force ]; then force=1; shift; fi
name=${1:?usage: testtree.sh [--force] vanilla|patched|mutant-NAME|variant-NAME|bisect}
ver=$(base_version) || die "base tree not prepared (run tools/runner/base.sh)"
bdir=$(base_dir)
dir=$(tree_dir "$name")
log=$(log_dir "$name")/tree.log
mkdir -p "$(dirname "$log")" "$(trees_dir)"
: >"$log"

case $name in
vanilla | patched | bisect) ;;
mutant-* | variant-*)
	mpatch=$(kernel_patch "$name")
	[ -f "$mpatch" ] || die "KERNEL=$name but $mpatch does not exist"
	mon=$(sed -n '/^diff --git /q; s/^On: *\([a-z]*\).*/\1/p' "$mpatch" | head -n 1)
	mon=${mon:-base}
	case $mon in base | series) ;; *) die "$mpatch: 'On: $mon' (base or series)" ;; esac
	;;
*) die "unknown tree '$name' (vanilla, patched, mutant-NAME, variant-NAME, bisect)" ;;
esac

git -C "$bdir" worktree prune
if [ -e "$dir" ] && [ "$(git -C "$dir" rev-parse --git-common-dir 2>/dev/null)" != "$bdir/.git" ]; then
	say "$dir is not a worktree of $bdir: removing it"
	rm -rf "$dir"
fi
if [ ! -e "$dir" ]; then
	step "creating $name tree ($dir)" run_logged "$log" \
		git -C "$bdir" worktree add --detach "$dir" base || die "cannot create worktree $dir" "$log"
fi

g() { git -C "$dir" "$@"; }
clean() { [ -z "$(g status --porcelain --untracked-files=normal)" ]; }

fixups=$(arch_fixups)
fixups_hash=
[ -z "$fixups" ] || fixups_hash=" fixups-$ARCH $(cat $fixups | sha)"
# What the tree must contain, as a hash of its inputs.
case $name in
vanilla | bisect) want="base $(g rev-parse base)" ;;
patched) want="series $(series_hash)" ;;
mutant-* | variant-*)
	want="mutant $(g rev-parse base) $(sha256sum <"$mpatch" | cut -c1-16)"
	[ "$mon" = series ] && want="$want $(series_hash)"
	;;
esac
want="$want$fixups_hash"
stamp=$(g rev-parse --git-dir)/ptj-stamp
if [ $force = 0 ] && [ -f "$stamp" ] && [ "$(sed -n 1p "$stamp")" = "$want" ] &&
	[ "$(g rev-parse HEAD)" = "$(sed -n 2p "$stamp")" ] && clean; then
	say "$name tree: $dir at $(g log -1 --format='%h %s') (up to date)"
	exit 0
fi

rm -f "$stamp"
g am --abort >/dev/null 2>&1 || true
run_logged "$log" g checkout -q -f --detach base || die "cannot reset $dir to base" "$log"
run_logged "$log" g clean -q -f -d -x -e '/.out*' || die "cannot clean $dir" "$log"
for f in $fixups; do
	run_logged "$log" env GIT_COMMITTER_NAME="$PTJ_GIT_NAME" GIT_COMMITTER_EMAIL="$PTJ_GIT_EMAIL" \
		GIT_COMMITTER_DATE="$PTJ_GIT_DATE" git -C "$dir" am --no-3way "$f" ||
		die "base fixup ${f#"$PTJ_TOP"/} does not apply to $ver" "$log"
done
[ -z "$fixups" ] || say "$name tree: base + $(echo "$fixups" | wc -l) $ARCH base fixup(s) (kernel/base-fixups/$ARCH)"
case $name in
patched)
	n=$(apply_series "$dir" "$log")
	say "$name tree: base + $n patch(es) from patches/series applied with git am"
	;;
mutant-* | variant-*)
	if [ "$mon" = series ]; then
		n=$(apply_series "$dir" "$log")
		say "$name tree: base + $n patch(es) of the series, then the mutant"
	fi
	run_logged "$log" g apply --index "$mpatch" ||
		die "mutant $(basename "$mpatch") does not apply to $mon ($ver)" "$log"
	run_logged "$log" env GIT_AUTHOR_NAME="$PTJ_GIT_NAME" GIT_AUTHOR_EMAIL="$PTJ_GIT_EMAIL" \
		GIT_AUTHOR_DATE="$PTJ_GIT_DATE" GIT_COMMITTER_NAME="$PTJ_GIT_NAME" \
		GIT_COMMITTER_EMAIL="$PTJ_GIT_EMAIL" GIT_COMMITTER_DATE="$PTJ_GIT_DATE" \
		git -C "$dir" commit -q --no-verify -m "$name" ||
		die "cannot commit mutant $name" "$log"
	;;
esac
{ echo "$want"; g rev-parse HEAD; } >"$stamp"
say "$name tree: $dir at $(g log -1 --format='%h %s')"
