#!/usr/bin/env bash
# tools/checks/checkpatch.sh: scripts/checkpatch.pl --strict on every patch of patches/series.
# Any ERROR, WARNING or CHECK fails, unless waived in kernel/checkpatch-waivers
# ("PATCH-GLOB TYPE reason", one per line).
. "$(dirname "$0")/../lib.sh"
ptj_lock

waivers=$PTJ_TOP/kernel/checkpatch-waivers
tree=$(tree_dir patched)
[ -d "$tree" ] || "$PTJ_TOP/tools/runner/testtree.sh" patched
log=$PTJ_LOGS/checkpatch.log
mkdir -p "$PTJ_LOGS"
: >"$log"
mapfile -t patches < <(series_patches)
if [ ${#patches[@]} -eq 0 ]; then
	say "check-checkpatch: patches/series is empty: nothing to check"
	exit 0
fi
for p in "${patches[@]}"; do
	echo "=== $(basename "$p")" >>"$log"
	(cd "$tree" && ./scripts/checkpatch.pl --strict --show-types --terse --no-summary "$p") >>"$log" 2>&1 || true
done
python3 "$(dirname "$0")/checkpatch_waivers.py" "$log" "$waivers"
