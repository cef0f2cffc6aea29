#!/usr/bin/env bash
# tools/model/model.sh [--long] [--tree DIR]: check the Promela model of the series' job control
# notification (tools/model/jobctl.pml, Documentation/model.md) with SPIN, single-threaded.
#   1. The citations (tools/model/citations.py): every function and condition the model quotes
#      is still in the patched tree (default: the patched test tree, made up to date first, as
#      check-docs does; --tree DIR: that kernel tree instead, e.g. build/devtree).
#   2. Every kernel mutant (kernel/mutants/NAME.patch) has its switch in the model
#      (MUTANT_NAME, upper-cased, '-' -> '_') and its line in tools/model/mutants.
#   3. The runs: the model of v6 passes every property (assertions, invalid end states) and the
#      LTL formula p1 under weak fairness; each mutant switch gives a counterexample of the
#      property tools/model/mutants names (and, for P1, of p1 too). A mutant model that passes
#      fails the check.
# Bounds: MAXREQ tracer requests, MAXSTOP/MAXCONT/MAXKILL signals of the third party, 2 threads.
# MODEL_MUTANTS=0: step 3 without the mutant runs (check-fresh's root, where only SPIN's install
# is in question; the host's check-model runs them).
# make check-model: MAXREQ=4 and one signal of each kind, states stored exactly (-DCOLLAPSE);
# make model-long (--long): MAXREQ=5, two SIGSTOPs and two SIGCONTs, bitstate (-DBITSTATE).
# Writes BUILD/model[-long]/results.tsv (run, kernel, property, expected, result, states, depth,
# memory MB, seconds, bounds), the same runs as tests in the verdict's format in
# build/logs/model[-long]/results.tsv, a summary of each counterexample in trails/<run>.txt, and the
# raw SPIN output of each run in work/<run>/; the last line is "check-model: ok ..." or the
# cause.
. "$(dirname "$0")/../lib.sh"

long=0
tree=
while [ $# -gt 0 ]; do
	case $1 in
	--long) long=1; shift ;;
	--tree) tree=$(realpath "$2"); shift 2 ;;
	*) die "usage: tools/model/model.sh [--long] [--tree KERNEL-TREE]" ;;
	esac
done
M=$PTJ_TOP/tools/model
if [ $long = 1 ]; then
	name=model-long bounds="-DMAXREQ=5 -DMAXSTOP=2 -DMAXCONT=2 -DMAXKILL=1"
	# The state space of the long bounds is too large to store: bitstate hashing (one bit per
	# state in a 2^32-bit table, 512 MB) may miss states; a wider search, not a proof.
	store=-DBITSTATE hashw=-w32
else
	name=model bounds="-DMAXREQ=4 -DMAXSTOP=1 -DMAXCONT=1 -DMAXKILL=1"
	store=-DCOLLAPSE hashw=
fi
command -v spin >/dev/null || die "spin is not installed (Debian package spin: make deps)"
out=$BUILD/$name
rm -rf "$out/work" "$out/trails"
mkdir -p "$out/work" "$out/trails"
res=$out/results.tsv
printf 'run\tkernel\tproperty\texpected\tresult\tstates\tdepth\tmemory_mb\tseconds\tbounds\n' >"$res"
# Each run as a test, in the verdict's format (make check gathers it).
vres=$PTJ_LOGS/$name/results.tsv
mkdir -p "$(dirname "$vres")"
printf 'test\tstatus\treason\n' >"$vres"
t0=$(date +%s)

# 1. Citations
if [ -z "$tree" ]; then
	ptj_lock
	"$PTJ_TOP/tools/runner/testtree.sh" patched
	tree=$(tree_dir patched)
fi
python3 "$M/citations.py" --tree "$tree" --list "$M/citations" --model "$M/jobctl.pml" --top "$PTJ_TOP" ||
	die "check-model: the model cites code that the patched tree ($tree) no longer has"

# 2. A switch and an expected property for every kernel mutant
mutants=()
for p in "$PTJ_TOP"/kernel/mutants/*.patch; do
	m=$(basename "$p" .patch)
	sw=MUTANT_$(echo "$m" | tr 'a-z-' 'A-Z_')
	grep -q "\b$sw\b" "$M/jobctl.pml" || die "check-model: kernel mutant $m has no switch $sw in tools/model/jobctl.pml"
	awk -F'\t' -v m="$m" '$1 == m { f = 1 } END { exit !f }' "$M/mutants" ||
		die "check-model: kernel mutant $m has no line in tools/model/mutants"
	mutants+=("$m")
done

# spin_run RUN KERNEL PROPERTY EXPECT DEFINES PANFLAGS: one SPIN run; EXPECT is pass or
# fail. Appends to results.tsv; returns 1 if the result is not the expected one.
failed=()
spin_run() {
	local run=$1 kernel=$2 prop=$3 expect=$4 defs=$5 panflags=$6 w=$out/work/$1 cc=(-DSAFETY -DNOCLAIM)
	local s e rc=0 result states depth mem secs viol
	mkdir -p "$w"
	cp "$M/jobctl.pml" "$w/"
	# -a: the LTL formula p1 (-A: without the assertions, which the safety runs check)
	case " $panflags " in *" -a "*) cc=(-DNFAIR=3) ;; esac
	# shellcheck disable=SC2086
	(cd "$w" && spin $bounds $defs -a jobctl.pml >spin.log 2>&1 &&
		gcc -O2 -w "${cc[@]}" $store -o pan pan.c >>spin.log 2>&1) ||
		die "check-model: $run: spin/gcc failed" "$w/spin.log"
	s=$(date +%s.%N)
	# shellcheck disable=SC2086
	(cd "$w" && ./pan -m1000000 $hashw $panflags >pan.out 2>&1) || rc=$?
	e=$(date +%s.%N)
	grep -q 'errors: [0-9]' "$w/pan.out" || die "check-model: $run: pan did not finish (rc=$rc)" "$w/pan.out"
	grep -q 'max search depth too small' "$w/pan.out" && die "check-model: $run: search depth too small" "$w/pan.out"
	states=$(awk '/states, stored/ { print $1; exit }' "$w/pan.out")
	depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' "$w/pan.out" | head -n1)
	mem=$(awk '/total actual memory usage/ { print $1; exit }' "$w/pan.out")
	secs=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.1f", e - s }')
	viol=$(grep -oE 'assertion violated \(+P[0-9]_[a-z_]+|acceptance cycle|invalid end state' "$w/pan.out" |
		head -n1 | sed -E 's/assertion violated \(+//; s/ /-/g' || true)
	if grep -q 'errors: 0' "$w/pan.out"; then
		result=pass
	else
		result="counterexample:${viol:-unknown}"
		# shellcheck disable=SC2086
		(cd "$w" && spin $bounds $defs -t jobctl.pml 2>&1 |
			sed -n 's/^ *@ //p; s/^spin: text of failed assertion: /=> violated: /p; /acceptance cycle/p' \
			>"$out/trails/$run.txt") || true
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$kernel" "$prop" "$expect" "$result" \
		"$states" "$depth" "$mem" "$secs" "$bounds $store" >>"$res"
	local ok=0
	case $expect in
	pass) [ "$result" = pass ] || ok=1 ;;
	fail) case $result in "counterexample:$prop" | "counterexample:acceptance-cycle") ;; *) ok=1 ;; esac ;;
	esac
	say "model: $(printf '%-36s %-26s %-34s' "$run" "expect $expect${prop:+ ($prop)}" "$result") $states states, depth $depth, $mem MB, $secs s"
	if [ $ok = 1 ]; then
		failed+=("$run")
		printf '%s\tFAIL\texpected %s, got %s\n' "$run" "$expect" "$result" >>"$vres"
	else
		printf '%s\tPASS\t\n' "$run" >>"$vres"
	fi
}

# 3. The runs
spin_run v6 patched all pass "" ""
spin_run v6-ltl-p1 patched p1 pass "" "-a -f -A"
[ "$MODEL_MUTANTS" = 1 ] || mutants=()
for m in "${mutants[@]}"; do
	sw=MUTANT_$(echo "$m" | tr 'a-z-' 'A-Z_')
	prop=$(awk -F'\t' -v m="$m" '$1 == m { print $2; exit }' "$M/mutants")
	n=${prop#P}
	n=${n%%_*}
	spin_run "$m" "mutant-$m" "$prop" fail "-D$sw -DONLY_PROPERTY=$n" "-c1"
	if [ "$n" = 1 ]; then
		spin_run "$m-ltl-p1" "mutant-$m" p1 fail "-D$sw" "-a -f -A -c1"
	fi
done

total=$(($(date +%s) - t0))
say "model: results in $res, counterexamples in $out/trails/"
if [ ${#failed[@]} -gt 0 ]; then
	die "check-model: ${#failed[@]} run(s) not as expected: ${failed[*]} (see $res)"
fi
if [ "$MODEL_MUTANTS" = 1 ]; then
	say "check-model: ok: v6 passes every property, ${#mutants[@]} mutant switches give their counterexample ($(fmt_secs $total))"
else
	say "check-model: ok: v6 passes every property; the mutant runs left out (MODEL_MUTANTS=0) ($(fmt_secs $total))"
fi
