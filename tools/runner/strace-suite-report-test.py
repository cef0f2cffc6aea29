#!/usr/bin/env python3
"""Unit test of strace-suite-report.py on crafted console logs (make check-verdict).

Each case writes the TAP of the strace-suite step for each kernel (one console per boot),
runs the report with --doc and --tsv in a temporary directory, and checks its exit status
(0: no regression, 1: a regression, 2: incomplete) and a text a line of its doc must contain.
"""
import os
import subprocess
import sys
import tempfile

REPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "strace-suite-report.py")
BEGIN, END = "<!-- strace-suite results: begin -->", "<!-- strace-suite results: end -->"
TMO = "killed after TIMEOUT_DURATION=240s"


def console(results):
    """A console log of one boot: results is [(name, "ok"|"not ok"|"skip", why)]."""
    out = ["PTJ: step strace-suite begin", "TAP version 13", f"1..{len(results)}"]
    for i, (name, st, why) in enumerate(results, 1):
        if st == "skip":
            out.append(f"ok {i} {name} # SKIP {why}")
        else:
            out.append(f"{st} {i} {name}" + (f" # {why}" if why else ""))
    out += [f"# strace-suite: {len(results)} tests in 60s: ...", "PTJ: step strace-suite end rc=0"]
    return "\n".join(out) + "\n"


P = [("a.test", "not ok", TMO), ("b.test", "ok", ""), ("c.test", "skip", "no INET")]
EARLIER = ("test\tpatched\tvanilla\treason\n"
           "d.test\tFAIL\tFAIL\t" + TMO + "\n"
           "e.test\tPASS\t-\t\n")
# name, patched boots, vanilla boots, extra options, earlier table, exit status, a line of the doc
CASES = [
    ("same failure on vanilla", [P], [[("a.test", "not ok", TMO)]], ["--failures-only"], None, 0,
     "Differences between the kernels: 0"),
    ("passes on vanilla only: a regression", [P], [[("a.test", "ok", "")]], ["--failures-only"],
     None, 1, "| a.test | FAIL | PASS |"),
    ("a failure vanilla did not run", [P], [[]], ["--failures-only"], None, 2,
     "- a.test: " + TMO),
    ("failed, then passed when rerun", [P, [("a.test", "ok", "")]], [[("a.test", "ok", "")]],
     ["--failures-only"], None, 0, "- a.test (patched): " + TMO),
    ("all tests on both kernels", [P], [P], [], None, 0, "- 1: no INET: c.test"),
    ("a test on one kernel only", [P], [P[:2]], [], None, 2, None),
    ("earlier shards add up", [P], [[("a.test", "not ok", TMO)]], ["--failures-only"], EARLIER, 0,
     "- patched: 2 passed, 2 failed, 0 known environment failures, 1 skipped; guest time 1m00s"
     " (this run)"),
    ("an earlier failure vanilla did not run", [P], [[("a.test", "not ok", TMO)]],
     ["--failures-only"], EARLIER.replace("FAIL\tFAIL", "FAIL\t-"), 2, "- d.test: " + TMO),
    ("an earlier failure passes when rerun", [P, [("d.test", "ok", "")]],
     [[("a.test", "not ok", TMO)]], ["--failures-only"], EARLIER, 0, "- d.test (patched): " + TMO),
]


def main():
    passed = failed = 0
    for name, pboots, vboots, opts, earlier, want_rc, want_line in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            runs = []
            for k, boots in (("patched", pboots), ("vanilla", vboots)):
                logs = []
                for i, b in enumerate(boots):
                    logs.append(os.path.join(tmp, f"{k}-{i}.log"))
                    with open(logs[-1], "w") as f:
                        f.write(console(b))
                runs += ["--run", f"{k}={','.join(logs)}"]
            doc, tsv = os.path.join(tmp, "doc.md"), os.path.join(tmp, "t.tsv")
            with open(doc, "w") as f:
                f.write(f"head\n{BEGIN}\n{END}\ntail\n")
            if earlier:
                with open(tsv, "w") as f:
                    f.write(earlier)
                opts = opts + ["--earlier", tsv, "--earlier-note", "shard 1"]
            r = subprocess.run([sys.executable, REPORT, "--commit", "c0ffee", "--doc", doc,
                                "--tsv", tsv] + opts + runs, capture_output=True, text=True)
            text = open(doc).read()
            ok = r.returncode == want_rc and text.startswith("head\n") and text.endswith("tail\n")
            if want_line is not None:
                ok = ok and any(want_line in line for line in text.splitlines())
            print(f"{'ok' if ok else 'FAIL'} {name}: rc={r.returncode} (want {want_rc})")
            if not ok:
                print(r.stdout + r.stderr + text)
            passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
