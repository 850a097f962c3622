#!/usr/bin/env python3
"""Check that the second link pass did not move any text symbol.

The symbol table is generated from the first pass; it is only right if the
final kernel has the same text addresses.  Usage: check-ksyms.py PASS1 FINAL
"""
import subprocess
import sys


def text_symbols(elf):
    out = subprocess.run(["nm", "-n", elf], check=True, capture_output=True,
                         text=True).stdout
    return sorted(l for l in out.splitlines()
                  if len(l.split()) == 3 and l.split()[1] in "tTwW")


a, b = text_symbols(sys.argv[1]), text_symbols(sys.argv[2])
if a != b:
    sys.exit("check-ksyms: text symbols moved between link passes")
