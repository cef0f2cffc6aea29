#!/usr/bin/env python3
"""Compare strace's test suite on two kernels, from the guests' console logs.

usage: strace-suite-report.py --commit C [--doc FILE] [--tsv FILE] [--part TEXT] [--failures-only] \
           [--earlier TSV --earlier-note TEXT] --run patched=LOG[,LOG...] --run vanilla=LOG[,LOG...]

Reads the TAP of tools/guest/steps/strace-suite.sh ("ok N NAME", "ok N NAME # SKIP why",
"not ok N NAME # why", "not ok N NAME # TODO environment: why") from each console log (one per
boot; a run split into shards has several), and writes:
  --tsv   one row per test: test, patched, vanilla, reason (PASS, FAIL, SKIP, ENV = a known
          environment failure);
  --doc   the part of Documentation/strace-suite.md between the lines
          "<!-- strace-suite results: begin -->" and "<!-- strace-suite results: end -->":
          counts, run times, every difference between the two kernels, failures and skips
          grouped by reason.
With --failures-only, vanilla ran only the tests that failed on patched (the only ones that can
be regressions); the others are "-" in its column and the counts say so. Vanilla may have run
more (a test that failed on patched once and passed when rerun there: the later log wins).
--earlier TSV: a table this script wrote for an earlier run (other shards, on an earlier
commit); its rows give the results of every test that the logs do not have, and
--earlier-note says in the doc what that run was (commit, guest time).
Exit status 1 if a test passes on vanilla and not on patched (a regression), 2 on bad input
(a log without the step's end, a test missing from one kernel, a failure on patched that vanilla
did not run).
"""
import argparse
import collections
import re
import sys

TAP = re.compile(r"^(not ok|ok) \d+ (\S+)(?: # (.*))?$")
TIME = re.compile(r"^# strace-suite: (\d+) tests in (\d+)s")
BEGIN = "<!-- strace-suite results: begin -->"
END = "<!-- strace-suite results: end -->"


def parse(logs, seed=None):
    """Results of one kernel's logs, in order, on top of seed (an earlier run's): a later
    result of a test wins (a rerun); a test that failed and then passed is also in flaky, with
    its first failure."""
    res, secs, ended, flaky, seen = dict(seed or {}), 0, True, {}, set()
    for log in logs:
        inside, done = False, False
        for line in open(log, errors="replace"):
            line = line.rstrip("\r\n")
            if line == "PTJ: step strace-suite begin":
                inside = True
                continue
            if line.startswith("PTJ: step strace-suite end"):
                inside, done = False, True
                continue
            if not inside:
                continue
            m = TIME.match(line)
            if m:
                secs += int(m.group(2))
            m = TAP.match(line)
            if not m:
                continue
            ok, name, why = m.group(1) == "ok", m.group(2), m.group(3) or ""
            seen.add(name)
            if name in res and res[name][0] == "FAIL":
                flaky.setdefault(name, res[name][1])
            if ok and why.startswith("SKIP"):
                res[name] = ("SKIP", why[4:].strip())
            elif ok:
                res[name] = ("PASS", "")
            elif why.startswith("TODO environment:"):
                res[name] = ("ENV", why[len("TODO environment:"):].strip())
            else:
                res[name] = ("FAIL", why)
        ended = ended and done
    for name in [n for n in flaky if res[n][0] != "PASS"]:
        del flaky[name]
    return res, secs, ended, flaky, seen


def read_tsv(path):
    """The table of --tsv back: {test: ((patched, why), (vanilla, why))}."""
    res = {}
    with open(path) as f:
        if f.readline().rstrip("\n").split("\t") != ["test", "patched", "vanilla", "reason"]:
            sys.exit(f"{path}: not a table of this script")
        for line in f:
            n, ps, vs, why = line.rstrip("\n").split("\t")
            m = re.match(r"^patched: (.*); vanilla: (.*)$", why)
            pw, vw = m.groups() if m else (why, why)
            res[n] = ((ps, pw), (vs, vw if vs != "-" else ""))
    return res


def group_key(why):
    """A reason without what differs between tests of one kind: the program's name in
    "../PROG exited with code 77: MESSAGE", the syscall in "undefined: __NR_X"."""
    why = re.sub(r"^\.\./\S+ exited with code 77: ", "", why or "(no reason printed)")
    return re.sub(r"__NR_\w+", "__NR_...", why)


def fmt(s):
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", action="append", required=True)
    ap.add_argument("--commit", required=True)
    ap.add_argument("--doc")
    ap.add_argument("--tsv")
    ap.add_argument("--part", help="the runs covered only this part of the suite (said in the doc)")
    ap.add_argument("--failures-only", action="store_true",
                    help="vanilla ran only the tests that failed on patched")
    ap.add_argument("--earlier", help="the --tsv of an earlier run: results of the tests the logs lack")
    ap.add_argument("--earlier-note", help="what the earlier run was, for the doc")
    a = ap.parse_args()
    if bool(a.earlier) != bool(a.earlier_note):
        ap.error("--earlier and --earlier-note go together")
    # Read before --tsv (often the same file) is rewritten below.
    earlier = read_tsv(a.earlier) if a.earlier else {}
    runs = {}
    for r in a.run:
        k, _, logs = r.partition("=")
        col = 0 if k == "patched" else 1
        runs[k] = parse(logs.split(","), {n: e[col] for n, e in earlier.items() if e[col][0] != "-"})
    if len(runs) == 1:  # one kernel only (a rerun): its counts, nothing to compare
        (k, (r, secs, _, _, _)), = runs.items()
        c = collections.Counter(s for s, _ in r.values())
        print(f"{k}: {c['PASS']} passed, {c['FAIL']} failed, {c['SKIP']} skipped; guest time {fmt(secs)}")
        sys.exit(0)
    if set(runs) != {"patched", "vanilla"}:
        print("need --run patched=... and --run vanilla=...", file=sys.stderr)
        sys.exit(2)
    (p, ps, pend, pflaky, pseen), (v, vs, vend, vflaky, _) = runs["patched"], runs["vanilla"]
    bad = []
    if not pend or not vend:
        bad.append("a guest run did not reach the end of the strace-suite step")
    old = set(earlier) - pseen  # tests whose patched result is the earlier run's
    flakes = [(n, k, w) for k, fl in (("patched", pflaky), ("vanilla", vflaky)) for n, w in sorted(fl.items())]
    if a.failures_only:
        want = {n for n, (s, _) in p.items() if s == "FAIL"}
        if set(v) - set(p):
            bad.append(f"vanilla ran tests that patched did not: {sorted(set(v) - set(p))[:10]}")
        if want - set(v):
            bad.append(f"failures on patched that vanilla did not run: {sorted(want - set(v))[:10]}")
    elif set(p) != set(v):
        bad.append(f"tests on one kernel only: {sorted(set(p) ^ set(v))[:10]}")
    names = sorted(set(p) | set(v))
    na = ("-", "") if a.failures_only else ("MISSING", "")
    if a.tsv:
        with open(a.tsv, "w") as f:
            f.write("test\tpatched\tvanilla\treason\n")
            for n in names:
                pr, vr = p.get(n, na), v.get(n, na)
                why = pr[1] if pr[1] == vr[1] or not vr[1] else f"patched: {pr[1]}; vanilla: {vr[1]}"
                why = why or "; ".join(f"{k} passed when rerun, first run: {w}" for m, k, w in flakes if m == n)
                f.write(f"{n}\t{pr[0]}\t{vr[0]}\t{why}\n")

    def count(r):
        c = collections.Counter(s for s, _ in r.values())
        return (f"{c['PASS']} passed, {c['FAIL']} failed, {c['ENV']} known environment failures, "
                f"{c['SKIP']} skipped" + (f" (of {len(r)} run)" if r is v and a.failures_only else ""))

    diff = [n for n in names if n in v and p.get(n, na)[0] != v[n][0]]
    regress = [n for n in diff if v.get(n, na)[0] == "PASS"]
    out = [BEGIN, "",
           f"Last run on commit {a.commit}, strace 6.1-0.1 + patches/strace/, {len(names)} tests"
           + (f" ({a.part} only, a sample of the suite)" if a.part else "")
           + (f"; the results of {len(old)} of them are those of an"
              f" earlier run ({a.earlier_note})" if earlier else "")
           + ("; vanilla ran only the tests that failed on patched, the only ones that can be"
              " regressions" if a.failures_only else "") + ":", "",
           f"- patched: {count(p)}; guest time {fmt(ps)}" + (" (this run)" if earlier else ""),
           f"- vanilla: {count(v)}; guest time {fmt(vs)}" + (" (this run)" if earlier else ""), "",
           f"Per test: Documentation/strace-suite.tsv. Differences between the kernels: {len(diff)}"
           f" ({len(regress)} passing on vanilla only)" + (":" if diff else "."), ""]
    if diff:
        out += ["| test | patched | vanilla | reason |", "|---|---|---|---|"]
        for n in diff:
            pr, vr = p.get(n, na), v.get(n, na)
            out.append(f"| {n} | {pr[0]} | {vr[0]} | {pr[1] or vr[1]} |")
        out.append("")
    if flakes:
        out += ["Failed once, passed when rerun (the later result counts):", ""]
        out += [f"- {n} ({k}): {w.replace('|', '/')}" for n, k, w in flakes] + [""]
    for status, title in (("FAIL", "Failures on both kernels, by reason"),
                          ("ENV", "Known environment failures on both kernels"),
                          ("SKIP", "Skips on both kernels, by reason")):
        groups = collections.defaultdict(list)
        for n in names:
            # (--failures-only: a skip vanilla did not run counts as patched's; a failure not)
            other = v.get(n, p.get(n, na) if a.failures_only and status != "FAIL" else na)
            if p.get(n, na)[0] == status and other[0] == status:
                groups[group_key(p[n][1])].append(n)
        if not groups:
            continue
        if a.failures_only and status != "FAIL":
            title = title.replace("on both kernels", "on patched (not run on vanilla)")
        out += [f"{title}:", ""]
        for why, ts in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
            shown = ", ".join(ts[:12]) + (f", ... ({len(ts) - 12} more)" if len(ts) > 12 else "")
            out.append(f"- {len(ts)}: {why.replace('|', '/')}: {shown}")
        out.append("")
    if a.failures_only:
        norun = [n for n in names if p.get(n, na)[0] == "FAIL" and n not in v]
        if norun:
            out += [f"Failures on patched that vanilla did not run ({len(norun)}):", ""]
            out += [f"- {n}: {p[n][1].replace('|', '/')}" for n in norun] + [""]
    out.append(END)
    text = "\n".join(out) + "\n"
    if a.doc:
        doc = open(a.doc).read()
        if BEGIN not in doc or END not in doc:
            sys.exit(f"{a.doc} has no {BEGIN} ... {END} part")
        doc = doc[:doc.index(BEGIN)] + text + doc[doc.index(END) + len(END) + 1:]
        open(a.doc, "w").write(doc)
    print(f"patched: {count(p)}; vanilla: {count(v)}; {len(diff)} differences, {len(regress)} regressions"
          + (f": {' '.join(regress)}" if regress else ""))
    for b in bad:
        print("ERROR: " + b, file=sys.stderr)
    sys.exit(2 if bad else 1 if regress else 0)


if __name__ == "__main__":
    main()
