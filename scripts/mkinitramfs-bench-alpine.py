#!/usr/bin/env python3
"""Build the Alpine image of the benchmarks (the apk_add workload).

The image is scripts/mkinitramfs-alpine.sh's: Alpine's 3.19.4 minirootfs
with the offline mirror at /mirror, except that the mirror holds only what
`apk add` of ALPINE_PACKAGES needs (those packages and their dependencies
that the minirootfs lacks, found from the mirror's signed APKINDEX, which
is kept unchanged), so the image stays small and GRUB loads it quickly.
Over it go the bench /init (test/bench/init.c, musl build), the program
list /bench/programs (just "apk") and /bench/musl/apk (test/bench/apk.c),
then EXTRA_DIR if given (scripts/bench adds Linux's virtio disk modules).

Usage: scripts/mkinitramfs-bench-alpine.py OUT.cpio [EXTRA_DIR]
       (after ninja build/bench/musl/apk build/bench/musl/init; needs root)
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARBALL = "alpine-minirootfs-3.19.4-x86_64.tar.gz"
INDEX_DIR = os.path.join("v3.19", "main", "x86_64")
# What test/bench/apk.c installs; keep the two lists the same.
ALPINE_PACKAGES = ("make", "binutils", "musl-dev")


def alpine_dir():
    """The offline Alpine folder, found as scripts/mkinitramfs-alpine.sh does."""
    cands = [os.environ.get("ALPINE_DIR", ""),
             os.path.join(ROOT, "..", "shared", "alpine"), "/work/shared/alpine"]
    for c in cands:
        if c and os.path.isfile(os.path.join(c, TARBALL)):
            return os.path.abspath(c)
    sys.exit("mkinitramfs-bench-alpine: no Alpine folder (set ALPINE_DIR)")


def records(text):
    """The records of an APKINDEX or installed database: lists of (key, value)."""
    out = []
    for block in text.split("\n\n"):
        fields = [(l[0], l[2:]) for l in block.splitlines() if l[1:2] == ":"]
        if fields:
            out.append(fields)
    return out


def dep_name(dep):
    """The package or provided name of a D: word ("musl>=1.2" -> "musl")."""
    return re.split(r"[<>=~]", dep, maxsplit=1)[0]


def needed_packages(alpine):
    """File names of the packages to copy: ALPINE_PACKAGES and what they
    depend on, transitively, minus what the minirootfs has installed."""
    with tarfile.open(os.path.join(alpine, INDEX_DIR, "APKINDEX.tar.gz")) as t:
        index = t.extractfile("APKINDEX").read().decode()
    with tarfile.open(os.path.join(alpine, TARBALL)) as t:
        db = t.extractfile("./lib/apk/db/installed").read().decode()
    have = set()
    for rec in records(db):
        for k, v in rec:
            if k == "P":
                have.add(v)
            elif k == "p":
                have.update(dep_name(w) for w in v.split())
    by_name, provider = {}, {}
    for rec in records(index):
        f = dict(rec)
        by_name[f["P"]] = f
        provider.setdefault(f["P"], f["P"])
        for w in f.get("p", "").split():
            provider.setdefault(dep_name(w), f["P"])
    todo, chosen = list(ALPINE_PACKAGES), {}
    while todo:
        want = todo.pop()
        if want.startswith("!") or want in have:
            continue
        name = provider.get(want)
        if name is None:
            sys.exit("mkinitramfs-bench-alpine: nothing in the mirror "
                     "provides %s" % want)
        if name in chosen or name in have:
            continue
        f = by_name[name]
        chosen[name] = "%s-%s.apk" % (name, f["V"])
        todo += [dep_name(d) for d in f.get("D", "").split()]
    return sorted(chosen.values())


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: mkinitramfs-bench-alpine.py OUT.cpio [EXTRA_DIR]")
    out = os.path.abspath(sys.argv[1])
    extra = sys.argv[2] if len(sys.argv) == 3 else None
    alpine = alpine_dir()
    bench = os.path.join(ROOT, "build", "bench", "musl")
    for prog in ("init", "apk"):
        if not os.access(os.path.join(bench, prog), os.X_OK):
            sys.exit("mkinitramfs-bench-alpine: %s/%s missing; run ninja "
                     "build/bench/musl/%s" % (bench, prog, prog))
    with tempfile.TemporaryDirectory(prefix="bench-alpine.") as tmp:
        mirror = os.path.join(tmp, "alpine")
        os.makedirs(os.path.join(mirror, INDEX_DIR))
        os.symlink(os.path.join(alpine, TARBALL), os.path.join(mirror, TARBALL))
        shutil.copytree(os.path.join(alpine, "keys"),
                        os.path.join(mirror, "keys"))
        for f in ["APKINDEX.tar.gz"] + needed_packages(alpine):
            shutil.copy(os.path.join(alpine, INDEX_DIR, f),
                        os.path.join(mirror, INDEX_DIR, f))
        tree = os.path.join(tmp, "tree")
        os.makedirs(os.path.join(tree, "bench", "musl"))
        subprocess.run(["strip", "--strip-all", "-o",
                        os.path.join(tree, "init"),
                        os.path.join(bench, "init")], check=True)
        subprocess.run(["strip", "--strip-all", "-o",
                        os.path.join(tree, "bench", "musl", "apk"),
                        os.path.join(bench, "apk")], check=True)
        with open(os.path.join(tree, "bench", "programs"), "w") as f:
            f.write("apk\n")
        if extra:
            shutil.copytree(extra, tree, symlinks=True, dirs_exist_ok=True)
        env = dict(os.environ, ALPINE_DIR=mirror)
        subprocess.run([os.path.join(ROOT, "scripts", "mkinitramfs-alpine.sh"),
                        out + ".tmp", tree], check=True, env=env)
    os.replace(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
