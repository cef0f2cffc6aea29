#!/usr/bin/env bash
# tools/series/devtree.sh: create (or refresh) the developer tree build/devtree: a worktree of
# the base repo on branch `series` = base + `git am` of patches/series. Edit and commit there, then
# `make export` regenerates patches/ from it.
# Never clobbers work: if build/devtree has uncommitted changes, an am/rebase in progress, or
# commits that patches/ does not have, it refuses and says why.
. "$(dirname "$0")/../lib.sh"

bdir=$(base_dir)
dir=$(tree_dir devtree)
log=$PTJ_LOGS/tree.log
mkdir -p "$PTJ_LOGS"
: >"$log"
g() { git -C "$dir" "$@"; }
want="series $(series_hash)"

if [ -e "$dir" ]; then
	common=$(git -C "$dir" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
	gdir=$(git -C "$dir" rev-parse --path-format=absolute --git-dir 2>/dev/null || true)
	[ -n "$common" ] || die "$dir exists but is not a git tree: move it away first"
	if [ -n "$(g status --porcelain)" ]; then
		g status --short | head -n 20 >&2
		die "$dir has uncommitted changes: commit them (then 'make export') or stash them; nothing was changed"
	fi
	for f in rebase-apply rebase-merge MERGE_HEAD CHERRY_PICK_HEAD; do
		[ -e "$gdir/$f" ] && die "$dir has a git am/rebase/merge in progress ($f): finish or abort it first"
	done
	stamp=$gdir/ptj-stamp
	if [ "$common" = "$bdir/.git" ] && [ -f "$stamp" ] && [ "$(g rev-parse HEAD)" = "$(sed -n 2p "$stamp")" ]; then
		if [ "$(sed -n 1p "$stamp")" = "$want" ]; then
			say "developer tree $dir is up to date with patches/ (branch $(g branch --show-current), $(g rev-list --count base..HEAD) patch(es))"
			exit 0
		fi
		say "developer tree $dir has no work of its own; patches/ changed: recreating it"
	else
		# Commits made since `make devtree`: safe only if `make export` would not change patches/.
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		if ! "$PTJ_TOP/tools/series/export.sh" --to "$tmp" >>"$log" 2>&1; then
			die "$dir has commits that cannot be compared with patches/ (see log); move it away to recreate it" "$log"
		fi
		same_patches() { # the NNNN-*.patch files (cover letter aside) of $1 and $2 are identical
			local a b
			a=$(cd "$1" && ls | grep -E '^[0-9]{4}-.*\.patch$' | grep -v '^0000-cover-letter' | LC_ALL=C sort || true)
			b=$(cd "$2" && ls | grep -E '^[0-9]{4}-.*\.patch$' | grep -v '^0000-cover-letter' | LC_ALL=C sort || true)
			[ "$a" = "$b" ] || { echo "patch lists differ: [$a] vs [$b]"; return 1; }
			for f in $a; do cmp "$1/$f" "$2/$f" || return 1; done
		}
		if ! same_patches "$tmp" "$PTJ_TOP/patches" >>"$log" 2>&1; then
			die "$dir has commits not in patches/ (run 'make export' to keep them, or move $dir away); nothing was changed" "$log"
		fi
		if [ "$common" = "$bdir/.git" ]; then
			{ echo "$want"; g rev-parse HEAD; } >"$gdir/ptj-stamp"
			say "developer tree $dir is up to date: its commits equal patches/ (branch $(g branch --show-current))"
			exit 0
		fi
		say "developer tree $dir is a worktree of another base ($common); its commits equal patches/: recreating it on base $(base_version)"
	fi
	git -C "$common/.." worktree remove --force "$dir" 2>>"$log" || rm -rf "$dir"
	git -C "$bdir" worktree prune
fi

if git -C "$bdir" rev-parse -q --verify refs/heads/series >/dev/null; then
	# Keep whatever the old branch had, in case its worktree was deleted by hand.
	git -C "$bdir" branch -f "series-old" series >/dev/null
fi
step "creating developer tree $dir (branch series)" run_logged "$log" \
	git -C "$bdir" worktree add -f -B series "$dir" base || die "cannot create $dir" "$log"
n=$(apply_series "$dir" "$log")
gdir=$(git -C "$dir" rev-parse --path-format=absolute --git-dir)
{ echo "$want"; g rev-parse HEAD; } >"$gdir/ptj-stamp"
say "developer tree: $dir, branch series = base + $n patch(es); build and boot it with 'make KERNEL=devtree'"
