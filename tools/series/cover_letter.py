#!/usr/bin/env python3
"""cover_letter.py COVER_PATCH: fill in the cover letter that git format-patch wrote.

The subject and the blurb replace format-patch's placeholders; To: and Cc: go after Date:.
They come from the environment: SUBJECT, BLURB (a file), TO, CC (tools/series/export.sh).
"""
import os, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
head, sep, body = s.partition("\n\n")
lines = head.split("\n")
out = []
for l in lines:
    out.append(l)
    if l.startswith("Date: "):
        if os.environ["TO"]:
            out.append("To: " + os.environ["TO"])
        if os.environ["CC"]:
            out.append("Cc: " + os.environ["CC"])
head = "\n".join(out).replace("*** SUBJECT HERE ***", os.environ["SUBJECT"])
blurb = open(os.environ["BLURB"], encoding="utf-8").read().rstrip("\n")
body = body.replace("*** BLURB HERE ***", blurb)
open(p, "w", encoding="utf-8").write(head + sep + body)
