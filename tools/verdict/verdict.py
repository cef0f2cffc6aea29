#!/usr/bin/env python3
"""Judge one guest run from its serial console log.

usage: verdict.py [--cpus N] [--arch ARCH] [--known FILE] [--tsv FILE] [--series-tree DIR] CONSOLE_LOG

The run fails (exit 1) on:
  - any failing test: a TAP "not ok" (top level = one kselftest binary, nested "# not ok" =
    one harness test inside it) that is not marked "# SKIP" (or "# TODO"),
  - a guest that did not finish: no "PTJ: guest done" end marker (hang, panic, timeout),
  - a guest step that exited non-zero or was missing,
  - a guest that did not bring up the expected number of CPUs (--cpus, default 2),
  - any kernel splat (WARNING:, BUG:, Oops, Call Trace:, lockdep, RCU, KASAN, hung task, ...),
  - no test result at all,
  - a KCSAN data race report whose stacks name a function that the series changes or adds
    (those of --series-tree DIR: the functions the commits base..HEAD of that kernel tree touch
    outside tools/ and Documentation/; without it, every report). A report whose stacks name
    none of them is not a failure: it is an XFAIL row "kcsan:A / B" that says so, with its two
    accesses, so that it shows in every table without failing the run. A KCSAN kernel must also
    print its boot selftest's result with every test passed.

Output: one line per test, the problems found, and last, alone on a line,
"N passed, N failed, N skipped". With --tsv, the same results as a table (test, status,
reason; status PASS, FAIL, SKIP or XFAIL), one row per counted result: the closing line is
the count of its rows, and the run passed if and only if no row is FAIL. The other tools
(make check's total, make proof, make bench) read that table, never the text.

Counting: every nested harness result counts once; a binary counts once itself when it
printed no nested results, or when it failed although none of its nested results did (crash,
timeout). A failure of the guest itself is a FAIL row named guest:... or console:splat.
Tests listed in kernel/known-failures (--known) that fail are XFAIL (counted as skipped); if
they pass, a note says XPASS. An entry that starts with "arch:A,B" holds only for those
architectures (--arch, default x86_64).
"""
import argparse
import fnmatch
import os
import re
import sys

SPLATS = [
    r"WARNING:", r"BUG:", r"Oops", r"Call Trace:", r"kernel BUG at",
    r"possible circular locking", r"inconsistent lock state", r"suspicious RCU usage",
    r"possible recursive locking", r"BUG: KASAN", r"UBSAN:",
    r"sleeping function called from invalid context", r"hung_task", r"blocked for more than",
    r"soft lockup", r"hard LOCKUP", r"rcu_.*detected stalls", r"Kernel panic",
    r"general protection fault", r"Unable to handle kernel", r"list_add corruption",
    r"list_del corruption", r"ODEBUG:", r"Workqueue: .* hogged", r"BUG: workqueue lockup",
]
SPLAT_RE = re.compile("|".join(SPLATS))
# "# ok 3 name # SKIP reason" / "not ok 1 selftests: ptrace: vmaccess # TIMEOUT 45 seconds"
RESULT_RE = re.compile(r"^((?:# )*)(not ok|ok)\s+(\d+)\s*-?\s*(.*?)\s*$")
# A KCSAN report: its header line, the access lines that start a stack, a frame of a stack
# (" func+0x1c/0x90", maybe " [module]"), and the line of "=" that ends it.
KCSAN_RE = re.compile(r"BUG: KCSAN: (.*)$")
ACCESS_RE = re.compile(r"^(?:race at unknown origin, with )?"
                       r"((?:read|write|read-write|assert no \w+)\b.*?) to 0x[0-9a-f]+ "
                       r"of (\d+) bytes by (task \d+|interrupt) on cpu \d+:$")
FRAME_RE = re.compile(r"^ ([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+(?: \[\w+\])?$")
KCSAN_SELFTEST_RE = re.compile(r"kcsan: selftest: (\d+)/(\d+) tests passed")
TS_RE = re.compile(r"^\[\s*\d+\.\d+\] ?")
KNOWN_DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                             "kernel", "known-failures")
TSV_HEADER = "test\tstatus\treason"


def load_known(path, arch):
    """(glob, reason) pairs of kernel/known-failures that hold on ARCH."""
    known = []
    if path and os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("arch:"):
                archs, _, line = line[len("arch:"):].partition(" ")
                if arch not in archs.split(","):
                    continue
            f = line.split(None, 1)
            known.append((f[0], f[1] if len(f) > 1 else ""))
    return known


def test_path(binary, sub=None):
    """"selftests: ptrace: jobctl" -> "ptrace:jobctl"; with SUB -> "ptrace:jobctl:SUB"."""
    b = binary[len("selftests:"):] if binary.startswith("selftests:") else binary
    b = ":".join(x.strip() for x in b.split(":"))
    return b + (":" + sub if sub else "")


def is_known(known, path):
    return next((r for g, r in known if fnmatch.fnmatchcase(path, g)), None)


def clean(line):
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line.rstrip("\r\n"))


class Run:
    """What the console log says: markers, steps, splats, and the TAP results."""

    def __init__(self):
        self.started = self.done = False
        self.cpus = None
        self.steps = {}
        self.splats = []
        self.binaries = []  # [name, status, reason, [[sub, status, reason], ...]]
        self.kcsan = []  # KcsanReport, in console order
        self.kcsan_enabled = False
        self.kcsan_selftest = None  # (passed, total)
        self.kcsan_open = False  # inside a report


class KcsanReport:
    """One "BUG: KCSAN: ..." report: its title and its accesses, each with its stack."""

    def __init__(self, line_no, title):
        self.line_no, self.title = line_no, title
        self.accesses = []  # [access text, [function, ...]]
        self.value = ""

    def functions(self):
        return {f for _, frames in self.accesses for f in frames}

    def key(self):
        """What identifies the race across runs: title and the access kinds, not addresses."""
        return (self.title, tuple(sorted(a for a, _ in self.accesses)))

    def describe(self):
        acc = "; ".join(f"{a} at {frames[0] if frames else '?'}" for a, frames in self.accesses)
        return acc + (f"; {self.value}" if self.value else "")


def parse_kcsan(run, n, text):
    """Feed one console line (timestamp stripped) to the KCSAN report parser."""
    m = KCSAN_RE.search(text)
    if m:
        run.kcsan.append(KcsanReport(n, m.group(1).strip()))
        run.kcsan_open = True
        return
    if not run.kcsan_open:
        return
    rep = run.kcsan[-1]
    if text.startswith("=" * 20):
        run.kcsan_open = False
    elif m := ACCESS_RE.match(text):
        rep.accesses.append([f"{m.group(1)} of {m.group(2)} bytes by {m.group(3).split()[0]}", []])
    elif (m := FRAME_RE.match(text)) and rep.accesses:
        rep.accesses[-1][1].append(m.group(1))
    elif text.startswith("value changed:"):
        rep.value = text


# A C function definition in kernel style: its first line starts in column 0 with the return
# type (or the name) and holds "name(", its body opens with "{" alone in column 0, and ends
# with "}" alone in column 0.
DEF_RE = re.compile(r"^(?!#|\s|\{|\}|/\*|\*)[^;=]*?\b(\w+)\s*\(")
SYSCALL_RE = re.compile(r"^(COMPAT_)?SYSCALL_DEFINE\d$")


def function_spans(text):
    """[(first line, last line, name)] of the function definitions of a C file (1-based)."""
    spans, lines = [], text.split("\n")
    i = 0
    while i < len(lines):
        m = DEF_RE.match(lines[i])
        if not m:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j] != "{" and not lines[j].rstrip().endswith(";"):
            j += 1
        if j >= len(lines) or lines[j] != "{":
            i = j + 1
            continue
        k = j
        while k < len(lines) and lines[k] != "}":
            k += 1
        name = m.group(1)
        if SYSCALL_RE.match(name):  # SYSCALL_DEFINE4(ptrace, ...): the symbols a stack shows
            arg = re.search(r"\(\s*(\w+)", lines[i][m.end(1):]).group(1)
            compat = "compat_" if name.startswith("COMPAT_") else ""
            spans += [(i + 1, k + 1, f"__{p}_{compat}sys_{arg}") for p in ("do", "se", "x64", "ia32")]
        else:
            spans.append((i + 1, k + 1, name))
        i = k + 1
    return spans


def series_functions(tree):
    """The functions the commits base..HEAD of kernel TREE change or add, outside tools/ and
    Documentation/: every function of the new files whose body or signature holds an added
    line, or the place of a removed one."""
    import subprocess
    git = ["git", "-C", tree]
    diff = subprocess.run(git + ["diff", "-U0", "base..HEAD", "--", "*.c", "*.h",
                                 ":(exclude)tools", ":(exclude)Documentation"],
                          check=True, capture_output=True, text=True).stdout
    changed, path = {}, None
    for line in diff.split("\n"):
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@") and path:
            m = re.match(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", line)
            start, count = int(m.group(1)), int(m.group(2) or 1)
            changed.setdefault(path, []).append((start, start + max(count, 1) - 1))
    funcs = set()
    for path, ranges in changed.items():
        text = subprocess.run(git + ["show", f"HEAD:{path}"], check=True, capture_output=True,
                              text=True).stdout
        for first, last, name in function_spans(text):
            if any(a <= last and b >= first for a, b in ranges):
                funcs.add(name)
    return funcs


def parse(lines):
    run = Run()
    nested = []
    current = "(unknown binary)"
    for n, line in enumerate(lines, 1):
        if "PTJ: guest init start" in line:
            run.started = True
        if "PTJ: guest done" in line:
            run.done = True
        m = re.search(r"PTJ: cpus online: (\d+)", line)
        if m:
            run.cpus = int(m.group(1))
        m = re.search(r"PTJ: step (\S+) end rc=(\d+)", line)
        if m:
            run.steps[m.group(1)] = int(m.group(2))
        m = re.search(r"PTJ: step (\S+) begin", line)
        if m:
            run.steps.setdefault(m.group(1), None)
        # A KCSAN report is judged by judge_kcsan(); its header is its only line a splat
        # pattern matches, so every other splat inside or outside it still counts.
        text = TS_RE.sub("", line)
        parse_kcsan(run, n, text)
        if text.startswith("kcsan: enabled early"):
            run.kcsan_enabled = True
        m = KCSAN_SELFTEST_RE.search(text)
        if m:
            run.kcsan_selftest = (int(m.group(1)), int(m.group(2)))
        if SPLAT_RE.search(line) and not KCSAN_RE.search(text):
            run.splats.append((n, line.strip()))
        m = re.match(r"^# (selftests: \S+: \S+)$", line)
        if m:
            current = m.group(1)
        # TAP results may be preceded by a printk interleaving; only accept them at line start.
        m = RESULT_RE.match(line)
        if not m:
            continue
        depth = len(m.group(1)) // 2
        desc, _, reason = m.group(4).partition(" # ")
        desc, reason = desc.strip(), reason.strip()
        directive = reason.split()[0].upper() if reason else ""
        if directive in ("SKIP", "TODO"):
            status = "SKIP"
        else:
            status = "PASS" if m.group(2) == "ok" else "FAIL"
        if depth == 0:
            run.binaries.append([desc, status, reason, nested])
            nested = []
        elif depth == 1:
            nested.append([desc, status, reason])
        # deeper levels (a harness inside a harness) are reported by their parent line
    if nested:  # results of a binary that never printed its own line (guest died in it)
        run.binaries.append([current, "FAIL", "no result line: the guest stopped inside it", nested])
    return run


def waive_known(run, known):
    """Turn known failures into XFAIL; return the XPASS notes."""
    notes = []
    for b in run.binaries:
        name, subs = b[0], b[3]
        for sub in subs:
            why = is_known(known, test_path(name, sub[0]))
            if why and sub[1] == "FAIL":
                sub[1], sub[2] = "XFAIL", (sub[2] + "; " if sub[2] else "") + "known failure: " + why
            elif why and sub[1] == "PASS":
                notes.append(f"XPASS: {test_path(name, sub[0])} passed but is listed in kernel/known-failures")
        why = is_known(known, test_path(name))
        if b[1] == "FAIL" and (why or (subs and all(x[1] != "FAIL" for x in subs)
                                       and any(x[1] == "XFAIL" for x in subs))):
            b[1] = "XFAIL"
            b[2] = (b[2] + "; " if b[2] else "") + ("known failure: " + why if why else "only known failures inside")
    return notes


def judge_kcsan(run, series):
    """Rows and problems of the KCSAN reports, one row per distinct race (title and access
    kinds) with the number of its reports. SERIES: the series' functions, or None (every
    report fails)."""
    rows, problems, seen = [], [], {}
    for r in run.kcsan:
        seen.setdefault(r.key(), []).append(r)
    for reps in seen.values():
        r = reps[0]
        times = f"{len(reps)} report(s), first at console line {r.line_no}"
        ours = sorted(r.functions() & series) if series is not None else None
        if ours is None or ours:
            why = (f"data race in the series' code ({', '.join(ours)} in its stacks)" if ours
                   else "data race (no series given to tell whose code)")
            rows.append((f"kcsan:{r.title}", "FAIL", f"{why}: {r.describe()}; {times}"))
            problems.append(f"KCSAN: {r.title}: {why}")
        else:
            rows.append((f"kcsan:{r.title}", "XFAIL",
                         f"data race outside the series' code: {r.describe()}; {times}"))
    if run.kcsan_enabled and (run.kcsan_selftest is None
                              or run.kcsan_selftest[0] != run.kcsan_selftest[1]):
        got = "no result" if run.kcsan_selftest is None else "%d/%d passed" % run.kcsan_selftest
        rows.append(("kcsan:selftest", "FAIL", f"KCSAN's boot selftest: {got}"))
        problems.append(f"KCSAN's boot selftest: {got}")
    return rows, problems


def judge(run, cpus, series=None):
    """The counted results as rows (test, status, reason), and the problems found. SERIES:
    the series' functions, for the KCSAN reports (see judge_kcsan)."""
    rows, problems = [], []
    for name, status, reason, subs in run.binaries:
        if status == "FAIL":
            problems.append(f"test failed: {name}" + (f" ({reason})" if reason else ""))
        for sname, sstatus, sreason in subs:
            rows.append((test_path(name, sname), sstatus, sreason))
            if sstatus == "FAIL":
                problems.append(f"test failed: {name} :: {sname}")
        sub_failed = any(s[1] in ("FAIL", "XFAIL") for s in subs)
        if not subs or (status in ("FAIL", "XFAIL") and not sub_failed):
            rows.append((test_path(name), status, reason))

    def guest_fail(test, why, counted=True):
        problems.append(why)
        if counted:
            rows.append((test, "FAIL", why))

    if not run.started:
        guest_fail("guest:init", "guest never reached init (no 'PTJ: guest init start' marker)", False)
    if not run.done:
        guest_fail("guest:done", "guest did not finish (no 'PTJ: guest done' end marker): hang, panic or timeout")
    if run.cpus is None:
        if run.started:
            guest_fail("guest:cpus", "guest did not report its online CPUs")
    elif run.cpus != cpus:
        guest_fail("guest:cpus", f"guest brought up {run.cpus} CPU(s), expected {cpus}")
    for s, rc in run.steps.items():
        if rc is None:
            guest_fail(f"guest:step:{s}", f"guest step '{s}' did not finish", False)
        elif rc != 0:
            tests_failed = any(p.startswith("test failed") for p in problems)
            guest_fail(f"guest:step:{s}", f"guest step '{s}' exited with rc={rc}"
                       + (" (missing step?)" if rc == 127 else ""), not tests_failed)
    if run.splats:
        n, first = run.splats[0]
        guest_fail("console:splat", f"kernel splat: {len(run.splats)} suspicious console line(s), "
                   f"first at line {n}: {first}")
    if not run.binaries:
        guest_fail("guest:results", "no test result found in the console log")
    krows, kproblems = judge_kcsan(run, series)
    return rows + krows, problems + kproblems


def report(run, rows, problems, notes, cpus, path):
    print("[verdict] results:")
    for name, status, reason, subs in run.binaries:
        print(f"  {status:5}  {name}" + (f"  ({reason})" if reason else "")
              + (f"  [{len(subs)} harness tests]" if subs else ""))
        for sname, sstatus, sreason in subs:
            print(f"  {sstatus:5}    {name} :: {sname}" + (f"  ({sreason})" if sreason else ""))
    for r in run.kcsan[:20]:
        print(f"[verdict] KCSAN at {path}:{r.line_no}: {r.title}: {r.describe()}")
    if run.splats:
        print("[verdict] kernel splat lines (first 20):")
        for n, line in run.splats[:20]:
            print(f"  {path}:{n}: {line}")
    for n in notes:
        print(f"[verdict] note: {n}")
    if problems:
        print("[verdict] FAIL:")
        for p in problems:
            print(f"  - {p}")
    else:
        print(f"[verdict] PASS: guest finished, {cpus} CPUs, no kernel splat, no failing test")
    print(f"[verdict] console log: {path}")
    print(counts(rows))


def counts(rows):
    """The closing line "N passed, N failed, N skipped" of result rows (test, status, ...):
    XFAIL counts as skipped."""
    n = {s: sum(r[1] == s for r in rows) for s in ("PASS", "FAIL", "SKIP", "XFAIL")}
    return f"{n['PASS']} passed, {n['FAIL']} failed, {n['SKIP'] + n['XFAIL']} skipped"


def write_tsv(path, rows):
    with open(path, "w") as f:
        f.write(TSV_HEADER + "\n")
        for test, status, reason in rows:
            f.write(f"{test}\t{status}\t{' '.join(reason.split())}\n")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], usage=__doc__.split("\n\n")[1][7:])
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--arch", default="x86_64")
    ap.add_argument("--known", default=KNOWN_DEFAULT)
    ap.add_argument("--tsv")
    ap.add_argument("--series-tree")
    ap.add_argument("log")
    a = ap.parse_args(argv[1:])
    try:
        with open(a.log, "rb") as f:
            lines = [clean(line.decode("utf-8", "replace")) for line in f]
    except OSError as e:
        print(f"[verdict] cannot read console log: {e}")
        rows = [("guest:console", "FAIL", f"cannot read console log: {e}")]
        if a.tsv:
            write_tsv(a.tsv, rows)
        print(counts(rows))
        return 1
    run = parse(lines)
    notes = waive_known(run, load_known(a.known, a.arch))
    series = series_functions(a.series_tree) if a.series_tree else None
    rows, problems = judge(run, a.cpus, series)
    report(run, rows, problems, notes, a.cpus, a.log)
    if a.tsv:
        write_tsv(a.tsv, rows)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
