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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test/host/host_test.h"
#include "test/host/ext4_host.h"

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
		/* each in a transaction of its own: the credits constant is
		 * what is tested */
		bad |= journal_commit(fs->journal);
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
		bad |= journal_commit(fs->journal);
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
	sh("cp --sparse=always %s %s/crash && cp --sparse=always %s %s/fsck-copy &&"
	   " cp --sparse=always %s %s/linux-copy", img, dir, img, dir, img, dir);
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
	/* Linux's own mount of a third copy: replay, orphans released, the
	 * same free counts (skipped without loop mounts) */
	r = sh("cd %s && mkdir -p lmnt && timeout 30 mount -o loop linux-copy lmnt >/dev/null 2>&1", dir);
	if (!r) {
		sh("umount %s/lmnt", dir);
		CHECK(LABEL("cleanup %s: Linux's mount of a copy frees the same: free counts equal", tag),
		      sh("cd %s && dumpe2fs -h linux-copy 2>/dev/null | grep -E '^Free (blocks|inodes):' >c &&"
			 " cmp -s a c && e2fsck -fn linux-copy >/dev/null 2>&1", dir) == 0);
	}
	if (!getenv("KEEP"))
		sh("rm -rf %s", dir);
}

/* ---- block mapping with allocation anywhere ---- */

static void fill_block(uint8_t *p, uint32_t bs, uint32_t lblk, unsigned round)
{
	for (uint32_t i = 0; i < bs; i++)
		p[i] = (uint8_t)(lblk * 131 + i * 7 + round * 29 + 1);
}

static int max_map_credits[EXT4_EXT_MAX_DEPTH + 1];

/* Map [@lblk, +@max) of @f for writing and write the model's bytes to
 * whatever was mapped; *n how many, *fresh as returned. */
static int write_blocks(struct ext4_fs *fs, struct ext4_inode *f, uint8_t *model,
			uint32_t lblk, uint32_t max, unsigned round,
			uint32_t *n, bool *fresh)
{
	/* exactly the credits internal.h gives for the tree's depth (+1:
	 * the inode), so that the bound is what is tested */
	unsigned depth = (f->flags & EXT4_EXTENTS_FL) ?
		((struct ext4_extent_header *)((struct ext4_disk_inode *)f->raw)->i_block)->eh_depth :
		EXT4_EXT_MAX_DEPTH;
	struct journal_handle *h;

	/* a transaction of its own, so that every block it changes costs
	 * a credit (blocks already in a transaction cost none) */
	if (journal_commit(fs->journal))
		return -EIO;
	h = journal_start(fs->journal, EXT4_CREDITS_MAP_CREATE_DEPTH(depth) + 1);
	uint32_t bs = fs->block_size;
	uint64_t p;
	int r;

	if (IS_ERR(h))
		return (int)PTR_ERR(h);
	int before = journal_handle_credits(h);
	r = ext4_map_blocks_create(h, fs, f, lblk, max, &p, n, fresh);
	if (before - journal_handle_credits(h) > max_map_credits[depth])
		max_map_credits[depth] = before - journal_handle_credits(h);
	if (!r) {
		for (uint32_t k = 0; k < *n; k++)
			fill_block(model + (size_t)(lblk + k) * bs, bs, lblk + k, round);
		r = block_rw(fs->bdev, BLOCK_WRITE, p * (bs / 512),
			     model + (size_t)lblk * bs, (size_t)*n * bs);
	}
	if (!r)
		r = ext4_inode_write(h, fs, f);
	int r2 = journal_stop(h);
	return r ? r : r2;
}

static unsigned tree_depth(struct ext4_inode *in)
{
	return ((struct ext4_extent_header *)((struct ext4_disk_inode *)in->raw)->i_block)->eh_depth;
}

/* Compare the library's reads and debugfs's dump of @name with @model. */
static bool contents_match(struct ext4_fs *fs, struct ext4_inode *f, const uint8_t *model,
			   size_t len)
{
	uint8_t *got = malloc(len);
	long n = ext4_file_read(fs, f, 0, got, len);
	bool ok = n == (long)len && !memcmp(got, model, len);

	free(got);
	return ok;
}

static bool dump_matches(const char *dir, const char *img, const char *name,
			 const uint8_t *model, size_t len)
{
	char path[256];
	FILE *fp;
	uint8_t *got = malloc(len + 1);
	size_t n = 0;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s.dump", dir, name);
	sh("debugfs -R 'dump %s %s' %s >/dev/null 2>&1", name, path, img);
	fp = fopen(path, "rb");
	if (fp) {
		n = fread(got, 1, len + 1, fp);
		fclose(fp);
	}
	ok = fp && n == len && !memcmp(got, model, len);
	free(got);
	return ok;
}

/* Linux as a second oracle: a read-only loop mount of @img must read
 * file @name as @model.  1 if it does, 0 if not, -1 without loop mounts
 * (the caller then records nothing). */
static int linux_reads(const char *dir, const char *img, const char *name,
		       const uint8_t *model, size_t len)
{
	char path[256];
	FILE *fp;
	int r;

	snprintf(path, sizeof(path), "%s/%s.model", dir, name);
	fp = fopen(path, "wb");
	if (!fp)
		return 0;
	fwrite(model, 1, len, fp);
	fclose(fp);
	if (sh("mkdir -p %s/lmnt && timeout 30 mount -o ro,loop %s %s/lmnt >/dev/null 2>&1",
	       dir, img, dir))
		return -1;
	r = sh("cmp -s %s/lmnt/%s %s", dir, name, path);
	sh("umount %s/lmnt", dir);
	return r == 0;
}

/*
 * A file written block by block in random order with a hole after each
 * block (so nothing merges): insertion before, between and after
 * extents, leaves and index nodes split, the tree grows to depth 2.
 * Then every third hole is filled (a one-block hole bounds a larger
 * request; the new block merges with its left neighbour when allocated
 * right after it), mapped blocks map as they are, a run is appended
 * past the end; ext4_fallocate turns the remaining holes into unwritten
 * extents and some of them are written (converted inside the deep
 * tree).  e2fsck -fn clean, debugfs dumps the model.
 */
static void check_sparse(const char *tag, const char *opts, const char *size,
			 unsigned next)
{
	char dir[] = "/tmp/ext4w-sparse-XXXXXX", img[128];
	struct block_device *d;
	struct ext4_fs *fs;
	struct ext4_inode root, f;
	struct ext4_time now = { 1700003000, 0 };
	struct journal_handle *h;
	uint32_t span = 2 * next + 3200, bs, n;
	unsigned *order, bad = 0, notfresh = 0, wrongn = 0, depth_mid = 0;
	uint8_t *model;
	bool fresh;
	int r;

	if (!mkdtemp(dir))
		return;
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK(LABEL("sparse %s: mke2fs", tag),
	      sh("mke2fs -q -F -t ext4 %s %s %s >/dev/null 2>&1", opts, img, size) == 0);
	kshim_printk_quiet = true;
	fs = mount_rw(img, &d);
	CHECK(LABEL("sparse %s: read-write library mount", tag), fs != NULL);
	if (!fs) {
		kshim_printk_quiet = false;
		return;
	}
	bs = fs->block_size;
	model = calloc(span, bs);
	order = malloc(next * sizeof(*order));
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	h = journal_start(fs->journal, EXT4_CREDITS_CREATE);
	bad |= ext4_create(h, fs, &root, "sparse", 6, 0100644, 0, 0, 0, now, &f);
	bad |= journal_stop(h);
	for (unsigned i = 0; i < next; i++)
		order[i] = i;
	srand(7);
	for (unsigned i = next - 1; i > 0; i--) {
		unsigned j = (unsigned)rand() % (i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned i = 0; i < next && !bad; i++) {
		r = write_blocks(fs, &f, model, 2 * order[i], 1, 0, &n, &fresh);
		if (r) {
			fprintf(stderr, "  map %u: %d\n", 2 * order[i], r);
			bad = 1;
		}
		notfresh += !fresh;
		wrongn += n != 1;
		if (i == next / 2)
			depth_mid = tree_depth(&f);
	}
	CHECK(LABEL("sparse %s: %u blocks in random order, a hole after each: fresh", tag, next),
	      !bad && !notfresh && !wrongn);
	CHECK(LABEL("sparse %s: the tree grew to depth 2 (depth %u half way)", tag, depth_mid),
	      tree_depth(&f) == 2);
	f.size = (uint64_t)span * bs;
	CHECK(LABEL("sparse %s: the library reads back the model", tag),
	      contents_match(fs, &f, model, (size_t)span * bs));
	/* fill every third hole with a larger request than it holds */
	for (unsigned i = 0; i < next && !bad; i += 3) {
		r = write_blocks(fs, &f, model, 2 * i + 1, 4, 1, &n, &fresh);
		bad |= r != 0;
		wrongn += n != 1;
		notfresh += !fresh;
	}
	CHECK(LABEL("sparse %s: holes filled, one block each", tag), !bad && !wrongn && !notfresh);
	/* mapped blocks map as they are */
	for (unsigned i = 0; i < next && !bad; i += 17) {
		uint64_t want, contig, p;
		h = journal_start(fs->journal, EXT4_CREDITS_MAP_CREATE);
		bad |= ext4_map_block(fs, &f, 2 * i, &want, &contig) != 0;
		bad |= ext4_map_blocks_create(h, fs, &f, 2 * i, 8, &p, &n, &fresh) != 0;
		bad |= fresh || p != want || n < 1 || n > contig || n > 8;
		journal_stop(h);
	}
	CHECK(LABEL("sparse %s: mapped blocks: not fresh, the same block", tag), !bad);
	r = write_blocks(fs, &f, model, 2 * next + 5, 20, 2, &n, &fresh);
	CHECK(LABEL("sparse %s: a run appended past the end", tag), r == 0 && fresh && n >= 1);
	/* the other holes: unwritten, then some of them written */
	h = journal_start(fs->journal, EXT4_CREDITS_FALLOCATE);
	uint64_t before = f.blocks;
	r = ext4_fallocate(h, fs, &f, 0, 2 * next);
	bad |= journal_stop(h);
	uint64_t want_blocks = (uint64_t)(next - DIV_ROUND_UP(next, 3)) * (bs / 512);
	CHECK(LABEL("sparse %s: fallocate fills the holes (unwritten)", tag),
	      r == 0 && f.blocks >= before + want_blocks);
	unsigned conv = 0;
	for (unsigned i = 1; i < next && !bad; i += 7) {
		if (i % 3 == 0)
			continue;
		r = write_blocks(fs, &f, model, 2 * i + 1, 3, 3, &n, &fresh);
		bad |= r != 0 || !fresh || n != 1;
		conv++;
	}
	CHECK(LABEL("sparse %s: %u unwritten blocks written (converted)", tag, conv), !bad && conv > 10);
	/* one long unwritten extent at the end, then 300 single blocks in
	 * it written in random order: each conversion splits it in three,
	 * leaves split in the middle */
	uint32_t ustart = 2 * next + 100;
	h = journal_start(fs->journal, EXT4_CREDITS_FALLOCATE);
	r = ext4_fallocate(h, fs, &f, ustart, 3000);
	bad |= journal_stop(h);
	unsigned fresh_all = 1;
	for (unsigned i = 0; i < 300 && !bad; i++) {
		uint32_t l = ustart + (uint32_t)(((uint64_t)i * 7919) % 3000);
		r = write_blocks(fs, &f, model, l, 1, 4, &n, &fresh);
		bad |= r != 0 || n != 1;
		fresh_all &= fresh;
	}
	CHECK(LABEL("sparse %s: 300 blocks written inside a 3000-block unwritten extent", tag),
	      !bad && fresh_all);
	f.size = (uint64_t)span * bs;
	h = journal_start(fs->journal, 4);
	bad |= ext4_inode_write(h, fs, &f);
	bad |= journal_stop(h);
	CHECK(LABEL("sparse %s: the library reads back the model", tag),
	      !bad && contents_match(fs, &f, model, (size_t)span * bs));
	ext4_inode_put(&f);
	CHECK(LABEL("sparse %s: unmount", tag), ext4_unmount_rw(fs) == 0);
	hostblk_close(d);
	kshim_printk_quiet = false;
	CHECK(LABEL("sparse %s: e2fsck -fn clean", tag), fsck_clean(img, dir));
	CHECK(LABEL("sparse %s: debugfs dumps the model", tag),
	      dump_matches(dir, img, "sparse", model, (size_t)span * bs));
	if ((r = linux_reads(dir, img, "sparse", model, (size_t)span * bs)) >= 0)
		CHECK(LABEL("sparse %s: Linux (loop mount) reads the model", tag), r == 1);
	CHECK(LABEL("sparse %s: debugfs: a depth-2 tree with unwritten extents", tag),
	      sh("debugfs -R 'ex sparse' %s 2>/dev/null | grep -q '^ 2/ 2' &&"
		 " debugfs -R 'ex sparse' %s 2>/dev/null | grep -q 'Uninit'", img, img) == 0);

	/* a truncate in the middle of the deep tree of mixed extents */
	kshim_printk_quiet = true;
	fs = mount_rw(img, &d);
	CHECK(LABEL("sparse %s: remount", tag), fs != NULL);
	if (!fs) {
		kshim_printk_quiet = false;
		ext4_inode_put(&root);
		return;
	}
	uint32_t ino = 0;
	bad |= ext4_dir_lookup(fs, &root, "sparse", 6, &ino);
	bad |= ext4_inode_read(fs, ino, &f);
	size_t flen = (size_t)next * bs + 100;
	h = journal_start(fs->journal, EXT4_CREDITS_TRUNCATE);
	r = ext4_truncate(h, fs, &f, flen, now);
	bad |= journal_stop(h);
	memset(model + flen, 0, (size_t)span * bs - flen);
	CHECK(LABEL("sparse %s: truncated to half: reads back", tag),
	      !bad && r == 0 && contents_match(fs, &f, model, flen));
	ext4_inode_put(&f);
	ext4_inode_put(&root);
	CHECK(LABEL("sparse %s: unmount", tag), ext4_unmount_rw(fs) == 0);
	hostblk_close(d);
	kshim_printk_quiet = false;
	CHECK(LABEL("sparse %s: e2fsck -fn clean after the truncate", tag), fsck_clean(img, dir));
	CHECK(LABEL("sparse %s: debugfs dumps the truncated file", tag),
	      dump_matches(dir, img, "sparse", model, flen));
	if ((r = linux_reads(dir, img, "sparse", model, flen)) >= 0)
		CHECK(LABEL("sparse %s: Linux (loop mount) reads the truncated file", tag), r == 1);
	free(model);
	free(order);
	if (!getenv("KEEP"))
		sh("rm -rf %s", dir);
}

/*
 * Unwritten extents made by debugfs's fallocate, written through the
 * library at the start, the end, the middle (split in three) and a run;
 * and ext4_fallocate around written blocks (size kept).  e2fsck -fn
 * clean, debugfs dumps the model (unwritten blocks read as zeros) and
 * lists the pieces.
 */
static void check_unwritten(const char *tag, const char *opts, const char *size)
{
	char dir[] = "/tmp/ext4w-unwr-XXXXXX", img[128];
	struct block_device *d;
	struct ext4_fs *fs;
	struct ext4_inode root, u, g, sub;
	struct ext4_time now = { 1700004000, 0 };
	struct journal_handle *h;
	uint32_t bs, n, uino = 0;
	uint8_t *model, *gmodel;
	bool fresh;
	int r, bad = 0;

	if (!mkdtemp(dir))
		return;
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK(LABEL("unwritten %s: mke2fs, debugfs fallocate of 300 blocks", tag),
	      sh("mke2fs -q -F -t ext4 %s %s %s >/dev/null 2>&1 &&"
		 " debugfs -w -R 'write /dev/null u' %s >/dev/null 2>&1 &&"
		 " debugfs -w -R 'fallocate u 0 299' %s >/dev/null 2>&1 &&"
		 " debugfs -R 'ex u' %s 2>/dev/null | grep -q Uninit",
		 opts, img, size, img, img, img) == 0);
	kshim_printk_quiet = true;
	fs = mount_rw(img, &d);
	CHECK(LABEL("unwritten %s: read-write library mount", tag), fs != NULL);
	if (!fs) {
		kshim_printk_quiet = false;
		return;
	}
	bs = fs->block_size;
	model = calloc(300, bs);
	gmodel = calloc(600, bs);
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	bad |= ext4_dir_lookup(fs, &root, "u", 1, &uino);
	bad |= ext4_inode_read(fs, uino, &u);
	u.size = 300 * (uint64_t)bs;
	CHECK(LABEL("unwritten %s: reads as zeros", tag), !bad && contents_match(fs, &u, model, 300 * (size_t)bs));
	r = write_blocks(fs, &u, model, 0, 1, 0, &n, &fresh);
	bad |= r || !fresh || n != 1;
	r = write_blocks(fs, &u, model, 299, 5, 0, &n, &fresh);
	bad |= r || !fresh || n != 1;
	r = write_blocks(fs, &u, model, 150, 1, 0, &n, &fresh);
	bad |= r || !fresh || n != 1;
	r = write_blocks(fs, &u, model, 200, 20, 0, &n, &fresh);
	bad |= r || !fresh || n != 20;
	r = write_blocks(fs, &u, model, 140, 100, 0, &n, &fresh);
	bad |= r || !fresh || n != 10;  /* up to the written block 150 */
	r = write_blocks(fs, &u, model, 150, 100, 1, &n, &fresh);
	bad |= r || fresh || n != 1;    /* written now: as it is */
	CHECK(LABEL("unwritten %s: start, end, middle, runs converted", tag), !bad);
	CHECK(LABEL("unwritten %s: the library reads back the model", tag),
	      contents_match(fs, &u, model, 300 * (size_t)bs));

	/* ext4_fallocate around written blocks, the size kept */
	h = journal_start(fs->journal, EXT4_CREDITS_CREATE * 2);
	bad |= ext4_create(h, fs, &root, "g", 1, 0100644, 0, 0, 0, now, &g);
	bad |= ext4_create(h, fs, &root, "sub", 3, 040755, 0, 0, 0, now, &sub);
	bad |= journal_stop(h);
	r = write_blocks(fs, &g, gmodel, 100, 10, 0, &n, &fresh);
	bad |= r || n != 10;
	g.size = 110 * (uint64_t)bs;
	h = journal_start(fs->journal, EXT4_CREDITS_FALLOCATE);
	uint64_t gp;
	uint32_t gn;
	bool gf;
	CHECK(LABEL("unwritten %s: errors: EINVAL (count 0, a directory, max 0), EFBIG (past 2^32 - 2)", tag),
	      ext4_fallocate(h, fs, &g, 0, 0) == -EINVAL &&
	      ext4_fallocate(h, fs, &sub, 0, 1) == -EINVAL &&
	      ext4_fallocate(h, fs, &g, 0xfffffff0u, 16) == -EFBIG &&
	      ext4_map_blocks_create(h, fs, &g, 0xffffffffu, 1, &gp, &gn, &gf) == -EFBIG &&
	      ext4_map_blocks_create(h, fs, &g, 5, 0, &gp, &gn, &gf) == -EINVAL);
	uint64_t before = g.blocks;
	r = ext4_fallocate(h, fs, &g, 0, 500);
	bad |= journal_stop(h);
	CHECK(LABEL("unwritten %s: fallocate 500 blocks around 10 written: 490 more, size kept", tag),
	      !bad && r == 0 && g.size == 110 * (uint64_t)bs &&
	      g.blocks == before + 490 * (uint64_t)(bs / 512));
	r = write_blocks(fs, &g, gmodel, 300, 1, 0, &n, &fresh);
	bad |= r || !fresh || n != 1;
	g.size = 500 * (uint64_t)bs;
	h = journal_start(fs->journal, 4);
	bad |= ext4_inode_write(h, fs, &g);
	bad |= ext4_inode_write(h, fs, &u);
	bad |= journal_stop(h);
	CHECK(LABEL("unwritten %s: the library reads back g", tag),
	      !bad && contents_match(fs, &g, gmodel, 500 * (size_t)bs));
	ext4_inode_put(&u);
	ext4_inode_put(&g);
	ext4_inode_put(&sub);
	ext4_inode_put(&root);
	CHECK(LABEL("unwritten %s: unmount", tag), ext4_unmount_rw(fs) == 0);
	hostblk_close(d);
	kshim_printk_quiet = false;
	CHECK(LABEL("unwritten %s: e2fsck -fn clean", tag), fsck_clean(img, dir));
	CHECK(LABEL("unwritten %s: debugfs dumps u and g", tag),
	      dump_matches(dir, img, "u", model, 300 * (size_t)bs) &&
	      dump_matches(dir, img, "g", gmodel, 500 * (size_t)bs));
	if ((r = linux_reads(dir, img, "u", model, 300 * (size_t)bs)) >= 0)
		CHECK(LABEL("unwritten %s: Linux (loop mount) reads u and g", tag),
		      r == 1 && linux_reads(dir, img, "g", gmodel, 500 * (size_t)bs) == 1);
	/* u: [0] [1-139]u [140-150] [151-199]u [200-219] [220-298]u [299];
	 * g: [0-99]u [100-109] [110-299]u [300] [301-499]u */
	CHECK(LABEL("unwritten %s: debugfs lists the pieces", tag),
	      sh("test $(debugfs -R 'ex u' %s 2>/dev/null | grep -c Uninit) = 3 &&"
		 " test $(debugfs -R 'ex g' %s 2>/dev/null | grep -c Uninit) = 3 &&"
		 " debugfs -R 'ex u' %s 2>/dev/null | grep -q ' 151 -   199 .* Uninit'",
		 img, img, img) == 0);
	free(model);
	free(gmodel);
	if (!getenv("KEEP"))
		sh("rm -rf %s", dir);
}

/* ---- block-mapped files (ext3): allocation and truncate ---- */

/*
 * On an ext3 image (no extents): blocks written in random order through
 * every level of the block map (direct, single, double and triple
 * indirect), runs of several blocks; then truncated into the double
 * indirect range (the triple tree and emptied pointer blocks freed);
 * a second such file unlinked and freed.  e2fsck -fn clean and debugfs
 * dumps the model after each stage.
 */
static void check_indirect(const char *tag, const char *opts, const char *size)
{
	static const uint32_t lblks[] = {
		0, 3, 11, 12, 13, 200, 267, 268, 269, 600, 1555, 65803,
		65804, 65805, 66000, 66100, 5, 14, 270, 65806,
	};
	const unsigned nl = sizeof(lblks) / sizeof(lblks[0]);
	char dir[] = "/tmp/ext4w-ind-XXXXXX", img[128];
	struct block_device *d;
	struct ext4_fs *fs;
	struct ext4_inode root, f, g;
	struct ext4_time now = { 1700005000, 0 };
	struct journal_handle *h;
	uint32_t bs, n, span = 66200;
	uint8_t *model, *gmodel;
	bool fresh;
	int r, bad = 0;

	if (!mkdtemp(dir))
		return;
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK(LABEL("indirect %s: mke2fs", tag),
	      sh("mke2fs -q -F %s %s %s >/dev/null 2>&1", opts, img, size) == 0);
	kshim_printk_quiet = true;
	fs = mount_rw(img, &d);
	CHECK(LABEL("indirect %s: read-write library mount", tag), fs != NULL);
	if (!fs) {
		kshim_printk_quiet = false;
		return;
	}
	bs = fs->block_size;
	model = calloc(span, bs);
	gmodel = calloc(2000, bs);
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	h = journal_start(fs->journal, EXT4_CREDITS_CREATE * 2);
	bad |= ext4_create(h, fs, &root, "ind", 3, 0100644, 0, 0, 0, now, &f);
	bad |= ext4_create(h, fs, &root, "ind2", 4, 0100644, 0, 0, 0, now, &g);
	bad |= journal_stop(h);
	CHECK(LABEL("indirect %s: new files are block-mapped", tag),
	      !bad && !(f.flags & EXT4_EXTENTS_FL));
	for (unsigned i = 0; i < nl && !bad; i++) {
		r = write_blocks(fs, &f, model, lblks[i], 1 + i % 3, 0, &n, &fresh);
		if (r)
			fprintf(stderr, "  map %u: %d\n", lblks[i], r);
		bad |= r != 0 || n < 1;
	}
	uint32_t gend = 100;
	for (; gend < 1900 && !bad; gend += n) {
		r = write_blocks(fs, &g, gmodel, gend, 50, 0, &n, &fresh);
		bad |= r != 0 || n < 1 || !fresh;
	}
	f.size = (uint64_t)span * bs;
	g.size = gend * (uint64_t)bs;
	h = journal_start(fs->journal, 4);
	bad |= ext4_inode_write(h, fs, &f);
	bad |= ext4_inode_write(h, fs, &g);
	bad |= journal_stop(h);
	CHECK(LABEL("indirect %s: written through direct, single, double, triple pointers", tag),
	      !bad && contents_match(fs, &f, model, (size_t)span * bs) &&
	      contents_match(fs, &g, gmodel, gend * (size_t)bs));
	/* block-mapped directories: made, grown, emptied and removed */
	struct ext4_inode dk, dg;
	char nm[64];
	h = journal_start(fs->journal, EXT4_CREDITS_CREATE * 2);
	bad |= ext4_create(h, fs, &root, "keep", 4, 040755, 0, 0, 0, now, &dk);
	bad |= ext4_create(h, fs, &root, "gone", 4, 040755, 0, 0, 0, now, &dg);
	bad |= journal_stop(h);
	for (int i = 0; i < 150 && !bad; i++) {
		struct ext4_inode in;
		snprintf(nm, sizeof(nm), "entry-with-a-long-name-%03d", i);
		bad |= journal_commit(fs->journal);
		h = journal_start(fs->journal, EXT4_CREDITS_CREATE * 2);
		bad |= ext4_create(h, fs, &dk, nm, strlen(nm), 0100644, 0, 0, 0, now, &in);
		ext4_inode_put(&in);
		bad |= ext4_create(h, fs, &dg, nm, strlen(nm), 0100644, 0, 0, 0, now, &in);
		ext4_inode_put(&in);
		bad |= journal_stop(h);
	}
	{
		char slow[301];
		struct ext4_inode sl;
		memset(slow, 'q', 300);
		slow[300] = 0;
		h = journal_start(fs->journal, EXT4_CREDITS_SYMLINK * 2);
		bad |= ext4_symlink(h, fs, &dk, "slow", 4, slow, 300, 0, 0, now, &sl);
		ext4_inode_put(&sl);
		bad |= ext4_symlink(h, fs, &dk, "fast", 4, "short", 5, 0, 0, now, &sl);
		ext4_inode_put(&sl);
		bad |= journal_stop(h);
	}
	CHECK(LABEL("indirect %s: block-mapped directories grow", tag),
	      !bad && !(dk.flags & EXT4_EXTENTS_FL) && dk.size >= 2 * (uint64_t)bs);
	for (int i = 0; i < 150 && !bad; i++) {
		snprintf(nm, sizeof(nm), "entry-with-a-long-name-%03d", i);
		bad |= journal_commit(fs->journal);
		h = journal_start(fs->journal, EXT4_CREDITS_UNLINK + EXT4_CREDITS_FREE_INODE);
		uint32_t ino;
		struct ext4_inode in;
		bad |= ext4_dir_lookup(fs, &dg, nm, strlen(nm), &ino);
		bad |= ext4_inode_read(fs, ino, &in);
		bad |= ext4_unlink(h, fs, &dg, nm, strlen(nm), &in, now);
		bad |= ext4_inode_free(h, fs, &in, now);
		ext4_inode_put(&in);
		bad |= journal_stop(h);
	}
	h = journal_start(fs->journal, EXT4_CREDITS_RMDIR + EXT4_CREDITS_FREE_INODE);
	r = ext4_rmdir(h, fs, &root, "gone", 4, &dg, now);
	if (!r)
		r = ext4_inode_free(h, fs, &dg, now);
	bad |= journal_stop(h);
	CHECK(LABEL("indirect %s: a block-mapped directory emptied, removed, freed", tag),
	      !bad && r == 0);
	ext4_inode_put(&dk);
	ext4_inode_put(&dg);
	h = journal_start(fs->journal, EXT4_CREDITS_FALLOCATE);
	CHECK(LABEL("indirect %s: fallocate: EOPNOTSUPP", tag),
	      ext4_fallocate(h, fs, &f, 0, 10) == -EOPNOTSUPP);
	journal_stop(h);
	ext4_unmount_rw(fs);
	hostblk_close(d);
	ext4_inode_put(&f);
	ext4_inode_put(&g);
	ext4_inode_put(&root);
	CHECK(LABEL("indirect %s: e2fsck -fn clean", tag), fsck_clean(img, dir));
	CHECK(LABEL("indirect %s: debugfs lists the 150 names in keep, no gone; symlinks read back", tag),
	      sh("test $(debugfs -R 'ls -p /keep' %s 2>/dev/null | grep -c '/entry-with') = 150 &&"
		 " ! debugfs -R 'ls -p /' %s 2>/dev/null | grep -q '/gone/' &&"
		 " debugfs -R 'stat /keep/fast' %s 2>/dev/null | grep -q 'Fast link dest: \"short\"' &&"
		 " debugfs -R 'dump /keep/slow %s/slow.out' %s >/dev/null 2>&1 &&"
		 " test \"$(cat %s/slow.out)\" = $(printf 'q%%.0s' $(seq 300))",
		 img, img, img, dir, img, dir) == 0);
	CHECK(LABEL("indirect %s: debugfs dumps the model", tag),
	      dump_matches(dir, img, "ind", model, (size_t)span * bs) &&
	      dump_matches(dir, img, "ind2", gmodel, gend * (size_t)bs));

	/* truncate into the double indirect range; unlink and free ind2 */
	fs = mount_rw(img, &d);
	CHECK(LABEL("indirect %s: remount", tag), fs != NULL);
	if (!fs) {
		kshim_printk_quiet = false;
		return;
	}
	uint64_t free0 = ext4_free_blocks_total(fs);
	uint32_t ino = 0;
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	bad |= ext4_dir_lookup(fs, &root, "ind", 3, &ino);
	bad |= ext4_inode_read(fs, ino, &f);
	bad |= ext4_dir_lookup(fs, &root, "ind2", 4, &ino);
	bad |= ext4_inode_read(fs, ino, &g);
	size_t flen = 300 * (size_t)bs + 10;
	h = journal_start(fs->journal, EXT4_CREDITS_TRUNCATE);
	r = ext4_truncate(h, fs, &f, flen, now);
	bad |= journal_stop(h);
	memset(model + flen, 0, (size_t)span * bs - flen);
	CHECK(LABEL("indirect %s: truncated to 300 blocks: the deeper pointer trees freed", tag),
	      !bad && r == 0 && contents_match(fs, &f, model, flen) &&
	      ((struct ext4_disk_inode *)f.raw)->i_block[bs == 1024 ? 14 : 13] == 0 &&
	      ((struct ext4_disk_inode *)f.raw)->i_block[bs == 1024 ? 13 : 12] != 0);
	h = journal_start(fs->journal, EXT4_CREDITS_UNLINK + EXT4_CREDITS_FREE_INODE);
	r = ext4_unlink(h, fs, &root, "ind2", 4, &g, now);
	if (!r)
		r = ext4_inode_free(h, fs, &g, now);
	bad |= journal_stop(h);
	CHECK(LABEL("indirect %s: a block-mapped file unlinked and freed", tag),
	      !bad && r == 0 && g.blocks == 0 &&
	      ext4_free_blocks_total(fs) > free0 + 1800);
	ext4_inode_put(&f);
	ext4_inode_put(&g);
	ext4_inode_put(&root);
	CHECK(LABEL("indirect %s: unmount", tag), ext4_unmount_rw(fs) == 0);
	hostblk_close(d);
	kshim_printk_quiet = false;
	CHECK(LABEL("indirect %s: e2fsck -fn clean after truncate and unlink", tag),
	      fsck_clean(img, dir));
	CHECK(LABEL("indirect %s: debugfs dumps the truncated file", tag),
	      dump_matches(dir, img, "ind", model, flen));
	if ((r = linux_reads(dir, img, "ind", model, flen)) >= 0)
		CHECK(LABEL("indirect %s: Linux (loop mount) reads the truncated file", tag), r == 1);
	free(model);
	free(gmodel);
	if (!getenv("KEEP"))
		sh("rm -rf %s", dir);
}

/* ---- orphan lists debugfs wrote: a linked orphan, corrupt lists ---- */

/*
 * An orphan still linked (an interrupted truncate: blocks past i_size)
 * is truncated to its size and taken off the list at a read-write mount:
 * e2fsck -fn clean, debugfs dumps the first i_size bytes.  A list head
 * out of range and an orphan linking to itself: the mount still works,
 * the error is counted, nothing hangs.
 */
static void check_orphan_lists(const char *tag, const char *opts)
{
	char dir[] = "/tmp/ext4w-olist-XXXXXX", img[128];
	struct block_device *d;
	struct ext4_fs *fs;
	int r;

	if (!mkdtemp(dir))
		return;
	snprintf(img, sizeof(img), "%s/img", dir);
	r = sh("cd %s && mke2fs -q -F -t ext4 %s img 16M >/dev/null 2>&1 &&"
	       " head -c 102400 /dev/urandom >r.bin && head -c 1500 r.bin >want &&"
	       " debugfs -w -R 'write r.bin f' img >/dev/null 2>&1 &&"
	       " printf 'sif f size 1500\\nssv last_orphan 12\\n' | debugfs -w -f - img >/dev/null 2>&1 &&"
	       " dumpe2fs -h img 2>/dev/null | grep -q 'First orphan inode: *12'", dir, opts);
	CHECK(LABEL("orphan list %s: debugfs: a linked orphan with blocks past its size", tag), r == 0);
	kshim_printk_quiet = true;
	fs = mount_rw(img, &d);
	CHECK(LABEL("orphan list %s: mount truncates it and empties the list", tag),
	      fs && fs->sb.s_last_orphan == 0 && ext4_error_count(fs) == 0);
	if (fs)
		unmount_rw(fs, d);
	kshim_printk_quiet = false;
	CHECK(LABEL("orphan list %s: e2fsck -fn clean", tag), fsck_clean(img, dir));
	CHECK(LABEL("orphan list %s: debugfs dumps the first 1500 bytes", tag),
	      sh("cd %s && debugfs -R 'dump f got' img >/dev/null 2>&1 && cmp -s got want", dir) == 0);

	/* corrupt lists: a head out of range, a self loop */
	r = sh("cd %s && printf 'ssv last_orphan 99999\\n' | debugfs -w -f - img >/dev/null 2>&1", dir);
	kshim_printk_quiet = true;
	fs = r ? NULL : mount_rw(img, &d);
	CHECK(LABEL("orphan list %s: a head out of range: mounted, the error counted", tag),
	      fs && ext4_error_count(fs) > 0);
	if (fs)
		unmount_rw(fs, d);
	r = sh("cd %s && printf 'ssv last_orphan 12\\nsif <12> links_count 0\\nsif <12> dtime 12\\n' |"
	       " debugfs -w -f - img >/dev/null 2>&1", dir);
	fs = r ? NULL : mount_rw(img, &d);
	CHECK(LABEL("orphan list %s: an orphan linking to itself: mounted, the error counted", tag),
	      fs && ext4_error_count(fs) > 0);
	if (fs)
		unmount_rw(fs, d);
	kshim_printk_quiet = false;
	if (!getenv("KEEP"))
		sh("rm -rf %s", dir);
}

/* ---- a shared xattr block (made by Linux): references dropped ---- */

static uint32_t xattr_refcount(struct ext4_fs *fs, uint64_t blk)
{
	struct buffer *b = ext4_bread(fs, blk);
	uint32_t n;

	if (IS_ERR(b))
		return 0xffffffff;
	n = ((struct ext4_xattr_header *)b->data)->h_refcount;
	buffer_put(b);
	return n;
}

/*
 * Linux (a loop mount of a fresh image) gives three files one shared
 * xattr block (refcount 3).  Freeing two of them through the library
 * drops the count to 1 (e2fsck checks the counts), freeing the third
 * frees the block.  Without loop mounts the check is skipped (no line).
 */
static void check_shared_xattr(void)
{
	char dir[] = "/tmp/ext4w-xattr-XXXXXX", img[128];
	struct block_device *d;
	struct ext4_fs *fs;
	struct ext4_inode root;
	struct ext4_time now = { 1700007000, 0 };
	uint64_t blk = 0;
	int r, bad = 0;

	if (!mkdtemp(dir))
		return;
	snprintf(img, sizeof(img), "%s/img", dir);
	r = sh("cd %s && mke2fs -q -F -t ext4 -b 1024 img 8M >/dev/null 2>&1 && mkdir mnt &&"
	       " timeout 30 mount -o loop img mnt >/dev/null 2>&1", dir);
	if (r) {
		printf("# shared xattr: no loop mount here, skipped\n");
		sh("rm -rf %s", dir);
		return;
	}
	r = sh("cd %s && python3 -c \"import os\nfor n in 'abc':\n"
	       " p='mnt/'+n; open(p,'w').write(n*5000); os.setxattr(p,'user.big',b'y'*600)\";"
	       " e=$?; umount mnt; test $e = 0", dir);
	CHECK("shared xattr: Linux made three files sharing one xattr block", r == 0);
	kshim_printk_quiet = true;
	fs = r ? NULL : mount_rw(img, &d);
	if (!fs) {
		kshim_printk_quiet = false;
		return;
	}
	bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
	for (int i = 0; i < 3 && !bad; i++) {
		char nm[2] = { (char)('a' + i), 0 };
		struct journal_handle *h;
		struct ext4_inode v;
		uint32_t ino;

		bad |= ext4_dir_lookup(fs, &root, nm, 1, &ino);
		bad |= ext4_inode_read(fs, ino, &v);
		if (bad)
			break;
		if (i == 0) {
			blk = v.file_acl;
			CHECK("shared xattr: refcount 3", blk && xattr_refcount(fs, blk) == 3);
		}
		h = journal_start(fs->journal, EXT4_CREDITS_UNLINK + EXT4_CREDITS_FREE_INODE);
		r = ext4_unlink(h, fs, &root, nm, 1, &v, now);
		if (!r)
			r = ext4_inode_free(h, fs, &v, now);
		bad |= r | journal_stop(h);
		ext4_inode_put(&v);
		if (i == 1) {
			CHECK("shared xattr: two files freed: refcount 1", !bad && xattr_refcount(fs, blk) == 1);
			ext4_unmount_rw(fs);
			hostblk_close(d);
			CHECK("shared xattr: e2fsck -fn clean (reference counts)", fsck_clean(img, dir));
			fs = mount_rw(img, &d);
			bad |= !fs;
			if (!fs)
				break;
			ext4_inode_put(&root);
			bad |= ext4_inode_read(fs, EXT4_ROOT_INO, &root);
		}
	}
	CHECK("shared xattr: the last file freed", !bad);
	if (fs) {
		ext4_inode_put(&root);
		ext4_unmount_rw(fs);
		hostblk_close(d);
	}
	kshim_printk_quiet = false;
	CHECK("shared xattr: e2fsck -fn clean, the block free",
	      fsck_clean(img, dir) &&
	      sh("debugfs -R 'testb %llu' %s 2>/dev/null | grep -q 'not in use'",
		 (unsigned long long)blk, img) == 0);
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
	check_shared_xattr();
	check_orphan_lists("1k", "-b 1024");
	check_orphan_lists("4k-nocsum", "-b 4096 -O ^metadata_csum");
	check_sparse("4k", "-b 4096", "64M", 1500);
	check_sparse("1k", "-b 1024", "32M", 800);
	check_sparse("1k-nocsum", "-b 1024 -O ^metadata_csum", "32M", 800);
	check_unwritten("4k", "-b 4096", "64M");
	check_unwritten("1k", "-b 1024", "16M");
	check_indirect("ext3 1k", "-t ext3 -b 1024", "32M");
	check_indirect("ext3 4k", "-t ext3 -b 4096", "64M");
	for (unsigned d = 0; d <= EXT4_EXT_MAX_DEPTH; d++)
		if (max_map_credits[d])
			printf("# map_blocks_create at depth %u: at most %d credits used (bound %d)\n",
			       d, max_map_credits[d], EXT4_CREDITS_MAP_CREATE_DEPTH(d));
	return host_test_finish();
}
