#!/usr/bin/env python3
"""Unit test of verdict.py on crafted console logs.

usage: selftest.py [--tsv FILE]

testdata/pass.log is a real console log of a passing run (vanilla 6.12.117, TCG, 2 vCPUs).
Each case below edits it (inject a kernel splat, cut the end, turn a result into a failure,
...) and states the verdict's exit code and closing line; every case also checks that the
verdict's results.tsv agrees with both (its rows counted give the closing line; a FAIL row
if and only if the exit code is 1). With --tsv, the cases' own results go to FILE in the
verdict's format.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import verdict  # noqa: E402

VERDICT = os.path.join(HERE, "verdict.py")
PASS = open(os.path.join(HERE, "testdata", "pass.log")).read()
KNOWN = os.path.join(HERE, "..", "..", "kernel", "known-failures")
END = "PTJ: guest done"
TS = "[   12.345678] "


def inject(lines):
    def f(log):
        i = log.index("PTJ: step kselftest end")
        return log[:i] + "".join(TS + l + "\n" for l in lines) + log[i:]
    return f


def sub(old, new, count=1):
    def f(log):
        assert old in log, old
        return log.replace(old, new, count)
    return f


def cut_after(marker):
    def f(log):
        return log[: log.index(marker)]
    return f


def kcsan(title, stack1, stack2, extra=()):
    """A KCSAN report (as CONFIG_KCSAN_VERBOSE prints it) whose two accesses have those stacks."""
    return (["kcsan: enabled early", "kcsan: selftest: 3/3 tests passed", "=" * 66,
             f"BUG: KCSAN: data-race in {title}", "",
             "write to 0xffff888003a1c0a8 of 8 bytes by task 81 on cpu 1:"]
            + [f" {f}+0x2b/0x6c0" for f in stack1]
            + ["", "no locks held by jobctl/81.", "irq event stamp: 1234",
               "hardirqs last  enabled at (1233): [<ffffffff810a0b1c>] _raw_spin_unlock_irq+0x2c/0x50",
               "", "read to 0xffff888003a1c0a8 of 8 bytes by task 80 on cpu 0:"]
            + [f" {f}+0x48/0x3a0" for f in stack2] + list(extra)
            + ["", "value changed: 0x0000000000000000 -> 0x0000000000080000", "",
               "Reported by Kernel Concurrency Sanitizer on:",
               "CPU: 0 UID: 0 PID: 80 Comm: jobctl Not tainted 7.3.4 #1", "=" * 66])


# The series of the KCSAN cases: SERIES_TREE, a git tree whose commit on top of tag "base"
# changes ptrace_stop() and adds ptrace_new(), and leaves do_signal_stop() alone.
SERIES = ["--series-tree", "SERIES_TREE"]
OUTSIDE = kcsan("do_signal_stop / pipe_read", ["pipe_read", "vfs_read"], ["do_signal_stop", "get_signal"])
CASES = [
    # name, edit, expected rc, expected closing line
    ("pass", lambda l: l, 0, "4 passed, 0 failed, 1 skipped"),
    ("warning", inject(["------------[ cut here ]------------",
                        "WARNING: CPU: 1 PID: 77 at kernel/signal.c:2401 do_jobctl_trap+0x10/0x20",
                        "Call Trace:", " <TASK>", " ptrace_stop+0x1/0x2", " </TASK>"]),
     1, "4 passed, 1 failed, 1 skipped"),
    ("bug", inject(["BUG: kernel NULL pointer dereference, address: 0000000000000008"]), 1, None),
    ("oops", inject(["Oops: general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP"]), 1, None),
    ("circular", inject(["WARNING: possible circular locking dependency detected"]), 1, None),
    ("inconsistent", inject(["inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage.", "inconsistent lock state"]), 1, None),
    ("rcu", inject(["WARNING: suspicious RCU usage"]), 1, None),
    ("recursive", inject(["possible recursive locking detected"]), 1, None),
    ("kasan", inject(["BUG: KASAN: slab-use-after-free in ptrace_resume+0x1/0x2"]), 1, None),
    ("atomic-sleep", inject(["BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283"]), 1, None),
    ("hung-task", inject(["INFO: task get_syscall_in:81 blocked for more than 61 seconds."]), 1, None),
    ("soft-lockup", inject(["watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [vmaccess:90]"]), 1, None),
    ("panic", lambda l: cut_after("PTJ: step kselftest end")(l) + TS + "Kernel panic - not syncing: Fatal exception\n",
     1, "4 passed, 2 failed, 1 skipped"),
    ("hang", cut_after("ok 4 selftests: ptrace: get_set_sud"), 1, "4 passed, 2 failed, 1 skipped"),
    ("no-init", cut_after("PTJ: guest init start"), 1, "0 passed, 2 failed, 0 skipped"),
    ("nested-fail", sub("# ok 1 global.get_set_sud", "# not ok 1 global.get_set_sud"), 1, "3 passed, 1 failed, 1 skipped"),
    ("binary-fail-only", sub("ok 2 selftests: ptrace: peeksiginfo", "not ok 2 selftests: ptrace: peeksiginfo # exit=1"),
     1, "3 passed, 1 failed, 1 skipped"),
    ("timeout", sub("ok 4 selftests: ptrace: get_set_sud", "not ok 4 selftests: ptrace: get_set_sud # TIMEOUT 45 seconds"),
     1, "4 passed, 1 failed, 1 skipped"),
    ("skip", sub("# ok 1 global.get_set_sud", "# ok 1 global.get_set_sud # SKIP no syscall user dispatch"),
     0, "3 passed, 0 failed, 2 skipped"),
    ("skip-binary", sub("ok 2 selftests: ptrace: peeksiginfo", "ok 2 selftests: ptrace: peeksiginfo # SKIP"),
     0, "3 passed, 0 failed, 2 skipped"),
    ("one-cpu", sub("PTJ: cpus online: 2 (0-1)", "PTJ: cpus online: 1 (0)"), 1, "4 passed, 1 failed, 1 skipped"),
    ("step-missing", sub("PTJ: step kselftest end rc=0", "PTJ: step kselftest end rc=0\nPTJ: step stress begin\n"
                         "PTJ: no step /ptj/steps/stress in the initramfs\nPTJ: step stress end rc=127"), 1, None),
    ("no-tests", lambda l: "\n".join(x for x in l.split("\n") if "ok " not in x), 1, "0 passed, 1 failed, 0 skipped"),
    ("unknown-failure-not-waived", lambda l: l, 1, "4 passed, 1 failed, 0 skipped", "/dev/null"),
    # an "arch:" entry waives the failure on that architecture only
    ("arch-known-other-arch", lambda l: l, 1, "4 passed, 1 failed, 0 skipped", "ARCH_KNOWN", ["--arch", "x86_64"]),
    ("arch-known-this-arch", lambda l: l, 0, "4 passed, 0 failed, 1 skipped", "ARCH_KNOWN", ["--arch", "arm64"]),
    ("sparc64-one-cpu", sub("PTJ: cpus online: 2 (0-1)", "PTJ: cpus online: 1 (0)"), 0, "4 passed, 0 failed, 1 skipped",
     KNOWN, ["--cpus", "1"]),
    # KCSAN: a race with a series function in a stack fails, one outside is an XFAIL row
    ("kcsan-series", inject(kcsan("do_signal_stop / ptrace_stop", ["ptrace_stop", "ptrace_notify"],
                                  ["do_signal_stop", "get_signal"])), 1, "4 passed, 1 failed, 1 skipped", KNOWN, SERIES),
    ("kcsan-series-deep", inject(kcsan("do_signal_stop / pipe_read", ["pipe_read", "ptrace_new"],
                                       ["do_signal_stop"])), 1, "4 passed, 1 failed, 1 skipped", KNOWN, SERIES),
    ("kcsan-outside", inject(OUTSIDE), 0, "4 passed, 0 failed, 2 skipped", KNOWN, SERIES),
    # an ASSERT_EXCLUSIVE_* report: the asserting access's stack is a stack like any other
    ("kcsan-assert-series", inject([x.replace("write to 0x", "assert no accesses to 0x")
                                    .replace("data-race in", "assert: race in") for x in
                                    kcsan("pipe_read / ptrace_stop", ["ptrace_stop"], ["pipe_read"])]),
     1, "4 passed, 1 failed, 1 skipped", KNOWN, SERIES),
    ("kcsan-outside-twice", inject(OUTSIDE + OUTSIDE[2:]), 0, "4 passed, 0 failed, 2 skipped", KNOWN, SERIES),
    ("kcsan-no-series", inject(OUTSIDE), 1, "4 passed, 1 failed, 1 skipped"),
    ("kcsan-splat-inside", inject(kcsan("do_signal_stop / pipe_read", ["pipe_read"], ["do_signal_stop"],
                                        ["WARNING: CPU: 0 PID: 80 at kernel/signal.c:100 do_signal_stop+0x1/0x2"])),
     1, "4 passed, 1 failed, 2 skipped", KNOWN, SERIES),
    ("kcsan-selftest-failed", inject(["kcsan: enabled early", "kcsan: selftest: 2/3 tests passed"]),
     1, "4 passed, 1 failed, 1 skipped", KNOWN, SERIES),
    ("kcsan-selftest-missing", inject(["kcsan: enabled early"]), 1, "4 passed, 1 failed, 1 skipped", KNOWN, SERIES),
]

SIGNAL_BASE = """static int ptrace_stop(int exit_code)
{
\treturn exit_code;
}

static void do_signal_stop(int signr)
{
\tsignr++;
}
"""
SIGNAL_SERIES = SIGNAL_BASE.replace("\treturn exit_code;", "\texit_code |= 1;\n\treturn exit_code;") + """
static bool
ptrace_new(struct task_struct *t)
{
\treturn true;
}
"""


def series_tree(tmp):
    """The git tree of the KCSAN cases (see SERIES)."""
    t = os.path.join(tmp, "series-tree")
    os.makedirs(os.path.join(t, "kernel"))
    git = ["git", "-C", t, "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(git + ["init", "-q"], check=True)
    for text, tag in ((SIGNAL_BASE, "base"), (SIGNAL_SERIES, None)):
        with open(os.path.join(t, "kernel", "signal.c"), "w") as f:
            f.write(text)
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-q", "-m", tag or "series"], check=True)
        if tag:
            subprocess.run(git + ["tag", tag], check=True)
    return t


def tsv_close(path):
    """The closing line and exit code that the rows of a results.tsv imply."""
    rows = [line.rstrip("\n").split("\t") for line in open(path)][1:]
    return verdict.counts(rows), 1 if any(r[1] == "FAIL" for r in rows) else 0


def main():
    bad = 0
    results = []
    out = sys.argv[2] if sys.argv[1:2] == ["--tsv"] else None
    with tempfile.TemporaryDirectory() as tmp:
        arch_known = os.path.join(tmp, "arch-known-failures")
        with open(arch_known, "w") as f:
            f.write("# only on arm64 and sparc64\narch:arm64,sparc64 ptrace:vmaccess:global.attach reason\n")
        tree = series_tree(tmp)
        for case in CASES:
            name, edit, want_rc, want_close = case[:4]
            known = case[4] if len(case) > 4 else KNOWN
            known = arch_known if known == "ARCH_KNOWN" else known
            extra = [tree if x == "SERIES_TREE" else x for x in (case[5] if len(case) > 5 else [])]
            log = os.path.join(tmp, name + ".log")
            with open(log, "w") as f:
                f.write(edit(PASS))
            tsv = os.path.join(tmp, name + ".tsv")
            r = subprocess.run([VERDICT, "--known", known, "--tsv", tsv] + extra + [log],
                               capture_output=True, text=True)
            lines = r.stdout.strip().splitlines()
            close = lines[-1] if lines else ""
            ok = r.returncode == want_rc and (want_close is None or close == want_close)
            why = "" if ok else f" (want rc={want_rc} '{want_close}')"
            if ok and tsv_close(tsv) != (close, r.returncode):
                ok, why = False, f" (results.tsv says {tsv_close(tsv)})"
            print(f"{'ok' if ok else 'not ok'} {name}: rc={r.returncode} '{close}'{why}")
            results.append((f"verdict:selftest:{name}", "PASS" if ok else "FAIL", why.strip(" ()")))
            if not ok:
                bad += 1
                print(r.stdout)
    if out:
        with open(out, "w") as f:
            f.write("test\tstatus\treason\n")
            f.writelines(f"{t}\t{s}\t{r}\n" for t, s, r in results)
    print(f"{len(CASES) - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
