#!/usr/bin/env python3
"""The sanitizer runs of `make races`, patched against vanilla, as one Markdown report.

usage: races.py --series-tree DIR --out FILE [--meta KEY=VALUE...] RUN...

RUN is SANITIZER:KERNEL:DIR, DIR a run's log directory (console.log, results.tsv). For every
sanitizer the patched and the vanilla run did the same workload (kselftests, then the stress
test with the same seed and duration). The report lists, per sanitizer and kernel, whether the
guest finished, its test counts and its sanitizer reports; each report of the patched kernel is
classified like the verdict does (a KCSAN race whose stacks name a function the series changes
or adds is in the series' code; any KASAN report is a failure) and marked "also on vanilla" when
the vanilla run of the same sanitizer shows the same race (same title and access kinds).

Exit 1 if a patched run did not pass its verdict (a test failed, a splat, a KCSAN race in the
series' code) or a vanilla run did not finish; vanilla's failing tests are expected (the series'
tests of new behaviour fail there) and only counted.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verdict  # noqa: E402


def load(d):
    """(parsed run, result rows, verdict passed) of the run in log directory D."""
    path = os.path.join(d, "console.log")
    with open(path, "rb") as f:
        run = verdict.parse([verdict.clean(x.decode("utf-8", "replace")) for x in f])
    rows = []
    tsv = os.path.join(d, "results.tsv")
    if os.path.exists(tsv):
        rows = [line.rstrip("\n").split("\t") for line in open(tsv)][1:]
    return run, rows, bool(rows) and all(r[1] != "FAIL" for r in rows)


def kasan_titles(run):
    return sorted({re.sub(r"^.*?(BUG: KASAN: .*?)(\+0x\S+)?$", r"\1", line)
                   for _, line in run.splats if "BUG: KASAN" in line})


def main(argv):
    ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1][7:])
    ap.add_argument("--series-tree", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta", action="append", default=[])
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args(argv[1:])
    series = verdict.series_functions(a.series_tree)
    runs = {}
    for spec in a.runs:
        san, kernel, d = spec.split(":", 2)
        runs[(san, kernel)] = load(d)
    bad = []
    out = ["# Data races and memory errors under load", ""]
    out += ["`make races` boots the patched and the vanilla kernel of the same base and test config",
            "once per sanitizer (`kernel/config/kcsan.config`, `kernel/config/kasan.config`) with",
            "the same workload: the kselftests, then `jobctl_stress` with the same seed and",
            "duration. A KCSAN report fails the patched run when one of its two stacks names a",
            "function the series changes or adds (the rule of `tools/verdict/verdict.py`,",
            f"{len(series)} functions: {', '.join(sorted(series))}); any other report is listed",
            "here with its vanilla counterpart. Any KASAN report fails. On vanilla the series'",
            "tests of new behaviour fail by design; only the vanilla guest's end and its",
            "sanitizer reports matter.", ""]
    out += [f"- {m.replace('=', ': ', 1)}" for m in a.meta] + [""]
    for san in sorted({s for s, _ in runs}):
        out += [f"## {san.upper()}", "", "| kernel | guest finished | tests | reports |",
                "| --- | --- | --- | --- |"]
        for kernel in ("patched", "vanilla"):
            if (san, kernel) not in runs:
                continue
            run, rows, passed = runs[(san, kernel)]
            nrep = len(run.kcsan) if san == "kcsan" else len(kasan_titles(run))
            out.append(f"| {kernel} | {'yes' if run.done else '**no**'} | {verdict.counts(rows)} | {nrep} |")
            if not run.done:
                bad.append(f"{san} {kernel}: the guest did not finish")
            if kernel == "patched" and not passed:
                bad.append(f"{san} patched: the verdict failed ("
                           + "; ".join(r[0] for r in rows if r[1] == "FAIL")[:300] + ")")
        out.append("")
        if san == "kcsan":
            out += kcsan_section(runs, series)
        else:
            for kernel in ("patched", "vanilla"):
                if (san, kernel) in runs:
                    titles = kasan_titles(runs[(san, kernel)][0])
                    out.append(f"KASAN reports on {kernel}: "
                               + ("none." if not titles else "; ".join(f"`{t}`" for t in titles)))
            out.append("")
    out += ["## Verdict", "", "PASS" if not bad else "FAIL:", ""] + [f"- {b}" for b in bad]
    with open(a.out, "w") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")
    print(f"[races] {'PASS' if not bad else 'FAIL'}: report in {a.out}")
    for b in bad:
        print(f"[races]   {b}")
    return 1 if bad else 0


def kcsan_section(runs, series):
    """The distinct KCSAN races of both kernels, one row each."""
    races = {}
    for kernel in ("patched", "vanilla"):
        if ("kcsan", kernel) in runs:
            for r in runs[("kcsan", kernel)][0].kcsan:
                races.setdefault(r.key(), {"rep": r, "patched": 0, "vanilla": 0})[kernel] += 1
    if not races:
        return ["No KCSAN report on either kernel.", ""]
    out = ["| race | accesses (first frame) | patched | vanilla | in the series' code |",
           "| --- | --- | --- | --- | --- |"]
    for key, v in sorted(races.items()):
        r = v["rep"]
        ours = sorted(r.functions() & series)
        acc = "; ".join(f"{x} at `{f[0] if f else '?'}`" for x, f in r.accesses)
        out.append(f"| `{r.title}` | {acc} | {v['patched']} | {v['vanilla']} | "
                   f"{', '.join(ours) if ours else 'no'} |")
    return out + ["", "The count is the number of reports (KCSAN rate-limits repeats of one race).", ""]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
