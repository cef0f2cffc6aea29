#!/usr/bin/env python3
"""table.py [--out FILE] [--model MODEL_TSV] [--machine TEXT] KERNEL=KIND=RESULTS_TSV=DESCRIPTION...

TEXT names the guest in the report's first paragraph (default "x86_64, 2 vCPUs").

KIND is patched, vanilla, mutant or variant (the first word of a kernel/mutants/ or
kernel/variants/ file). RESULTS_TSV is the results.tsv of that kernel's run (verdict.py).

Writes the test x kernel table (markdown) to FILE and to stdout. Judges it:
  - every test must PASS on 'patched', but for tests that SKIP on every kernel, 'patched'
    included: they do not exist on this architecture (e.g. a sparc-only test on x86) and are
    listed as such;
  - a test that is not PASS on some other kernel is a behaviour test: it must FAIL there or
    SKIP (missing feature) -- that kernel is what proves it;
  - a test that passes on every kernel is a regression guard (it protects behaviour of the base the
    series must keep) and is listed as such;
  - a kernel of kind 'variant' must pass every test, the stress run included.
Exit 1 if a rule is broken.

MODEL_TSV is the results.tsv of make check-model (tools/model/model.sh; proof.sh passes
build/model/results.tsv). The table "Kernel x model" gives, per
kernel, what the model says of its counterpart: the model of v6 for 'patched', the mutant's
switch for a mutant. Without the file, or for a kernel without a counterpart, it says "n/a";
it judges nothing (make check-model does).
"""
import os
import datetime
import sys

CONSOLE = "console: no kernel splat"
STRESS = "jobctl_stress (stress run)"
SPLATS = {}


def parse(path):
    """{test: status} of one results.tsv; the harness tests by their own name."""
    res = {}
    with open(path, errors="replace") as f:
        next(f, None)
        for line in f:
            test, status, reason = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            if test == "console:splat":
                res[CONSOLE] = "FAIL"
                SPLATS[path] = reason
                continue
            parts = test.split(":", 2)
            if test.startswith("jobctl_stress"):
                name = STRESS
            elif len(parts) == 3 and not test.startswith("guest:"):
                name = parts[2]
            else:
                name = test
            res[name] = status
    if res and CONSOLE not in res:
        res[CONSOLE] = "PASS"
    return res


def model_results(path):
    """{kernel: [(run, property, result)]} of make check-model's results.tsv, {} if none."""
    res = {}
    if not path or not os.path.isfile(path):
        return res
    with open(path, errors="replace") as f:
        next(f, None)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 5:
                res.setdefault(cols[1], []).append((cols[0], cols[2], cols[4]))
    return res


def model_cell(runs):
    if not runs:
        return "n/a"
    cells = []
    for _, prop, result in runs:
        if result == "pass":
            cells.append(f"{prop}: holds")
        else:
            cells.append(f"{prop}: counterexample")
    return ", ".join(cells)


def main():
    argv = sys.argv[1:]
    out = None
    model = None
    machine = "x86_64, 2 vCPUs"
    while argv[:1] in (["--out"], ["--model"], ["--machine"]):
        if argv[0] == "--out":
            out = argv[1]
        elif argv[0] == "--machine":
            machine = argv[1]
        else:
            model = argv[1]
        argv = argv[2:]
    kernels, raw = [], []
    for a in argv:
        k, kind, path, desc = a.split("=", 3)
        kernels.append((k, kind, desc, parse(path)))
        raw.append((k, kind, path, kernels[-1][3]))
    names = []
    for _, _, _, r in kernels:
        for n in r:
            if n not in names:
                names.append(n)
    cols = [k for k, _, _, _ in kernels]
    res = {k: r for k, _, _, r in kernels}
    kinds = {k: kind for k, kind, _, _ in kernels}
    problems, guards, proven, absent = [], [], {}, []
    # The console row last.
    if CONSOLE in names:
        names.remove(CONSOLE)
    names.append(CONSOLE)
    for n in names:
        p = res.get("patched", {}).get(n)
        if all(res[k].get(n) in (None, "SKIP") for k in cols):
            absent.append(n)
            continue
        if "patched" in res and p not in (None, "PASS") and n != STRESS:
            problems.append(f"{n}: {p} on the patched kernel")
        # Variants must pass like the patched kernel: they prove nothing by failing.
        others = [(k, res[k].get(n)) for k in cols
                  if kinds[k] in ("vanilla", "mutant") and res[k].get(n)]
        by = [f"{k} ({s})" for k, s in others if s in ("FAIL", "SKIP")]
        if by:
            proven[n] = by
        elif n != STRESS:
            guards.append(n)
    for k, kind, desc, r in kernels:
        if kind == "variant":
            bad = [n for n, s in r.items() if s != "PASS" and n not in absent]
            if bad:
                problems.append(f"variant {k} must pass everything, but: {', '.join(bad)}")

    lines = ["| test | " + " | ".join(cols) + " | proven by |",
             "|---|" + "---|" * len(cols) + "---|"]
    for n in names:
        cells = [res[k].get(n, "-") for k in cols]
        why = ", ".join(proven.get(n, [])) or ("guard" if n in guards else "") or \
            ("not on this architecture" if n in absent else "")
        lines.append(f"| {n} | " + " | ".join(cells) + f" | {why} |")
    text = ["# Proof that the tests test", "",
            f"Generated by `make proof` (tools/proof/) on "
            f"{datetime.date.today().isoformat()}: each kernel below was built with the same "
            f"config, booted under QEMU TCG ({machine}) with lockdep, and ran the series' job "
            "control kselftests (guest step `jobctl`; variants also a minute of jobctl_stress). "
            "A behaviour test must pass on `patched` and fail (or skip, for the missing "
            "`PTRACE_JOBCTL_CONT`) on at least one kernel without the change it tests; a test "
            "that passes on every kernel is a regression guard for behaviour of the base the series "
            "keeps. Mutants are in kernel/mutants/, variants in kernel/variants/.", "",
            "## Kernels", ""]
    text += [f"- `{k}` ({kind}): {desc}" for k, kind, desc, _ in kernels]
    text += ["", "## Test x kernel", ""] + lines + [""]
    # The model's column: tools/model/, Documentation/model.md.
    mres = model_results(model)
    text += ["## Kernel x model", "",
             "What `make check-model` (tools/model/, Documentation/model.md) says of each "
             "kernel's counterpart in the Promela model: the properties that hold for the "
             "model of the series, the counterexample of a mutant's switch "
             + ("(from its last run)." if mres else "(n/a: no results of make check-model)."),
             "", "| kernel | model |", "|---|---|"]
    text += [f"| {k} | {model_cell(mres.get(k.split('+')[0], []))} |" for k in cols]
    text += [""]
    if SPLATS:
        text += ["## Console reports", ""]
        text += [f"- `{k}`: `{SPLATS[path]}`" for k, _, path, _ in raw if path in SPLATS]
        text += [""]
    text += [f"Behaviour tests proven by at least one kernel without the change: {len(proven)}.",
             f"Regression guards (pass on every kernel; they keep behaviour of the base): {len(guards)}.",
             f"Tests that skip on every kernel here (not on this architecture): {len(absent)}."]
    if problems:
        text += ["", "## Problems", ""] + [f"- {p}" for p in problems]
    body = "\n".join(text) + "\n"
    sys.stdout.write(body)
    if out:
        with open(out, "w") as f:
            f.write(body)
    if problems:
        print(f"[proof] FAIL: {len(problems)} problem(s)")
        return 1
    print("[proof] PASS: every test passes on the patched kernel; every non-guard test fails or skips without its change")
    return 0


if __name__ == "__main__":
    sys.exit(main())
