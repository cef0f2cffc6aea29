#!/usr/bin/env python3
"""citations.py --tree KERNEL-TREE --list CITATIONS --model MODEL.pml [--top REPO]

Ties the model to the code. CITATIONS has one line per citation, tab-separated:

    FILE    FUNCTION    LITERAL

FILE is relative to KERNEL-TREE (the patched tree), or kernel/mutants/NAME.patch relative to
REPO for what only a mutant has (FUNCTION is then "-"). The check fails if
  - FUNCTION is not defined in FILE any more (a line at column 0 naming FUNCTION( that does
    not end with ';', its body up to the next '}' at column 0), or
  - LITERAL (whitespace-normalized) is not in that body (in the mutant's added lines), or
  - a quoted string in a comment of MODEL is not in CITATIONS, or a LITERAL of CITATIONS is
    not quoted in MODEL: the list and the model's comments say the same.
Prints one line per problem and a summary; exit 1 if any.
"""
import os
import re
import sys


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def functions(path):
    """{name: normalized body} of the C file at path (first definition wins)."""
    lines = open(path, errors="replace").read().split("\n")
    out, i = {}, 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"(?=[A-Za-z_]).*?\b([A-Za-z_]\w*)\(", line)
        if m and not line.rstrip().endswith(";"):
            j = i + 1
            while j < len(lines) and lines[j] != "}":
                j += 1
            out.setdefault(m.group(1), norm("\n".join(lines[i:j + 1])))
            i = j + 1
        else:
            i += 1
    return out


def model_quotes(path):
    """The "quoted" strings of the comments of the model, whitespace-normalized."""
    src = open(path).read()
    quotes = []
    for m in re.finditer(r"/\*(.*?)\*/", src, re.S):
        text = re.sub(r"\n\s*\*(?!/)", " ", m.group(1))
        quotes += [norm(q) for q in re.findall(r'"([^"]+)"', text)]
    return quotes


def main():
    args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
    tree, lst, model = args["--tree"], args["--list"], args["--model"]
    top = args.get("--top", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    problems, cited, cache = [], [], {}
    n = 0
    for lineno, line in enumerate(open(lst), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            path, func, lit = line.rstrip("\n").split("\t")
        except ValueError:
            problems.append(f"{lst}:{lineno}: not FILE<TAB>FUNCTION<TAB>LITERAL")
            continue
        n += 1
        lit = norm(lit)
        cited.append(lit)
        if path.startswith("kernel/mutants/"):
            p = os.path.join(top, path)
            if not os.path.isfile(p):
                problems.append(f"{path}: no such mutant (cited: \"{lit}\")")
                continue
            added = norm("\n".join(x[1:] for x in open(p).read().split("\n")
                                   if x.startswith("+") and not x.startswith("+++")))
            if lit not in added:
                problems.append(f"{path}: does not add \"{lit}\"")
            continue
        p = os.path.join(tree, path)
        if not os.path.isfile(p):
            problems.append(f"{path}: not in the patched tree")
            continue
        if p not in cache:
            cache[p] = functions(p)
        body = cache[p].get(func)
        if body is None:
            problems.append(f"{path}: function {func}() no longer exists (cited: \"{lit}\")")
        elif lit not in body:
            problems.append(f"{path}: {func}() no longer has \"{lit}\"")
    quotes = model_quotes(model)
    for q in quotes:
        if q not in cited:
            problems.append(f"{os.path.basename(model)} quotes \"{q}\", which {os.path.basename(lst)} does not list")
    for c in cited:
        if c not in quotes:
            problems.append(f"{os.path.basename(lst)} lists \"{c}\", which the model does not quote")
    for p in problems:
        print(f"citations: {p}")
    funcs = len({(l.split(chr(9))[0], l.split(chr(9))[1]) for l in open(lst)
                 if l.strip() and not l.startswith("#") and l.count("\t") == 2})
    if problems:
        print(f"citations: FAILED: {len(problems)} problem(s) in {n} citations")
        return 1
    print(f"citations: ok: {n} citations of {funcs} functions (and mutants) found in {tree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
