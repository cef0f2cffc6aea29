#!/usr/bin/env bash
# tools/series/export.sh [--from TREE] [--to DIR]: regenerate patches/ from the developer tree
# build/devtree (branch series):
#   git format-patch --cover-letter --zero-commit --no-signature --base=<base> base..series
# plus patches/series. Byte-stable: exporting twice gives no diff. The cover letter's subject
# and blurb come from Documentation/cover-letter.txt (first line = subject, blank line, body);
# To:/Cc: come from scripts/get_maintainer.pl on the patches; its From:/Date: are those of the
# last commit's author, so they do not depend on who exports or when.
#   --from TREE   export base..HEAD of another tree (checks/export.sh: the patched test tree,
#                 which is base + git am of patches/)
#   --to DIR      write there instead of patches/ (series/devtree.sh compares with it)
#   FORMAT_PATCH_OPTS  extra format-patch options, e.g. --subject-prefix="PATCH RFC"
. "$(dirname "$0")/../lib.sh"

dir=$(tree_dir devtree)
rev=series
dest=$PTJ_TOP/patches
while [ $# -gt 0 ]; do
	case $1 in
	--from) dir=$2 rev=HEAD; shift 2 ;;
	--to) dest=$2; shift 2 ;;
	*) die "usage: export.sh [--from TREE] [--to DIR]" ;;
	esac
done
cover=$PTJ_TOP/Documentation/cover-letter.txt
[ -d "$dir" ] || die "no developer tree $dir: run 'make devtree' first"
g() { git -C "$dir" "$@"; }
[ "$rev" = HEAD ] || [ "$(g branch --show-current)" = series ] || die "$dir is not on branch series"
[ -z "$(g status --porcelain)" ] || die "$dir has uncommitted changes: commit them first"
[ -f "$cover" ] || die "$cover missing (first line: subject, blank line, body)"
base=$(g rev-parse base)
n=$(g rev-list --count base..$rev)
[ "$(g rev-list --count --merges base..$rev)" = 0 ] || die "base..$rev contains merges"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The series' version is the newest "vN:" changelog entry in the cover letter text (none: v1);
# from v2 on the subjects read [PATCH vN m/n], the file names stay the same.
ver=$(sed -n 's/^v\([0-9][0-9]*\):.*/\1/p' "$cover" | sort -n | tail -n 1)
prefix=()
[ -z "$ver" ] || [ "$ver" = 1 ] || prefix=(--subject-prefix="PATCH v$ver")
if [ "$n" -gt 0 ]; then
	last_an=$(g log -1 --format=%an $rev)
	last_ae=$(g log -1 --format=%ae $rev)
	last_ad=$(g log -1 --format=%ad --date=raw $rev)
	# Neutralise user configuration that changes format-patch output.
	GIT_COMMITTER_NAME=$last_an GIT_COMMITTER_EMAIL=$last_ae GIT_COMMITTER_DATE=$last_ad \
		git -C "$dir" -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicPrefix=false \
		-c diff.renames=true -c diff.algorithm=myers -c format.signOff=false \
		-c format.thread=false -c format.signature= \
		-c format.suffix=.patch -c format.numbered=auto -c format.coverLetter=true \
		-c format.useAutoBase=false -c format.outputDirectory= -c format.encodeEmailHeaders=true \
		format-patch -q --cover-letter --zero-commit --no-signature --no-thread --no-to --no-cc --no-add-header --base="$base" \
		"${prefix[@]}" $FORMAT_PATCH_OPTS -o "$tmp" base..$rev >/dev/null ||
		die "git format-patch failed in $dir"
	cl=$tmp/0000-cover-letter.patch
	[ -f "$cl" ] || die "format-patch wrote no cover letter"
	subject=$(sed -n 1p "$cover")
	sed -n '3,$p' "$cover" >"$tmp/blurb"
	# Recipients, from the tree's MAINTAINERS: people to To:, lists to Cc:.
	patches=("$tmp"/[0-9][0-9][0-9][0-9]-*.patch)
	pl=()
	for p in "${patches[@]}"; do [ "$p" != "$cl" ] && pl+=("$p"); done
	gm() { (cd "$dir" && ./scripts/get_maintainer.pl --no-rolestats --no-git --no-git-fallback "$@" "${pl[@]}") 2>/dev/null; }
	to=$(gm --no-l | paste -sd, | sed 's/,/,\n    /g')
	cc=$(gm --no-m --no-r)
	# Plus what the patches themselves ask for in Cc: trailers (e.g. linux-api for an ABI
	# change), unless get_maintainer.pl already named it.
	extra=$(sed -n 's/^Cc: //p' "${pl[@]}" | sort -u | while read -r a; do
		grep -qiF "$a" <<<"$to"$'\n'"$cc" || echo "$a"; done)
	cc=$(printf '%s\n%s\n' "$cc" "$extra" | sed '/^$/d' | paste -sd, | sed 's/,/,\n    /g')
	SUBJECT=$subject TO=$to CC=$cc BLURB=$tmp/blurb python3 "$(dirname "$0")/cover_letter.py" "$cl"
	rm -f "$tmp/blurb"
fi
(cd "$tmp" && ls | grep -E '^[0-9]{4}-.*\.patch$' | grep -v '^0000-cover-letter.patch$' | LC_ALL=C sort || true) >"$tmp/series"

mkdir -p "$dest"
find "$dest" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
rm -f "$dest/series"
cp "$tmp"/* "$dest"/
say "exported $n patch(es) from $dir (base..$rev) to $dest"
