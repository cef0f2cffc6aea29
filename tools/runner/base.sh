#!/usr/bin/env bash
# Prepare the base tree: fetch the linux-source .deb that kernel/base pins, extract its tarball
# once into the build area (build/base-<VERSION>), git init it with one reproducible commit
# tagged `base`. Prints the exact base version on every run.
#
# The .deb comes from Debian's registry through a private apt configuration in PTJ_CACHE/apt (its
# own sources list naming kernel/base's suite on the host's Debian mirror, its own lists and
# package cache): nothing of the host's apt sources or installed packages changes, and nothing is
# installed. The pinned version must match kernel/base's sha256. A newer version of the package
# in the suite is used with a warning; none at all, or only an older one, is an error. Without the
# registry, a pinned .deb already in the cache is used with a warning.
#   BASE_MIRROR   the Debian mirror (default: the host's, from apt-get indextargets)
. "$(dirname "$0")/../lib.sh"

suite=$(base_pin suite)
pin_ver=$(base_pin version)
pin_sha=$(base_pin sha256)
[ -n "$PTJ_PKG" ] && [ -n "$suite" ] && [ -n "$pin_ver" ] && [ -n "$pin_sha" ] ||
	die "kernel/base needs package:, suite:, version: and sha256: lines"
mkdir -p "$BUILD" "$PTJ_LOGS"
log=$PTJ_LOGS/base.log
: >"$log"

# --- the .deb -----------------------------------------------------------------------------------
apt_dir=$PTJ_CACHE/apt
debs=$PTJ_CACHE/debs
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sourceparts" "$debs"
mirror=${BASE_MIRROR:-$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
	awk '$2 ~ /^(bookworm|trixie|sid|unstable|stable)$/ && $1 !~ /security/ {print $1; exit}')}
[ -n "$mirror" ] || die "no Debian mirror in this host's apt sources (set BASE_MIRROR)"
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
	"${mirror%/}" "$suite" >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=$apt_dir/sourceparts"
	-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root)
what="$PTJ_PKG (>= $pin_ver) in $suite at $mirror"
pinned_deb=$debs/${PTJ_PKG}_${pin_ver}_all.deb
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if run_logged "$log" apt-get -q "${apt_opts[@]}" --error-on=any update; then
	cand=$(apt-cache "${apt_opts[@]}" policy "$PTJ_PKG" 2>>"$log" | awk '$1 == "Candidate:" {print $2}')
	case ${cand:-"(none)"} in
	"(none)") die "$what: not found" ;;
	"$pin_ver") ver=$pin_ver ;;
	*)
		dpkg --compare-versions "$cand" gt "$pin_ver" ||
			die "$what: the registry has only $cand, older than kernel/base's $pin_ver"
		ver=$cand
		warn "$PTJ_PKG $cand in $suite is newer than kernel/base's $pin_ver: using it (update kernel/base once the series is verified on it)"
		;;
	esac
	deb=$debs/${PTJ_PKG}_${ver}_all.deb
	if [ ! -f "$deb" ] || { [ "$ver" = "$pin_ver" ] && [ "$(sha_of "$deb")" != "$pin_sha" ]; }; then
		rm -rf "$deb" "$debs.tmp"
		mkdir -p "$debs.tmp"
		# apt-get download writes into the current directory; the file is moved in when whole.
		download() { (cd "$debs.tmp" && apt-get -q "${apt_opts[@]}" download "$PTJ_PKG=$ver") &&
			mv "$debs.tmp/$(basename "$deb")" "$deb" && rm -rf "$debs.tmp"; }
		step "fetching $PTJ_PKG $ver ($suite)" run_logged "$log" download ||
			die "$what: apt-get download of $ver failed" "$log"
	fi
elif [ -f "$pinned_deb" ]; then
	warn "$what: the registry cannot be read (log: $log); using the pinned .deb in $debs"
	deb=$pinned_deb ver=$pin_ver
else
	die "$what: the registry cannot be read and $pinned_deb is not cached" "$log"
fi
[ -f "$deb" ] || die "$what: no $deb after the download" "$log"
sha=$(sha_of "$deb")
if [ "$ver" = "$pin_ver" ] && [ "$sha" != "$pin_sha" ]; then
	rm -f "$deb"
	die "$PTJ_PKG $ver: sha256 $sha, kernel/base pins $pin_sha"
fi

# --- the tree -----------------------------------------------------------------------------------
stamp=$BUILD/base.stamp
if ! bver=$(base_version) || [ "$(sed -n 1p "$stamp")" != "$sha $ver" ]; then
	tmp=$BUILD/base-tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tarball=./usr/src/$PTJ_PKG.tar.xz
	extract() { dpkg-deb --fsys-tarfile "$deb" | tar -xO "$tarball" | tar -C "$tmp" -xJ; }
	step "extracting $(basename "$tarball") of $(basename "$deb")" run_logged "$log" extract ||
		die "cannot extract $tarball from $deb" "$log"
	src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	[ -f "$src/Makefile" ] || die "no Makefile at the top of $tarball" "$log"
	bver=$(awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{print v"."p"."s}' \
		"$src/Makefile")
	[[ $bver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read the version from $src/Makefile"
	dst=$BUILD/base-$bver
	# A base of the same version from another .deb, or half made: start again (with its trees).
	if [ -d "$dst" ]; then
		for t in "$BUILD"/trees-"$bver"/* "$BUILD/devtree"; do
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
		GIT_AUTHOR_NAME="$PTJ_GIT_NAME" GIT_AUTHOR_EMAIL="$PTJ_GIT_EMAIL" \
			GIT_AUTHOR_DATE="$PTJ_GIT_DATE" GIT_COMMITTER_NAME="$PTJ_GIT_NAME" \
			GIT_COMMITTER_EMAIL="$PTJ_GIT_EMAIL" GIT_COMMITTER_DATE="$PTJ_GIT_DATE" \
			git commit -q --no-verify -m "Linux $bver" -m "Base of the ptrace job control series: $PTJ_PKG $ver."
		git tag -f base >/dev/null
	}
	step "committing base tree $bver (git init, one reproducible commit)" \
		run_logged "$log" commit_base || die "cannot commit the base tree" "$log"
	touch "$dst/.ptj-base-done"
	printf '/.ptj-base-done\n' >>"$dst/.git/info/exclude"
	{ echo "$sha $ver"; echo "$bver"; } >"$stamp"
fi

bver=$(base_version)
sub=${bver##*.}
hash=$(base_git rev-parse base)
say "base: Linux $bver ($PTJ_PKG $ver), base commit $hash"
# Every verified version has its "base commit V: HASH" line in kernel/base.
want=$(awk -v v="$bver" '$1=="base" && $2=="commit" && $3==v":"{print $4}' "$PTJ_TOP/kernel/base")
if [ -z "$want" ] && [ "$sub" != "$PTJ_VERIFIED_SUBLEVEL" ]; then
	warn "tree has SUBLEVEL $sub but kernel/base says 'SUBLEVEL last verified: $PTJ_VERIFIED_SUBLEVEL'; going on (update kernel/base once the series is verified on $bver)"
elif [ -n "$want" ] && [ "$want" != "$hash" ]; then
	warn "base commit $hash differs from the one recorded in kernel/base for $bver ($want): the tarball content differs"
fi
