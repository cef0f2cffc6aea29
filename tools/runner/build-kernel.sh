#!/usr/bin/env bash
# tools/runner/build-kernel.sh [--config-only] NAME: configure and build the kernel of tree NAME out of
# tree in <tree>/.out (.out-kasan, .out-kcsan with SANITIZER=kasan, kcsan), with ccache.
#   config: make tinyconfig; merge_config.sh -m kernel/config/ptrace-test.config <ARCH>.config
#           [<SANITIZER>.config]; make olddefconfig; then every line of the fragments must be in .config.
#   ARCH=arm64|sparc64: cross-built with Debian's cross compiler, in <tree>/.out-<arch>.
#   The fragments' hash is stored in the O= dir: a change means a fresh config and clean build.
#   The build's ccache hits and misses: build-status.tsv in the tree's log dir (key, value).
. "$(dirname "$0")/../lib.sh"

config_only=0
if [ "${1:-}" = --config-only ]; then config_only=1; shift; fi
name=${1:?usage: build-kernel.sh [--config-only] TREE}
src=$(tree_dir "$name")
out=$(out_dir "$name")
ldir=$(log_dir "$name")
[ -f "$src/Makefile" ] || die "no kernel tree at $src"
mkdir -p "$ldir"

frags=("$PTJ_FRAGMENT" "$PTJ_ARCH_FRAGMENT")
[ -z "$PTJ_SAN_FRAGMENT" ] || frags+=("$PTJ_SAN_FRAGMENT")
# Comments do not count: only a change of the options means a fresh config.
cfg_hash=$(cat "${frags[@]}" | grep -v "^#" | sha)
command -v "${PTJ_CROSS}gcc" >/dev/null || die "${PTJ_CROSS}gcc missing (ARCH=$ARCH: apt-get install $PTJ_ARCH_PKGS)"
kmake() { kmake_tree "$name" "$@"; }

configure() {
	local log=$ldir/config.log
	: >"$log"
	rm -rf "$out"
	mkdir -p "$out"
	{
		kmake tinyconfig &&
			(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$out" "$out/.config" "${frags[@]}") &&
			kmake olddefconfig
	} >>"$log" 2>&1 || die "kernel configuration of $name failed" "$log"
	echo "$cfg_hash" >"$out/.ptj-config-hash"
}

# Every non-comment line of the fragments, and every "# CONFIG_X is not set", must hold.
verify_config() {
	local f line sym bad=()
	for f in "${frags[@]}"; do
		while IFS= read -r line; do
			case $line in
			CONFIG_*=*)
				grep -qxF "$line" "$out/.config" || bad+=("$line (have: $(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo unset))")
				;;
			"# CONFIG_"*" is not set")
				sym=${line#\# }
				sym=${sym%% *}
				grep -q "^$sym=" "$out/.config" && bad+=("$line (have: $(grep "^$sym=" "$out/.config"))")
				;;
			esac
		done <"$f"
	done
	if [ ${#bad[@]} -gt 0 ]; then
		printf '[ptj] config option lost in %s/.config: %s\n' "$out" "${bad[@]}" >&2
		die "${#bad[@]} option(s) of the config fragment did not survive olddefconfig (missing dependency?)"
	fi
}

if [ ! -f "$out/.config" ] || [ "$(cat "$out/.ptj-config-hash" 2>/dev/null)" != "$cfg_hash" ]; then
	[ -d "$out" ] && say "$name: config fragment changed (or no config yet): fresh config, clean build"
	step "configuring $name kernel (tinyconfig + $(basename -a "${frags[@]}" | xargs))" configure
fi
verify_config
if [ $config_only = 1 ]; then exit 0; fi

# One kernel build at a time on this machine (2 cores), whichever clone or build area it is for.
build_lock

ccache_stats() { ccache --print-stats 2>/dev/null | awk '$1~/^(direct_cache_hit|preprocessed_cache_hit)$/{h+=$2} $1=="cache_miss"{m+=$2} END{print h+0, m+0}'; }
read -r h0 m0 < <(ccache_stats)
log=$ldir/build.log
: >"$log"
what="$(run_name "$name") kernel ($(base_version)$([ -z "$(arch_fixups)" ] || echo " + $ARCH base fixups")$(if [ "$name" = patched ]; then echo " + series"; fi))"
step "building $what, -j$JOBS" run_logged "$log" kmake -j"$JOBS" ||
	die "kernel build of $name failed" "$log"
read -r h1 m1 < <(ccache_stats)
h=$((h1 - h0)) m=$((m1 - m0))
[ $((h + m)) -gt 0 ] && pct=$((100 * h / (h + m))) || pct=0
say "ccache for this build: $h hits, $m misses ($pct% hit rate); cache: $CCACHE_DIR"
printf 'key\tvalue\nccache_hits\t%s\nccache_misses\t%s\n' "$h" "$m" >"$ldir/build-status.tsv"
[ -f "$out/$PTJ_IMAGE" ] || die "no $PTJ_IMAGE after build of $name" "$log"
say "kernel: $out/$PTJ_IMAGE ($(cat "$out/include/config/kernel.release"), $ARCH)"
