#!/usr/bin/env bash
# tools/checks/docs.sh [TREE]: check the series' kernel documentation in the kernel tree TREE
# (default: the patched test tree, made up to date first).
#
#   1. Documentation/userspace-api/ptrace.rst parses and renders to HTML with plain docutils
#      without a single message of level WARNING or above.  The Sphinx and kernel roles and
#      directives that plain docutils lacks (:c:func:, :ref:, kernel-doc, ...) are registered as
#      harmless dummies, so the check does not depend on Sphinx; the document should not need
#      them anyway (plain ``literals`` read the same in the source and in every build).
#   2. No line is longer than the limit its neighbours keep: 80 columns if at least 95% of the
#      lines of the other Documentation/userspace-api/*.rst files fit in 80 columns (they do:
#      about 98.8% in 7.3), 100 otherwise.  Tabs count up to the next multiple of 8.
#   3. Documentation/userspace-api/index.rst lists "ptrace" in one of its toctrees.
#   4. If Sphinx is installed for the same Python (Debian: python3-sphinx), a one-document
#      Sphinx build of the file with the kernel's own Sphinx extensions (Documentation/sphinx:
#      automarkup, cdomain on old Sphinx, rstFlatTable, kernel_include, autosectionlabel) and
#      -W: any warning fails.  It builds in a temporary directory and never writes to TREE
#      (the kernel's "make htmldocs" writes generated netlink .rst files into the source tree).
#      CHECK_DOCS_SPHINX=0 skips it; without Sphinx it is skipped with a note.
#   5. The example program (the first literal block of the "Example" section) compiles without
#      a warning as C (gcc -std=gnu11) and as C++ (g++): debuggers are written in both, and
#      glibc's ptrace() prototype makes a bare #define of a new request fail in C++.
#
# The last line printed is "check-docs: ok" or "check-docs: FAILED: <reason>".
# Exit status: 0 ok, 1 a check failed, 2 usage error or missing docutils.
set -euo pipefail

prog=check-docs
fail() { printf '%s: FAILED: %s\n' "$prog" "$*"; exit 1; }
usage() { printf 'usage: tools/checks/docs.sh [KERNEL-TREE]\n%s: FAILED: usage\n' "$prog" >&2; exit 2; }

[ $# -le 1 ] || usage
if [ $# -eq 0 ]; then
	. "$(dirname "$0")/../lib.sh"
	ptj_lock
	"$PTJ_TOP/tools/runner/testtree.sh" patched
	set -- "$(tree_dir patched)"
fi
tree=$(cd "$1" 2>/dev/null && pwd) || { printf '%s: FAILED: no such directory: %s\n' "$prog" "$1"; exit 2; }
doc=Documentation/userspace-api/ptrace.rst
index=Documentation/userspace-api/index.rst
[ -f "$tree/$doc" ] || fail "$tree/$doc does not exist"
[ -f "$tree/$index" ] || fail "$tree/$index does not exist"

# A Python that has docutils: Debian's python3-docutils lives in /usr/bin/python3, which may not
# be the python3 first in PATH (pyenv and the like).
PY=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import docutils' 2>/dev/null; then
		PY=$(command -v "$p")
		break
	fi
done
if [ -z "$PY" ]; then
	printf '%s: FAILED: docutils is not installed (Debian: apt-get install python3-docutils)\n' "$prog"
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# 1-3: docutils, line length, index.
"$PY" "$(dirname "$0")/docs_rst.py" "$tree" "$doc" "$index" || exit 1

# 4. Sphinx, with the kernel's extensions, on this one document.
if [ "$CHECK_DOCS_SPHINX" = 0 ]; then
	printf '%s: note: Sphinx build skipped (CHECK_DOCS_SPHINX=0)\n' "$prog"
elif ! "$PY" -c 'import sphinx' 2>/dev/null; then
	printf '%s: note: Sphinx not installed for %s: Sphinx build skipped (Debian: python3-sphinx)\n' \
		"$prog" "$PY"
else
	mkdir -p "$tmp/src"
	cp "$tree/$doc" "$tmp/src/ptrace.rst"
	cat >"$tmp/src/conf.py" <<EOF
import os, sys
import sphinx
sys.path.insert(0, os.path.join("$tree", "Documentation", "sphinx"))
project = "check-docs"
root_doc = master_doc = "ptrace"
extensions = ["rstFlatTable", "kernel_include", "automarkup", "sphinx.ext.autosectionlabel"]
if sphinx.version_info[:2] < (3, 1):
    extensions.append("cdomain")
autosectionlabel_prefix_document = True
autosectionlabel_maxdepth = 2
primary_domain = "c"
highlight_language = "none"
html_theme = "alabaster"
EOF
	if ! srctree=$tree "$PY" -m sphinx -b html -W --keep-going -q -d "$tmp/doctrees" "$tmp/src" "$tmp/out" \
		>"$tmp/sphinx.log" 2>&1 || [ -s "$tmp/sphinx.log" ]; then
		sed "s|$tmp/src/ptrace.rst|$doc|g" "$tmp/sphinx.log"
		fail "Sphinx $("$PY" -c 'import sphinx; print(sphinx.__version__)') reports problems in $doc"
	fi
	printf '%s: Sphinx %s with the kernel extensions: %s builds without warnings\n' \
		"$prog" "$("$PY" -c 'import sphinx; print(sphinx.__version__)')" "$doc"
fi

# 5. The example compiles as C and as C++.  The block: the lines after the first line ending
# in "::" below the "Example" heading, up to the first non-blank line that is not indented.
awk '
	/^Example$/ { sec = 1; next }
	sec == 1 && /::$/ { sec = 2; next }
	sec == 2 && /^[^\t ]/ { exit }
	sec == 2 { sub(/^\t/, ""); print }
' "$tree/$doc" >"$tmp/example.c"
grep -q 'main(' "$tmp/example.c" || fail "no example program found in the Example section of $doc"
flags=(-Wall -Wextra -Werror -O2 -c)
gcc -std=gnu11 "${flags[@]}" -x c "$tmp/example.c" -o "$tmp/example-c.o" >"$tmp/cc.log" 2>&1 ||
	{ cat "$tmp/cc.log"; fail "the example in $doc does not compile as C (gcc ${flags[*]})"; }
g++ "${flags[@]}" -x c++ "$tmp/example.c" -o "$tmp/example-cxx.o" >"$tmp/cxx.log" 2>&1 ||
	{ cat "$tmp/cxx.log"; fail "the example in $doc does not compile as C++ (g++ ${flags[*]})"; }
printf '%s: the example (%d lines) compiles as C and as C++ without warnings\n' "$prog" \
	"$(wc -l <"$tmp/example.c")"

printf '%s: ok\n' "$prog"
