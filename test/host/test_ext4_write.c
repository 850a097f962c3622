/*
 * Host harness for the ext4 library pieces the read-write VFS glue uses
 * (ext4/ sources over test/host's file block device, ASan + UBSan):
 * victims of unlink/rmdir/rename kept on the orphan list and freed later
 * (ext4_inode_free), orphan cleanup at mount after a "crash", block
 * mapping with allocation anywhere in a file (ext4_map_blocks_create),
 * unwritten extents (ext4_fallocate and their conversion).
 *
 * The oracle is e2fsprogs: every image ends with e2fsck -fn clean, and
 * debugfs/dumpe2fs read back contents, extents and the orphan list; an
 * image left with orphans is also repaired by e2fsck -fy on a copy, whose
 * free counts ours must match.
 */
#include "ext4/ext4.h"
#include "ext4/internal.h"
#include "block/buffer.h"
#include "ext4/journal.h"
#include "test/host/kshim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test/host/host_test.h"

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static char label[300];
#define LABEL(...) (snprintf(label, sizeof(label), __VA_ARGS__), label)

static struct ext4_fs *mount_rw(const char *img, struct block_device **d)
{
	struct ext4_fs *fs = NULL;

	*d = hostblk_open(img, false);
	if (!*d)
		return NULL;
	if (ext4_mount(*d, EXT4_MOUNT_WRITE, &fs) != 0) {
		hostblk_close(*d);
		return NULL;
	}
	return fs;
}

static void unmount_rw(struct ext4_fs *fs, struct block_device *d)
{
	ext4_unmount_rw(fs);
	hostblk_close(d);
}

static int fsck_clean(const char *img, const char *dir)
{
	int r = sh("e2fsck -fn %s >%s/fsck.log 2>&1", img, dir);

	if (r)
		sh("head -40 %s/fsck.log >&2", dir);
	return r == 0;
}

/* A file of @nblocks one-block extents with a hole after each (the tree
 * grows), each block filled with its index; created in @dir. */
static int make_sparse_file(struct journal_handle *h, struct ext4_fs *fs,
			    struct ext4_inode *dir, const char *name,
			    unsigned nblocks, struct ext4_time now,
			    struct ext4_inode *out)
{
	uint8_t *buf = malloc(fs->block_size);
	uint64_t prev = 0;
	int r = ext4_create(h, fs, dir, name, strlen(name), 0100644, 0, 0, 0,
			    now, out);

	for (unsigned i = 0; i < nblocks && !r; i++) {
		uint64_t p = 0;
		uint32_t n = 1;
		r = ext4_new_blocks(h, fs, prev ? prev + 2 : 0, &n, &p);
		memset(buf, (int)(i % 251) + 1, fs->block_size);
		if (!r)
			r = block_rw(fs->bdev, BLOCK_WRITE,
				     p * (fs->block_size / 512), buf,
				     fs->block_size);
		if (!r)
			r = ext4_extent_add(h, fs, out, 2 * i, p, 1);
		prev = p;
	}
	if (!r) {
		out->size = (uint64_t)2 * nblocks * fs->block_size;
		r = ext4_inode_write(h, fs, out);
	}
	free(buf);
	return r;
}

static uint32_t disk_dtime(struct ext4_fs *fs, uint32_t ino)
{
	struct ext4_inode in;
	uint32_t v;

	if (ext4_inode_read(fs, ino, &in))
		return 0xffffffff;
	v = ((struct ext4_disk_inode *)in.raw)->i_dtime;
	ext4_inode_put(&in);
	return v;
}

/* ---- victims kept as orphans, freed later ---- */

/*
 * Files, a directory and a rename target lose their last names; they
 * stay allocated on the orphan list (head first: the last one removed)
 * and are freed out of list order (a tail first: its predecessor's link
 * changes on disk while the test still holds the predecessor's older
 * copy, which is then written: the link must survive).  Errors: a name
 * that names another inode, absent names.  e2fsck -fn clean, the free
 * counts back where they were.
 */
static void check_orphans(const char *tag, const char *opts, const char *size)
{
	char dir[] = "/tmp/ext4w-orphan-XXXXXX", img[128];
	struct block_device *d;
	struct ext4_fs *fs;
	struct ext4_inode root, a, b, c, e, sub;
	struct ext4_time now = { 1700001000, 0 };
	struct journal_handle *h;
	uint64_t free0;
	uint32_t ifree0;
	int r, bad = 0;

	if (!mkdtemp(dir))
		return;
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK(LABEL("orphan %s: mke2fs, a file with an xattr block (debugfs)", tag),
	      sh("mke2fs -q -F -t ext4 %s %s %s >/dev/null 2>&1 &&"
		 " head -c 600 /dev/zero | tr '\\0' v >%s/val &&"
		 " debugfs -w -R 'write /dev/null b' %s >/dev/null 2>&1 &&"
		 " debugfs -w -R 'ea_set -f %s/val b user.big' %s >/dev/null 2>&1 &&"
		 " debugfs -R 'stat b' %s 2>/dev/null | grep -q 'File ACL: [1-9]'",
		 opts, img, size, dir, img, dir, img, img) == 0);
	kshim_printk_quiet = true;
	fs = mount_rw(img, &d);
	CHECK(LABEL("orphan %s: read-write library mount", tag), fs != NULL);
	if (!fs) {
		kshim_printk_quiet = false;
		return;
	}
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	free0 = ext4_free_blocks_total(fs);
	ifree0 = ext4_free_inodes_total(fs);
	uint32_t bino = 0;
	bad |= ext4_dir_lookup(fs, &root, "b", 1, &bino);
	bad |= ext4_inode_read(fs, bino, &b);
	uint64_t xblk = b.file_acl;

	h = journal_start(fs->journal, 200);
	bad |= IS_ERR(h);
	bad |= make_sparse_file(h, fs, &root, "a", 40, now, &a);
	bad |= ext4_create(h, fs, &root, "c", 1, 0100600, 0, 0, 0, now, &c);
	bad |= ext4_create(h, fs, &root, "e", 1, 0100600, 0, 0, 0, now, &e);
	bad |= ext4_create(h, fs, &root, "sub", 3, 040755, 0, 0, 0, now, &sub);
	bad |= journal_stop(h);
	CHECK(LABEL("orphan %s: files and a directory made", tag), !bad);
	uint32_t links_root = root.links;

	h = journal_start(fs->journal, 64);
	CHECK(LABEL("orphan %s: errors: another inode EUCLEAN, absent ENOENT, ENOTDIR, EISDIR", tag),
	      ext4_unlink(h, fs, &root, "a", 1, &c, now) == -EUCLEAN &&
	      ext4_unlink(h, fs, &root, "zz", 2, &a, now) == -ENOENT &&
	      ext4_rmdir(h, fs, &root, "a", 1, &a, now) == -ENOTDIR &&
	      ext4_unlink(h, fs, &root, "sub", 3, &sub, now) == -EISDIR &&
	      ext4_rename(h, fs, &root, "c", 1, &root, "e", 1, &c, NULL, now) == -EUCLEAN &&
	      ext4_rename(h, fs, &root, "c", 1, &root, "f", 1, &c, &e, now) == -ENOENT &&
	      ext4_rename(h, fs, &root, "c", 1, &root, "e", 1, &e, &e, now) == -EUCLEAN &&
	      a.links == 1 && c.links == 1 && e.links == 1);
	/* a, b, sub, then e (replaced by c) lose their names */
	r = ext4_unlink(h, fs, &root, "a", 1, &a, now);
	r |= ext4_unlink(h, fs, &root, "b", 1, &b, now);
	r |= ext4_rmdir(h, fs, &root, "sub", 3, &sub, now);
	r |= ext4_rename(h, fs, &root, "c", 1, &root, "e", 1, &c, &e, now);
	r |= journal_stop(h);
	CHECK(LABEL("orphan %s: unlink, rmdir, rename over: link counts 0 in the caller's structs", tag),
	      r == 0 && a.links == 0 && b.links == 0 && sub.links == 0 &&
	      e.links == 0 && c.links == 1 && root.links == links_root - 1);
	CHECK(LABEL("orphan %s: the list: e -> sub -> b -> a on disk", tag),
	      fs->sb.s_last_orphan == e.ino && disk_dtime(fs, e.ino) == sub.ino &&
	      disk_dtime(fs, sub.ino) == b.ino && disk_dtime(fs, b.ino) == a.ino &&
	      disk_dtime(fs, a.ino) == 0);
	CHECK(LABEL("orphan %s: still allocated", tag),
	      ext4_free_inodes_total(fs) == ifree0 - 4 &&
	      ext4_free_blocks_total(fs) < free0);
	/* committed: the superblock (journalled) says so after a replay */
	CHECK(LABEL("orphan %s: commit", tag), journal_commit(fs->journal) == 0);
	sh("cp --sparse=always %s %s/crash", img, dir);
	r = sh("cd %s && e2fsck -fy crash >crash.log 2>&1; test $? -le 1 &&"
	       " test $(grep -c 'Clearing orphaned inode' crash.log) = 4 &&"
	       " e2fsck -fn crash >/dev/null 2>&1", dir);
	if (r)
		sh("head -30 %s/crash.log >&2", dir);
	CHECK(LABEL("orphan %s: crash copy: e2fsck -fy releases our 4 orphans, then clean", tag),
	      r == 0);

	/* free a (the tail), then write b's older copy: b's link (now 0)
	 * must stay; then b (its xattr block freed), e, sub */
	h = journal_start(fs->journal, EXT4_CREDITS_FREE_INODE);
	r = ext4_inode_free(h, fs, &a, now);
	CHECK(LABEL("orphan %s: free the tail: its predecessor's link is cleared on disk", tag),
	      r == 0 && disk_dtime(fs, b.ino) == 0 && disk_dtime(fs, a.ino) == (uint32_t)now.sec);
	b.uid = 4242;
	r = ext4_inode_write(h, fs, &b);
	CHECK(LABEL("orphan %s: an older copy written keeps the on-disk link", tag),
	      r == 0 && disk_dtime(fs, b.ino) == 0);
	CHECK(LABEL("orphan %s: freeing a linked inode: EINVAL", tag),
	      ext4_inode_free(h, fs, &c, now) == -EINVAL);
	r = ext4_inode_free(h, fs, &b, now);
	r |= ext4_inode_free(h, fs, &sub, now);
	r |= ext4_inode_free(h, fs, &e, now);
	r |= journal_stop(h);
	CHECK(LABEL("orphan %s: all freed, the list empty", tag),
	      r == 0 && fs->sb.s_last_orphan == 0);
	if (getenv("DEBUG"))
		fprintf(stderr, "inodes %u/%u blocks %llu/%llu\n", ext4_free_inodes_total(fs), ifree0,
			(unsigned long long)ext4_free_blocks_total(fs), (unsigned long long)free0);
	CHECK(LABEL("orphan %s: free counts: every block back (the xattr block too), 4 inodes freed, 1 made", tag),
	      ext4_free_inodes_total(fs) == ifree0 &&
	      ext4_free_blocks_total(fs) == free0 + 1 && xblk != 0);
	ext4_inode_put(&a);
	ext4_inode_put(&b);
	ext4_inode_put(&c);
	ext4_inode_put(&e);
	ext4_inode_put(&sub);
	ext4_inode_put(&root);
	CHECK(LABEL("orphan %s: unmount", tag), ext4_unmount_rw(fs) == 0);
	hostblk_close(d);
	kshim_printk_quiet = false;
	CHECK(LABEL("orphan %s: e2fsck -fn clean", tag), fsck_clean(img, dir));
	CHECK(LABEL("orphan %s: dumpe2fs: no orphan list; debugfs: c renamed to e, b gone", tag),
	      sh("! dumpe2fs -h %s 2>/dev/null | grep -q 'First orphan' &&"
		 " debugfs -R 'ls -p /' %s 2>/dev/null | grep -q '/100600/0/0/e/0/' &&"
		 " ! debugfs -R 'ls -p /' %s 2>/dev/null | grep -q '/b/\\|/a/\\|/c/\\|/sub/'",
		 img, img, img) == 0);
	if (!getenv("KEEP"))
		sh("rm -rf %s", dir);
}

/* ---- orphans left by a crash, freed at the next mount ---- */

/*
 * Names removed but the inodes not freed (a deep sparse file, a
 * directory of many blocks, a file with an xattr block, a hard-linked
 * file losing one name), then the image copied without unmounting.
 * e2fsck -fy on one copy must find and release exactly our orphan list;
 * the library's read-write mount of another copy replays the journal
 * and frees the orphans: e2fsck -fn clean, and the same free counts as
 * e2fsck's repair.
 */
static void check_orphan_cleanup(const char *tag, const char *opts, const char *size)
{
	char dir[] = "/tmp/ext4w-crash-XXXXXX", img[128];
	struct block_device *d;
	struct ext4_fs *fs;
	struct ext4_inode root, f, sub, x, hl;
	struct ext4_time now = { 1700002000, 0 };
	struct journal_handle *h;
	char nm[64];
	int r, bad = 0;

	if (!mkdtemp(dir))
		return;
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK(LABEL("cleanup %s: mke2fs, a file with an xattr block", tag),
	      sh("mke2fs -q -F -t ext4 %s %s %s >/dev/null 2>&1 &&"
		 " head -c 600 /dev/zero | tr '\\0' v >%s/val &&"
		 " debugfs -w -R 'write /dev/null x' %s >/dev/null 2>&1 &&"
		 " debugfs -w -R 'ea_set -f %s/val x user.big' %s >/dev/null 2>&1",
		 opts, img, size, dir, img, dir, img) == 0);
	kshim_printk_quiet = true;
	fs = mount_rw(img, &d);
	CHECK(LABEL("cleanup %s: read-write library mount", tag), fs != NULL);
	if (!fs) {
		kshim_printk_quiet = false;
		return;
	}
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	h = journal_start(fs->journal, 200);
	bad |= make_sparse_file(h, fs, &root, "deep", 400, now, &f);
	bad |= ext4_create(h, fs, &root, "sub", 3, 040755, 0, 0, 0, now, &sub);
	bad |= ext4_create(h, fs, &root, "hl", 2, 0100644, 0, 0, 0, now, &hl);
	bad |= ext4_link(h, fs, &root, "hl2", 3, &hl, now);
	bad |= journal_stop(h);
	unsigned depth = ((struct ext4_extent_header *)((struct ext4_disk_inode *)f.raw)->i_block)->eh_depth;
	/* a directory of many blocks: 200 long names, then removed */
	for (int i = 0; i < 200 && !bad; i++) {
		struct ext4_inode in;
		h = journal_start(fs->journal, EXT4_CREDITS_CREATE);
		snprintf(nm, sizeof(nm), "a-rather-long-file-name-number-%04d", i);
		bad |= ext4_create(h, fs, &sub, nm, strlen(nm), 0100644, 0, 0, 0, now, &in);
		ext4_inode_put(&in);
		bad |= journal_stop(h);
	}
	for (int i = 0; i < 200 && !bad; i++) {
		struct ext4_inode in;
		uint32_t ino;
		snprintf(nm, sizeof(nm), "a-rather-long-file-name-number-%04d", i);
		h = journal_start(fs->journal, EXT4_CREDITS_UNLINK + EXT4_CREDITS_FREE_INODE);
		bad |= ext4_dir_lookup(fs, &sub, nm, strlen(nm), &ino);
		bad |= ext4_inode_read(fs, ino, &in);
		bad |= ext4_unlink(h, fs, &sub, nm, strlen(nm), &in, now);
		bad |= ext4_inode_free(h, fs, &in, now);
		ext4_inode_put(&in);
		bad |= journal_stop(h);
	}
	uint64_t subblocks = sub.size / fs->block_size;
	CHECK(LABEL("cleanup %s: a file of 400 extents (depth %u), a directory of %llu blocks",
		    tag, depth, (unsigned long long)subblocks),
	      !bad && depth >= 1 && subblocks >= 3);
	uint32_t xino;
	bad |= ext4_dir_lookup(fs, &root, "x", 1, &xino);
	bad |= ext4_inode_read(fs, xino, &x);
	h = journal_start(fs->journal, 64);
	r = ext4_unlink(h, fs, &root, "deep", 4, &f, now);
	r |= ext4_rmdir(h, fs, &root, "sub", 3, &sub, now);
	r |= ext4_unlink(h, fs, &root, "x", 1, &x, now);
	r |= ext4_unlink(h, fs, &root, "hl", 2, &hl, now);
	r |= journal_stop(h);
	CHECK(LABEL("cleanup %s: names removed, three orphans, the hard link kept", tag),
	      !bad && r == 0 && f.links == 0 && sub.links == 0 && x.links == 0 &&
	      hl.links == 1 && fs->sb.s_last_orphan == x.ino);
	/* the "crash": committed, copied, never unmounted */
	CHECK(LABEL("cleanup %s: commit", tag), journal_commit(fs->journal) == 0);
	sh("cp --sparse=always %s %s/crash && cp --sparse=always %s %s/fsck-copy", img, dir, img, dir);
	ext4_inode_put(&f);
	ext4_inode_put(&sub);
	ext4_inode_put(&x);
	ext4_inode_put(&hl);
	ext4_inode_put(&root);
	ext4_unmount_rw(fs);
	hostblk_close(d);

	/* e2fsck's own repair of a copy: the journal replayed, our three
	 * orphans released, nothing else wrong */
	r = sh("cd %s && e2fsck -fy fsck-copy >fsck-y.log 2>&1; test $? -le 1 &&"
	       " test $(grep -c 'Clearing orphaned inode' fsck-y.log) = 3 &&"
	       " e2fsck -fn fsck-copy >/dev/null 2>&1", dir);
	if (r)
		sh("head -30 %s/fsck-y.log >&2", dir);
	CHECK(LABEL("cleanup %s: e2fsck -fy releases exactly our 3 orphans", tag), r == 0);

	snprintf(img, sizeof(img), "%s/crash", dir);
	fs = mount_rw(img, &d);
	CHECK(LABEL("cleanup %s: remount: replayed, orphans freed", tag),
	      fs && fs->sb.s_last_orphan == 0);
	if (fs)
		unmount_rw(fs, d);
	kshim_printk_quiet = false;
	CHECK(LABEL("cleanup %s: e2fsck -fn clean", tag), fsck_clean(img, dir));
	CHECK(LABEL("cleanup %s: free counts as e2fsck's repair; hl2 remains", tag),
	      sh("cd %s && dumpe2fs -h crash 2>/dev/null | grep -E '^Free (blocks|inodes):' >a &&"
		 " dumpe2fs -h fsck-copy 2>/dev/null | grep -E '^Free (blocks|inodes):' >b &&"
		 " cmp -s a b && ! dumpe2fs -h crash 2>/dev/null | grep -q 'First orphan' &&"
		 " debugfs -R 'stat hl2' crash 2>/dev/null | grep -q 'Links: 1'", dir) == 0);
	if (!getenv("KEEP"))
		sh("rm -rf %s", dir);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_orphans("4k", "-b 4096", "64M");
	check_orphans("1k", "-b 1024", "16M");
	check_orphans("1k-nocsum", "-b 1024 -O ^metadata_csum", "16M");
	check_orphan_cleanup("4k", "-b 4096", "64M");
	check_orphan_cleanup("1k", "-b 1024", "16M");
	check_orphan_cleanup("1k-nocsum", "-b 1024 -O ^metadata_csum", "16M");
	return host_test_finish();
}
