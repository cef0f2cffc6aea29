#!/usr/bin/env bash
# tools/checks/long.sh record STEP... | verify: `make check-long` and `make check-long-record`.
#   record STEP...  run the steps (tools/checks/check.sh) and, if all pass, rewrite
#                   Documentation/long-checks.md: what they checked (long_key, tools/lib.sh),
#                   the result and time of each step
#   verify          the record is that of the current series, configs and test programs
# The long steps build kernels that only the series' own changes need (every patch, a KASAN
# build): from a cold compiler cache they do not fit CI's budget next to the rest of make check.
# make check verifies instead that they passed on exactly what is being submitted.
. "$(dirname "$0")/../lib.sh"

mode=${1:?usage: long.sh record STEP... | verify}
shift
rec=$PTJ_LONG_RECORD
"$PTJ_TOP/tools/runner/testtree.sh" patched >/dev/null
key=$(long_key)

case $mode in
verify)
	[ -f "$rec" ] || die "no ${rec#"$PTJ_TOP"/}: run 'make check-long' and commit it"
	have=$(sed -n 's/^key: `\([0-9a-f]*\)`.*/\1/p' "$rec")
	if [ "$have" != "$key" ]; then
		die "${rec#"$PTJ_TOP"/} is for key ${have:-none}; the series, config fragments, known failures or tools/tests/ now give $key: run 'make check-long' (check-bisect, test-kasan, test-kcsan) and commit the file"
	fi
	grep -q '^| .* | FAIL |' "$rec" && die "${rec#"$PTJ_TOP"/} records a failure"
	say "check-long-record: $(grep -c '^| .* | PASS |' "$rec") long step(s) passed on this series and configuration (key $key)"
	;;
record)
	[ $# -gt 0 ] || die "long.sh record: no steps"
	out=$PTJ_LOGS/check-long
	mkdir -p "$out"
	rows=()
	for t in "$@"; do
		s=$(date +%s)
		rc=0
		PTJ_CHECK_RESULTS=$out/results-$t.tsv "$PTJ_TOP/tools/checks/check.sh" "$t" || rc=$?
		secs=$(($(date +%s) - s))
		[ $rc -eq 0 ] || die "make check-long: step '$t' failed after $(fmt_secs $secs); ${rec#"$PTJ_TOP"/} left as it was"
		counts=$(tsv_counts "$out/results-$t.tsv")
		rows+=("| $t | PASS | $(fmt_secs $secs) | ${counts:-see its log} |")
	done
	{
		cat <<EOT
# Long checks

\`make check\` (what CI runs) leaves out the steps that build kernels only the series' own changes
need: \`check-bisect\` (every patch built, and booted with the kselftests of its commit, on arm64;
a patch that changes a widely included header rebuilds most of the kernel), \`test-kasan\` and
\`test-kcsan\` (KASAN and KCSAN builds of the patched kernel, each running the kselftests and a
minute of the stress test). From a cold compiler cache they take longer than CI's budget has
room for. \`make check-long\` runs them and rewrites this file; make check's step
\`check-long-record\` fails if the key below is not that of the tree being checked: the tree of
every patch of the series, the config fragments, kernel/known-failures and tools/tests/ (see
\`long_key\` in tools/lib.sh). After changing any of them, run \`make check-long\` and commit this
file with the change.

| step | result | time | tests |
| --- | --- | --- | --- |
EOT
		printf '%s\n' "${rows[@]}"
		echo
		echo "key: \`$key\` (Linux $(base_version), $(git -C "$(tree_dir patched)" rev-list --count base..HEAD) patches; times with the compiler cache as it was)"
	} >"$rec"
	say "check-long: all passed; wrote ${rec#"$PTJ_TOP"/} (key $key): commit it"
	;;
*) die "usage: long.sh record STEP... | verify" ;;
esac
