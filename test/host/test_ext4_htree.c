/*
 * Host tests of htree directory writes (ext4/htree.c through namei.c's
 * ext4_create/ext4_link/ext4_unlink/ext4_rename), over images made by
 * mke2fs, with e2fsprogs as the oracle: e2fsck -fn checks every index
 * (hash order, counts, limits, checksums, collision bits) and must stay
 * silent, debugfs must list every name and dump the tree; the library's
 * own ext4_dir_lookup must find every name through the index.
 *
 * Cases: a directory made by mkdir filled with 20 000 names (4 KiB
 * blocks) and 5 000 (1 KiB blocks: an inner index level), metadata_csum
 * on and off, half deleted then more added; the three hash algorithms,
 * signed and unsigned; a full tree at its maximum depth (-ENOSPC) and
 * with largedir a level more; a directory left linear by a kernel
 * without dir_index stays linear; the htree images of mkext4images.py
 * get inserts, removals and renames with their index kept.
 *
 * Usage: test_ext4_htree [IMAGE_DIR]  (default build/ext4-img).
 */
#include "ext4/ext4.h"
#include "ext4/internal.h"
#include "block/buffer.h"
#include "ext4/journal.h"
#include "test/host/kshim.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test/host/host_test.h"
#include "test/host/ext4_host.h"

static const char *img_dir = "build/ext4-img";

/* Name @i of run @salt: unique, 5 to 255 bytes, most of 8..70. */
static unsigned test_name(char *buf, unsigned i, unsigned salt)
{
	int n = snprintf(buf, 256, "%c%u.", 'a' + salt % 26, i);
	unsigned len = 5 + (i * 37u) % 66;

	if (i % 97 == 0)
		len = 200 + i % 56;
	if (len < (unsigned)n)
		len = (unsigned)n;
	for (unsigned k = (unsigned)n; k < len; k++)
		buf[k] = (char)('a' + (i + k * 7) % 26);
	buf[len] = 0;
	return len;
}

/* The index depth (indirect_levels) of indexed @dir, or -1. */
static int dx_levels(struct ext4_fs *fs, struct ext4_inode *dir)
{
	uint64_t pblk, contig;
	struct buffer *b;
	int levels;

	if (!(dir->flags & EXT4_INDEX_FL) ||
	    ext4_map_block(fs, dir, 0, &pblk, &contig) || !pblk)
		return -1;
	b = ext4_bread(fs, pblk);
	if (IS_ERR(b))
		return -1;
	levels = ((struct ext4_dx_root_info *)((uint8_t *)b->data + 24))->indirect_levels;
	buffer_put(b);
	return levels;
}

struct mounted {
	struct block_device *d;
	struct ext4_fs *fs;
};

static bool mount_rw(const char *img, struct mounted *m)
{
	kshim_printk_quiet = true;
	m->fs = NULL;
	m->d = hostblk_open(img, false);
	if (!m->d || ext4_mount(m->d, EXT4_MOUNT_WRITE, &m->fs)) {
		if (m->d)
			hostblk_close(m->d);
		m->fs = NULL;
		kshim_printk_quiet = false;
		return false;
	}
	return true;
}

static bool unmount_rw(struct mounted *m)
{
	int r = ext4_unmount_rw(m->fs);

	hostblk_close(m->d);
	kshim_printk_quiet = false;
	return r == 0;
}

/* e2fsck -fn of @img: 0 when clean; its complaints go to stderr. */
/* Create names [from, to) of run @salt in @dir, one handle each; the
 * inode numbers go to ino[i] (when @ino).  0 or the first error. */
static int create_names(struct ext4_fs *fs, struct ext4_inode *dir,
			unsigned salt, unsigned from, unsigned to,
			uint32_t *ino)
{
	struct ext4_time now = { 1700001000, 0 };
	char nm[256];

	for (unsigned i = from; i < to; i++) {
		struct journal_handle *h = journal_start(fs->journal,
							 EXT4_CREDITS_DIR_ADD + 8);
		struct ext4_inode in;
		unsigned len = test_name(nm, i, salt);
		int r;

		if (IS_ERR(h))
			return (int)PTR_ERR(h);
		r = ext4_create(h, fs, dir, nm, len, 0100644, 0, 0, 0, now, &in);
		if (!r) {
			if (ino)
				ino[i] = in.ino;
			ext4_inode_put(&in);
		}
		int s = journal_stop(h);
		if (r || s) {
			fprintf(stderr, "  create %s: %d/%d\n", nm, r, s);
			return r ? r : s;
		}
	}
	return 0;
}

/* Every name of run @salt in [from, to) with gone[i] false is found with
 * inode ino[i]; those with gone[i] say ENOENT.  Mismatches counted. */
static unsigned lookup_names(struct ext4_fs *fs, struct ext4_inode *dir,
			     unsigned salt, unsigned from, unsigned to,
			     const uint32_t *ino, const bool *gone)
{
	unsigned bad = 0;
	char nm[256];

	for (unsigned i = from; i < to; i++) {
		unsigned len = test_name(nm, i, salt);
		uint32_t got = 0;
		int r = ext4_dir_lookup(fs, dir, nm, len, &got);

		if (gone && gone[i] ? r != -ENOENT : (r != 0 || got != ino[i])) {
			if (bad++ < 5)
				fprintf(stderr, "  lookup %s: %d (ino %u, want %u)\n",
					nm, r, got, ino[i]);
		}
	}
	return bad;
}

/* debugfs lists exactly the names of file @want (one per line) in
 * @path; htree_dump shows @levels index levels and @n leaf entries. */
static bool debugfs_agrees(const char *dir, const char *img, const char *path,
			   const char *want, int levels, unsigned n)
{
	return sh("cd %s && debugfs -R 'ls -p %s' img 2>/dev/null | awk -F/ 'NF > 5 && $2 != 0 && $6 != \".\" && $6 != \"..\" {print $6}' | sort >ls.out &&"
		  " sort %s | cmp -s - ls.out", dir, path, want) == 0 &&
	       sh("cd %s && debugfs -R 'htree_dump %s' %s 2>/dev/null >dump.out &&"
		  " grep -q '^	 Indirect levels: %d$' dump.out &&"
		  " test $(grep -oE '[0-9]+ 0x[0-9a-f]+-[0-9a-f]+ \\(' dump.out | grep -vc '^0 ') -eq %u",
		  dir, path, img, levels, n) == 0;
}

/* ---- one big directory ---- */

/*
 * mkdir "big" on a fresh image (@opts), @count creates in it (indexed
 * at its second block, then split as it grows), every name looked up;
 * half unlinked, a quarter more created; e2fsck -fn clean, debugfs
 * lists exactly the names and htree_dump shows @levels levels.  A
 * create on a cold cache reads a few blocks, not the directory.
 */
static void check_fill(const char *tag, const char *opts, const char *size,
		       unsigned count, const char *post, int levels)
{
	char dir[] = "/tmp/ext4-htree-XXXXXX", img[128], label[200], nm[256];
	struct ext4_time now = { 1700002000, 0 };
	unsigned more = count / 4, total = count + more, n_live = 0;
	uint32_t *ino = calloc(total, sizeof(*ino)), *ino2 = ino + count;
	bool *gone = calloc(total, sizeof(*gone));
	struct ext4_inode root, big;
	struct mounted m;
	int r, bad = 0, lv;
	FILE *want;

	if (!mkdtemp(dir) || !ino || !gone) {
		CHECK("htree: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(label, sizeof(label), "fill %s: mke2fs", tag);
	CHECK(label, sh("mke2fs -q -F -t ext4 %s %s %s >/dev/null 2>&1", opts, img, size) == 0 &&
		     (!post || sh("printf '%s\\n' | debugfs -w -f - %s >/dev/null 2>&1", post, img) == 0));
	snprintf(label, sizeof(label), "fill %s: read-write library mount", tag);
	CHECK(label, mount_rw(img, &m));
	if (!m.fs)
		goto out;
	struct journal_handle *h = journal_start(m.fs->journal, 32);
	bad |= ext4_inode_read(m.fs, EXT4_ROOT_INO, &root);
	bad |= ext4_create(h, m.fs, &root, "big", 3, 040755, 0, 0, 0, now, &big);
	bad |= journal_stop(h);
	r = bad ? bad : create_names(m.fs, &big, 0, 0, count, ino);
	lv = dx_levels(m.fs, &big);
	snprintf(label, sizeof(label), "fill %s: %u creates in a new directory; indexed, %d levels",
		 tag, count, lv);
	CHECK(label, r == 0 && (big.flags & EXT4_INDEX_FL) && lv == levels);
	snprintf(label, sizeof(label), "fill %s: every name found through the index", tag);
	CHECK(label, r == 0 && lookup_names(m.fs, &big, 0, 0, count, ino, NULL) == 0);

	/* half go, then a quarter more names */
	for (unsigned i = 0; i < count && !r; i += 2) {
		unsigned len = test_name(nm, i, 0);
		h = journal_start(m.fs->journal, 32);
		r = t_unlink(h, m.fs, &big, nm, len, now);
		if (r)
			fprintf(stderr, "  unlink %s: %d\n", nm, r);
		r |= journal_stop(h);
		gone[i] = true;
	}
	snprintf(label, sizeof(label), "fill %s: %u unlinked", tag, (count + 1) / 2);
	CHECK(label, r == 0);
	if (!r)
		r = create_names(m.fs, &big, 1, 0, more, ino2);
	snprintf(label, sizeof(label), "fill %s: %u more created", tag, more);
	CHECK(label, r == 0);
	snprintf(label, sizeof(label), "fill %s: lookups: the removed ENOENT, the rest found", tag);
	CHECK(label, r == 0 && lookup_names(m.fs, &big, 0, 0, count, ino, gone) == 0 &&
		     lookup_names(m.fs, &big, 1, 0, more, ino2, NULL) == 0);
	lv = dx_levels(m.fs, &big);
	ext4_inode_put(&big);
	ext4_inode_put(&root);
	snprintf(label, sizeof(label), "fill %s: unmount", tag);
	CHECK(label, unmount_rw(&m));

	/* cold cache: one more create reads O(depth) blocks */
	if (mount_rw(img, &m)) {
		uint64_t r0, r1, w;
		uint32_t bino;
		struct ext4_inode in;

		bad = ext4_inode_read(m.fs, EXT4_ROOT_INO, &root);
		bad |= ext4_dir_lookup(m.fs, &root, "big", 3, &bino);
		bad |= ext4_inode_read(m.fs, bino, &big);
		hostblk_stats(m.d, &r0, &w, &w);
		h = journal_start(m.fs->journal, EXT4_CREDITS_DIR_ADD + 8);
		bad |= ext4_create(h, m.fs, &big, "one-more", 8, 0100600, 0, 0, 0, now, &in);
		hostblk_stats(m.d, &r1, &w, &w);
		bad |= journal_stop(h);
		snprintf(label, sizeof(label), "fill %s: a create on a cold cache reads %llu blocks of %llu",
			 tag, (unsigned long long)(r1 - r0),
			 (unsigned long long)(big.size / m.fs->block_size));
		CHECK(label, !bad && r1 - r0 <= 12);
		if (!bad)
			ext4_inode_put(&in);
		ext4_inode_put(&big);
		ext4_inode_put(&root);
		unmount_rw(&m);
	}

	snprintf(label, sizeof(label), "fill %s: e2fsck -fn clean", tag);
	CHECK(label, fsck_clean(img, dir));
	snprintf(nm, sizeof(nm), "%s/want", dir);
	want = fopen(nm, "w");
	for (unsigned i = 0; want && i < count; i++)
		if (!gone[i] && test_name(nm, i, 0) && ++n_live)
			fprintf(want, "%s\n", nm);
	for (unsigned i = 0; want && i < more; i++, n_live++)
		fprintf(want, "%.*s\n", (int)test_name(nm, i, 1), nm);
	if (want) {
		fprintf(want, "one-more\n");
		fclose(want);
	}
	snprintf(label, sizeof(label), "fill %s: debugfs lists the %u names, htree_dump agrees",
		 tag, n_live + 1);
	CHECK(label, want && debugfs_agrees(dir, img, "/big", "want", lv, n_live + 1));
out:
	free(ino);
	free(gone);
	if (!getenv("KEEP"))
		sh("rm -rf %s", dir);
}

/* ---- the maximum depth ---- */

/*
 * Hard links with 255-byte names to one file in one directory (1 KiB
 * blocks: 3 names a leaf) until the index is full: without largedir at
 * 2 levels, -ENOSPC; with it all @count fit, in 3 levels.  e2fsck -fn
 * clean either way (the link count is the file's names).
 */
static void check_depth(const char *tag, const char *opts, unsigned count,
			bool largedir)
{
	char dir[] = "/tmp/ext4-htree-XXXXXX", img[128], label[200], nm[256];
	struct ext4_time now = { 1700003000, 0 };
	struct ext4_inode root, d, f;
	struct mounted m;
	unsigned made = 0;
	int r = 0, bad = 0, lv;

	if (!mkdtemp(dir)) {
		CHECK("htree: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(label, sizeof(label), "depth %s: mke2fs", tag);
	CHECK(label, sh("mke2fs -q -F -t ext4 -b 1024 -N 1024 %s %s 160M >/dev/null 2>&1",
			opts, img) == 0);
	snprintf(label, sizeof(label), "depth %s: read-write library mount", tag);
	CHECK(label, mount_rw(img, &m));
	if (!m.fs)
		goto out;
	struct journal_handle *h = journal_start(m.fs->journal, 64);
	bad |= ext4_inode_read(m.fs, EXT4_ROOT_INO, &root);
	bad |= ext4_create(h, m.fs, &root, "d", 1, 040755, 0, 0, 0, now, &d);
	bad |= ext4_create(h, m.fs, &d, "f", 1, 0100644, 0, 0, 0, now, &f);
	bad |= journal_stop(h);
	for (unsigned i = 0; i < count && !bad && !r; i++) {
		int n = snprintf(nm, sizeof(nm), "%06u-", i);
		memset(nm + n, 'a' + i % 26, 255 - n);
		h = journal_start(m.fs->journal, EXT4_CREDITS_DIR_ADD + 4);
		r = ext4_link(h, m.fs, &d, nm, 255, &f, now);
		bad |= journal_stop(h);
		if (!r)
			made++;
	}
	lv = dx_levels(m.fs, &d);
	if (largedir) {
		snprintf(label, sizeof(label), "depth %s: %u names of 255 bytes, %d index levels",
			 tag, made, lv);
		CHECK(label, !bad && r == 0 && made == count && lv == 2);
	} else {
		snprintf(label, sizeof(label), "depth %s: the index is full after %u names: ENOSPC at 2 levels",
			 tag, made);
		CHECK(label, !bad && r == -ENOSPC && made > 15000 && lv == 1);
	}
	/* every name is still there */
	unsigned missing = 0;
	for (unsigned i = 0; i < made; i++) {
		int n = snprintf(nm, sizeof(nm), "%06u-", i);
		uint32_t x;
		memset(nm + n, 'a' + i % 26, 255 - n);
		if (ext4_dir_lookup(m.fs, &d, nm, 255, &x) || x != f.ino)
			missing++;
	}
	snprintf(label, sizeof(label), "depth %s: every name found", tag);
	CHECK(label, missing == 0);
	ext4_inode_put(&f);
	ext4_inode_put(&d);
	ext4_inode_put(&root);
	snprintf(label, sizeof(label), "depth %s: unmount", tag);
	CHECK(label, unmount_rw(&m));
	snprintf(label, sizeof(label), "depth %s: e2fsck -fn clean", tag);
	CHECK(label, fsck_clean(img, dir));
	snprintf(label, sizeof(label), "depth %s: debugfs htree_dump: %d levels, %u names",
		 tag, lv, made + 1);
	CHECK(label, sh("cd %s && debugfs -R 'htree_dump /d' img 2>/dev/null >dump.out &&"
			" grep -q '^	 Indirect levels: %d$' dump.out &&"
			" test $(grep -oE '[0-9]+ 0x[0-9a-f]+-[0-9a-f]+ \\(' dump.out | grep -vc '^0 ') -eq %u",
			dir, lv, made + 1) == 0);
out:
	sh("rm -rf %s", dir);
}

/* ---- hash collisions ---- */

struct hashed {
	uint32_t hash;
	uint32_t i;
};

static int hashed_cmp(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void long_name(char *nm, uint32_t i)
{
	int n = snprintf(nm, 256, "%07u-", i);

	memset(nm + n, 'c', 255 - n);
	nm[255] = 0;
}

/*
 * Names whose hashes collide (found by a birthday search over 2^19
 * names with the image's seed), 255 bytes long so that a 1 KiB leaf
 * holds 3: each pair goes in among filler names, the leaves split
 * between the two at times (an index hash with the collision bit).
 * Every name is found, one of each pair unlinked leaves the other
 * found, e2fsck -fn is clean.
 */
static void check_collisions(void)
{
	char dir[] = "/tmp/ext4-htree-XXXXXX", img[128], label[200], nm[256];
	struct ext4_time now = { 1700005000, 0 };
	const uint32_t n = 1u << 19;
	struct hashed *hv = calloc(n, sizeof(*hv));
	uint32_t *pairs = calloc(2 * 256, sizeof(*pairs)), npairs = 0, x;
	struct ext4_inode root, d, f;
	struct mounted m;
	unsigned version, missing = 0, filler = 0;
	int bad = 0, r = 0;

	if (!mkdtemp(dir) || !hv || !pairs) {
		CHECK("htree: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK("collisions: mke2fs (a fixed hash seed)",
	      sh("mke2fs -q -F -t ext4 -b 1024 -N 1024 %s 32M >/dev/null 2>&1 &&"
		 " debugfs -w -R 'ssv hash_seed 6b1e7c3a-58f2-4d0e-9a61-2f4c8e0d7b95' %s >/dev/null 2>&1",
		 img, img) == 0);
	if (!mount_rw(img, &m)) {
		CHECK("collisions: mount", 0);
		goto out;
	}
	version = m.fs->default_hash + (m.fs->hash_unsigned ? 3 : 0);
	for (uint32_t i = 0; i < n; i++) {
		long_name(nm, i);
		ext4_dx_hash(nm, 255, version, m.fs->hash_seed, &hv[i].hash, NULL);
		hv[i].i = i;
	}
	qsort(hv, n, sizeof(*hv), hashed_cmp);
	for (uint32_t i = 1; i < n && npairs < 256; i++)
		if (hv[i].hash == hv[i - 1].hash) {
			pairs[2 * npairs] = hv[i - 1].i;
			pairs[2 * npairs + 1] = hv[i].i;
			npairs++;
			i++;
		}
	snprintf(label, sizeof(label), "collisions: %u colliding pairs found", npairs);
	CHECK(label, npairs >= 16);
	struct journal_handle *h = journal_start(m.fs->journal, 64);
	bad |= ext4_inode_read(m.fs, EXT4_ROOT_INO, &root);
	bad |= ext4_create(h, m.fs, &root, "d", 1, 040755, 0, 0, 0, now, &d);
	bad |= ext4_create(h, m.fs, &d, "f", 1, 0100644, 0, 0, 0, now, &f);
	bad |= journal_stop(h);
	/* each pair between fillers (names of the search in no pair) */
	for (uint32_t p = 0; p < npairs && !bad && !r; p++) {
		uint32_t names[4] = {0, pairs[2 * p], 0, pairs[2 * p + 1]};

		for (unsigned k = 0; k < 4; k += 2) {
			do
				filler = (filler + 997) % n;
			while ((filler > 0 && hv[filler].hash == hv[filler - 1].hash) ||
			       (filler + 1 < n && hv[filler].hash == hv[filler + 1].hash));
			names[k] = hv[filler].i;
		}
		for (unsigned k = 0; k < 4 && !r; k++) {
			long_name(nm, names[k]);
			h = journal_start(m.fs->journal, EXT4_CREDITS_DIR_ADD + 4);
			r = ext4_link(h, m.fs, &d, nm, 255, &f, now);
			bad |= journal_stop(h);
			if (r)
				fprintf(stderr, "  link %s: %d\n", nm, r);
		}
	}
	snprintf(label, sizeof(label), "collisions: %u pairs linked among fillers", npairs);
	CHECK(label, !bad && !r);
	for (uint32_t p = 0; p < 2 * npairs; p++) {
		long_name(nm, pairs[p]);
		if (ext4_dir_lookup(m.fs, &d, nm, 255, &x) || x != f.ino)
			missing++;
	}
	CHECK("collisions: both names of every pair found", !bad && missing == 0);
	/* the first of each pair goes: the second stays findable */
	for (uint32_t p = 0; p < npairs && !bad; p++) {
		long_name(nm, pairs[2 * p]);
		h = journal_start(m.fs->journal, 32);
		bad |= t_unlink(h, m.fs, &d, nm, 255, now);
		bad |= journal_stop(h);
		f.links--;
	}
	missing = 0;
	for (uint32_t p = 0; p < 2 * npairs; p++) {
		long_name(nm, pairs[p]);
		r = ext4_dir_lookup(m.fs, &d, nm, 255, &x);
		if (p % 2 ? r != 0 : r != -ENOENT)
			missing++;
	}
	CHECK("collisions: one of each pair unlinked, the other found", !bad && missing == 0);
	ext4_inode_put(&f);
	ext4_inode_put(&d);
	ext4_inode_put(&root);
	CHECK("collisions: unmount", unmount_rw(&m));
	CHECK("collisions: e2fsck -fn clean", fsck_clean(img, dir));
	CHECK("collisions: htree_dump shows an index hash with the collision bit",
	      sh("cd %s && debugfs -R 'htree_dump /d' img 2>/dev/null |"
		 " grep -q '^Entry #[0-9]*: Hash 0x[0-9a-f]*[13579bdf], block'", dir) == 0);
out:
	free(hv);
	free(pairs);
	sh("rm -rf %s", dir);
}

/* ---- corrupt indexes ---- */

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool allowed_errno(int r)
{
	switch (r) {
	case 0: case -EUCLEAN: case -ENOENT: case -EEXIST: case -ENOSPC:
	case -EOPNOTSUPP: case -ENOTDIR: case -EISDIR: case -ENOTEMPTY:
	case -EMLINK: case -EFBIG:
		return true;
	}
	return false;
}

/* One corrupted copy: creates, unlinks and renames in "big"; the number
 * of results outside allowed_errno (printed), *euclean counted. */
static unsigned corrupt_case(uint8_t *img, size_t len, const char *dname,
			     unsigned *euclean)
{
	struct ext4_time now = { 1700006000, 0 };
	struct block_device *d = hostblk_mem_open(img, len, false);
	struct ext4_inode root, big, in;
	struct ext4_fs *fs;
	unsigned bad = 0;
	uint32_t ino;
	char nm[256], nm2[256];
	int r;

	if (!d || ext4_mount(d, EXT4_MOUNT_WRITE, &fs)) {
		hostblk_close(d);
		return 0;
	}
	if (ext4_inode_read(fs, EXT4_ROOT_INO, &root))
		goto out;
	if (ext4_dir_lookup(fs, &root, dname, strlen(dname), &ino) ||
	    ext4_inode_read(fs, ino, &big)) {
		ext4_inode_put(&root);
		goto out;
	}
	for (unsigned k = 0; k < 30; k++) {
		struct journal_handle *h = journal_start(fs->journal, 2 * EXT4_CREDITS_DIR_ADD + 16);
		unsigned len1 = test_name(nm, k, 5), len2 = test_name(nm2, k * 13 + 1, 0);

		if (IS_ERR(h)) {
			fprintf(stderr, "  journal_start: %ld\n", PTR_ERR(h));
			bad++;
			break;
		}
		switch (k % 3) {
		case 0:
			r = ext4_create(h, fs, &big, nm, len1, 0100644, 0, 0, 0, now, &in);
			if (!r)
				ext4_inode_put(&in);
			break;
		case 1:
			r = t_unlink(h, fs, &big, nm2, len2, now);
			break;
		default:
			r = t_rename(h, fs, &big, nm2, len2, &big, nm, len1, now);
			break;
		}
		journal_stop(h);
		if (r == -EUCLEAN)
			(*euclean)++;
		if (!allowed_errno(r) && bad++ < 3)
			fprintf(stderr, "  op %u on a corrupt index: %d\n", k, r);
	}
	ext4_inode_put(&big);
	ext4_inode_put(&root);
out:
	ext4_unmount_rw(fs);
	hostblk_close(d);
	return bad;
}

/*
 * Bytes of an indexed directory's blocks (root, inner nodes, leaves), or
 * of a full one-block directory's (indexed at the next add), changed at
 * random on an image without metadata_csum, so that only the
 * structure checks stand between them and the code: creates, unlinks
 * and renames in it give 0 or the errno Linux would (EUCLEAN, ENOENT,
 * EEXIST, ENOSPC...), never a crash (ASan) or a hang (alarm).
 */
static void check_corrupt(unsigned cases)
{
	char dir[] = "/tmp/ext4-htree-XXXXXX", img[128], label[200];
	uint64_t *blocks = NULL;
	unsigned nblocks = 0, bad = 0, euclean = 0;
	uint8_t *pristine = NULL, *copy = NULL;
	struct ext4_inode root, big;
	size_t len = 0;
	struct mounted m;
	int err = 0;

	if (!mkdtemp(dir)) {
		CHECK("htree: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	if (sh("mke2fs -q -F -t ext4 -b 1024 -N 4096 -O ^metadata_csum %s 16M >/dev/null 2>&1 &&"
	       " debugfs -w -R 'ssv hash_seed 1f0e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' %s >/dev/null 2>&1",
	       img, img) ||
	    !mount_rw(img, &m)) {
		CHECK("corrupt: mke2fs and mount", 0);
		goto out;
	}
	struct journal_handle *h = journal_start(m.fs->journal, 32);
	err |= ext4_inode_read(m.fs, EXT4_ROOT_INO, &root);
	err |= ext4_create(h, m.fs, &root, "big", 3, 040755, 0, 0, 0,
			   (struct ext4_time){ 1700006000, 0 }, &big);
	err |= journal_stop(h);
	err |= create_names(m.fs, &big, 0, 0, 3000, NULL);
	/* and a one-block linear directory one name short of the index:
	 * "probe" finds how many names index it */
	struct ext4_inode probe, small;
	struct ext4_time t0 = { 1700006000, 0 };
	uint64_t small_blk = 0, scontig;
	unsigned nsmall = 0;
	h = journal_start(m.fs->journal, 32);
	err |= ext4_create(h, m.fs, &root, "probe", 5, 040755, 0, 0, 0, t0, &probe);
	err |= ext4_create(h, m.fs, &root, "small", 5, 040755, 0, 0, 0, t0, &small);
	err |= journal_stop(h);
	while (!err && !(probe.flags & EXT4_INDEX_FL) && nsmall < 200)
		err |= create_names(m.fs, &probe, 0, nsmall, nsmall + 1, NULL), nsmall++;
	if (!err) {
		err |= create_names(m.fs, &small, 0, 0, nsmall - 1, NULL);
		err |= small.size != 1024 || (small.flags & EXT4_INDEX_FL);
		err |= ext4_map_block(m.fs, &small, 0, &small_blk, &scontig);
		ext4_inode_put(&small);
		ext4_inode_put(&probe);
	}
	if (!err)
		blocks = calloc(big.size / m.fs->block_size, sizeof(*blocks));
	for (uint64_t l = 0; blocks && l < big.size / m.fs->block_size; l++) {
		uint64_t contig;
		err |= ext4_map_block(m.fs, &big, l, &blocks[nblocks++], &contig);
	}
	err |= dx_levels(m.fs, &big) != 1;
	if (!err) {
		ext4_inode_put(&big);
		ext4_inode_put(&root);
	}
	err |= !unmount_rw(&m);
	if (err)
		fprintf(stderr, "  corrupt: setup %d, %u blocks\n", err, nblocks);
	CHECK("corrupt: a two-level indexed directory of 3000 names, a full one-block one",
	      !err && nblocks > 2 && small_blk);
	if (err)
		goto out;
	FILE *f = fopen(img, "rb");
	if (f) {
		fseek(f, 0, SEEK_END);
		len = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		pristine = malloc(len);
		copy = malloc(len);
		if (pristine && copy && fread(pristine, 1, len, f) != len)
			len = 0;
		fclose(f);
	}
	if (!pristine || !copy || !len) {
		CHECK("corrupt: load the image", 0);
		goto out;
	}
	kshim_printk_quiet = true;
	for (unsigned c = 0; c < cases; c++) {
		bool lin = c % 4 == 3;

		memcpy(copy, pristine, len);
		for (unsigned k = 1 + rng() % 6; k; k--) {
			/* the root half the time: it holds the most structure */
			uint64_t blk = lin ? small_blk :
				       rng() % 2 ? blocks[0] : blocks[rng() % nblocks];
			/* (inner nodes are found among them by chance) */
			uint32_t off = (uint32_t)(rng() % 1024);
			uint8_t *p = copy + blk * 1024 + off;
			switch (rng() % 4) {
			case 0: *p ^= (uint8_t)(1u << (rng() % 8)); break;
			case 1: *p = (uint8_t)rng(); break;
			case 2: *p = 0; break;
			default: *p = 0xff; break;
			}
		}
		alarm(20);
		bad += corrupt_case(copy, len, lin ? "small" : "big", &euclean);
		alarm(0);
	}
	kshim_printk_quiet = false;
	snprintf(label, sizeof(label),
		 "corrupt: %u corrupted indexes: only Linux errnos (%u EUCLEAN), no crash or hang",
		 cases, euclean);
	CHECK(label, bad == 0 && euclean > 0);
out:
	free(blocks);
	free(pristine);
	free(copy);
	sh("rm -rf %s", dir);
}

/* ---- a directory that must stay linear ---- */

/*
 * A 3-block directory made without dir_index, the feature then turned
 * on (tune2fs): more names go in linearly (Linux indexes only at the
 * growth from one block to two); a one-block directory next to it is
 * indexed when it fills.  e2fsck -fn clean.
 */
static void check_stays_linear(void)
{
	char dir[] = "/tmp/ext4-htree-XXXXXX", img[128];
	struct ext4_time now = { 1700004000, 0 };
	struct ext4_inode root, lin, idx;
	uint32_t x, *ino = calloc(400, sizeof(*ino)), *ino2 = calloc(400, sizeof(*ino2));
	struct mounted m;
	int bad = 0;

	if (!mkdtemp(dir) || !ino || !ino2) {
		CHECK("htree: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	CHECK("linear: mke2fs without dir_index",
	      sh("mke2fs -q -F -t ext4 -b 1024 -O ^dir_index %s 16M >/dev/null 2>&1", img) == 0);
	if (!mount_rw(img, &m)) {
		CHECK("linear: mount", 0);
		goto out;
	}
	struct journal_handle *h = journal_start(m.fs->journal, 32);
	bad |= ext4_inode_read(m.fs, EXT4_ROOT_INO, &root);
	bad |= ext4_create(h, m.fs, &root, "lin", 3, 040755, 0, 0, 0, now, &lin);
	bad |= journal_stop(h);
	bad |= create_names(m.fs, &lin, 2, 0, 60, ino);
	CHECK("linear: without dir_index a directory grows linearly",
	      !bad && !(lin.flags & EXT4_INDEX_FL) && lin.size >= 3 * 1024);
	ext4_inode_put(&lin);
	ext4_inode_put(&root);
	CHECK("linear: unmount", unmount_rw(&m));
	CHECK("linear: tune2fs -O dir_index",
	      sh("tune2fs -O dir_index %s >/dev/null 2>&1", img) == 0);
	if (!mount_rw(img, &m)) {
		CHECK("linear: mount", 0);
		goto out;
	}
	bad |= ext4_inode_read(m.fs, EXT4_ROOT_INO, &root);
	bad |= ext4_dir_lookup(m.fs, &root, "lin", 3, &x);
	bad |= ext4_inode_read(m.fs, x, &lin);
	h = journal_start(m.fs->journal, 32);
	bad |= ext4_create(h, m.fs, &root, "idx", 3, 040755, 0, 0, 0, now, &idx);
	bad |= journal_stop(h);
	bad |= create_names(m.fs, &lin, 2, 60, 400, ino);
	bad |= create_names(m.fs, &idx, 3, 0, 400, ino2);
	CHECK("linear: a multi-block linear directory stays linear",
	      !bad && !(lin.flags & EXT4_INDEX_FL));
	CHECK("linear: a new directory is indexed as it grows",
	      !bad && (idx.flags & EXT4_INDEX_FL) && dx_levels(m.fs, &idx) == 0);
	CHECK("linear: every name found",
	      !bad && lookup_names(m.fs, &lin, 2, 0, 400, ino, NULL) == 0 &&
	      lookup_names(m.fs, &idx, 3, 0, 400, ino2, NULL) == 0);
	/* emptied, the indexed directory goes */
	for (unsigned i = 0; i < 400 && !bad; i++) {
		char nm[256];
		unsigned len = test_name(nm, i, 3);
		h = journal_start(m.fs->journal, 32);
		bad |= t_unlink(h, m.fs, &idx, nm, len, now);
		bad |= journal_stop(h);
	}
	h = journal_start(m.fs->journal, 64);
	bad |= t_rmdir(h, m.fs, &root, "idx", 3, now);
	bad |= journal_stop(h);
	CHECK("linear: the emptied indexed directory is removed",
	      !bad && ext4_dir_lookup(m.fs, &root, "idx", 3, &x) == -ENOENT);
	ext4_inode_put(&idx);
	ext4_inode_put(&lin);
	ext4_inode_put(&root);
	CHECK("linear: unmount", unmount_rw(&m));
	CHECK("linear: e2fsck -fn clean", fsck_clean(img, dir));
out:
	free(ino);
	free(ino2);
	sh("rm -rf %s", dir);
}

/* ---- the images of mkext4images.py ---- */

/*
 * A copy of image @name's 'bigdir' (@count files made by mke2fs -d and
 * indexed by e2fsck -D): 600 creates, 20 unlinks, one rename out and
 * one within; the index is kept, lookups find the names, e2fsck -fn is
 * clean and debugfs lists the new count.
 */
static void check_image(const char *name, unsigned count)
{
	char dir[] = "/tmp/ext4-htree-XXXXXX", img[128], label[200], nm[256];
	struct ext4_time now = { 1700000900, 0 };
	struct ext4_inode root, big;
	uint32_t ino, *inos = calloc(600, sizeof(*inos));
	struct mounted m;
	int r, bad = 0, lv0, lv;

	if (!mkdtemp(dir) || !inos) {
		CHECK("htree: temporary directory", 0);
		return;
	}
	snprintf(img, sizeof(img), "%s/img", dir);
	sh("cp %s/%s.img %s", img_dir, name, img);
	snprintf(label, sizeof(label), "image %s: read-write library mount", name);
	CHECK(label, mount_rw(img, &m));
	if (!m.fs)
		goto out;
	bad |= ext4_inode_read(m.fs, EXT4_ROOT_INO, &root);
	bad |= ext4_dir_lookup(m.fs, &root, "bigdir", 6, &ino);
	bad |= ext4_inode_read(m.fs, ino, &big);
	lv0 = dx_levels(m.fs, &big);
	snprintf(label, sizeof(label), "image %s: bigdir is indexed (%d levels)", name, lv0);
	CHECK(label, !bad && lv0 >= 0);
	bad |= create_names(m.fs, &big, 4, 0, 600, inos);
	struct journal_handle *h = journal_start(m.fs->journal, 64);
	for (int i = 1; i <= 20 && !bad; i++) {
		snprintf(nm, sizeof(nm), "file_%05d_", i * 7);
		memset(nm + strlen(nm), 'x', (i * 7) % 40);
		nm[11 + (i * 7) % 40] = 0;
		r = t_unlink(h, m.fs, &big, nm, strlen(nm), now);
		if (r)
			fprintf(stderr, "  unlink %s: %d\n", nm, r);
		bad |= r;
	}
	bad |= journal_stop(h);
	h = journal_start(m.fs->journal, 64);
	unsigned l0 = test_name(nm, 0, 4);
	bad |= t_rename(h, m.fs, &big, nm, l0, &root, "moved-out", 9, now);
	bad |= t_rename(h, m.fs, &big, "file_00008_xxxxxxxx", 19, &big, "renamed-within", 14, now);
	bad |= journal_stop(h);
	lv = dx_levels(m.fs, &big);
	snprintf(label, sizeof(label), "image %s: 600 created, 20 unlinked, 2 renamed; index kept (%d levels)",
		 name, lv);
	CHECK(label, !bad && lv >= lv0);
	uint32_t x;
	snprintf(label, sizeof(label), "image %s: lookups after the change", name);
	CHECK(label, !bad && lookup_names(m.fs, &big, 4, 1, 600, inos, NULL) == 0 &&
		     ext4_dir_lookup(m.fs, &big, nm, l0, &x) == -ENOENT &&
		     ext4_dir_lookup(m.fs, &big, "file_00007_xxxxxxx", 18, &x) == -ENOENT &&
		     ext4_dir_lookup(m.fs, &big, "file_00008_xxxxxxxx", 19, &x) == -ENOENT &&
		     ext4_dir_lookup(m.fs, &big, "renamed-within", 14, &x) == 0 &&
		     ext4_dir_lookup(m.fs, &big, "file_00009_xxxxxxxxx", 20, &x) == 0);
	/* a rename over a name of the index; the directory moved under a
	 * new parent (its ".." is in the root block, under the dx csum) */
	struct ext4_inode sub;
	uint32_t x9 = 0, x10 = 0;
	bad |= ext4_dir_lookup(m.fs, &big, "file_00009_xxxxxxxxx", 20, &x9);
	h = journal_start(m.fs->journal, 64);
	r = t_rename(h, m.fs, &big, "file_00009_xxxxxxxxx", 20, &big,
			"file_00010_xxxxxxxxxx", 21, now);
	if (r)
		fprintf(stderr, "  rename over: %d\n", r);
	bad |= r;
	bad |= ext4_create(h, m.fs, &root, "sub", 3, 040755, 0, 0, 0, now, &sub);
	r = t_rename(h, m.fs, &root, "bigdir", 6, &sub, "bigdir2", 7, now);
	if (r)
		fprintf(stderr, "  rename bigdir: %d\n", r);
	bad |= r;
	bad |= journal_stop(h);
	snprintf(label, sizeof(label), "image %s: rename over a name; the directory moved, '..' follows", name);
	CHECK(label, !bad && ext4_dir_lookup(m.fs, &big, "file_00010_xxxxxxxxxx", 21, &x10) == 0 &&
		     x10 == x9 && ext4_dir_lookup(m.fs, &big, "file_00009_xxxxxxxxx", 20, &x) == -ENOENT &&
		     ext4_dir_lookup(m.fs, &big, "..", 2, &x) == 0 && x == sub.ino &&
		     ext4_dir_lookup(m.fs, &sub, "bigdir2", 7, &x) == 0 && x == big.ino);
	if (!bad)
		ext4_inode_put(&sub);
	ext4_inode_put(&big);
	ext4_inode_put(&root);
	snprintf(label, sizeof(label), "image %s: unmount", name);
	CHECK(label, unmount_rw(&m));
	snprintf(label, sizeof(label), "image %s: e2fsck -fn clean", name);
	CHECK(label, fsck_clean(img, dir));
	snprintf(label, sizeof(label), "image %s: debugfs lists %u names", name, count + 600 - 20 - 2);
	CHECK(label, sh("test $(debugfs -R 'ls -p /sub/bigdir2' %s 2>/dev/null | grep -c '^/[1-9]') -eq %u",
			img, count + 600 - 20 - 2 + 2) == 0);
out:
	free(inos);
	sh("rm -rf %s", dir);
}

int main(int argc, char **argv)
{
	char manifest[512];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1)
		img_dir = argv[1];
	snprintf(manifest, sizeof(manifest), "%s/manifest", img_dir);
	if (access(manifest, R_OK) != 0 &&
	    sh("python3 test/host/mkext4images.py %s", img_dir) != 0) {
		CHECK("make the images (mkext4images.py)", 0);
		return host_test_finish();
	}
	check_fill("4k", "-b 4096 -N 32768", "128M", 20000, NULL, 0);
	check_fill("1k", "-b 1024 -N 8192", "32M", 5000, NULL, 1);
	check_fill("1k-nocsum", "-b 1024 -N 8192 -O ^metadata_csum", "32M", 5000, NULL, 1);
	static const char *const algs[] = {"legacy", "half_md4", "tea"};
	for (unsigned a = 0; a < 3; a++)
		for (unsigned u = 0; u < 2; u++) {
			char tag[64], post[128];
			snprintf(tag, sizeof(tag), "%s-%s", algs[a], u ? "unsigned" : "signed");
			snprintf(post, sizeof(post), "ssv def_hash_version %s\nssv flags %u",
				 algs[a], u ? 2 : 1);
			check_fill(tag, "-b 1024 -N 4096", "16M", 2500, post, 1);
		}
	check_depth("1k", "", 40000, false);
	check_depth("1k-largedir", "-O large_dir", 40000, true);
	check_collisions();
	/* HTREE_CORRUPT_CASES=N for a longer run */
	check_corrupt(getenv("HTREE_CORRUPT_CASES") ?
		      (unsigned)atoi(getenv("HTREE_CORRUPT_CASES")) : 300);
	check_stays_linear();
	check_image("ext4_htree", 3000);
	check_image("ext4_1k_htree2", 6000);
	check_image("ext4_tea_unsigned", 2000);
	check_image("ext4_legacy", 2000);
	return host_test_finish();
}
