#!/usr/bin/env bash
# tools/bench/bench.sh [--analyze RUN_DIR]: the PTRACE_JOBCTL_CONT benchmark (`make bench`).
#
# Builds tools/bench/jobctl_bench.c (static, with the patched tree's
# tools/testing/selftests/ptrace/jobctl.h, and against its installed uapi headers when they
# exist, else with the header's fallback #defines), then boots the patched and the vanilla
# kernel alternately, BENCH_REPS times each, with tools/runner/run.sh --steps bench (the guest
# step tools/guest/steps/bench.sh runs /ptj/bin/jobctl_bench), keeps each boot's console log
# and summarizes them with tools/bench/analyze.py into build/bench/<run>/:
#   boots.tsv     per boot: kernel, repetition, runner exit code, verdict (from the run's
#                 results.tsv), wall and guest seconds, host load
#   results.tsv   per boot x placement x metric x variant: median, p99, IQR, syscalls/op, ...
#   summary.tsv, summary.json   medians over boots, spread, ratios, differences, targets
#   results.md    the tables (also printed); benchmark.png   latency CDFs of items 1-3
# and, unless BENCH_DOC=0 or ARCH is not x86_64 (the record's architecture), copies the tables
# into Documentation/benchmark.md (between its result markers) and the plot to
# Documentation/benchmark.png. ARCH=arm64|sparc64 runs the same in that architecture's guest.
#
#   --analyze RUN_DIR  only the summary of an earlier run directory
#
# Settings (make-level variables; their defaults: make help):
#   BENCH_REPS            boots per kernel, alternated ABBA: patched vanilla vanilla patched ...
#   BENCH_SEED            seed of the in-guest variant order (boot r uses it with rep=r)
#   BENCH_SCALE           iteration count factor (1: 2000 ops per variant in items 1-2)
#   BENCH_PLACE           placements of items 1-3 (items 4-5 run in the first one)
#   BENCH_KERNELS         the kernel with the series first, the baseline second
#                         (e.g. "patched variant-layout-pad": the layout-matched control)
#   BENCH_DOC             update Documentation/benchmark.md and .png
#   BENCH_BOOT_TIMEOUT    seconds per guest run
#   ACCEL, APPEND: as for make
# Exit: 0 if every boot passed its verdict and produced results (targets missed or not: the
# tables say so), 1 otherwise.
. "$(dirname "$0")/../lib.sh"

TOP=$PTJ_TOP
B=$TOP/tools/bench
REPS=$BENCH_REPS SEED=$BENCH_SEED SCALE=$BENCH_SCALE PLACE=$BENCH_PLACE KERNELS=$BENCH_KERNELS
DOC=$BENCH_DOC BT=$BENCH_BOOT_TIMEOUT
read -r KA KB <<<"$KERNELS"
[ -n "${KB:-}" ] || die "BENCH_KERNELS needs two kernels (with the series first), not '$KERNELS'"

doc_update() { # RUN_DIR: splice results.md into Documentation/benchmark.md, copy the plot
	local run=$1 doc=$TOP/Documentation/benchmark.md
	[ "$DOC" = 1 ] || return 0
	if [ "$ARCH" != x86_64 ]; then
		say "bench: Documentation/benchmark.md records x86_64: left alone for ARCH=$ARCH"
		return 0
	fi
	[ -f "$doc" ] || die "no $doc to update (BENCH_DOC=0 to skip)"
	"$B/analyze.py" --splice "$doc" "$run/results.md"
	[ -f "$run/benchmark.png" ] && cp "$run/benchmark.png" "$TOP/Documentation/benchmark.png"
	say "bench: updated Documentation/benchmark.md and Documentation/benchmark.png (commit them)"
}

if [ "${1:-}" = --analyze ]; then
	run=${2:?usage: bench.sh --analyze RUN_DIR}
	rc=0
	"$B/analyze.py" "$run" || rc=$?
	doc_update "$run"
	exit $rc
fi
[ $# -eq 0 ] || die "usage: bench.sh [--analyze RUN_DIR]"
command -v gnuplot >/dev/null || die "gnuplot missing (apt-get install gnuplot-nox)"

# The boots run back to back: hold the build area for the whole run (the lock is re-entrant,
# so the runs below do not wait for it).
ptj_lock

t0=$(date +%s)
run=$BUILD/bench/$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$run" "$BUILD/bench/bin"
ln -sfn "$(basename "$run")" "$BUILD/bench/latest"
say "bench: run directory $run"

# --- the binary ----------------------------------------------------------------------------
bin=$BUILD/bench/bin/jobctl_bench
uapi=fallback
# jobctl_bench.c includes the kselftests' jobctl.h and the uapi headers of the patched tree:
# build it first (the first boot needs it anyway).
"$TOP/tools/runner/run.sh" --kernel patched --arch "$ARCH" --build-only >"$run/tree.log" 2>&1 ||
	die "cannot build the patched tree for jobctl.h and its uapi headers" "$run/tree.log"
inc=(-I"$(tree_dir patched)/tools/testing/selftests/ptrace")
if ver=$(base_version) && hdr=$(out_dir patched)/usr/include &&
	grep -qs PTRACE_JOBCTL_CONT "$hdr/linux/ptrace.h"; then
	inc+=(-isystem "$hdr")
	uapi="patched tree uapi headers ($hdr)"
fi
ptj_cc "${inc[@]}" -o "$bin" "$B/jobctl_bench.c" >"$run/build.log" 2>&1 ||
	die "building jobctl_bench failed" "$run/build.log"
readelf -l "$bin" | grep -q 'Requesting program interpreter' && die "$bin is not static"
cp "$bin" "$run/"
say "bench: built $bin (${PTJ_CROSS}gcc ${PTJ_CFLAGS[*]}; uapi: $uapi)"

# --- the boots -----------------------------------------------------------------------------
printf 'order\tkernel\trep\tconsole\trun_rc\tverdict\tseconds\tguest\tload1\tload1_after\n' >"$run/boots.tsv"
order=()
for r in $(seq 1 "$REPS"); do
	if [ $((r % 2)) -eq 1 ]; then order+=("$KA:$r" "$KB:$r"); else order+=("$KB:$r" "$KA:$r"); fi
done
n=0
fails=0
for kr in "${order[@]}"; do
	k=${kr%%:*} r=${kr##*:}
	n=$((n + 1))
	load=$(cut -d' ' -f1 /proc/loadavg)
	say "bench: boot $n/${#order[@]}: $k, repetition $r (host load $load)"
	bt0=$(date +%s)
	mrc=0
	"$TOP/tools/runner/run.sh" --kernel "$k" --arch "$ARCH" --accel "$ACCEL" --steps bench --bin "$bin" \
		--timeout "$BT" --append "${APPEND:-} ptj.bench_seed=$SEED ptj.bench_rep=$r ptj.bench_scale=$SCALE ptj.bench_place=$PLACE" \
		>"$run/run-$k-r$r.log" 2>&1 || mrc=$?
	secs=$(($(date +%s) - bt0))
	cons=console-$k-r$r.log
	cp "$(console_log "$k")" "$run/$cons" 2>/dev/null || : >"$run/$cons"
	cp "$(results_tsv "$k")" "$run/results-$k-r$r.tsv" 2>/dev/null || true
	verdict=none
	if [ -s "$run/results-$k-r$r.tsv" ]; then
		verdict=PASS
		! cut -f2 "$run/results-$k-r$r.tsv" | grep -qx FAIL || verdict=FAIL
	fi
	guest=$(fmt_secs "$(cat "$(log_dir "$k")/guest-seconds" 2>/dev/null || echo 0)")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$k" "$r" "$cons" "$mrc" "$verdict" "$secs" \
		"$guest" "$load" "$(cut -d' ' -f1 /proc/loadavg)" >>"$run/boots.tsv"
	if [ $mrc -ne 0 ] || [ "$verdict" != PASS ]; then
		fails=$((fails + 1))
		warn "bench: boot $n ($k, rep $r): runner rc=$mrc, verdict $verdict; see $run/run-$k-r$r.log"
		tail -n 1 "$run/run-$k-r$r.log" >&2 # the runner's last line: its verdict or cause
	fi
	say "bench: boot $n/${#order[@]} done in $(fmt_secs "$secs") (guest run $guest): $(grep -c '^PTJB result' "$run/$cons" || true) results, verdict $verdict"
done

# --- what was measured ------------------------------------------------------------------------
{
	printf 'key\tvalue\n'
	printf 'kernels\t%s %s\n' "$KA" "$KB"
	printf 'base\t%s\n' "$(base_version || echo '?')"
	printf 'project_commit\t%s%s\n' "$(git -C "$TOP" rev-parse --short=12 HEAD)" \
		"$(git -C "$TOP" diff --quiet HEAD -- patches 2>/dev/null || echo ' (patches/ modified)')"
	for k in "$KA" "$KB"; do
		printf 'commit_%s\t%s\n' "$k" "$(git -C "$(tree_dir "$k")" rev-parse --short=12 HEAD 2>/dev/null || echo '?')"
		cfg=$(out_dir "$k")/.config
		printf 'config_sha_%s\t%s\n' "$k" "$(grep -v '^#' "$cfg" 2>/dev/null | sha256sum | cut -c1-16)"
	done
	cfg=$(out_dir "$KA")/.config
	printf 'lockdep\t%s\n' "$(grep -E '^CONFIG_(PROVE_LOCKING|LOCKDEP|DEBUG_LOCKDEP)=' "$cfg" 2>/dev/null | sed 's/^CONFIG_//' | xargs | tr ' ' ',')"
	printf 'accel\t%s\n' "$ACCEL"
	printf 'mem\t%s\n' "$MEM"
	printf 'arch\t%s\n' "$ARCH"
	printf 'qemu\t%s\n' "$("$PTJ_QEMU" --version | head -1 | awk '{print $4}')"
	printf 'host\t%s\n' "$(nproc) cores, $(uname -r)"
	printf 'reps\t%s\n' "$REPS"
	o=
	for kr in "${order[@]}"; do o="${o:+$o, }${kr%%:*} r${kr##*:}"; done
	printf 'order\t%s\n' "$o"
	printf 'uapi\t%s\n' "$uapi"
	printf 'elapsed\t%s\n' "$(fmt_secs $(($(date +%s) - t0)))"
} >"$run/meta.tsv"

arc=0
"$B/analyze.py" "$run" | tee "$run/table.txt" || arc=$?
doc_update "$run"
say "bench: results in $run (results.tsv, summary.tsv, summary.json, results.md, benchmark.png); total $(fmt_secs $(($(date +%s) - t0)))"
if [ $fails -ne 0 ] || [ $arc -ne 0 ]; then
	die "bench: $fails boot(s) failed their verdict or gave no results (see above)"
fi
