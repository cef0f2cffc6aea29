#!/usr/bin/env python3
"""checkpatch_waivers.py LOG WAIVERS: judge the checkpatch.pl --terse output in LOG against
kernel/checkpatch-waivers (tools/checks/checkpatch.sh). Exit 1 on a finding not waived or a
waiver without a reason."""
import fnmatch, re, sys
log, wfile = sys.argv[1], sys.argv[2]
waivers, bad_waivers = [], []
for n, l in enumerate(open(wfile), 1):
    l = l.strip()
    if not l or l.startswith("#"):
        continue
    f = l.split(None, 2)
    if len(f) < 3:
        bad_waivers.append(f"{wfile}:{n}: waiver without a reason: {l}")
        continue
    waivers.append([f[0], f[1], f[2], 0])
found, cur = [], None
for l in open(log, errors="replace"):
    l = l.rstrip("\n")
    if l.startswith("=== "):
        cur = l[4:]
        continue
    m = re.search(r"\b(ERROR|WARNING|CHECK):([A-Z0-9_]+):", l)
    if not m:
        continue
    w = next((w for w in waivers if fnmatch.fnmatch(cur, w[0]) and w[1] == m.group(2)), None)
    if w:
        w[3] += 1
    else:
        found.append(l if l.startswith(cur) else f"{cur}: {l}")
for w in waivers:
    if not w[3]:
        print(f"[ptj] note: unused checkpatch waiver: {w[0]} {w[1]}")
for b in bad_waivers:
    print(f"[ptj] {b}")
for f in found:
    print(f"[ptj] checkpatch: {f}")
used = sum(w[3] for w in waivers)
if found or bad_waivers:
    print(f"[ptj] FAILED: checkpatch --strict: {len(found)} finding(s) not waived, {len(bad_waivers)} bad waiver(s) (log: {log})")
    sys.exit(1)
print(f"[ptj] check-checkpatch: clean ({used} waived finding(s)); log: {log}")
