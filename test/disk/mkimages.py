#!/usr/bin/env python3
"""Disk images for the "disk" test group and the spec file describing them.

A: 32 MiB, GPT made by sgdisk: partitions 1, 2, 3 and 5 (entry 4 empty,
   so numbering by entry index shows); 3 is the write target.
B: 24 MiB, MBR made by sfdisk: primary 1, extended 2, primary 3 and the
   logical partitions 5, 6, 7 in the extended one; 5 is a write target.
C: 2 MiB, no partition table, filled whole; attached read-only.
D: 8 MiB of 4096-byte logical blocks, MBR made by sfdisk through a loop
   device with that sector size: partitions 1 (the write target) and 2.
The layout in the spec is what sfdisk -J reports (util-linux numbers
logical partitions as Linux does), so the kernel's parsing is checked
against an independent reader.  Filling is done by disktest itself.

Usage: mkimages.py OUTDIR DISKTEST   (prints the spec path)
"""
import json
import os
import subprocess
import sys

LAYOUT = [
    # id, MiB, read-only, whole disk filled, logical block size
    ("A", 32, 0, 0, 512),
    ("B", 24, 0, 0, 512),
    ("C", 2, 1, 1, 512),
    ("D", 8, 0, 0, 4096),
]
WRITE_TARGETS = {("A", 3), ("B", 5), ("D", 1)}


def partition(image, disk_id):
    if disk_id == "A":
        subprocess.run(["sgdisk", "-o", "-n", "1:0:+4M", "-n", "2:0:+8M",
                        "-n", "3:0:+4M", "-n", "5:0:+2M", image],
                       check=True, capture_output=True)
    elif disk_id == "B":
        base = os.path.basename(image)
        script = "label: dos\n" + "".join(
            "%s%d : size=%dMiB, type=%s\n" % (base, n, mib, t)
            for n, mib, t in ((1, 4, "83"), (2, 12, "5"), (3, 2, "83"),
                              (5, 4, "83"), (6, 2, "83"), (7, 2, "83")))
        subprocess.run(["sfdisk", "-q", base], input=script, text=True,
                       check=True, capture_output=True,
                       cwd=os.path.dirname(image))


def partition_4k(image):
    """sfdisk of util-linux 2.38 cannot be told a sector size: go through
    a loop device of 4096-byte sectors; returns the table (sectors of
    512 bytes)."""
    loop = subprocess.run(["losetup", "-f", "--show", "--sector-size",
                           "4096", image], capture_output=True, text=True,
                          check=True).stdout.strip()
    try:
        # (It cannot make the kernel re-read the table: not an error.)
        subprocess.run(["sfdisk", "-q", loop], capture_output=True,
                       text=True, input="label: dos\nsize=2MiB, type=83\n"
                       "size=3MiB, type=83\n")
        return table(loop, loop + "p", 8)
    finally:
        subprocess.run(["losetup", "-d", loop])


def table(image, prefix, factor=1):
    proc = subprocess.run(["sfdisk", "-J", image], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        return []
    parts = []
    for p in json.loads(proc.stdout)["partitiontable"]["partitions"]:
        num = int(p["node"][len(prefix):])
        parts.append((num, p["start"] * factor, p["size"] * factor,
                      p["type"]))
    return parts


def make(outdir, disktest):
    os.makedirs(outdir, exist_ok=True)
    lines, images = [], {}
    for disk_id, mib, ro, fill, lsize in LAYOUT:
        image = os.path.join(outdir, disk_id + ".img")
        if os.path.exists(image):
            os.unlink(image)
        with open(image, "wb") as f:
            f.truncate(mib << 20)
        if lsize == 4096:
            parts = partition_4k(image)
        else:
            partition(image, disk_id)
            parts = table(image, image)
        images[disk_id] = image
        lines.append("disk %s %d %d %d %d" % (disk_id, (mib << 20) // 512,
                                              ro, fill, lsize))
        for num, start, size, ptype in parts:
            if ptype in ("5", "f", "85"):
                # Linux shows 2 sectors of it, or one logical block
                # when that is larger (msdos_partition).
                kind, size = "ext", max(2, lsize // 512)
            elif (disk_id, num) in WRITE_TARGETS:
                kind = "write"
            else:
                kind = "fill"
            lines.append("part %s %d %d %d %s" % (disk_id, num, start, size,
                                                  kind))
    spec = os.path.join(outdir, "disk.spec")
    with open(spec, "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run([disktest, "fill", spec] +
                   ["%s=%s" % kv for kv in images.items()], check=True)
    return spec, images


if __name__ == "__main__":
    print(make(sys.argv[1], sys.argv[2])[0])
