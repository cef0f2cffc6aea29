#!/usr/bin/env bash
# Prepare the base tree: extract Debian's linux-source tarball once into the build area
# (build/base-<VERSION>), git init it with one reproducible commit tagged `base`.
# Prints the exact base version on every run.
. "$(dirname "$0")/../lib.sh"

[ -f "$PTJ_TARBALL" ] || die "$PTJ_TARBALL missing: apt-get install $PTJ_PKG"
mkdir -p "$BUILD" "$PTJ_LOGS"

if ! ver=$(base_version) || [ ! -f "$BUILD/base-$ver/.ptj-base-done" ]; then
	log=$PTJ_LOGS/base.log
	: >"$log"
	tmp=$BUILD/base-tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	step "extracting $(basename "$PTJ_TARBALL")" \
		run_logged "$log" tar -C "$tmp" -xJf "$PTJ_TARBALL" ||
		die "cannot extract $PTJ_TARBALL" "$log"
	src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	[ -f "$src/Makefile" ] || die "no Makefile at the top of $PTJ_TARBALL" "$log"
	ver=$(awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{print v"."p"."s}' \
		"$src/Makefile")
	[[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read the version from $src/Makefile"
	dst=$BUILD/base-$ver
	# A half-made base of the same version (interrupted run): start again.
	if [ -d "$dst" ]; then
		for t in "$BUILD"/trees-"$ver"/* "$BUILD/linux"; do
			[ -e "$t/.git" ] || continue
			if [ "$(git -C "$t" rev-parse --git-common-dir 2>/dev/null)" = "$dst/.git" ]; then
				rm -rf "$t"
			fi
		done
		rm -rf "$dst"
	fi
	mv "$src" "$dst"
	rm -rf "$tmp"
	commit_base() {
		cd "$dst"
		git init -q -b base-branch .
		git config core.autocrlf false
		git config core.filemode true
		git config gc.auto 0
		git config commit.gpgsign false
		git config am.threeWay false
		# Kernel build dirs of the worktrees (O=<tree>/.out*) are not part of any tree.
		printf '/.out*/\n' >>.git/info/exclude
		git add -f -A .
		# The message is part of the reproducible base commit (kernel/base records its hash):
		# it keeps the script's old name.
		GIT_AUTHOR_NAME="$PTJ_GIT_NAME" GIT_AUTHOR_EMAIL="$PTJ_GIT_EMAIL" \
			GIT_AUTHOR_DATE="$PTJ_GIT_DATE" GIT_COMMITTER_NAME="$PTJ_GIT_NAME" \
			GIT_COMMITTER_EMAIL="$PTJ_GIT_EMAIL" GIT_COMMITTER_DATE="$PTJ_GIT_DATE" \
			git commit -q --no-verify -m "Linux $ver" -m "Base of the ptrace job control series: $PTJ_PKG, extracted by tools/base."
		git tag -f base >/dev/null
	}
	step "committing base tree $ver (git init, one reproducible commit)" \
		run_logged "$log" commit_base || die "cannot commit the base tree" "$log"
	{ tarball_id; echo "$ver"; } >"$BUILD/base.stamp"
	touch "$dst/.ptj-base-done"
	printf '/.ptj-base-done\n' >>"$dst/.git/info/exclude"
fi

ver=$(base_version)
sub=${ver##*.}
hash=$(base_git rev-parse base)
say "base: Linux $ver ($PTJ_PKG $(dpkg-query -W -f='${Version}' "$PTJ_PKG" 2>/dev/null || echo '?')), base commit $hash"
# Every verified version has its "base commit V: HASH" line in kernel/base.
want=$(awk -v v="$ver" '$1=="base" && $2=="commit" && $3==v":"{print $4}' "$PTJ_TOP/kernel/base")
if [ -z "$want" ] && [ "$sub" != "$PTJ_VERIFIED_SUBLEVEL" ]; then
	warn "tarball has SUBLEVEL $sub but kernel/base says 'SUBLEVEL last verified: $PTJ_VERIFIED_SUBLEVEL'; going on (update kernel/base once the series is verified on $ver)"
elif [ -n "$want" ] && [ "$want" != "$hash" ]; then
	warn "base commit $hash differs from the one recorded in kernel/base for $ver ($want): the tarball content differs"
fi
