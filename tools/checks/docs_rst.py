#!/usr/bin/env python3
"""docs_rst.py TREE DOC INDEX: steps 1-3 of tools/checks/docs.sh (docutils, line length, toctree)."""
import glob, io, os, re, sys

import docutils
import docutils.core
from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles

tree, doc, index = sys.argv[1:4]
path = os.path.join(tree, doc)
prog = "check-docs"


def fail(msg):
    print(f"{prog}: FAILED: {msg}")
    sys.exit(1)


# Roles and directives that only Sphinx or the kernel's Sphinx extensions define.  Dummies, so
# that plain docutils does not report them as unknown; the Sphinx build (step 4) checks them.
def literal_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.literal(rawtext, text)], []


for r in ("c:func", "c:type", "c:macro", "c:data", "c:member", "c:enum", "c:expr",
          "c:struct", "c:union", "c:var", "c:texpr", "ref", "doc", "manpage", "file",
          "command", "program", "envvar", "option", "term", "numref", "kbd", "abbr",
          "samp", "menuselection", "guilabel", "download"):
    roles.register_local_role(r, literal_role)


class Dummy(Directive):
    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = None  # accepts nothing; overridden below to accept anything

    def run(self):
        return []


class AnyOptions(dict):
    def __missing__(self, key):
        return directives.unchanged


Dummy.option_spec = AnyOptions()
for d in ("kernel-doc", "kernel-include", "kernel-figure", "kernel-image", "kernel-render",
          "flat-table", "toctree", "only", "c:function", "c:type", "c:struct", "c:macro",
          "c:var", "c:member", "c:enum", "c:enumerator", "c:union", "index", "glossary",
          "code-block", "highlight", "literalinclude", "versionadded", "versionchanged",
          "deprecated", "seealso", "tabularcolumns", "maintainers-include", "kernel-abi",
          "kernel-feat"):
    directives.register_directive(d, Dummy)

src = open(path, encoding="utf-8").read()
warnings = io.StringIO()
settings = {
    "report_level": 2,          # report WARNING and above ...
    "halt_level": 5,            # ... all of them, without stopping at the first
    "warning_stream": warnings,
    "input_encoding": "utf-8",
    "output_encoding": "utf-8",
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "_disable_config": True,
}
docutils.core.publish_string(src, source_path=path, writer_name="html5",
                             settings_overrides=settings)
msgs = warnings.getvalue().strip()
if msgs:
    print(msgs)
    n = sum(1 for l in msgs.splitlines() if re.search(r"\((WARNING|ERROR|SEVERE)/\d\)", l))
    fail(f"docutils {docutils.__version__}: {max(n, 1)} message(s) at WARNING level or above in {doc}")
print(f"{prog}: docutils {docutils.__version__}: {doc} renders to HTML without warnings")


def width(line):
    return len(line.expandtabs(8))


# 2. Line length against the neighbours' convention.
neigh = [f for f in sorted(glob.glob(os.path.join(tree, "Documentation/userspace-api/*.rst")))
         if os.path.basename(f) != "ptrace.rst"]
total = fit80 = 0
for f in neigh:
    for l in open(f, encoding="utf-8", errors="replace").read().splitlines():
        total += 1
        fit80 += width(l) <= 80
if not total:
    fail("no neighbouring .rst files in Documentation/userspace-api")
share = 100.0 * fit80 / total
limit = 80 if share >= 95.0 else 100
long = [(n, width(l)) for n, l in enumerate(src.splitlines(), 1) if width(l) > limit]
print(f"{prog}: neighbours: {share:.1f}% of {total} lines in {len(neigh)} files fit in 80 "
      f"columns, so the limit is {limit}; longest line of {doc}: "
      f"{max(width(l) for l in src.splitlines())}")
if long:
    for n, w in long[:10]:
        print(f"{doc}:{n}: {w} columns")
    fail(f"{len(long)} line(s) of {doc} longer than {limit} columns")

# 3. The index links the document from a toctree.
listed = False
in_toc = False
for l in open(os.path.join(tree, index), encoding="utf-8").read().splitlines():
    if re.match(r"\s*\.\.\s+toctree::", l):
        in_toc = True
        continue
    if in_toc:
        if l.strip() == "" or re.match(r"\s+:\w+:", l):
            continue
        if not l.startswith((" ", "\t")):
            in_toc = False
            continue
        if l.strip() in ("ptrace", "ptrace.rst"):
            listed = True
if not listed:
    fail(f"{index} has no toctree entry for ptrace")
print(f"{prog}: {index} lists ptrace in a toctree")
