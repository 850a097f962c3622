/*
 * The jbd2 journal (ext4/journal*.c) against e2fsprogs as the oracle.
 *
 *   recovery  mke2fs + debugfs journal_write transactions (several, with
 *             overwrites, revokes, an escaped block, a transaction over
 *             two descriptors) in each tag format: 64-bit csum v3,
 *             32-bit csum v2, 32- and 64-bit without checksums; the same
 *             with the last commit block broken, and with the log
 *             rotated so that it wraps around the journal's end.  Our
 *             replay and e2fsck -fy's must give the same image.
 *   commit    our transactions into a fresh image, then a "crash" (the
 *             buffer cache dropped unwritten): debugfs logdump lists the
 *             commits, e2fsck -fy replays exactly the intended contents,
 *             and our recovery gives e2fsck's image; a long run that
 *             checkpoints and wraps the log; a power cut after every
 *             possible number of writes always recovers whole
 *             transactions.
 *   fuzz      mutated journal blocks and superblocks: recovery ends
 *             (ASan/UBSan watch every access) and writes only inside the
 *             device.
 *
 * Images and their comparison: the ext4 superblock differs legitimately
 * where e2fsck stamps it (s_wtime, s_lastcheck, s_kbytes_written and the
 * checksum over them), so those bytes are masked; the test itself clears
 * needs_recovery after our replay, as the ext4 mount will.  Everything
 * else, journal included, must match byte for byte.
 *
 * The journal's block map comes from `debugfs -R "blocks <8>"`.
 *
 * `test_journal IMAGE...` instead compares our recovery of the given
 * images with debugfs journal_run's (see test_images), for journals
 * written by the Linux kernel (not in the default run: it needs loop
 * mounts).
 */
#include "test/host/host_test.h"
#include "test/host/journal_shim.h"
#include "ext4/journal_internal.h"
#include "block/block.h"
#include "block/buffer.h"
#include "lib/crc32c.h"

#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

static char workdir[PATH_MAX / 2];

/* ---- images and tools ---- */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static const char *wpath(const char *name)
{
	static char bufs[4][PATH_MAX];
	static int next;
	char *p = bufs[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", workdir, name);
	return p;
}

static uint8_t *load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(*size);
	if (fread(buf, 1, *size, f) != *size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void save(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size) {
		perror(path);
		abort();
	}
	fclose(f);
}

struct image {
	uint8_t *data;
	size_t size;
	uint32_t bs;
	uint64_t *map;                  /* journal block -> device block */
	uint32_t nmap;
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The ext4 superblock's needs_recovery flag, checksum kept right. */
static void ext4_set_recover(uint8_t *img, bool on)
{
	uint8_t *sb = img + 1024;
	uint32_t incompat = le32(sb + 0x60);

	incompat = on ? incompat | 0x4 : incompat & ~0x4u;
	put_le32(sb + 0x60, incompat);
	if (le32(sb + 0x64) & 0x400)            /* metadata_csum */
		put_le32(sb + 0x3fc, crc32c(~0u, sb, 0x3fc));
}

/* Blocks the tests write: free in the 16 MiB images, past the journal
 * (image_open checks). */
static uint64_t free_base(uint32_t bs)
{
	return bs == 1024 ? 12000 : 2600;
}

static bool image_open(struct image *im, const char *path)
{
	char cmd[PATH_MAX + 64];
	FILE *p;
	unsigned long long a;

	memset(im, 0, sizeof(*im));
	im->data = load(path, &im->size);
	if (!im->data)
		return false;
	im->bs = 1024u << le32(im->data + 1024 + 0x18);
	snprintf(cmd, sizeof(cmd), "debugfs -R 'blocks <8>' %s 2>/dev/null",
		 path);
	p = popen(cmd, "r");
	im->map = malloc(1 << 20);
	while (fscanf(p, "%llu", &a) == 1 && im->nmap < (1 << 17))
		im->map[im->nmap++] = a;
	pclose(p);
	for (uint32_t i = 0; i < im->nmap; i++) {
		uint64_t base = free_base(im->bs);

		if (im->map[i] >= base && im->map[i] < base + 1024) {
			fprintf(stderr, "  the journal is where the test "
				"writes\n");
			return false;
		}
	}
	return im->nmap > 0;
}

static void image_free(struct image *im)
{
	free(im->data);
	free(im->map);
}

static uint8_t *jblock(struct image *im, uint8_t *img, uint32_t l)
{
	return img + im->map[l] * im->bs;
}

static int map_bmap(void *fs, uint32_t lblock, uint64_t *pblock)
{
	struct image *im = fs;

	if (lblock >= im->nmap)
		return -EUCLEAN;
	*pblock = im->map[lblock];
	return 0;
}

static const struct journal_fs_ops map_ops = { .bmap = map_bmap };

/* Bytes where e2fsck stamps the superblock (offsets into it). */
static bool masked(size_t off)
{
	static const struct { size_t at, len; } mask[] = {
		{ 0x30, 4 }, { 0x40, 4 }, { 0x178, 8 }, { 0x3fc, 4 },
		{ 0x274, 1 }, { 0x275, 1 },
	};

	if (off < 1024 || off >= 2048)
		return false;
	off -= 1024;
	for (size_t i = 0; i < ARRAY_SIZE(mask); i++)
		if (off >= mask[i].at && off < mask[i].at + mask[i].len)
			return true;
	return false;
}

static bool same_image(const uint8_t *a, const uint8_t *b, size_t size,
		       uint32_t bs)
{
	size_t bad = 0;

	for (size_t off = 0; off < size; off++) {
		if (a[off] == b[off] || masked(off))
			continue;
		if (bad++ < 5)
			fprintf(stderr, "  differ at %#zx (block %zu +%#zx): "
				"%02x vs %02x\n", off, off / bs, off % bs,
				a[off], b[off]);
	}
	if (bad)
		fprintf(stderr, "  %zu bytes differ\n", bad);
	return bad == 0;
}

/* e2fsck -fy on a copy; NULL if it fails. */
static uint8_t *e2fsck_replay(const uint8_t *img, size_t size)
{
	char path[PATH_MAX];
	uint8_t *out;
	size_t n;
	int rc;

	strcpy(path, wpath("e2fsck.img"));
	save(path, img, size);
	rc = sh("e2fsck -fy %s >%s 2>&1", path, wpath("e2fsck.log"));
	if (rc < 0 || rc >= 4) {
		fprintf(stderr, "  e2fsck exit %d\n", rc);
		sh("cat %s >&2", wpath("e2fsck.log"));
		return NULL;
	}
	out = load(path, &n);
	return out;
}

/* Our recovery on a copy; the copy (needs_recovery cleared) or NULL. */
static uint8_t *our_replay(struct image *im, const uint8_t *img,
			   struct journal_recovery_info *info, int *err)
{
	struct block_device *dev = shim_dev_new(img, im->size);
	struct journal *j;
	uint8_t *out = NULL;

	j = journal_open(dev, im->bs, im->nmap, &map_ops, im);
	if (IS_ERR(j)) {
		*err = (int)PTR_ERR(j);
		goto out;
	}
	*err = journal_recover(j, info);
	journal_close(j);
	if (shim_buffers_drop(dev))
		*err = -EBADF;          /* a buffer reference leaked */
	out = malloc(im->size);
	memcpy(out, shim_dev_data(dev), im->size);
	ext4_set_recover(out, false);
out:
	shim_dev_free(dev);
	return out;
}

static void fill_pattern(uint8_t *p, uint32_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 12345;

	for (uint32_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345;
		p[i] = (uint8_t)(x >> 16);
	}
}

static void write_pattern_file(const char *name, uint32_t blocks,
			       uint32_t bs, uint32_t seed, bool magic)
{
	uint8_t *buf = malloc((size_t)blocks * bs);

	fill_pattern(buf, blocks * bs, seed);
	if (magic)
		put_be32(buf, JBD2_MAGIC);
	save(wpath(name), buf, (size_t)blocks * bs);
	free(buf);
}

static const uint8_t *file_block(const char *name, uint32_t i, uint32_t bs)
{
	static uint8_t *buf;
	size_t n;

	free(buf);
	buf = load(wpath(name), &n);
	return buf + (size_t)i * bs;
}

/* ---- recovery against e2fsck ---- */

struct config {
	const char *name;
	const char *mkfs;       /* mke2fs options */
	const char *jo;         /* debugfs journal_open options */
	uint32_t incompat;      /* features to write with (commit tests) */
};

static const struct config configs[] = {
	{ "4k-64bit-csum3", "-b 4096 -O metadata_csum,64bit", "-c",
	  JOURNAL_INCOMPAT_REVOKE | JOURNAL_INCOMPAT_64BIT |
	  JOURNAL_INCOMPAT_CSUM_V3 },
	{ "1k-32bit-csum2", "-b 1024 -O metadata_csum,^64bit", "-c -v 2",
	  JOURNAL_INCOMPAT_REVOKE | JOURNAL_INCOMPAT_CSUM_V2 },
	{ "1k-32bit-csum3", "-b 1024 -O metadata_csum,^64bit", "-c",
	  JOURNAL_INCOMPAT_REVOKE | JOURNAL_INCOMPAT_CSUM_V3 },
	{ "4k-32bit-nocsum", "-b 4096 -O ^metadata_csum,^64bit", "",
	  JOURNAL_INCOMPAT_REVOKE },
	{ "1k-64bit-nocsum", "-b 1024 -O ^metadata_csum,64bit", "",
	  JOURNAL_INCOMPAT_REVOKE | JOURNAL_INCOMPAT_64BIT },
};

#define BIG_TX 70               /* blocks: more than a 1k descriptor holds */


static bool make_fs(const char *path, const struct config *c)
{
	unlink(path);
	return sh("mke2fs -q -F -t ext4 %s %s 16M >/dev/null 2>&1", c->mkfs,
		  path) == 0;
}

/* The debugfs transactions of the recovery tests. */
static bool debugfs_transactions(const char *path, const struct config *c,
				 uint32_t bs)
{
	uint64_t b = free_base(bs);
	FILE *f = fopen(wpath("cmds"), "w");

	write_pattern_file("fa", 3, bs, 1, false);
	write_pattern_file("fb", 2, bs, 2, false);
	write_pattern_file("fm", 1, bs, 3, true);
	write_pattern_file("fc", 1, bs, 4, false);
	write_pattern_file("fbig", BIG_TX, bs, 5, false);
	fprintf(f, "jo %s\n", c->jo);
	fprintf(f, "jw -b %llu,%llu,%llu %s\n", (unsigned long long)b,
		(unsigned long long)b + 1, (unsigned long long)b + 2,
		wpath("fa"));
	fprintf(f, "jw -b %llu,%llu %s\n", (unsigned long long)b + 1,
		(unsigned long long)b + 3, wpath("fb"));
	fprintf(f, "jw -r %llu\n", (unsigned long long)b);
	fprintf(f, "jw -b %llu %s\n", (unsigned long long)b, wpath("fm"));
	fprintf(f, "jw -b %llu %s\n", (unsigned long long)b + 4, wpath("fc"));
	fprintf(f, "jw -r %llu\n", (unsigned long long)b + 4);
	fprintf(f, "jw -b ");
	for (int i = 0; i < BIG_TX; i++)
		fprintf(f, "%s%llu", i ? "," : "",
			(unsigned long long)b + 10 + i);
	fprintf(f, " %s\njc\n", wpath("fbig"));
	fclose(f);
	return sh("debugfs -w -f %s %s >/dev/null 2>&1", wpath("cmds"),
		  path) == 0;
}

static bool block_is(const uint8_t *img, uint32_t bs, uint64_t blk,
		     const uint8_t *want)
{
	static uint8_t zero[65536];

	return memcmp(img + blk * bs, want ? want : zero, bs) == 0;
}

/* Last log block holding a commit block, scanning from s_first. */
static uint32_t last_commit_pos(struct image *im, const uint8_t *img)
{
	uint32_t last = 0;

	for (uint32_t l = 1; l < im->nmap; l++) {
		const uint8_t *p = img + im->map[l] * im->bs;

		if (get_be32(p) == JBD2_MAGIC && get_be32(p + 4) == 2)
			last = l;
	}
	return last;
}

static void jsb_fix_csum(struct image *im, uint8_t *img)
{
	uint8_t *sb = jblock(im, img, 0);

	if (get_be32(sb + 0x28) & (JOURNAL_INCOMPAT_CSUM_V2 |
				   JOURNAL_INCOMPAT_CSUM_V3)) {
		put_be32(sb + 0xfc, 0);
		put_be32(sb + 0xfc, crc32c(~0u, sb, 1024));
	}
}

/* Move the log (blocks s_first..end) so it starts @shift blocks later,
 * wrapping around the journal's end. */
static void rotate_log(struct image *im, uint8_t *img, uint32_t end,
		       uint32_t shift)
{
	uint32_t first = get_be32(jblock(im, img, 0) + 0x14);
	uint32_t len = im->nmap - first;
	uint8_t *copy = malloc((size_t)end * im->bs);

	for (uint32_t l = first; l < end; l++)
		memcpy(copy + (size_t)l * im->bs, jblock(im, img, l), im->bs);
	for (uint32_t l = first; l < im->nmap; l++)
		memset(jblock(im, img, l), 0, im->bs);
	for (uint32_t l = first; l < end; l++)
		memcpy(jblock(im, img, first + (l - first + shift) % len),
		       copy + (size_t)l * im->bs, im->bs);
	put_be32(jblock(im, img, 0) + 0x1c, first + shift);
	jsb_fix_csum(im, img);
	free(copy);
}

enum variant { V_PLAIN, V_BROKEN_COMMIT, V_WRAPPED, V_STALE, V_CORRUPT };

static bool image_has_csum(struct image *im, const uint8_t *img)
{
	return get_be32(jblock(im, (uint8_t *)img, 0) + 0x28) &
	       (JOURNAL_INCOMPAT_CSUM_V2 | JOURNAL_INCOMPAT_CSUM_V3);
}

/* Positions of the commit blocks in the log, in order; how many. */
static int commit_positions(struct image *im, const uint8_t *img,
			    uint32_t *pos, int max)
{
	int n = 0;

	for (uint32_t l = 1; l < im->nmap && n < max; l++) {
		const uint8_t *p = img + im->map[l] * im->bs;

		if (get_be32(p) == JBD2_MAGIC && get_be32(p + 4) == 2)
			pos[n++] = l;
	}
	return n;
}

/* Give the commit block at log position @l the time @sec (checksum
 * redone). */
static void set_commit_time(struct image *im, uint8_t *img, uint32_t l,
			    uint32_t sec)
{
	uint8_t *cb = jblock(im, img, l);
	uint32_t seed = crc32c(~0u, jblock(im, img, 0) + 0x30, 16);

	put_be32(cb + 0x30, 0);
	put_be32(cb + 0x34, sec);
	if (image_has_csum(im, img)) {
		put_be32(cb + 0x10, 0);
		put_be32(cb + 0x10, crc32c(seed, cb, im->bs));
	}
}

static void recovery_case(const struct config *c, enum variant v)
{
	char path[PATH_MAX];
	struct journal_recovery_info info;
	struct image im;
	uint8_t *ours = NULL, *theirs = NULL;
	uint64_t b;
	int err = 0;

	host_case_failed = 0;
	strcpy(path, wpath("rec.img"));
	REQUIRE(make_fs(path, c));
	REQUIRE(image_open(&im, path));
	image_free(&im);
	REQUIRE(debugfs_transactions(path, c, im.bs));
	REQUIRE(image_open(&im, path));
	b = free_base(im.bs);
	if (v == V_BROKEN_COMMIT) {
		uint8_t *cb = jblock(&im, im.data, last_commit_pos(&im, im.data));

		if (journal_has_csum(&(struct journal){
			.incompat = get_be32(jblock(&im, im.data, 0) + 0x28) }))
			cb[0x31] ^= 0x55;       /* the checksum fails */
		else
			cb[0] = 0;              /* no longer a commit block */
	} else if (v == V_WRAPPED) {
		uint32_t end = last_commit_pos(&im, im.data) + 1;
		uint32_t len = im.nmap - 1;

		rotate_log(&im, im.data, end, len - end / 2);
	} else if (v == V_STALE || v == V_CORRUPT) {
		/* The big transaction's descriptor fails its checksum; its
		 * commit block is older than the one before (stale blocks
		 * of an earlier log: the end) or not (corruption). */
		uint32_t cpos[16];
		int n = commit_positions(&im, im.data, cpos, 16);

		REQUIRE(n == 7 && image_has_csum(&im, im.data));
		for (int i = 0; i < n; i++)
			set_commit_time(&im, im.data, cpos[i],
					v == V_STALE && i == n - 1
					? 50 : 100 * (uint32_t)(i + 1));
		jblock(&im, im.data, cpos[n - 2] + 1)[0x20] ^= 0x10;
	}
	ours = our_replay(&im, im.data, &info, &err);
	theirs = e2fsck_replay(im.data, im.size);
	if (v == V_CORRUPT) {
		/* Both refuse to replay anything; ours leaves the journal
		 * for fsck (only the test's needs_recovery change). */
		uint8_t *same = malloc(im.size);

		memcpy(same, im.data, im.size);
		ext4_set_recover(same, false);
		if (err != -EBADMSG || !ours || !theirs ||
		    !same_image(ours, same, im.size, im.bs) ||
		    !block_is(theirs, im.bs, b + 1, NULL) ||
		    !block_is(theirs, im.bs, b + 10, NULL)) {
			fprintf(stderr, "  corrupt transaction: ours %d\n", err);
			host_case_failed = 1;
		}
		free(same);
		goto out;
	}
	if (!ours || !theirs || err) {
		fprintf(stderr, "  our recovery: %d\n", err);
		host_case_failed = 1;
		goto out;
	}
	if (!same_image(ours, theirs, im.size, im.bs))
		host_case_failed = 1;
	/* What the transactions say, independently of e2fsck. */
	if (!block_is(ours, im.bs, b, file_block("fm", 0, im.bs)) ||
	    !block_is(ours, im.bs, b + 1, file_block("fb", 0, im.bs)) ||
	    !block_is(ours, im.bs, b + 2, file_block("fa", 2, im.bs)) ||
	    !block_is(ours, im.bs, b + 3, file_block("fb", 1, im.bs)) ||
	    !block_is(ours, im.bs, b + 4, NULL)) {
		fprintf(stderr, "  replayed contents wrong\n");
		host_case_failed = 1;
	}
	for (int i = 0; i < BIG_TX; i++) {
		const uint8_t *want = v == V_BROKEN_COMMIT || v == V_STALE
			? NULL : file_block("fbig", i, im.bs);

		if (!block_is(ours, im.bs, b + 10 + i, want)) {
			fprintf(stderr, "  big transaction block %d wrong\n", i);
			host_case_failed = 1;
			break;
		}
	}
	if (info.nr_transactions !=
	    (v == V_BROKEN_COMMIT || v == V_STALE ? 6u : 7u) ||
	    info.nr_revoked != 2) {
		fprintf(stderr, "  info: %u transactions, %u revoked\n",
			info.nr_transactions, info.nr_revoked);
		host_case_failed = 1;
	}
out:
	free(ours);
	free(theirs);
	image_free(&im);
}

static void test_recovery(void)
{
	static const char *vname[] = {
		"", ", last commit broken", ", log wrapped",
		", stale bad descriptor ends the log",
		", corrupt committed transaction refused" };
	char name[160];

	for (size_t i = 0; i < ARRAY_SIZE(configs); i++) {
		for (int v = V_PLAIN; v <= V_CORRUPT; v++) {
			/* only checksums tell stale from corrupt */
			if (v >= V_STALE && !strstr(configs[i].jo, "-c"))
				continue;
			recovery_case(&configs[i], v);
			snprintf(name, sizeof(name),
				 "recovery %s%s matches e2fsck -fy",
				 configs[i].name, vname[v]);
			CHECK(name, !host_case_failed);
		}
	}
}

/* ---- our commits, e2fsck's replay ---- */

struct fsctx {
	struct image *im;
	struct journal *j;
	struct block_device *dev;
	uint64_t freeze_blk;            /* ordered-data hook: change this */
	uint32_t freeze_seed;
	int hook_calls;
};

static int ctx_bmap(void *fs, uint32_t lblock, uint64_t *pblock)
{
	return map_bmap(((struct fsctx *)fs)->im, lblock, pblock);
}

static bool modify(struct journal_handle *h, struct block_device *dev,
		   uint32_t bs, uint64_t blk, uint32_t seed, bool magic)
{
	struct buffer *b = buffer_read(dev, blk, bs);
	bool ok;

	if (IS_ERR(b))
		return false;
	ok = journal_get_write_access(h, b) == 0;
	if (ok) {
		mutex_lock(&b->lock);
		fill_pattern(b->data, bs, seed);
		if (magic)
			put_be32(b->data, JBD2_MAGIC);
		mutex_unlock(&b->lock);
		ok = journal_dirty_metadata(h, b) == 0;
	}
	buffer_put(b);
	return ok;
}

/*
 * The ordered-data hook runs while the transaction is committing and
 * before its blocks are copied: a handle of the next transaction that
 * changes one of them now must leave the committing one a frozen copy.
 * The hook plays another thread's handle at that moment (journal.h
 * forbids file systems to start handles there: one that needed a
 * checkpoint would deadlock; this one fits in the log).
 */
static int ctx_ordered(void *fs, uint32_t tid)
{
	struct fsctx *ctx = fs;
	struct journal_handle *h;
	bool ok;

	ctx->hook_calls++;
	if (!ctx->freeze_blk)
		return 0;
	h = journal_start(ctx->j, 2);
	if (IS_ERR(h))
		return -EIO;
	ok = journal_handle_tid(h) == tid + 1 &&
	     modify(h, ctx->dev, ctx->im->bs, ctx->freeze_blk,
		    ctx->freeze_seed, false);
	journal_stop(h);
	ctx->freeze_blk = 0;
	return ok ? 0 : -EIO;
}

static const struct journal_fs_ops ctx_ops = {
	.bmap = ctx_bmap,
	.write_ordered_data = ctx_ordered,
};

#define NTRACK 320

/* Expected contents per tracked block: 0 = zeros, else the seed. */
struct model {
	uint64_t base;
	uint32_t seed[NTRACK];
	bool magic[NTRACK];
};

static bool model_check(const struct model *m, const uint8_t *img,
			uint32_t bs)
{
	uint8_t *want = malloc(bs);
	bool ok = true;

	for (int i = 0; i < NTRACK && ok; i++) {
		if (m->seed[i]) {
			fill_pattern(want, bs, m->seed[i]);
			if (m->magic[i])
				put_be32(want, JBD2_MAGIC);
		}
		if (!block_is(img, bs, m->base + i, m->seed[i] ? want : NULL)) {
			fprintf(stderr, "  block %llu: not seed %u\n",
				(unsigned long long)m->base + i, m->seed[i]);
			ok = false;
		}
	}
	free(want);
	return ok;
}

/* Open, (clean) recover, set features, load. */
static struct journal *setup(struct fsctx *ctx, uint32_t incompat)
{
	struct journal *j = journal_open(ctx->dev, ctx->im->bs, ctx->im->nmap,
					 &ctx_ops, ctx);

	if (IS_ERR(j))
		return NULL;
	if (journal_recover(j, NULL) || journal_set_features(j, 0, incompat) ||
	    journal_load(j)) {
		journal_close(j);
		return NULL;
	}
	ctx->j = j;
	return j;
}

static int logdump_commits(const char *path)
{
	char cmd[PATH_MAX + 64], line[512];
	int n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "debugfs -R logdump %s 2>/dev/null", path);
	p = popen(cmd, "r");
	while (fgets(line, sizeof(line), p))
		if (strstr(line, "(commit block)"))
			n++;
	pclose(p);
	return n;
}

/* After the "crash": logdump, e2fsck and our recovery on the device. */
static void crash_and_compare(struct fsctx *ctx, const struct model *m,
			      int commits)
{
	struct image *im = ctx->im;
	uint8_t *img = malloc(im->size), *theirs = NULL, *ours = NULL;
	char path[PATH_MAX];
	int err = 0, n;

	journal_close(ctx->j);
	/* What the journal had (committed or not) must not reach home
	 * through the buffer cache once it is gone: recovery's job. */
	{
		unsigned long w = shim_dev_writes(ctx->dev);

		buffer_sync_device(ctx->dev);
		if (shim_dev_writes(ctx->dev) != w) {
			fprintf(stderr, "  journaled buffers went home after "
				"journal_close\n");
			host_case_failed = 1;
		}
	}
	if (shim_buffers_drop(ctx->dev)) {
		fprintf(stderr, "  buffer references leaked\n");
		host_case_failed = 1;
	}
	memcpy(img, shim_dev_data(ctx->dev), im->size);
	ext4_set_recover(img, true);
	strcpy(path, wpath("crash.img"));
	save(path, img, im->size);
	n = logdump_commits(path);
	if (commits >= 0 && n != commits) {
		fprintf(stderr, "  logdump: %d commits, want %d\n", n, commits);
		host_case_failed = 1;
	}
	theirs = e2fsck_replay(img, im->size);
	ours = our_replay(im, img, NULL, &err);
	if (!theirs || !ours || err) {
		fprintf(stderr, "  replay failed (ours %d)\n", err);
		host_case_failed = 1;
	} else {
		if (!model_check(m, theirs, im->bs)) {
			fprintf(stderr, "  e2fsck's replay is not what we "
				"committed\n");
			host_case_failed = 1;
		}
		if (!same_image(ours, theirs, im->size, im->bs))
			host_case_failed = 1;
	}
	free(img);
	free(theirs);
	free(ours);
}

static void commit_case(const struct config *c)
{
	char path[PATH_MAX];
	struct image im;
	struct fsctx ctx = { .im = &im };
	struct model m = { 0 };
	struct journal_handle *h;
	struct journal *j;
	struct buffer *b;
	uint64_t x;

	host_case_failed = 0;
	strcpy(path, wpath("commit.img"));
	REQUIRE(make_fs(path, c));
	REQUIRE(image_open(&im, path));
	ctx.dev = shim_dev_new(im.data, im.size);
	x = m.base = free_base(im.bs) + 200;
	j = setup(&ctx, c->incompat);
	if (!j) {
		host_case_failed = 1;
		goto out;
	}
	/* T1: ten blocks; its commit sees block 3 change for T2 (frozen). */
	h = journal_start(j, 20);
	for (int i = 0; i < 10; i++)
		if (!modify(h, ctx.dev, im.bs, x + i, m.seed[i] = 100 + i,
			    false))
			host_case_failed = 1;
	journal_stop(h);
	ctx.freeze_blk = x + 3;
	ctx.freeze_seed = 130;
	if (journal_commit(j) || ctx.freeze_blk) {
		fprintf(stderr, "  commit with frozen copy failed\n");
		host_case_failed = 1;
	}
	/* A crash now: T1 as it was when it committed (block 3 frozen). */
	{
		struct model m1 = m;
		uint8_t *img = malloc(im.size), *ours;
		int err = 0;

		memcpy(img, shim_dev_data(ctx.dev), im.size);
		ours = our_replay(&im, img, NULL, &err);
		if (!ours || err || !model_check(&m1, ours, im.bs)) {
			fprintf(stderr, "  T1 alone does not replay as it "
				"was committed\n");
			host_case_failed = 1;
		}
		free(ours);
		free(img);
	}
	/* T2: the frozen block's new contents, an overwrite, an escaped
	 * block. */
	m.seed[3] = 130;
	h = journal_start(j, 5);
	if (!modify(h, ctx.dev, im.bs, x, m.seed[0] = 200, false) ||
	    !modify(h, ctx.dev, im.bs, x + 10, m.seed[10] = 210, true))
		host_case_failed = 1;
	m.magic[10] = true;
	journal_stop(h);
	if (journal_commit(j))
		host_case_failed = 1;
	/* T3: revoke block 5 (freed); revoke block 6 and reuse it at once. */
	h = journal_start(j, 5);
	b = buffer_read(ctx.dev, x + 5, im.bs);
	if (journal_revoke(h, x + 5, b))
		host_case_failed = 1;
	buffer_put(b);
	buffer_forget(ctx.dev, x + 5, im.bs);
	m.seed[5] = 0;
	if (journal_revoke(h, x + 6, NULL) ||
	    !modify(h, ctx.dev, im.bs, x + 6, m.seed[6] = 230, false))
		host_case_failed = 1;
	journal_stop(h);
	if (journal_commit(j))
		host_case_failed = 1;
	/* T4: never committed. */
	h = journal_start(j, 5);
	if (!modify(h, ctx.dev, im.bs, x + 11, 240, false))
		host_case_failed = 1;
	journal_stop(h);
	/* Nothing went home yet; only T4's block is pinned. */
	for (int i = 0; i < 12; i++)
		if (!block_is(shim_dev_data(ctx.dev), im.bs, x + i, NULL))
			host_case_failed = 1;
	if (shim_buffers_count(ctx.dev, BUFFER_PINNED) != 1) {
		fprintf(stderr, "  %d pinned buffers, want 1\n",
			shim_buffers_count(ctx.dev, BUFFER_PINNED));
		host_case_failed = 1;
	}
	crash_and_compare(&ctx, &m, 3);
out:
	shim_dev_free(ctx.dev);
	image_free(&im);
}

/* Many transactions with checkpoints in between, so the log wraps; the
 * last round is left to recovery. */
static void wrap_case(void)
{
	static const struct config c = {
		"1k-wrap", "-b 1024 -J size=1 -O metadata_csum,^64bit", "",
		JOURNAL_INCOMPAT_REVOKE | JOURNAL_INCOMPAT_CSUM_V3 };
	char path[PATH_MAX];
	struct image im;
	struct fsctx ctx = { .im = &im };
	struct model m = { 0 };
	struct journal *j;
	uint32_t seed = 1000;
	bool wrapped = false;

	host_case_failed = 0;
	strcpy(path, wpath("wrap.img"));
	REQUIRE(make_fs(path, &c));
	REQUIRE(image_open(&im, path));
	REQUIRE(im.nmap == 1024);
	ctx.dev = shim_dev_new(im.data, im.size);
	m.base = free_base(im.bs);
	j = setup(&ctx, c.incompat);
	if (!j) {
		host_case_failed = 1;
		goto out;
	}
	for (int round = 0; round < 7; round++) {
		for (int t = 0; t < 3; t++) {
			struct journal_handle *h = journal_start(j, 60);

			if (IS_ERR(h)) {
				host_case_failed = 1;
				goto out_close;
			}
			for (int i = 0; i < 60; i++) {
				int k = (round * 37 + t * 13 + i * 5) % NTRACK;

				if (!modify(h, ctx.dev, im.bs, m.base + k,
					    m.seed[k] = seed++, false))
					host_case_failed = 1;
			}
			journal_stop(h);
			if (journal_commit(j))
				host_case_failed = 1;
			if (j->head < j->tail)
				wrapped = true;
		}
		if (round < 6 && journal_checkpoint(j))
			host_case_failed = 1;
	}
	if (!wrapped) {
		fprintf(stderr, "  the log never wrapped\n");
		host_case_failed = 1;
	}
	crash_and_compare(&ctx, &m, 3);
	goto out;
out_close:
	journal_close(j);
	shim_buffers_drop(ctx.dev);
out:
	shim_dev_free(ctx.dev);
	image_free(&im);
}

/* No explicit commits or checkpoints: big handles make the journal
 * commit a transaction that reached its credit limit and checkpoint when
 * the log is full. */
static void auto_case(void)
{
	static const struct config c = {
		"1k-auto", "-b 1024 -J size=1 -O ^metadata_csum,64bit", "",
		JOURNAL_INCOMPAT_REVOKE | JOURNAL_INCOMPAT_64BIT };
	char path[PATH_MAX];
	struct image im;
	struct fsctx ctx = { .im = &im };
	struct model m = { 0 };
	struct journal *j;
	uint32_t seed = 5000, commits0;
	bool checkpointed = false;

	host_case_failed = 0;
	strcpy(path, wpath("auto.img"));
	REQUIRE(make_fs(path, &c));
	REQUIRE(image_open(&im, path));
	ctx.dev = shim_dev_new(im.data, im.size);
	m.base = free_base(im.bs);
	j = setup(&ctx, c.incompat);
	if (!j) {
		host_case_failed = 1;
		goto out;
	}
	commits0 = j->committed_tid;
	for (int t = 0; t < 40; t++) {
		struct journal_handle *h = journal_start(j, 100);

		if (IS_ERR(h)) {
			host_case_failed = 1;
			break;
		}
		for (int i = 0; i < 100; i++) {
			int k = (t * 53 + i * 3) % NTRACK;

			if (!modify(h, ctx.dev, im.bs, m.base + k,
				    m.seed[k] = seed++, false))
				host_case_failed = 1;
		}
		journal_stop(h);
		if (j->tail != j->first)
			checkpointed = true;
	}
	if (j->committed_tid == commits0 || !checkpointed) {
		fprintf(stderr, "  no automatic commit (%u) or checkpoint "
			"(%d)\n", j->committed_tid - commits0, checkpointed);
		host_case_failed = 1;
	}
	if (journal_commit(j))
		host_case_failed = 1;
	crash_and_compare(&ctx, &m, -1);
out:
	shim_dev_free(ctx.dev);
	image_free(&im);
}

/* Transaction ids wrap from 2^32 - 1 to 0 in the middle of the log
 * (revokes compare ids as a window). */
static void tid_wrap_case(void)
{
	char path[PATH_MAX];
	struct image im;
	struct fsctx ctx = { .im = &im };
	struct model m = { 0 };
	struct journal *j;
	uint8_t *sb;

	host_case_failed = 0;
	strcpy(path, wpath("tidwrap.img"));
	REQUIRE(make_fs(path, &configs[0]));
	REQUIRE(image_open(&im, path));
	sb = jblock(&im, im.data, 0);
	put_be32(sb + 0x18, 0xfffffff8u);       /* s_sequence */
	jsb_fix_csum(&im, im.data);
	ctx.dev = shim_dev_new(im.data, im.size);
	m.base = free_base(im.bs);
	j = setup(&ctx, configs[0].incompat);
	if (!j) {
		host_case_failed = 1;
		goto out;
	}
	for (int t = 0; t < 16; t++) {
		struct journal_handle *h = journal_start(j, 4);

		if (t == 12) {
			/* revoke a block logged before the wrap */
			if (journal_revoke(h, m.base + 3, NULL))
				host_case_failed = 1;
			buffer_forget(ctx.dev, m.base + 3, im.bs);
			m.seed[3] = 0;
		} else if (!modify(h, ctx.dev, im.bs, m.base + t % 6,
				   m.seed[t % 6] = 900 + t, false)) {
			host_case_failed = 1;
		}
		journal_stop(h);
		if (journal_commit(j))
			host_case_failed = 1;
	}
	if (j->committed_tid > 100) {
		fprintf(stderr, "  ids did not wrap (%u)\n", j->committed_tid);
		host_case_failed = 1;
	}
	crash_and_compare(&ctx, &m, 16);
out:
	shim_dev_free(ctx.dev);
	image_free(&im);
}

static void test_commit(void)
{
	char name[160];

	for (size_t i = 0; i < ARRAY_SIZE(configs); i++) {
		commit_case(&configs[i]);
		snprintf(name, sizeof(name), "commit %s: logdump, e2fsck and "
			 "our recovery agree", configs[i].name);
		CHECK(name, !host_case_failed);
	}
	wrap_case();
	CHECK("commit: checkpoints and a wrapped log replay as committed",
	      !host_case_failed);
	auto_case();
	CHECK("commit: automatic commits (credit limit) and checkpoints "
	      "(log full)", !host_case_failed);
	tid_wrap_case();
	CHECK("commit: transaction ids wrapping past 2^32 replay (ours and "
	      "e2fsck)", !host_case_failed);
}

/* ---- power cuts, clean unmount, API misuse ---- */

/* Which version (0: none, k: transaction k) blocks x..x+7 hold; -1 if
 * they disagree. */
static int version_of(const uint8_t *img, uint32_t bs, uint64_t x)
{
	uint8_t *want = malloc(bs);
	int v = -1;

	for (int k = 0; k <= 4 && v < 0; k++) {
		bool all = true;

		for (int i = 0; i < 8 && all; i++) {
			fill_pattern(want, bs, (uint32_t)(k * 100 + i));
			all = block_is(img, bs, x + i, k ? want : NULL);
		}
		if (all)
			v = k;
	}
	free(want);
	return v;
}

/* Four transactions over the same eight blocks; the device loses every
 * write after the first @budget (-1: none lost).  Returns the version
 * recovery finds, and the number of writes in *writes. */
static int power_cut_run(struct image *im, const uint8_t *pristine,
			 long budget, unsigned long *writes)
{
	struct fsctx ctx = { .im = im };
	struct journal *j;
	uint64_t x = free_base(im->bs) + 500;
	unsigned long before;
	int v = -2;

	ctx.dev = shim_dev_new(pristine, im->size);
	j = setup(&ctx, configs[0].incompat);
	if (!j)
		goto out;
	before = shim_dev_writes(ctx.dev);
	shim_dev_set_write_budget(ctx.dev, budget);
	for (int k = 1; k <= 4; k++) {
		struct journal_handle *h = journal_start(j, 10);

		for (int i = 0; i < 8; i++)
			modify(h, ctx.dev, im->bs, x + i, (uint32_t)(k * 100 + i),
			       false);
		journal_stop(h);
		journal_commit(j);
	}
	*writes = shim_dev_writes(ctx.dev) - before;
	journal_close(j);
	if (shim_buffers_drop(ctx.dev))
		goto out;
	shim_dev_set_write_budget(ctx.dev, -1);
	j = journal_open(ctx.dev, im->bs, im->nmap, &map_ops, im);
	if (IS_ERR(j))
		goto out;
	if (journal_recover(j, NULL) == 0)
		v = version_of(shim_dev_data(ctx.dev), im->bs, x);
	journal_close(j);
	shim_buffers_drop(ctx.dev);
out:
	shim_dev_free(ctx.dev);
	return v;
}

static void test_power_cut(void)
{
	char path[PATH_MAX];
	struct image im;
	unsigned long writes = 0, w;
	int last = 0, v;
	bool ok = true;

	strcpy(path, wpath("cut.img"));
	if (!make_fs(path, &configs[0]) || !image_open(&im, path)) {
		CHECK("power cut: image", false);
		return;
	}
	v = power_cut_run(&im, im.data, -1, &writes);
	CHECK("power cut: without one, all four transactions", v == 4);
	for (long n = 0; n <= (long)writes && ok; n++) {
		v = power_cut_run(&im, im.data, n, &w);
		if (v < last) {
			fprintf(stderr, "  cut after %ld writes: version %d "
				"(before: %d)\n", n, v, last);
			ok = false;
		}
		last = v;
	}
	CHECK("power cut after every write: whole transactions, in order",
	      ok && last == 4 && writes >= 40);
	image_free(&im);
}

/* journal_destroy checkpoints: the blocks are home, the journal is
 * empty, and e2fsck finds nothing to do. */
static void test_clean_unmount(void)
{
	char path[PATH_MAX];
	struct image im;
	struct fsctx ctx = { .im = &im };
	struct model m = { 0 };
	struct journal *j;
	struct journal_handle *h;
	bool ok = true;

	strcpy(path, wpath("clean.img"));
	if (!make_fs(path, &configs[0]) || !image_open(&im, path)) {
		CHECK("clean unmount: image", false);
		return;
	}
	ctx.dev = shim_dev_new(im.data, im.size);
	m.base = free_base(im.bs);
	j = setup(&ctx, configs[0].incompat);
	ok = j != NULL;
	for (int t = 0; ok && t < 3; t++) {
		h = journal_start(j, 8);
		for (int i = 0; i < 8; i++)
			ok &= modify(h, ctx.dev, im.bs, m.base + t * 4 + i,
				     m.seed[t * 4 + i] = 50 + t * 10 + i, false);
		ok &= journal_stop(h) == 0;
	}
	/* Committed but not yet home, then freed: it must never go home
	 * (the caller names no buffer: the journal finds it). */
	if (ok) {
		ok &= journal_commit(j) == 0;
		h = journal_start(j, 1);
		ok &= journal_revoke(h, m.base, NULL) == 0;
		buffer_forget(ctx.dev, m.base, im.bs);
		ok &= journal_stop(h) == 0;
		m.seed[0] = 0;
	}
	/* Committed, then accessed but not changed by the next transaction:
	 * it must still go home at the checkpoint. */
	if (ok) {
		struct buffer *b = buffer_read(ctx.dev, m.base + 1, im.bs);

		h = journal_start(j, 1);
		ok &= journal_get_write_access(h, b) == 0;
		ok &= journal_stop(h) == 0;
		ok &= journal_commit(j) == 0;
		buffer_put(b);
	}
	/* misuse gets errors, not crashes */
	if (ok) {
		struct buffer *b = buffer_read(ctx.dev, m.base + 100, im.bs);

		ok &= PTR_ERR(journal_start(j, 1 << 20)) == -ENOSPC;
		h = journal_start(j, 1);
		ok &= journal_dirty_metadata(h, b) == -EINVAL;
		ok &= journal_get_write_access(h, b) == 0;
		ok &= journal_revoke(h, m.base + 101, NULL) == -ENOSPC;
		ok &= journal_stop(h) == 0;
		buffer_put(b);
		m.seed[100] = 0;        /* accessed, never dirtied */
	}
	CHECK("handles: credit limits and misuse give errors", ok);
	/* extend and restart */
	if (ok) {
		uint32_t tid;

		h = journal_start(j, 2);
		tid = journal_handle_tid(h);
		ok &= journal_extend(h, 10) == 0 && h->credits == 12;
		ok &= journal_extend(h, (int)j->max_credits) == 1;
		ok &= journal_restart(h, 3) == 0 &&
		      journal_handle_tid(h) == tid && h->credits == 3;
		ok &= journal_stop(h) == 0;
		/* a transaction too full to extend: restart commits it */
		h = journal_start(j, (int)j->max_credits - 8);
		tid = journal_handle_tid(h);
		for (int i = 20; i < 260; i++)
			ok &= modify(h, ctx.dev, im.bs, m.base + i,
				     m.seed[i] = 300 + i, false);
		ok &= journal_extend(h, 100) == 1;
		ok &= journal_restart(h, 100) == 0 &&
		      journal_handle_tid(h) != tid && j->committed_tid == tid;
		ok &= modify(h, ctx.dev, im.bs, m.base + 300,
			     m.seed[300] = 600, false);
		ok &= journal_stop(h) == 0;
	}
	CHECK("handles: journal_extend within the limits, journal_restart "
	      "commits a full transaction", ok);
	ok &= journal_destroy(j) == 0;
	ok &= shim_buffers_count(ctx.dev, BUFFER_PINNED) == 0;
	ok &= buffer_invalidate_device(ctx.dev) == 0;
	ok &= model_check(&m, shim_dev_data(ctx.dev), im.bs);
	ok &= get_be32(jblock(&im, shim_dev_data(ctx.dev), 0) + 0x1c) == 0;
	save(path, shim_dev_data(ctx.dev), im.size);
	ok &= sh("e2fsck -fn %s >/dev/null 2>&1", path) == 0;
	CHECK("journal_destroy: checkpointed home, journal empty, e2fsck -fn "
	      "clean", ok);
	shim_dev_free(ctx.dev);
	image_free(&im);
}

/* ---- superblock checks and fuzzing ---- */

static int open_err(struct image *im, const uint8_t *img)
{
	struct block_device *dev = shim_dev_new(img, im->size);
	struct journal *j = journal_open(dev, im->bs, im->nmap, &map_ops, im);
	int err = IS_ERR(j) ? (int)PTR_ERR(j) : 0;

	if (!IS_ERR(j))
		journal_close(j);
	shim_dev_free(dev);
	return err;
}

static void test_superblock(void)
{
	char path[PATH_MAX];
	struct image im;
	uint8_t *img, *sb;

	strcpy(path, wpath("sb.img"));
	if (!make_fs(path, &configs[0]) || !image_open(&im, path) ||
	    !debugfs_transactions(path, &configs[0], im.bs)) {
		CHECK("superblock: image", false);
		return;
	}
	image_free(&im);
	image_open(&im, path);
	img = malloc(im.size);
	sb = jblock(&im, img, 0);
#define SB_CASE(name, edit, fix, want)                                      \
	do {                                                                \
		memcpy(img, im.data, im.size);                              \
		edit;                                                       \
		if (fix)                                                    \
			jsb_fix_csum(&im, img);                             \
		CHECK("superblock: " name, open_err(&im, img) == (want));   \
	} while (0)
	SB_CASE("valid", (void)0, false, 0);
	SB_CASE("bad magic", sb[0] ^= 1, true, -EINVAL);
	SB_CASE("block type 1", put_be32(sb + 4, 1), true, -EINVAL);
	SB_CASE("checksum mismatch", sb[0x40] ^= 1, false, -EBADMSG);
	SB_CASE("unknown incompat feature",
		put_be32(sb + 0x28, get_be32(sb + 0x28) | 0x100), true,
		-EOPNOTSUPP);
	SB_CASE("read-only compatible feature refused",
		put_be32(sb + 0x2c, 1), true, -EOPNOTSUPP);
	SB_CASE("fast commit refused",
		put_be32(sb + 0x28, get_be32(sb + 0x28) | 0x20), true,
		-EOPNOTSUPP);
	SB_CASE("csum v2 and v3", put_be32(sb + 0x28, get_be32(sb + 0x28) | 8),
		true, -EINVAL);
	SB_CASE("maxlen beyond the inode", put_be32(sb + 0x10, im.nmap + 1),
		true, -EINVAL);
	SB_CASE("start beyond maxlen", put_be32(sb + 0x1c, im.nmap), true,
		-EINVAL);
	SB_CASE("first 0", put_be32(sb + 0x14, 0), true, -EINVAL);
	SB_CASE("block size differs", put_be32(sb + 0xc, 1024), true, -EINVAL);
#undef SB_CASE
	free(img);
	image_free(&im);
}

static uint32_t rng_state = 2463534242u;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void mutate(struct image *im, uint8_t *img, uint32_t end)
{
	static const uint32_t words[] = { 0, 1, 2, 5, 0xffffffffu, 0x80000000u,
					  0xfffffff0u, 12, 16, 0x3fff };
	uint32_t l = rnd() % (end + 1);
	uint8_t *blk = jblock(im, img, l);
	uint32_t off;

	switch (rnd() % 4) {
	case 0: off = rnd() % 64; break;
	case 1: off = rnd() % im->bs; break;
	case 2: off = im->bs - 1 - rnd() % 16; break;
	default: off = (rnd() % 16) * 4; break;
	}
	if (rnd() % 2 && off + 4 <= im->bs)
		put_be32(blk + (off & ~3u), words[rnd() % ARRAY_SIZE(words)]);
	else
		blk[off] = (uint8_t)rnd();
	if (l == 0 && rnd() % 2)
		jsb_fix_csum(im, img);
}

static void fuzz_case(const struct config *c, int iterations)
{
	char path[PATH_MAX], name[160];
	struct image im;
	uint8_t *img;
	uint32_t end;
	int done = 0, replayed = 0;

	strcpy(path, wpath("fuzz.img"));
	if (!make_fs(path, c) || !image_open(&im, path) ||
	    !debugfs_transactions(path, c, im.bs)) {
		CHECK("fuzz: image", false);
		return;
	}
	image_free(&im);
	image_open(&im, path);
	end = last_commit_pos(&im, im.data) + 1;
	img = malloc(im.size);
	for (int it = 0; it < iterations; it++) {
		struct journal_recovery_info info = { 0 };
		uint8_t *out;
		int err = 0, n = 1 + rnd() % 4;

		memcpy(img, im.data, im.size);
		for (int k = 0; k < n; k++)
			mutate(&im, img, end);
		out = our_replay(&im, img, &info, &err);
		if (err != -EBADF)
			done++;
		if (out && !err)
			replayed++;
		free(out);
	}
	snprintf(name, sizeof(name), "fuzz %s: %d mutated journals recovered "
		 "or refused without a crash (%d replayed)", c->name,
		 iterations, replayed);
	CHECK(name, done == iterations);
	free(img);
	image_free(&im);
}

static void test_fuzz(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(configs); i++)
		fuzz_case(&configs[i], 150);
}

#ifdef SHIM_THREADS
/* ---- threads (test_journal_mt: the pthread shim) ---- */

#define sched_yield glibc_sched_yield
#include <pthread.h>
#undef sched_yield

uint64_t clock_uptime_ns(void);

#define STRESS_WORKERS 4
#define STRESS_ITERS 400
#define STRESS_POOL 64

struct stress {
	struct fsctx ctx;
	struct model m;
	int done_workers;               /* [atomic] */
	int errors;                     /* [atomic] */
	int commits, checkpoints;
};

static void stress_fail(struct stress *st, const char *what)
{
	fprintf(stderr, "  %s\n", what);
	__atomic_add_fetch(&st->errors, 1, __ATOMIC_RELAXED);
}

/* Handles of 4 blocks from a shared pool: threads meet on blocks, in
 * running and committing transactions alike. */
static void *stress_worker(void *arg)
{
	struct stress *st = arg;
	static int next_id;
	int id = __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
	uint32_t x = 0x9e3779b9u * (uint32_t)id, bs = st->ctx.im->bs;

	for (int it = 0; it < STRESS_ITERS; it++) {
		struct journal_handle *h = journal_start(st->ctx.j, 8);

		if (IS_ERR(h)) {
			stress_fail(st, "journal_start failed");
			break;
		}
		for (int k = 0; k < 4; k++) {
			uint32_t blk, seed;
			struct buffer *b;

			x = x * 1103515245u + 12345;
			blk = (x >> 16) % STRESS_POOL;
			seed = (uint32_t)id << 20 | (uint32_t)it << 4 | k;
			b = buffer_read(st->ctx.dev, st->m.base + blk, bs);
			if (IS_ERR(b) || journal_get_write_access(h, b)) {
				stress_fail(st, "no write access");
				continue;
			}
			mutex_lock(&b->lock);
			fill_pattern(b->data, bs, seed);
			st->m.seed[blk] = seed;         /* [b->lock] */
			mutex_unlock(&b->lock);
			if (journal_dirty_metadata(h, b))
				stress_fail(st, "dirty_metadata failed");
			buffer_put(b);
		}
		if (it % 25 == 0)
			journal_handle_set_sync(h);
		if (journal_stop(h))
			stress_fail(st, "journal_stop failed");
	}
	__atomic_add_fetch(&st->done_workers, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* What the periodic commit thread and sync calls do in the kernel. */
static void *stress_committer(void *arg)
{
	struct stress *st = arg;

	while (__atomic_load_n(&st->done_workers, __ATOMIC_ACQUIRE) <
	       STRESS_WORKERS) {
		if (journal_commit(st->ctx.j))
			stress_fail(st, "journal_commit failed");
		st->commits++;
		if (st->commits % 7 == 0) {
			if (journal_checkpoint(st->ctx.j))
				stress_fail(st, "journal_checkpoint failed");
			st->checkpoints++;
		}
		usleep(100);
	}
	return NULL;
}

static void test_stress(void)
{
	static struct stress st;
	char path[PATH_MAX];
	struct image im;
	pthread_t workers[STRESS_WORKERS], committer;

	strcpy(path, wpath("stress.img"));
	if (!make_fs(path, &configs[0]) || !image_open(&im, path)) {
		CHECK("threads: image", false);
		return;
	}
	st.ctx.im = &im;
	st.ctx.dev = shim_dev_new(im.data, im.size);
	st.m.base = free_base(im.bs);
	if (!setup(&st.ctx, configs[0].incompat)) {
		CHECK("threads: journal", false);
		return;
	}
	alarm(240);     /* a deadlock fails the test instead of hanging */
	pthread_create(&committer, NULL, stress_committer, &st);
	for (int i = 0; i < STRESS_WORKERS; i++)
		pthread_create(&workers[i], NULL, stress_worker, &st);
	for (int i = 0; i < STRESS_WORKERS; i++)
		pthread_join(workers[i], NULL);
	pthread_join(committer, NULL);
	alarm(0);
	CHECK("threads: 4 workers' handles, commits and checkpoints meet "
	      "without errors or deadlock", st.errors == 0);
	fprintf(stderr, "  %llu commits, %d checkpoints, %llu frozen copies\n",
		(unsigned long long)st.ctx.j->nr_commits, st.checkpoints,
		(unsigned long long)st.ctx.j->nr_frozen);
	host_case_failed = 0;
	if (journal_commit(st.ctx.j))
		host_case_failed = 1;
	crash_and_compare(&st.ctx, &st.m, -1);
	CHECK("threads: after a crash the last committed contents replay "
	      "(ours and e2fsck)", !host_case_failed);
	shim_dev_free(st.ctx.dev);
	image_free(&im);
}

/* The commit thread commits a transaction about 5 s after it began,
 * with nobody asking; journal_destroy stops it. */
static void test_periodic(void)
{
	char path[PATH_MAX];
	struct image im;
	struct fsctx ctx = { .im = &im };
	struct journal *j;
	struct journal_handle *h;
	uint32_t tid;
	uint64_t t0;
	bool committed = false;

	strcpy(path, wpath("periodic.img"));
	if (!make_fs(path, &configs[0]) || !image_open(&im, path)) {
		CHECK("periodic commit: image", false);
		return;
	}
	ctx.dev = shim_dev_new(im.data, im.size);
	j = setup(&ctx, configs[0].incompat);
	if (!j) {
		CHECK("periodic commit: journal", false);
		return;
	}
	alarm(60);
	h = journal_start(j, 1);
	tid = journal_handle_tid(h);
	modify(h, ctx.dev, im.bs, free_base(im.bs), 77, false);
	journal_stop(h);
	t0 = clock_uptime_ns();
	while (clock_uptime_ns() - t0 < 9000000000ull && !committed) {
		usleep(100000);
		mutex_lock(&j->lock);
		committed = tid_geq(j->committed_tid, tid);
		mutex_unlock(&j->lock);
	}
	CHECK("periodic commit: the commit thread committed within 9 s",
	      committed && clock_uptime_ns() - t0 > 4000000000ull);
	CHECK("periodic commit: journal_destroy stops the thread",
	      journal_destroy(j) == 0 &&
	      buffer_invalidate_device(ctx.dev) == 0);
	alarm(0);
	shim_dev_free(ctx.dev);
	image_free(&im);
}
#endif

/* debugfs journal_run on a copy: replay only (e2fsck -fy also repairs
 * what Linux leaves to fsck, e.g. the superblock's free counts). */
static uint8_t *debugfs_replay(const uint8_t *img, size_t size)
{
	char path[PATH_MAX];
	size_t n;

	strcpy(path, wpath("jr.img"));
	save(path, img, size);
	if (sh("debugfs -w -R jr %s >/dev/null 2>&1", path))
		return NULL;
	return load(path, &n);
}

/* test_journal IMAGE...: our recovery of each image against debugfs
 * journal_run's, e.g. images copied from a file system that Linux has
 * mounted (a journal written by the Linux kernel):
 *   mount -o loop x.img m; ...; sync; cp x.img copy.img; umount m */
static void test_images(int n, char **paths)
{
	for (int i = 0; i < n; i++) {
		struct journal_recovery_info info = { 0 };
		struct image im;
		uint8_t *ours = NULL, *theirs = NULL;
		char name[PATH_MAX + 64];
		int err = 0;
		bool ok = image_open(&im, paths[i]);

		if (ok) {
			ours = our_replay(&im, im.data, &info, &err);
			theirs = debugfs_replay(im.data, im.size);
			ok = ours && theirs && !err &&
			     same_image(ours, theirs, im.size, im.bs);
			fprintf(stderr, "  %u transactions, %u blocks replayed, "
				"%u revoked\n", info.nr_transactions,
				info.nr_replayed, info.nr_revoked);
		}
		snprintf(name, sizeof(name), "recovery of %s matches debugfs "
			 "journal_run", paths[i]);
		CHECK(name, ok);
		free(ours);
		free(theirs);
		image_free(&im);
	}
}

int main(int argc, char **argv)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return 1;
	exe[n] = 0;
	/* build/host/test_journal -> build/journal-test */
	snprintf(workdir, sizeof(workdir), "%s/../journal-test",
		 dirname(exe));
	sh("mkdir -p %s", workdir);
	shim_verbose = getenv("JOURNAL_VERBOSE") != NULL;
	if (argc > 1) {
		test_images(argc - 1, argv + 1);
		return host_test_finish();
	}
#ifdef SHIM_THREADS
	(void)test_recovery;
	(void)test_commit;
	(void)test_power_cut;
	(void)test_clean_unmount;
	(void)test_superblock;
	(void)test_fuzz;
	test_stress();
	test_periodic();
#else
	test_recovery();
	test_commit();
	test_power_cut();
	test_clean_unmount();
	test_superblock();
	test_fuzz();
#endif
	return host_test_finish();
}
