#!/usr/bin/env python3
"""Build the ext2/3/4 images the host ext4 harness (test_ext4) and the
fuzzer read, with e2fsprogs as the oracle: each image is made from a
source tree by `mke2fs -d`, some then reshaped by e2fsck -D (htree
directories) or debugfs (fragmented files for deep extent trees).

Writes OUT/<name>.img, the tree each image must show in OUT/<name>.tree,
and OUT/manifest (one line per image: name, flags).  Flags: 'notimes'
(debugfs-written files get the current time), 'htree' (the image has
indexed directories).  Usage: mkext4images.py OUT
"""
import os
import random
import shutil
import subprocess
import sys

OUT = sys.argv[1]
rng = random.Random(1234)


def run(*cmd, inp=None):
    subprocess.run(cmd, check=True, input=inp, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def write(path, data, mode=0o644):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def stamp(path, sec, ns):
    os.utime(path, ns=(sec * 10**9 + ns, sec * 10**9 + ns),
             follow_symlinks=False)


def base_tree(root, big_dir_files=0, inline_small=False):
    """The common source tree: files of assorted sizes, holes, links,
    symlinks, xattrs, owners, modes, nanosecond times."""
    os.makedirs(root)
    write(os.path.join(root, "empty"), b"")
    write(os.path.join(root, "small"), b"hello, ext4\n")
    write(os.path.join(root, "block"), bytes(rng.randrange(256) for _ in range(4096)))
    write(os.path.join(root, "medium"), os.urandom(200 * 1024 + 123), 0o600)
    write(os.path.join(root, "big"), os.urandom(3 * 1024 * 1024 + 77), 0o755)
    with open(os.path.join(root, "sparse"), "wb") as f:
        f.write(b"start")
        f.seek(5 * 1024 * 1024)
        f.write(b"middle")
        f.seek(9 * 1024 * 1024 + 100)
        f.write(b"end")
    # (e2fsprogs 1.47's mke2fs -d with inline_data stores a file ending
    # in a hole with the size of its data: left out of that image)
    if not inline_small:
        with open(os.path.join(root, "hole_at_end"), "wb") as f:
            f.write(b"x" * 1000)
            f.truncate(3 * 1024 * 1024)
    os.symlink("small", os.path.join(root, "fastlink"))
    os.symlink("/" + "long/" * 40 + "target", os.path.join(root, "slowlink"))
    os.symlink("does/not/exist", os.path.join(root, "dangling"))
    d = os.path.join(root, "dir", "sub", "subsub")
    os.makedirs(d)
    write(os.path.join(d, "deep"), b"deep file\n")
    os.link(os.path.join(root, "small"), os.path.join(root, "dir", "hardlink1"))
    os.link(os.path.join(root, "small"), os.path.join(root, "dir", "sub", "hardlink2"))
    own = os.path.join(root, "owned")
    write(own, b"owned by 1234:5678\n", 0o4751)
    os.chown(own, 1234, 5678)
    os.chown(os.path.join(root, "dir", "sub"), 100000, 70000)
    os.mkdir(os.path.join(root, "emptydir"), 0o1777)
    os.chmod(os.path.join(root, "emptydir"), 0o1777)
    x = os.path.join(root, "xattrs")
    write(x, b"has xattrs\n")
    os.setxattr(x, "user.small", b"v")
    os.setxattr(x, "user.empty", b"")
    os.setxattr(x, "user.large", bytes(rng.randrange(256) for _ in range(600)))
    for i in range(8):
        os.setxattr(x, "user.n%d" % i, b"value %d" % i)
    os.setxattr(os.path.join(root, "dir"), "user.on_dir", b"dir attr")
    if inline_small:
        for n in (1, 30, 59, 60, 61, 100, 150):
            write(os.path.join(root, "inl%d" % n), bytes(65 + i % 26 for i in range(n)))
        idir = os.path.join(root, "inline_dir")
        os.mkdir(idir)
        for i in range(3):
            write(os.path.join(idir, "e%d" % i), b"%d" % i)
        mid = os.path.join(root, "inline_dir_big")
        os.mkdir(mid)
        for i in range(8):
            write(os.path.join(mid, "entry_%02d" % i), b"")
    if big_dir_files:
        bd = os.path.join(root, "bigdir")
        os.mkdir(bd)
        for i in range(big_dir_files):
            name = "file_%05d_%s" % (i, "x" * (i % 40))
            if i % 97 == 0:
                name = "ütf8_é_%d_\u00ff\u4e2d" % i
            write(os.path.join(bd, name), b"%d\n" % i)
    # deterministic times with nanoseconds (also pre-1970 and post-2038)
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for n in filenames + dirnames:
            p = os.path.join(dirpath, n)
            stamp(p, 1700000000 + len(p), 0)
    # mke2fs -d keeps whole seconds only: nanoseconds and the epoch bits
    # of these two are set by debugfs (set_times) after mke2fs
    stamp(os.path.join(root, "small"), 2200000000, 5)
    stamp(os.path.join(root, "block"), -100000, 999999999)


def small_tree(root, inline=False):
    """A small tree for the fuzzer's images: every kind of metadata in a
    few hundred KiB, so that a mount-and-walk takes milliseconds."""
    os.makedirs(root)
    write(os.path.join(root, "small"), b"hello\n")
    write(os.path.join(root, "medium"), os.urandom(70 * 1024 + 5))
    with open(os.path.join(root, "sparse"), "wb") as f:
        f.write(b"a")
        f.seek(300 * 1024)
        f.write(b"b")
    os.symlink("small", os.path.join(root, "fastlink"))
    os.symlink("x" * 120, os.path.join(root, "slowlink"))
    os.link(os.path.join(root, "small"), os.path.join(root, "hardlink"))
    x = os.path.join(root, "xattrs")
    write(x, b"x")
    os.setxattr(x, "user.a", b"1")
    os.setxattr(x, "user.big", b"v" * 300)
    d = os.path.join(root, "dir")
    os.makedirs(os.path.join(d, "sub"))
    for i in range(200 if not inline else 3):
        write(os.path.join(d, "entry_%03d_%s" % (i, "y" * (i % 20))), b"%d" % i)
    if inline:
        for n in (10, 100):
            write(os.path.join(root, "inl%d" % n), b"i" * n)


def mkfs(name, tree, size, args, flags=(), fsck_dx=False, post=None,
         expect=None, manifest="manifest"):
    img = os.path.join(OUT, name + ".img")
    if os.path.exists(img):
        os.unlink(img)
    run("mke2fs", "-q", "-F", *args, "-d", tree, img, size)
    if post:
        post(img)
    set_times(img, tree if not expect else expect)
    if fsck_dx:
        # -D: index and optimize every directory (htree for the big ones)
        subprocess.run(["e2fsck", "-fyD", img], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    r = subprocess.run(["e2fsck", "-fn", img], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("mkext4images: e2fsck finds %s inconsistent:\n%s" % (name, r.stdout))
    final = os.path.join(OUT, name + ".tree")
    if expect:
        os.rename(expect, final)
    else:
        if os.path.lexists(final):
            shutil.rmtree(final)
        os.rename(tree, final)
    with open(os.path.join(OUT, manifest), "a") as m:
        m.write("%s %s\n" % (name, ",".join(flags) or "-"))


def set_times(img, tree):
    """Nanoseconds and a post-2038 / pre-1970 time, as debugfs stores
    them (the ext4 encoding: 32-bit seconds, extra = ns << 2 | epoch)."""
    cmds = []
    if os.path.exists(os.path.join(tree, "small")):
        cmds += ["sif small mtime 0x%x" % (2200000000 & 0xffffffff),
                 "sif small mtime_extra %d" % (5 << 2 | 1)]
    if os.path.exists(os.path.join(tree, "block")):
        cmds += ["sif block mtime 0x%x" % (-100000 & 0xffffffff),
                 "sif block mtime_extra %d" % (999999999 << 2)]
    if cmds:
        run("debugfs", "-w", "-f", "-", img, inp="\n".join(cmds).encode())


def fragment(img_tree_file):
    """debugfs: fill the image with one-block files, delete every other
    one, then write a file into the holes: a deep extent tree."""
    def post(img):
        cmds = []
        for i in range(1200):
            cmds.append("write %s frag_%d" % (img_tree_file + ".blk", i))
        for i in range(0, 1200, 2):
            cmds.append("rm frag_%d" % i)
        cmds.append("write %s fragmented" % img_tree_file)
        run("debugfs", "-w", "-f", "-", img, inp="\n".join(cmds).encode())
    return post


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    os.umask(0)

    t = os.path.join(OUT, "t")
    base_tree(t)
    mkfs("ext4", t, "64M", ["-t", "ext4", "-N", "2048"])

    base_tree(t, big_dir_files=3000)
    mkfs("ext4_htree", t, "64M", ["-t", "ext4", "-N", "8192"], ("htree",), fsck_dx=True)

    base_tree(t, big_dir_files=6000)
    mkfs("ext4_1k_htree2", t, "96M", ["-t", "ext4", "-b", "1024", "-N", "16384"],
         ("htree",), fsck_dx=True)

    base_tree(t, big_dir_files=2000)
    mkfs("ext4_tea_unsigned", t, "64M",
         ["-t", "ext4", "-N", "8192"], ("htree",), fsck_dx=True,
         post=lambda img: run("debugfs", "-w", "-f", "-", img,
                              inp=b"ssv def_hash_version tea\nssv flags 2\n"))

    base_tree(t, big_dir_files=2000)
    mkfs("ext4_legacy", t, "64M",
         ["-t", "ext4", "-N", "8192"], ("htree",), fsck_dx=True,
         post=lambda img: run("debugfs", "-w", "-R",
                              "ssv def_hash_version legacy", img))

    base_tree(t)
    mkfs("ext4_nocsum", t, "64M", ["-t", "ext4", "-O", "^metadata_csum", "-N", "2048"])

    # the older group descriptor checksum (crc16, uninit_bg)
    base_tree(t)
    mkfs("ext4_gdtcsum", t, "64M", ["-t", "ext4", "-N", "2048",
                                    "-O", "^metadata_csum,uninit_bg"])

    base_tree(t, big_dir_files=1500)
    mkfs("ext2", t, "64M", ["-t", "ext2", "-N", "4096"], ("htree",), fsck_dx=True)

    base_tree(t)
    mkfs("ext2_1k", t, "64M", ["-t", "ext2", "-b", "1024", "-N", "2048"])

    base_tree(t)
    mkfs("ext3", t, "64M", ["-t", "ext3", "-N", "2048"])

    base_tree(t, inline_small=True)
    mkfs("ext4_inline", t, "64M", ["-t", "ext4", "-O", "inline_data", "-N", "2048"])

    # deep extent tree: 1 KiB blocks, ~600 one-block fragments
    t2 = os.path.join(OUT, "t2")
    os.makedirs(t2)
    frag = os.path.join(OUT, "fragdata")
    write(frag, os.urandom(600 * 1024))
    write(frag + ".blk", b"B" * 1024)
    base = os.path.join(OUT, "frag_expect")
    os.makedirs(base)
    for i in range(1, 1200, 2):
        shutil.copy(frag + ".blk", os.path.join(base, "frag_%d" % i))
    shutil.copy(frag, os.path.join(base, "fragmented"))
    mkfs("ext4_frag", t2, "4M", ["-t", "ext4", "-b", "1024", "-N", "2048",
                                 "-O", "^has_journal"],
         ("notimes",), post=fragment(frag), expect=base)
    shutil.rmtree(t2)

    # the fuzzer's seeds (fuzz-manifest): small images of each kind
    fz = "fuzz-manifest"
    small_tree(t)
    mkfs("fuzz_ext4", t, "2M", ["-t", "ext4", "-b", "1024", "-N", "256",
                               "-O", "^has_journal"], ("htree",), fsck_dx=True,
         manifest=fz)
    small_tree(t)
    mkfs("fuzz_nocsum", t, "2M", ["-t", "ext4", "-b", "1024", "-N", "256",
                                 "-O", "^has_journal,^metadata_csum"],
         ("htree",), fsck_dx=True, manifest=fz)
    small_tree(t)
    mkfs("fuzz_ext2", t, "2M", ["-t", "ext2", "-b", "1024", "-N", "256"],
         ("htree",), fsck_dx=True, manifest=fz)
    small_tree(t, inline=True)
    mkfs("fuzz_inline", t, "2M", ["-t", "ext4", "-b", "1024", "-N", "256",
                                 "-O", "^has_journal,inline_data"], manifest=fz)
    small_tree(t, inline=True)
    mkfs("fuzz_inline_nocsum", t, "2M",
         ["-t", "ext4", "-b", "1024", "-N", "256",
          "-O", "^has_journal,inline_data,^metadata_csum"], manifest=fz)
    with open(os.path.join(OUT, fz), "a") as m:
        m.write("ext4_frag notimes\n")


main()
