#!/usr/bin/env bash
# tools/checks/apply.sh: the series applies with `git am` to a fresh base (the patched tree is reset
# to base and the series re-applied from scratch, whatever its stamp says).
. "$(dirname "$0")/../lib.sh"
ptj_lock
"$PTJ_TOP/tools/runner/testtree.sh" --force patched
n=$(series_patches | wc -l)
say "check-apply: all $n patch(es) of patches/series apply with git am to base $(base_version)"
