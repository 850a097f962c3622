"""Host side of the read-write ext4 tests (test/ext4rw, harness groups
ext4-stress and ext4-crash): images are read without mounting them.

  * e2fsck_clean(image): e2fsck -fn, clean = exit 0 and no "Fix?" line.
  * image_manifest(image): the manifest lines ext4rw prints for a mounted
    tree (path, type, mode, size, links, CRC-32), computed from the image
    with debugfs: `ls -p` level by level for the names, `stat` for type,
    mode, size and link count (and fast symlinks' targets), `dump` (or
    `cat` streamed, for big files) for the contents.
  * CrashState: the expectations of the crash test, folded from the log
    records the guest writer left on its log disk (see ext4rw.c, "The
    log") and from what each verify boot found.
"""
import os
import re
import subprocess
import tempfile
import zlib

BIG_FILE = 64 << 20     # bigger regular files are streamed, not dumped


def debugfs(image, commands):
    """Run debugfs commands on @image (read-only); returns a list of
    (command, output lines) in order."""
    with tempfile.NamedTemporaryFile("w", suffix=".cmds") as f:
        f.write("".join(c + "\n" for c in commands))
        f.flush()
        proc = subprocess.run(["debugfs", "-f", f.name, image],
                              capture_output=True, text=True,
                              errors="replace",
                              env=dict(os.environ, DEBUGFS_PAGER="__none__"))
    out, cur = [], None
    for line in proc.stdout.splitlines():
        if line.startswith("debugfs: "):
            cur = (line[len("debugfs: "):], [])
            out.append(cur)
        elif cur is not None:
            cur[1].append(line)
    if len(out) != len(commands):
        raise RuntimeError("debugfs answered %d of %d commands: %s" % (
            len(out), len(commands), proc.stderr.strip()[-300:]))
    return out


def e2fsck_clean(image):
    """(clean, summary, notes): e2fsck -fn exits 0 and asks to repair
    nothing (no "Fix? no", "Clear? no", ... answer).  Offers to optimize
    (an extent tree that could be one level shorter: e2fsck exits 0 for
    those, and Linux leaves such trees too) are returned as notes."""
    proc = subprocess.run(["e2fsck", "-fn", image], capture_output=True,
                          text=True, errors="replace")
    text = proc.stdout + proc.stderr
    prompts = [l for l in text.splitlines() if re.search(r"\? no$", l)]
    notes = [l for l in prompts if l.endswith("Optimize? no")]
    fixes = [l for l in prompts if l not in notes]
    ok = proc.returncode == 0 and not fixes
    why = "exit %d; %s" % (proc.returncode,
                           " | ".join((fixes or text.splitlines())[:6]))
    return ok, why, notes


def list_tree(image):
    """[(path, inode)] of every name below the root (not lost+found)."""
    names, level = [], [("", 2)]
    while level:
        answers = debugfs(image, ["ls -p <%d>" % ino for _, ino in level])
        nxt = []
        for (parent, _), (_, out) in zip(level, answers):
            for line in out:
                w = line.split("/")
                if len(w) < 8 or not w[1].isdigit():
                    continue
                ino, mode, name = int(w[1]), int(w[2], 8), "/".join(w[5:-2])
                if ino == 0 or name in (".", "..") or \
                        (not parent and name == "lost+found"):
                    continue
                path = parent + "/" + name if parent else name
                names.append((path, ino))
                if mode >> 12 == 0o04:
                    nxt.append((path, ino))
        level = nxt
    return names


STAT_TYPES = {"regular": "f", "directory": "d", "symlink": "l"}


def stat_inodes(image, inodes):
    """{inode: {type, mode, size, links, fast}} from debugfs stat."""
    info = {}
    inodes = sorted(set(inodes))
    for i in range(0, len(inodes), 5000):
        batch = inodes[i:i + 5000]
        for (cmd, out), ino in zip(debugfs(image, ["stat <%d>" % n
                                                   for n in batch]), batch):
            text = "\n".join(out)
            m = re.search(r"Type: (\S+)\s+Mode:\s+(\d+)", text)
            s = re.search(r"Size: (\d+)", text)
            k = re.search(r"Links: (\d+)", text)
            if not (m and s and k):
                raise RuntimeError("debugfs stat <%d>: %s" % (ino, text[:200]))
            fast = re.search(r'^Fast link dest: "(.*)"$', text, re.M)
            info[ino] = {"type": STAT_TYPES.get(m.group(1), "?"),
                         "mode": int(m.group(2), 8) & 0o7777,
                         "size": int(s.group(1)), "links": int(k.group(1)),
                         "fast": fast.group(1) if fast else None}
    return info


def stream_crc(image, ino):
    """CRC-32 and length of an inode's contents, streamed by debugfs cat."""
    proc = subprocess.Popen(["debugfs", "-R", "cat <%d>" % ino, image],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, DEBUGFS_PAGER="__none__"))
    crc, n = 0, 0
    while True:
        data = proc.stdout.read(1 << 20)
        if not data:
            break
        crc = zlib.crc32(data, crc)
        n += len(data)
    proc.wait()
    return crc, n


def contents_crcs(image, info):
    """{inode: (crc, length)} of regular files and slow symlinks."""
    crcs = {}
    small = [ino for ino, i in info.items()
             if (i["type"] == "f" and i["size"] <= BIG_FILE) or
             (i["type"] == "l" and i["fast"] is None)]
    with tempfile.TemporaryDirectory(prefix="ext4rw-dump.") as tmp:
        for k in range(0, len(small), 5000):
            batch = small[k:k + 5000]
            debugfs(image, ["dump <%d> %s/%d" % (ino, tmp, ino)
                            for ino in batch])
            for ino in batch:
                path = os.path.join(tmp, str(ino))
                if not os.path.exists(path):
                    crcs[ino] = (None, 0)
                    continue
                with open(path, "rb") as f:
                    data = f.read()
                crcs[ino] = (zlib.crc32(data), len(data))
                os.unlink(path)
    for ino, i in info.items():
        if i["type"] == "f" and i["size"] > BIG_FILE:
            crcs[ino] = stream_crc(image, ino)
    return crcs


def image_manifest(image):
    """Sorted manifest lines of @image, in ext4rw's format."""
    names = list_tree(image)
    info = stat_inodes(image, [ino for _, ino in names])
    crcs = contents_crcs(image, info)
    lines = []
    for path, ino in names:
        i = info[ino]
        if i["type"] == "d":
            lines.append("M %s d %04o - %d -" % (path, i["mode"], i["links"]))
            continue
        if i["type"] == "l" and i["fast"] is not None:
            data = i["fast"].encode()
            crc, n = zlib.crc32(data), len(data)
        elif i["type"] in ("f", "l"):
            crc, n = crcs[ino]
        else:
            lines.append("M %s ? %04o - - -" % (path, i["mode"]))
            continue
        if crc is None or n != i["size"]:
            lines.append("M %s %s %04o %d %d unreadable(%d bytes)" % (
                path, i["type"], i["mode"], i["size"], i["links"], n))
        else:
            lines.append("M %s %s %04o %d %d %08x" % (
                path, i["type"], i["mode"], i["size"], i["links"], crc))
    return sorted(lines)


def guest_manifest(log):
    """(lines, complete): the M lines of a guest log and whether the
    MANIFEST-END line matches their count and CRC."""
    lines = re.findall(r"^(M \S+ [fdl?] .*)$", log, re.M)
    m = re.search(r"^MANIFEST-END (\d+) ([0-9a-f]{8})$", log, re.M)
    crc = 0
    for l in lines:
        crc = zlib.crc32((l + "\n").encode(), crc)
    complete = (m is not None and int(m.group(1)) == len(lines) and
                int(m.group(2), 16) == crc)
    return sorted(lines), complete


def manifest_diff(a, b):
    """(count, first few) of lines only in a or only in b."""
    sa, sb = set(a), set(b)
    only_a = [l for l in a if l not in sb]
    only_b = [l for l in b if l not in sa]
    sample = (["guest only: " + l for l in only_a[:3]] +
              ["image only: " + l for l in only_b[:3]])
    return len(only_a) + len(only_b), sample


class CrashState:
    """What the image must hold: records {id: {paths, kind, size, crc}}
    (kind F: at paths[0]; E: at exactly one of two paths; O: at paths[0]
    or absent) and a set of paths that must not exist."""

    def __init__(self):
        self.recs = {}
        self.by_path = {}
        self.absent = set()
        self.next_id = 0

    def _add(self, path, size, crc):
        rid = self.next_id
        self.next_id += 1
        self.recs[rid] = {"paths": [path], "kind": "F", "size": size,
                          "crc": crc}
        self.by_path[path] = rid
        self.absent.discard(path)

    def _drop(self, rid):
        for p in self.recs[rid]["paths"]:
            if self.by_path.get(p) == rid:
                del self.by_path[p]
        del self.recs[rid]

    def fold_log(self, text):
        """Apply the writer's log (complete lines only); returns how many
        records were applied."""
        n = 0
        for line in text.split("\n")[:-1]:     # the last one may be torn
            w = line.split()
            if not w:
                continue
            n += 1
            if w[0] == "F" and len(w) == 4:
                self._add(w[1], int(w[2]), int(w[3], 16))
            elif w[0] in ("MV", "MVD") and len(w) == 3:
                rid = self.by_path.get(w[1])
                if rid is None:
                    continue
                rec = self.recs[rid]
                if w[0] == "MV":
                    rec["paths"], rec["kind"] = [w[1], w[2]], "E"
                    self.by_path[w[2]] = rid
                else:
                    rec["paths"], rec["kind"] = [w[2]], "F"
                    del self.by_path[w[1]]
                    self.by_path[w[2]] = rid
                    self.absent.add(w[1])
                self.absent.discard(w[2])
            elif w[0] in ("RM", "RMD") and len(w) == 2:
                rid = self.by_path.get(w[1])
                if rid is None:
                    continue
                if w[0] == "RM":
                    self.recs[rid]["kind"] = "O"
                else:
                    self._drop(rid)
                    self.absent.add(w[1])
            elif w[0] in ("RMBEGIN", "RMDONE") and len(w) == 2:
                pre = w[1] + "/"
                for rid in [r for r, rec in self.recs.items()
                            if any(p.startswith(pre) for p in rec["paths"])]:
                    if w[0] == "RMBEGIN":
                        self.recs[rid]["kind"] = "O"
                    else:
                        self._drop(rid)
                if w[0] == "RMDONE":
                    self.absent = {p for p in self.absent
                                   if not p.startswith(pre)}
                    self.absent.add(w[1])
            else:
                n -= 1
        return n

    def expectations(self):
        """The text the verify boot reads from its log disk."""
        out = []
        for rec in self.recs.values():
            p = rec["paths"]
            if rec["kind"] == "E":
                out.append("E %s %s %d %08x" % (p[0], p[1], rec["size"],
                                                rec["crc"]))
            else:
                out.append("%s %s %d %08x" % (rec["kind"], p[0], rec["size"],
                                              rec["crc"]))
        out += ["X %s" % p for p in sorted(self.absent)]
        return "".join(l + "\n" for l in out)

    def fold_verify(self, log):
        """Settle E and O records from the verify boot's AT / PRESENT /
        ABSENT lines."""
        for a, b, at in re.findall(r"^AT (\S+) (\S+) (\S+)$", log, re.M):
            rid = self.by_path.get(a)
            if rid is None or self.recs[rid]["paths"] != [a, b]:
                continue
            gone = b if at == a else a
            self.recs[rid]["paths"], self.recs[rid]["kind"] = [at], "F"
            del self.by_path[gone]
            self.absent.add(gone)
        for p in re.findall(r"^PRESENT (\S+)$", log, re.M):
            rid = self.by_path.get(p)
            if rid is not None:
                self.recs[rid]["kind"] = "F"
        for p in re.findall(r"^ABSENT (\S+)$", log, re.M):
            rid = self.by_path.get(p)
            if rid is not None:
                self._drop(rid)
                self.absent.add(p)
