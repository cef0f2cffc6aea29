#!/usr/bin/env bash
# tools/checks/export.sh: patches/ is what the export step makes of itself. Exports the patched
# test tree (base + git am of patches/) to a temporary directory and compares: any difference
# means a patch was edited by hand or the export is not byte-stable. Then runs
# scripts/get_maintainer.pl on every patch and prints whom it names; a patch that changes
# kernel/ or include/ must reach the ptrace maintainer and linux-kernel.
. "$(dirname "$0")/../lib.sh"
ptj_lock
"$PTJ_TOP/tools/runner/testtree.sh" patched

tree=$(tree_dir patched)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PTJ_TOP/tools/series/export.sh" --from "$tree" --to "$tmp" >/dev/null ||
	die "export of the patched tree failed"
# patches/ records the base it was exported on (base-commit: in the cover letter). On another
# Linux 7.3.y (the registry served a newer linux-source-7.3 than the one patches/ was made on), the
# blob hashes of the "index" lines, the hunk positions and base-commit: legitimately differ;
# then everything else is compared byte for byte and a warning says so.
here=$(base_git rev-parse HEAD)
ours=$(sed -n 's/^base-commit: //p' "$PTJ_TOP/patches/0000-cover-letter.patch")
norm() { sed -E -e '/^index [0-9a-f]+\.\.[0-9a-f]+/d' -e '/^base-commit: /d' \
	-e 's/^@@ -[0-9]+(,[0-9]+)? \+[0-9]+(,[0-9]+)? @@/@@ @@/' "$1"; }
same() { # patches/FILE and its re-export: identical (modulo the base if it differs)
	if [ "$here" = "$ours" ]; then
		cmp -s "$1" "$2"
	else
		cmp -s <(norm "$1") <(norm "$2")
	fi
}
bad=0
for f in "$tmp"/* "$PTJ_TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch "$PTJ_TOP/patches/series"; do
	b=$(basename "$f")
	if ! same "$PTJ_TOP/patches/$b" "$tmp/$b"; then
		say "check-export: patches/$b differs from what the export makes of it"
		diff -u "$PTJ_TOP/patches/$b" "$tmp/$b" 2>&1 | head -n 20 || true
		bad=1
	fi
done
[ $bad = 0 ] || die "patches/ is not the export of itself: regenerate it with 'make devtree' + 'make export'"
if [ "$here" = "$ours" ]; then
	say "check-export: patches/ is byte-identical to its own re-export"
else
	warn "check-export: patches/ was exported on base ${ours:0:12}, this machine's base is ${here:0:12} (Linux $(base_version)): compared without index lines, hunk positions and base-commit"
	say "check-export: patches/ is identical to its own re-export on this base (but for index lines, hunk positions, base-commit)"
fi

while read -r p; do
	to=$(cd "$tree" && ./scripts/get_maintainer.pl --no-rolestats --no-git --no-git-fallback \
		"$PTJ_TOP/patches/$p" 2>/dev/null | paste -sd, | sed 's/,/, /g')
	[ -n "$to" ] || die "get_maintainer.pl names nobody for $p"
	say "check-export: $p -> $to"
	if grep -qE '^\+\+\+ b/(kernel|include)/' "$PTJ_TOP/patches/$p"; then
		all="$to, $(sed -n 's/^Cc: //p' "$PTJ_TOP/patches/$p" | paste -sd, | sed 's/,/, /g')"
		case $all in *oleg@redhat.com*) ;; *) die "$p changes the kernel but reaches no ptrace maintainer" ;; esac
		case $all in *linux-kernel@vger.kernel.org*) ;; *) die "$p changes the kernel but is not sent to linux-kernel" ;; esac
	fi
done <"$PTJ_TOP/patches/series"
say "check-export: ok"
