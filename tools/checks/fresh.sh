#!/usr/bin/env bash
# tools/checks/fresh.sh: the README's commands on a truly fresh Debian 12, every time.
#   1. mmdebstrap --variant=minbase bookworm: a minimal Debian 12 root (no make, no git) in
#      $BUILD/fresh/root, from the host's own Debian sources and apt options (works where only
#      the Debian mirror is reachable).
#   2. A clean clone of the checked-out commit (HEAD, never the working tree) in it.
#   3. In the root, as root: the README's first line (the apt-get line of "The two commands",
#      nothing else), then `git clone` and the README's main command `make`, as a newcomer would
#      (chroot with /proc, /sys and /dev; a clean environment).
#   4. PASS only if the inner make succeeded, its run's results.tsv (build/logs/patched/ in the
#      clone) has results and no FAIL, and the inner kernel build had a ccache hit rate of at least FRESH_MIN_HITRATE (the inner build uses the host's ccache;
#      judged only when the root built the same base commit as the host).
#      Then FRESH_CHECKS, the quick steps of `make check`, in the same root (check-model with
#      MODEL_MUTANTS=0: the mutant runs would only repeat the host's).
#      A command or Python module the loop needs but nothing installed is named in the cause.
# Kept between runs: the Debian packages ($FRESH_CACHE/apt, bind-mounted as the root's
# /var/cache/apt/archives) and the ccache ($CCACHE_DIR, bind-mounted at ccache's default place in
# the root, /root/.cache/ccache). The base .deb is fetched in the root as a newcomer's make does.
# The kernel build lock (/tmp/ptj-kernel-build.lock) is the host's one.
# The root is removed after a pass (FRESH_KEEP=1 keeps it) and kept after a failure.
# Settings (defaults: PTJ_SETTINGS of tools/lib.sh):
#   FRESH_CACHE        package cache
#   FRESH_TIMEOUT      seconds for the inner make
#   FRESH_MIN_HITRATE  minimal ccache hit rate of the inner kernel build in % (0: off)
#   FRESH_MIRROR       mmdebstrap mirror arguments (empty: the host's bookworm sources files)
#   FRESH_CHECKS       make check steps run in the root after make, the ones without kernel
#                      builds (empty: none)
. "$(dirname "$0")/../lib.sh"

fresh=$BUILD/fresh
root=$fresh/root
cache=$FRESH_CACHE
ldir=$PTJ_LOGS/fresh
timeout_s=$FRESH_TIMEOUT
min_hit=$FRESH_MIN_HITRATE
checks=$FRESH_CHECKS
host_lock=$PTJ_BUILD_LOCK
name=ptrace-jobctl                 # the clone's directory inside the root: /root/ptrace-jobctl
clone=$root/root/$name
t0=$(date +%s)

[ "$(id -u)" = 0 ] || die "check-fresh needs root (mmdebstrap, chroot, mounts)"
for c in mmdebstrap unshare chroot; do
	command -v "$c" >/dev/null || die "check-fresh needs $c (make check-deps installs mmdebstrap)"
done

# Everything below runs in a private mount namespace: the bind mounts of the host's caches are
# invisible outside and disappear with the process even if it is killed (the trap below also
# unmounts them).
if [ "${1:-}" != --in-namespace ]; then
	exec unshare --mount --propagation private "$0" --in-namespace
fi

mkdir -p "$fresh" "$cache/apt" "$ldir" "$CCACHE_DIR"
exec 7>>"$fresh/.lock"
if ! flock -n 7; then
	say "another check-fresh uses $fresh: waiting for it"
	flock 7
fi
rm -f "$ldir"/*.log

# Mount points under the root, deepest first.
root_mounts() { awk -v r="$root" '$5 == r || index($5, r "/") == 1 {print $5}' /proc/self/mountinfo | sort -r; }
cleanup() {
	local p m
	# Processes still running inside the root (a timed-out make, its qemu): only those.
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	for m in $(root_mounts); do
		umount -R "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
remove_root() {
	cleanup
	[ -z "$(root_mounts)" ] || die "cannot unmount $(root_mounts | xargs) (not removing $root)"
	rm -rf --one-file-system "$root"
}

# The newcomer's first line: the apt-get line of the README's "The two commands" (at HEAD).
readme=$(git -C "$PTJ_TOP" show HEAD:README.md) || die "no README.md at HEAD of $PTJ_TOP"
first=$(printf '%s\n' "$readme" | awk '/^## /{s = ($0 == "## The two commands")} s && /^apt-get /{print; exit}')
[ -n "$first" ] || die "README.md (HEAD) has no 'apt-get ...' line in 'The two commands': what does a newcomer install first?"
commit=$(git -C "$PTJ_TOP" rev-parse HEAD)
dirty=""
[ -z "$(git -C "$PTJ_TOP" status --porcelain --untracked-files=no)" ] || dirty=" (uncommitted changes in $PTJ_TOP are not part of it)"
say "fresh Debian 12: commit ${commit:0:12}$dirty; first line: $first"

# --- 1. the root ------------------------------------------------------------------------------
remove_root
mirrors=()
if [ -n "$FRESH_MIRROR" ]; then
	read -r -a mirrors <<<"$FRESH_MIRROR"
else
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && grep -v '^[[:space:]]*#' "$f" | grep -qE '(^|[[:space:]])bookworm(-[a-z]+)?([[:space:]]|$)' && mirrors+=("$f")
	done
fi
[ ${#mirrors[@]} -gt 0 ] || die "no bookworm apt sources on this host (set FRESH_MIRROR)"
# The host's apt options that decide whether its mirror works at all (stale mirror, proxy).
aptopts=()
for k in Acquire::Check-Valid-Until Acquire::Check-Date Acquire::http::Proxy Acquire::https::Proxy; do
	v=$(apt-config dump --format '%v' "$k" 2>/dev/null | head -n1)
	[ -n "$v" ] && aptopts+=("--aptopt=$k \"$v\"")
done
log=$ldir/mmdebstrap.log
: >"$log"
# The package cache is bind-mounted while mmdebstrap downloads; the debs are kept
# (essential/unlink, cleanup/apt/cache) and it is unmounted before mmdebstrap's cleanup.
# force-unsafe-io: no fsync in dpkg (a third faster; the root is thrown away anyway).
step "mmdebstrap --variant=minbase bookworm into $root (mirror: ${mirrors[*]})" \
	run_logged "$log" mmdebstrap --variant=minbase --mode=root --dpkgopt=force-unsafe-io \
	"${aptopts[@]}" --skip=essential/unlink,cleanup/apt/cache \
	--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\" && mount --bind '$cache/apt' \"\$1/var/cache/apt/archives\"" \
	--customize-hook='umount "$1/var/cache/apt/archives"' \
	bookworm "$root" "${mirrors[@]}" || die "mmdebstrap of a Debian 12 root failed" "$log"
pre=$(chroot "$root" sh -c 'for c in make git; do command -v $c >/dev/null && printf "%s " $c; done; true')
say "fresh root: $(chroot "$root" dpkg-query -W -f='.\n' | wc -l) packages, $(du -sh --one-file-system "$root" | cut -f1)$(if [ -n "$pre" ]; then echo ", already has: $pre"; else echo ", no make, no git"; fi)"

# --- 2. mounts, the clone's origin -------------------------------------------------------------
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
mount --bind "$cache/apt" "$root/var/cache/apt/archives"
touch "$host_lock" "$root/tmp/ptj-kernel-build.lock"
mount --bind "$host_lock" "$root/tmp/ptj-kernel-build.lock"
git clone --bare --quiet --no-local "$PTJ_TOP" "$root/srv/$name.git" ||
	die "git clone --bare of $PTJ_TOP failed"

# inroot LOG CMD: CMD in a login shell of root inside the root, with nothing of our environment.
inroot() {
	local log=$1
	shift
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb USER=root LOGNAME=root SHELL=/bin/bash \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -lc "$1" >>"$log" 2>&1
}

# Commands and Python modules that the inner run missed, from its output and logs (one per line).
missing_cmds() {
	{
		cat "$ldir"/*.log
		find "$clone/build/logs" -name '*.log' -type f -exec cat {} + 2>/dev/null
	} | sed -nE \
		-e 's/^.*: ([A-Za-z0-9_.+-]+): (command )?not found$/\1/p' \
		-e 's/^make(\[[0-9]+\])?: ([A-Za-z0-9_.+-]+): No such file or directory$/\2/p' \
		-e "s/^.*env: ['‘]([A-Za-z0-9_.+-]+)['’]: No such file or directory$/\1/p" \
		-e "s/^.*ModuleNotFoundError: No module named '([A-Za-z0-9_.]+)'.*/python3 module \1/p" \
		-e 's/^.*FAILED: ([A-Za-z0-9_.+-]+) (is not installed|missing)([ (].*)?$/\1/p' |
		awk '!seen[$0]++'
}
# The Debian package that has command $1 on this host, if any.
pkg_of() { { dpkg -S "/usr/bin/$1" "/bin/$1" "/usr/sbin/$1" "/sbin/$1" 2>/dev/null || true; } | head -n1 | cut -d: -f1; }
fail_missing() { # STEP LOG: die naming the missing commands, if there are any
	local c list="" p
	while IFS= read -r c; do
		[ -n "$c" ] || continue
		case $c in
		"python3 module "*) list+="${list:+, }$c" ;;
		*) p=$(pkg_of "$c"); list+="${list:+, }$c${p:+ (Debian package $p)}" ;;
		esac
	done < <(missing_cmds)
	[ -z "$list" ] || die "fresh Debian 12, $1: not found: $list; the project does not install it (tools/runner/deps.sh, or the README's first line)" "$2"
}

# --- 3. the newcomer ---------------------------------------------------------------------------
log=$ldir/first-line.log
: >"$log"
ts=$(date +%s)
step "fresh root: $first" inroot "$log" "$first" || {
	fail_missing "README's first line" "$log"
	die "fresh Debian 12: the README's first line failed: $first" "$log"
}
t_first=$(($(date +%s) - ts))
log=$ldir/clone.log
: >"$log"
inroot "$log" "cd /root && git clone /srv/$name.git $name" || {
	fail_missing "git clone" "$log"
	die "fresh Debian 12: git clone failed (is git in the README's first line?)" "$log"
}
[ "$(chroot "$root" git -C "/root/$name" rev-parse HEAD)" = "$commit" ] ||
	die "fresh Debian 12: the clone is not at $commit" "$log"
mkdir -p "$root/root/.cache/ccache"
mount --bind "$CCACHE_DIR" "$root/root/.cache/ccache"

# inmake LOG GOALS: make GOALS in the clone as a newcomer would, shown prefixed with the time
# since it started; sets rc and secs.
prefix() {
	local l now
	while IFS= read -r l; do
		printf -v now '%(%s)T' -1
		printf '[fresh %s] %s\n' "$(fmt_secs $((now - ts)))" "$l"
	done
}
inmake() {
	local log=$1 goals=$2
	: >"$log"
	ts=$(date +%s)
	rc=0
	timeout --kill-after=30 "$timeout_s" chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
		USER=root LOGNAME=root SHELL=/bin/bash PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -lc "cd /root/$name && make${goals:+ $goals}" 2>&1 | tee "$log" | prefix || rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - ts))
}
inmake_failed() { # WHAT LOG [FALLBACK-CAUSE]
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		die "fresh Debian 12: $1 did not finish within FRESH_TIMEOUT=${timeout_s}s" "$2"
	fi
	fail_missing "$1" "$2"
	cause=$(grep -E 'FAILED: ' "$2" | tail -n1 | sed 's/^.*FAILED: //' || true)
	die "fresh Debian 12: $1 failed after $(fmt_secs "$secs") (rc=$rc): ${cause:-${3:-see the log}}" "$2"
}

log=$ldir/make.log
say "fresh root: cd /root/$name && make (as a newcomer; ccache: $CCACHE_DIR, timeout ${timeout_s}s)..."
inmake "$log" ""
t_make=$secs
# What the inner run decided comes from its files, not its log: results.tsv, build-status.tsv,
# base.stamp and the base repo's tag.
tsv=$clone/build/logs/patched/results.tsv
counts=$(tsv_counts "$tsv" 2>/dev/null || true)
if [ "$rc" -ne 0 ] || [ -z "$counts" ] || cut -f2 "$tsv" | grep -qx FAIL; then
	inmake_failed make "$log" "verdict: ${counts:-no results.tsv}"
fi
inner_ver=$(sed -n 2p "$clone/build/base.stamp" 2>/dev/null || true)
missed=$(missing_cmds | xargs)
[ -z "$missed" ] || warn "fresh Debian 12: the run passed, but these were not found: $missed (see $ldir)"

# The inner kernel build must have come from the host's ccache (other clone path, same objects),
# provided both built the same base: the root fetches the newest linux-source package of
# kernel/base's suite, and when the registry has a newer one than the host's build area was made
# from, the objects differ legitimately and the hit rate says nothing about the build.
status=$clone/build/logs/patched/build-status.tsv
hits=$(awk -F'\t' '$1 == "ccache_hits" { print $2 }' "$status" 2>/dev/null || true)
misses=$(awk -F'\t' '$1 == "ccache_misses" { print $2 }' "$status" 2>/dev/null || true)
[ -n "$hits" ] && [ -n "$misses" ] || die "fresh Debian 12: the inner kernel build left no ccache counts in ${status#"$root"}" "$log"
pct=$((hits + misses > 0 ? 100 * hits / (hits + misses) : 0))
inner_base=$(git -C "$clone/build/base-$inner_ver" rev-parse base 2>/dev/null || true)
host_base=$(base_git rev-parse base 2>/dev/null || true)
if [ -n "$inner_base" ] && [ "$inner_base" != "$host_base" ]; then
	warn "fresh Debian 12: the root built base $inner_ver, $inner_base; the host's build area has ${host_base:-none}: ccache hit rate $pct% not judged"
elif [ "$pct" -lt "$min_hit" ]; then
	die "fresh Debian 12: the inner kernel build hit the host's ccache only $pct% ($hits hits, $misses misses; want >= $min_hit%, FRESH_MIN_HITRATE): compiler or command lines differ" "$log"
fi

# The quick steps of `make check` (no kernel builds) in the same root: their tools too.
t_checks=0
if [ -n "$checks" ]; then
	log=$ldir/checks.log
	say "fresh root: make $checks (the quick steps of make check)..."
	# The mutant runs of check-model use the SPIN and gcc that its v6 runs show installed.
	inmake "$log" "$checks MODEL_MUTANTS=0"
	t_checks=$secs
	[ "$rc" -eq 0 ] || inmake_failed "make $checks" "$log"
	say "fresh root: make $checks: ok in $(fmt_secs "$t_checks")"
fi

inroot "$ldir/autoclean.log" "apt-get autoclean -qq" || true # drop superseded debs from the cache
if [ "$FRESH_KEEP" = 1 ]; then
	cleanup
	say "fresh root kept: $root"
else
	step "removing the fresh root" remove_root
fi
say "fresh: verdict for patched on Linux $inner_ver: PASS [${counts}]; ccache $hits hits, $misses misses ($pct%)"
say "check-fresh: PASS in $(fmt_secs $(($(date +%s) - t0))) (first line $(fmt_secs $t_first), make $(fmt_secs $t_make), quick checks $(fmt_secs $t_checks); packages cached in $cache/apt, $(du -sh "$cache/apt" | cut -f1))"
