#!/usr/bin/env bash
# tools/checks/manpage.sh: check the ptrace(2) man-pages patch in patches/man-pages/.
#
#   1. Extract Debian's man2/ptrace.2 (package manpages-dev) to a temporary directory and render
#      it with "groff -man -Tutf8 -ww -z" and "man --warnings=w -l -Tutf8": the baseline must
#      render without a single warning, or later warnings could not be told apart.
#   2. Apply patches/man-pages/*.patch in name order with "patch -p1 --fuzz=0" (the patches are
#      written against that page; fuzz would mean the packaged page has changed).
#   3. Render the patched page the same two ways: any output on stderr fails.
#   4. The rendered page documents PTRACE_JOBCTL_CONT (the patch did what it is for).
#
# Optional: MANPAGE_GZ=path/to/ptrace.2.gz checks against another copy of the page.
# The last line printed is "check-manpage: ok" or "check-manpage: FAILED: <reason>".
# Exit status: 0 ok, 1 a check failed, 2 a tool or the packaged page is missing.
set -euo pipefail

prog=check-manpage
fail() { printf '%s: FAILED: %s\n' "$prog" "$*"; exit 1; }
missing() { printf '%s: FAILED: %s\n' "$prog" "$*"; exit 2; }

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/lib.sh" # MANPAGE_GZ's default
pdir=$top/patches/man-pages
gz=$MANPAGE_GZ

for t in groff man patch gzip; do
	command -v "$t" >/dev/null 2>&1 ||
		missing "$t is not installed (Debian: groff-base, man-db, patch, gzip)"
done
[ -f "$gz" ] || missing "$gz not found (Debian: apt-get install manpages-dev)"
shopt -s nullglob
patches=("$pdir"/*.patch)
shopt -u nullglob
[ ${#patches[@]} -gt 0 ] || fail "no patches in ${pdir#"$top"/}"

ver=$(dpkg-query -W -f='${Version}' manpages-dev 2>/dev/null || echo unknown)
printf '%s: page: %s (manpages-dev %s)\n' "$prog" "$gz" "$ver"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-manpage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/page/man2"
gzip -dc "$gz" >"$tmp/page/man2/ptrace.2"

export LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING=
# render LABEL OUT: both renderers; fails on any stderr output.
render() {
	local label=$1 out=$2 err=$tmp/$1.err
	: >"$err"
	(cd "$tmp/page" && groff -man -Tutf8 -ww -z man2/ptrace.2) 2>>"$err" || echo "groff exited $?" >>"$err"
	(cd "$tmp/page" && man --warnings=w -l -Tutf8 man2/ptrace.2 >"$out") 2>>"$err" ||
		echo "man exited $?" >>"$err"
	if [ -s "$err" ]; then
		sed "s|^|$label: |" "$err"
		return 1
	fi
}

render original "$tmp/original.out" ||
	fail "Debian's ptrace.2 itself renders with warnings (no clean baseline)"
printf '%s: original page renders without warnings (groff -ww, man --warnings=w)\n' "$prog"

for p in "${patches[@]}"; do
	if ! (cd "$tmp/page" && patch -p1 --fuzz=0 --no-backup-if-mismatch -s -i "$p") >"$tmp/patch.log" 2>&1; then
		cat "$tmp/patch.log"
		fail "${p#"$top"/} does not apply to $gz with patch -p1 --fuzz=0"
	fi
	[ ! -s "$tmp/patch.log" ] || { cat "$tmp/patch.log"; fail "patch -p1 complained about ${p#"$top"/}"; }
	printf '%s: applied %s\n' "$prog" "${p#"$top"/}"
done
rej=$(cd "$tmp/page" && find . -name '*.rej' -o -name '*.orig' | head -1)
[ -z "$rej" ] || fail "patch left $rej behind"

render patched "$tmp/patched.out" || fail "the patched ptrace.2 renders with warnings"
printf '%s: patched page renders without warnings (groff -ww, man --warnings=w)\n' "$prog"

# Strip the terminal formatting (overstrike / SGR) before searching the rendered text.
sed -e 's/\x1b\[[0-9;]*m//g' -e 's/.\x08//g' "$tmp/patched.out" >"$tmp/patched.txt"
grep -q 'PTRACE_JOBCTL_CONT' "$tmp/patched.txt" ||
	fail "the rendered patched page does not mention PTRACE_JOBCTL_CONT"
printf '%s: patched page: %d lines (original %d)\n' "$prog" \
	"$(wc -l <"$tmp/patched.txt")" "$(wc -l <"$tmp/original.out")"
printf '%s: ok\n' "$prog"
