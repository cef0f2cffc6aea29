#!/usr/bin/env bash
# tools/proof/proof.sh [--out FILE] [--kernels LIST] [--stress-secs N]: show that the series'
# tests test something. Boots, besides the patched kernel, the vanilla base, every mutant of
# kernel/mutants/ and every variant of kernel/variants/ whose first line says "Variant" (see the
# "On:" line of each file: base or series), runs the job control kselftests (guest step
# 'jobctl') on each, plus a short stress run on the variants, which must pass it, and writes a
# table test x kernel from each run's results.tsv. tools/proof/table.py judges it: every
# behaviour test must pass on the patched kernel and fail or skip on at least one kernel
# without the change it tests; tests that pass everywhere are regression guards and are listed
# as such; tests that skip everywhere, the patched kernel included, do not exist on this
# architecture and are listed as such.
#   --out FILE        markdown report (default build/proof/proof.md; `make proof` writes
#                     Documentation/proof.md)
#   --kernels LIST    kernels to run (default: patched vanilla mutant-* variant-*)
#   --stress-secs N   stress run on the variants (default 60)
# A mutant whose header has the line "Proof: kasan" is run a second time on a KASAN build
# (column NAME+kasan): its damage may show only as a KASAN report on the console, which the
# table's "console: no kernel splat" row records for every kernel.
. "$(dirname "$0")/../lib.sh"

out=$BUILD/proof/proof.md
kernels=
secs=60
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--kernels) kernels=$2; shift 2 ;;
	--stress-secs) secs=$2; shift 2 ;;
	*) die "usage: proof.sh [--out FILE] [--kernels LIST] [--stress-secs N]" ;;
	esac
done
mkdir -p "$(dirname "$out")" "$BUILD/proof"
header() { sed '/^diff --git /q' "$1"; }
if [ -z "$kernels" ]; then
	kernels="patched vanilla"
	for m in "$PTJ_TOP"/kernel/mutants/*.patch; do
		k=mutant-$(basename "$m" .patch)
		kernels="$kernels $k"
		! header "$m" | grep -q '^Proof: kasan' || kernels="$kernels $k+kasan"
	done
	for v in "$PTJ_TOP"/kernel/variants/*.patch; do
		head -n1 "$v" | grep -q '^Variant' && kernels="$kernels variant-$(basename "$v" .patch)"
	done
fi

t0=$(date +%s)
args=()
for col in $kernels; do
	k=${col%+kasan}
	kasan=0
	[ "$k" = "$col" ] || kasan=1
	opts=()
	[ $kasan = 0 ] || opts=(--sanitizer kasan)
	steps=jobctl
	case $k in variant-*) steps=jobctl,stress ;; esac
	rc=0
	say "proof: $col (steps: $steps)"
	"$PTJ_TOP/tools/runner/run.sh" --kernel "$k" --arch "$ARCH" "${opts[@]}" --steps "$steps" \
		--append "ptj.stress_secs=$secs" || rc=$?
	# Keep this run's results: other runs of the same kernel reuse its log directory.
	tsv=$(SANITIZER=$([ $kasan = 0 ] || echo kasan) results_tsv "$k")
	[ -s "$tsv" ] || die "proof: no results for $col (build or boot failed, rc=$rc)"
	cp "$tsv" "$BUILD/proof/results-$col$(arch_sfx).tsv"
	case $k in
	patched) kind=patched desc="Linux $(base_version) + the series" ;;
	vanilla) kind=vanilla desc="Linux $(base_version)" ;;
	*)
		m=$(kernel_patch "$k")
		kind=$(sed -n '1s/[: ].*//p' "$m" | tr 'A-Z' 'a-z')
		desc="$(sed -n '1s/^[^:]*: //p' "$m") (on $(sed -n 's/^On: //p' "$m"))"
		;;
	esac
	[ $kasan = 0 ] || desc="$desc, KASAN build"
	args+=("$col=$kind=$BUILD/proof/results-$col$(arch_sfx).tsv=$desc")
done
python3 "$PTJ_TOP/tools/proof/table.py" --out "$out" --model "$BUILD/model/results.tsv" \
	--machine "$ARCH, $PTJ_SMP vCPU$([ "$PTJ_SMP" = 1 ] || echo s)" "${args[@]}"
say "proof: done in $(fmt_secs $(($(date +%s) - t0))); report: $out"
