/*
 * ext4 block and inode allocation (write path, step 2).
 *
 * Model: each group has a block bitmap and an inode bitmap (one block
 * each, located by its descriptor) and a descriptor holding its free
 * counts, flags and the bitmaps' checksums.  Every change is made under
 * a journal handle: the bitmap block and the descriptor block are taken
 * with journal_get_write_access, changed, their checksums set (bitmap
 * checksum in the descriptor, then the descriptor checksum: metadata_csum
 * crc32c or the older gdt_csum crc16) and marked with
 * journal_dirty_metadata.  A bitmap of a BLOCK_UNINIT / INODE_UNINIT
 * group is built in memory on first use (the group's own metadata, and
 * with flex_bg any other group's bitmaps and inode table that lie in it,
 * as in use) and the flag cleared.  The superblock's free counts are not
 * journalled: they are summed from the descriptors when the superblock is
 * written (unmount), as e2fsck recomputes them too.
 *
 * Policy: blocks are taken from the first free run at or after a goal
 * (near the inode; a run as long as asked or as long as it is free), else
 * from the group's start, then the following groups.  Inodes: a
 * directory goes to the group with the fewest directories among those
 * with at least the average number of free inodes and half the average of
 * free blocks (spreading directories; a short last group still counts);
 * a file to its parent's group or the next one with a free inode.
 * Blocks freed by a transaction that has not committed are not handed
 * out again until it has (fs->pending_free): were the new owner's data
 * written there first, a crash would bring back the old owner with it.
 * (When only such blocks are left an allocation gets ENOSPC; the next
 * commit frees them.)
 *
 * Locking: fs->alloc_lock (a mutex) serializes every allocation and free
 * and protects fs->gd; it is taken inside a journal handle (handles are
 * started first), and buffer locks nest inside it.
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

/* ---- journalled metadata buffers ---- */

struct buffer *ext4_bread_write(struct journal_handle *h, struct ext4_fs *fs,
				uint64_t blk)
{
	struct buffer *b = ext4_bread(fs, blk);
	int err;

	if (IS_ERR(b))
		return b;
	err = journal_get_write_access(h, b);
	if (err) {
		buffer_put(b);
		return ERR_PTR(err);
	}
	return b;
}

struct buffer *ext4_bget_new(struct journal_handle *h, struct ext4_fs *fs,
			     uint64_t blk)
{
	struct buffer *b = buffer_get(fs->bdev, blk, fs->block_size);
	int err;

	if (IS_ERR(b))
		return b;
	err = journal_get_create_access(h, b);
	if (err) {
		buffer_put(b);
		return ERR_PTR(err);
	}
	mutex_lock(&b->lock);
	memset(b->data, 0, fs->block_size);
	b->flags |= BUFFER_UPTODATE;
	mutex_unlock(&b->lock);
	return b;
}

/* ---- descriptor fields wider than 16/32 bits ---- */

uint64_t ext4_gd_block_bitmap(const struct ext4_fs *fs, uint32_t g)
{
	return fs->gd[g].bg_block_bitmap_lo |
	       (uint64_t)fs->gd[g].bg_block_bitmap_hi << 32;
}

uint64_t ext4_gd_inode_bitmap(const struct ext4_fs *fs, uint32_t g)
{
	return fs->gd[g].bg_inode_bitmap_lo |
	       (uint64_t)fs->gd[g].bg_inode_bitmap_hi << 32;
}

static uint32_t gd_free_blocks(const struct ext4_group_desc *gd)
{
	return gd->bg_free_blocks_count_lo |
	       (uint32_t)gd->bg_free_blocks_count_hi << 16;
}

static void gd_set_free_blocks(struct ext4_group_desc *gd, uint32_t n)
{
	gd->bg_free_blocks_count_lo = (uint16_t)n;
	gd->bg_free_blocks_count_hi = (uint16_t)(n >> 16);
}

static uint32_t gd_free_inodes(const struct ext4_group_desc *gd)
{
	return gd->bg_free_inodes_count_lo |
	       (uint32_t)gd->bg_free_inodes_count_hi << 16;
}

static void gd_set_free_inodes(struct ext4_group_desc *gd, uint32_t n)
{
	gd->bg_free_inodes_count_lo = (uint16_t)n;
	gd->bg_free_inodes_count_hi = (uint16_t)(n >> 16);
}

static uint32_t gd_dirs(const struct ext4_group_desc *gd)
{
	return gd->bg_used_dirs_count_lo |
	       (uint32_t)gd->bg_used_dirs_count_hi << 16;
}

static void gd_set_dirs(struct ext4_group_desc *gd, uint32_t n)
{
	gd->bg_used_dirs_count_lo = (uint16_t)n;
	gd->bg_used_dirs_count_hi = (uint16_t)(n >> 16);
}

static uint32_t gd_itable_unused(const struct ext4_group_desc *gd)
{
	return gd->bg_itable_unused_lo |
	       (uint32_t)gd->bg_itable_unused_hi << 16;
}

static void gd_set_itable_unused(struct ext4_group_desc *gd, uint32_t n)
{
	gd->bg_itable_unused_lo = (uint16_t)n;
	gd->bg_itable_unused_hi = (uint16_t)(n >> 16);
}

uint64_t ext4_free_blocks_total(const struct ext4_fs *fs)
{
	return READ_ONCE(fs->free_blocks);
}

uint32_t ext4_free_inodes_total(const struct ext4_fs *fs)
{
	uint32_t n = 0;

	for (uint32_t g = 0; g < fs->groups; g++)
		n += gd_free_inodes(&fs->gd[g]);
	return n;
}

/* ---- group geometry ---- */

static uint64_t group_first_block(const struct ext4_fs *fs, uint32_t g)
{
	return fs->sb.s_first_data_block + (uint64_t)g * fs->blocks_per_group;
}

/* Blocks in group @g (the last group may be short). */
static uint32_t group_nr_blocks(const struct ext4_fs *fs, uint32_t g)
{
	uint64_t first = group_first_block(fs, g);
	uint64_t left = fs->blocks_count - first;

	return left < fs->blocks_per_group ? (uint32_t)left
					   : fs->blocks_per_group;
}

static uint32_t itable_blocks(const struct ext4_fs *fs)
{
	return (uint32_t)DIV_ROUND_UP((uint64_t)fs->inodes_per_group *
				      fs->inode_size, fs->block_size);
}

static void mark_range(const struct ext4_fs *fs, uint8_t *bm, uint32_t g,
		       uint64_t start, uint64_t n)
{
	uint64_t first = group_first_block(fs, g);
	uint64_t end = first + group_nr_blocks(fs, g);

	for (uint64_t b = start; b < start + n; b++)
		if (b >= first && b < end)
			bm[(b - first) / 8] |= (uint8_t)(1u << ((b - first) % 8));
}

/* The block bitmap of a BLOCK_UNINIT group, built from the layout. */
static void uninit_block_bitmap(const struct ext4_fs *fs, uint32_t g,
				uint8_t *bm)
{
	uint32_t nr = group_nr_blocks(fs, g);

	memset(bm, 0, fs->block_size);
	if (ext4_group_has_super(fs, g)) {
		uint64_t meta = 1 + ext4_desc_blocks(fs) +
				fs->sb.s_reserved_gdt_blocks;
		if (fs->incompat & EXT4_INCOMPAT_META_BG)
			meta = 1;       /* meta_bg descriptors: below */
		mark_range(fs, bm, g, group_first_block(fs, g), meta);
	}
	if (fs->incompat & EXT4_INCOMPAT_META_BG) {
		for (uint32_t i = 0; i < ext4_desc_blocks(fs); i++)
			mark_range(fs, bm, g, ext4_desc_block(fs, i), 1);
	}
	for (uint32_t o = 0; o < fs->groups; o++) {
		mark_range(fs, bm, g, ext4_gd_block_bitmap(fs, o), 1);
		mark_range(fs, bm, g, ext4_gd_inode_bitmap(fs, o), 1);
		mark_range(fs, bm, g, ext4_gd_inode_table(fs, o),
			   itable_blocks(fs));
	}
	/* bits past the group's end (last group) and the bitmap's padding */
	for (uint32_t b = nr; b < fs->block_size * 8; b++)
		bm[b / 8] |= (uint8_t)(1u << (b % 8));
}

/* ---- checksums ---- */

uint16_t ext4_desc_checksum(const struct ext4_fs *fs, uint32_t g,
			    const uint8_t *raw)
{
	uint32_t le_g = g;
	unsigned off = offsetof(struct ext4_group_desc, bg_checksum);

	if (fs->csum) {
		static const uint16_t zero;
		uint32_t c = crc32c(fs->csum_seed, &le_g, 4);
		c = crc32c(c, raw, off);
		c = crc32c(c, &zero, 2);
		c = crc32c(c, raw + off + 2, fs->desc_size - off - 2);
		return (uint16_t)c;
	}
	if (fs->ro_compat & EXT4_RO_COMPAT_GDT_CSUM)
		return ext4_crc16_desc(fs, g, raw);
	return 0;
}

static void block_bitmap_csum_set(const struct ext4_fs *fs,
				  struct ext4_group_desc *gd, const void *bm)
{
	uint32_t c;

	if (!fs->csum)
		return;
	c = crc32c(fs->csum_seed, bm, fs->blocks_per_group / 8);
	gd->bg_block_bitmap_csum_lo = (uint16_t)c;
	if (fs->desc_size >= 64)
		gd->bg_block_bitmap_csum_hi = (uint16_t)(c >> 16);
}

static void inode_bitmap_csum_set(const struct ext4_fs *fs,
				  struct ext4_group_desc *gd, const void *bm)
{
	uint32_t c;

	if (!fs->csum)
		return;
	c = crc32c(fs->csum_seed, bm, fs->inodes_per_group / 8);
	gd->bg_inode_bitmap_csum_lo = (uint16_t)c;
	if (fs->desc_size >= 64)
		gd->bg_inode_bitmap_csum_hi = (uint16_t)(c >> 16);
}

/*
 * Write fs->gd[@g] (after the caller changed it) into its descriptor
 * block with a fresh checksum, under handle @h.  Caller holds
 * alloc_lock.
 */
static int desc_commit(struct journal_handle *h, struct ext4_fs *fs,
		       uint32_t g)
{
	uint32_t per_block = fs->block_size / fs->desc_size;
	struct buffer *b;
	uint8_t *raw;
	int err;

	b = ext4_bread_write(h, fs, ext4_desc_block(fs, g / per_block));
	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	raw = (uint8_t *)b->data + (g % per_block) * fs->desc_size;
	memcpy(raw, &fs->gd[g], MIN(fs->desc_size, sizeof(fs->gd[g])));
	((struct ext4_group_desc *)raw)->bg_checksum =
		ext4_desc_checksum(fs, g, raw);
	fs->gd[g].bg_checksum = ((struct ext4_group_desc *)raw)->bg_checksum;
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, b);
	buffer_put(b);
	return err;
}

/* ---- blocks ---- */

static bool bit_test(const uint8_t *bm, uint32_t i)
{
	return bm[i / 8] & (1u << (i % 8));
}

static void bits_set(uint8_t *bm, uint32_t i, uint32_t n, bool on)
{
	for (; n; n--, i++) {
		if (on)
			bm[i / 8] |= (uint8_t)(1u << (i % 8));
		else
			bm[i / 8] &= (uint8_t)~(1u << (i % 8));
	}
}

/*
 * The block bitmap of group @g, writable under @h (initialized if the
 * group is BLOCK_UNINIT; the flag is cleared in fs->gd, committed by the
 * caller's desc_commit).
 */
static struct buffer *block_bitmap_get(struct journal_handle *h,
				       struct ext4_fs *fs, uint32_t g)
{
	uint64_t blk = ext4_gd_block_bitmap(fs, g);
	struct buffer *b;

	if (blk < fs->sb.s_first_data_block || blk >= fs->blocks_count) {
		EXT4_CORRUPT(fs, "group %u: block bitmap %llu out of range", g,
			     (unsigned long long)blk);
		return ERR_PTR(-EUCLEAN);
	}
	if (!(fs->gd[g].bg_flags & EXT4_BG_BLOCK_UNINIT))
		return ext4_bread_write(h, fs, blk);
	b = ext4_bget_new(h, fs, blk);
	if (IS_ERR(b))
		return b;
	mutex_lock(&b->lock);
	uninit_block_bitmap(fs, g, b->data);
	mutex_unlock(&b->lock);
	fs->gd[g].bg_flags &= ~EXT4_BG_BLOCK_UNINIT;
	return b;
}

/* Is bit @i taken: in use in @bm, or freed by an uncommitted
 * transaction (@pend, may be NULL)? */
static bool taken(const uint8_t *bm, const uint8_t *pend, uint32_t i)
{
	return bit_test(bm, i) || (pend && bit_test(pend, i));
}

/* The first free run in bitmap @bm of @nr bits at or after @start, else
 * from 0, of up to @want bits (bits of @pend count as taken): its first
 * bit (length in *len) or -1. */
static long find_run(const uint8_t *bm, const uint8_t *pend, uint32_t nr,
		     uint32_t start, uint32_t want, uint32_t *len)
{
	for (int pass = 0; pass < 2; pass++) {
		uint32_t from = pass ? 0 : start, to = pass ? start : nr;
		for (uint32_t i = from; i < to; i++) {
			uint32_t n = 0;
			if (taken(bm, pend, i))
				continue;
			while (i + n < nr && n < want && !taken(bm, pend, i + n))
				n++;
			*len = n;
			return i;
		}
	}
	return -1;
}

/* Group @g's blocks freed by uncommitted transactions, or NULL (the
 * record is dropped once the newest of them committed); alloc_lock held. */
static const uint8_t *pending_bits(struct ext4_fs *fs, uint32_t g)
{
	if (!fs->pending_free || !fs->pending_free[g])
		return NULL;
	if (fs->journal && !journal_tid_committed(fs->journal,
						  fs->pending_tid[g]))
		return fs->pending_free[g];
	kfree(fs->pending_free[g]);
	fs->pending_free[g] = NULL;
	return NULL;
}

/* Remember that @n blocks from bit @bit of group @g were freed under @h;
 * alloc_lock held.  Without memory for the record the blocks are simply
 * reusable at once (the old behaviour). */
static void pending_add(struct journal_handle *h, struct ext4_fs *fs,
			uint32_t g, uint32_t bit, uint32_t n)
{
	if (!fs->journal)
		return;
	if (!fs->pending_free) {
		fs->pending_free = kzalloc(fs->groups * sizeof(*fs->pending_free));
		fs->pending_tid = kzalloc(fs->groups * sizeof(*fs->pending_tid));
		if (!fs->pending_free || !fs->pending_tid) {
			kfree(fs->pending_free);
			kfree(fs->pending_tid);
			fs->pending_free = NULL;
			fs->pending_tid = NULL;
			return;
		}
	}
	pending_bits(fs, g);            /* drop a record that is done */
	if (!fs->pending_free[g]) {
		fs->pending_free[g] = kzalloc(fs->block_size);
		if (!fs->pending_free[g])
			return;
	}
	bits_set(fs->pending_free[g], bit, n, true);
	fs->pending_tid[g] = journal_handle_tid(h);
}

void ext4_pending_free_release(struct ext4_fs *fs)
{
	if (!fs->pending_free)
		return;
	for (uint32_t g = 0; g < fs->groups; g++)
		kfree(fs->pending_free[g]);
	kfree(fs->pending_free);
	kfree(fs->pending_tid);
	fs->pending_free = NULL;
	fs->pending_tid = NULL;
}

int ext4_new_blocks(struct journal_handle *h, struct ext4_fs *fs,
		    uint64_t goal, uint32_t *count, uint64_t *out)
{
	uint32_t want = *count, g0;
	int err = -ENOSPC;

	if (want == 0)
		return -EINVAL;
	if (goal < fs->sb.s_first_data_block || goal >= fs->blocks_count)
		goal = fs->sb.s_first_data_block;
	g0 = (uint32_t)((goal - fs->sb.s_first_data_block) /
			fs->blocks_per_group);
	mutex_lock(&fs->alloc_lock);
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (g0 + i) % fs->groups;
		struct ext4_group_desc *gd = &fs->gd[g];
		uint32_t start = 0, len, nr = group_nr_blocks(fs, g);
		const uint8_t *pend;
		struct buffer *b;
		long bit;

		if (gd_free_blocks(gd) == 0)
			continue;
		if (g == g0)
			start = (uint32_t)(goal - group_first_block(fs, g));
		b = block_bitmap_get(h, fs, g);
		if (IS_ERR(b)) {
			err = PTR_ERR(b);
			break;
		}
		pend = pending_bits(fs, g);
		mutex_lock(&b->lock);
		bit = find_run(b->data, pend, nr, start, want, &len);
		if (bit >= 0) {
			if (len > gd_free_blocks(gd)) {
				mutex_unlock(&b->lock);
				buffer_put(b);
				err = EXT4_CORRUPT(fs, "group %u: free count below the bitmap's", g);
				break;
			}
			bits_set(b->data, (uint32_t)bit, len, true);
			block_bitmap_csum_set(fs, gd, b->data);
		}
		mutex_unlock(&b->lock);
		if (bit < 0 && pend) {
			/* the free ones wait for a commit: next group */
			buffer_put(b);
			continue;
		}
		if (bit < 0) {
			/* the count said free blocks: the bitmap disagrees */
			buffer_put(b);
			err = EXT4_CORRUPT(fs, "group %u: free count %u but a full bitmap",
					   g, gd_free_blocks(gd));
			break;
		}
		err = journal_dirty_metadata(h, b);
		buffer_put(b);
		if (err)
			break;
		gd_set_free_blocks(gd, gd_free_blocks(gd) - len);
		WRITE_ONCE(fs->free_blocks, fs->free_blocks - len);
		err = desc_commit(h, fs, g);
		if (err)
			break;
		*out = group_first_block(fs, g) + (uint64_t)bit;
		*count = len;
		break;
	}
	mutex_unlock(&fs->alloc_lock);
	return err;
}

int ext4_free_blocks(struct journal_handle *h, struct ext4_fs *fs,
		     uint64_t start, uint32_t count)
{
	int err = 0;

	if (start < fs->sb.s_first_data_block || count > fs->blocks_count ||
	    start > fs->blocks_count - count)
		return EXT4_CORRUPT(fs, "freeing blocks %llu+%u out of range",
				    (unsigned long long)start, count);
	mutex_lock(&fs->alloc_lock);
	while (count && !err) {
		uint32_t g = (uint32_t)((start - fs->sb.s_first_data_block) /
					fs->blocks_per_group);
		uint32_t bit = (uint32_t)(start - group_first_block(fs, g));
		uint32_t n = MIN(count, group_nr_blocks(fs, g) - bit);
		struct ext4_group_desc *gd = &fs->gd[g];
		struct buffer *b = block_bitmap_get(h, fs, g);
		bool bad = false;

		if (IS_ERR(b)) {
			err = PTR_ERR(b);
			break;
		}
		mutex_lock(&b->lock);
		for (uint32_t i = 0; i < n; i++)
			bad |= !bit_test(b->data, bit + i);
		if (!bad) {
			bits_set(b->data, bit, n, false);
			block_bitmap_csum_set(fs, gd, b->data);
		}
		mutex_unlock(&b->lock);
		if (bad) {
			buffer_put(b);
			err = EXT4_CORRUPT(fs, "freeing free blocks in %llu+%u",
					   (unsigned long long)start, n);
			break;
		}
		err = journal_dirty_metadata(h, b);
		buffer_put(b);
		if (err)
			break;
		gd_set_free_blocks(gd, gd_free_blocks(gd) + n);
		WRITE_ONCE(fs->free_blocks, fs->free_blocks + n);
		pending_add(h, fs, g, bit, n);
		err = desc_commit(h, fs, g);
		start += n;
		count -= n;
	}
	mutex_unlock(&fs->alloc_lock);
	return err;
}

/* ---- inodes ---- */

static struct buffer *inode_bitmap_get(struct journal_handle *h,
				       struct ext4_fs *fs, uint32_t g)
{
	uint64_t blk = ext4_gd_inode_bitmap(fs, g);
	struct buffer *b;

	if (blk < fs->sb.s_first_data_block || blk >= fs->blocks_count) {
		EXT4_CORRUPT(fs, "group %u: inode bitmap %llu out of range", g,
			     (unsigned long long)blk);
		return ERR_PTR(-EUCLEAN);
	}
	if (!(fs->gd[g].bg_flags & EXT4_BG_INODE_UNINIT))
		return ext4_bread_write(h, fs, blk);
	b = ext4_bget_new(h, fs, blk);
	if (IS_ERR(b))
		return b;
	mutex_lock(&b->lock);     /* inodes past the group's count: in use */
	for (uint32_t i = fs->inodes_per_group; i < fs->block_size * 8; i++)
		((uint8_t *)b->data)[i / 8] |= (uint8_t)(1u << (i % 8));
	mutex_unlock(&b->lock);
	fs->gd[g].bg_flags &= ~EXT4_BG_INODE_UNINIT;
	return b;
}

/* The group a new inode should go to (see the model); alloc_lock held. */
static uint32_t pick_group(const struct ext4_fs *fs, uint32_t parent_group,
			   bool dir)
{
	if (dir) {
		uint64_t avg_inodes = ext4_free_inodes_total(fs) / fs->groups;
		uint64_t avg_blocks = ext4_free_blocks_total(fs) / fs->groups;
		uint32_t best = UINT32_MAX, best_dirs = UINT32_MAX;

		for (uint32_t i = 0; i < fs->groups; i++) {
			uint32_t g = (parent_group + i) % fs->groups;
			const struct ext4_group_desc *gd = &fs->gd[g];
			if (gd_free_inodes(gd) == 0 ||
			    gd_free_inodes(gd) < avg_inodes ||
			    gd_free_blocks(gd) < avg_blocks / 2)
				continue;
			if (gd_dirs(gd) < best_dirs) {
				best = g;
				best_dirs = gd_dirs(gd);
			}
		}
		if (best != UINT32_MAX)
			return best;
	}
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (parent_group + i) % fs->groups;
		if (gd_free_inodes(&fs->gd[g]))
			return g;
	}
	return UINT32_MAX;
}

int ext4_new_inode_nr(struct journal_handle *h, struct ext4_fs *fs,
		      uint32_t parent, bool dir, uint32_t *out)
{
	uint32_t pg = parent ? (parent - 1) / fs->inodes_per_group : 0;
	uint32_t g, first = 0;
	struct ext4_group_desc *gd;
	struct buffer *b;
	long bit = -1;
	int err;

	if (pg >= fs->groups)
		pg = 0;
	mutex_lock(&fs->alloc_lock);
	g = pick_group(fs, pg, dir);
	if (g == UINT32_MAX) {
		err = -ENOSPC;
		goto out;
	}
	gd = &fs->gd[g];
	b = inode_bitmap_get(h, fs, g);
	if (IS_ERR(b)) {
		err = PTR_ERR(b);
		goto out;
	}
	/* the reserved inodes of group 0 are never handed out */
	if (g == 0)
		first = fs->first_ino - 1;
	mutex_lock(&b->lock);
	for (uint32_t i = first; i < fs->inodes_per_group; i++) {
		if (!bit_test(b->data, i)) {
			bit = i;
			bits_set(b->data, i, 1, true);
			inode_bitmap_csum_set(fs, gd, b->data);
			break;
		}
	}
	mutex_unlock(&b->lock);
	if (bit < 0) {
		buffer_put(b);
		err = EXT4_CORRUPT(fs, "group %u: free inode count %u but a full bitmap",
				   g, gd_free_inodes(gd));
		goto out;
	}
	err = journal_dirty_metadata(h, b);
	buffer_put(b);
	if (err)
		goto out;
	gd_set_free_inodes(gd, gd_free_inodes(gd) - 1);
	if (dir)
		gd_set_dirs(gd, gd_dirs(gd) + 1);
	if (fs->csum || (fs->ro_compat & EXT4_RO_COMPAT_GDT_CSUM)) {
		/* inodes at and beyond ipg - itable_unused were never used */
		uint32_t unused = gd_itable_unused(gd);
		if ((uint32_t)bit >= fs->inodes_per_group - unused)
			gd_set_itable_unused(gd, fs->inodes_per_group -
						 (uint32_t)bit - 1);
	}
	err = desc_commit(h, fs, g);
	if (!err)
		*out = g * fs->inodes_per_group + (uint32_t)bit + 1;
out:
	mutex_unlock(&fs->alloc_lock);
	return err;
}

int ext4_free_inode_nr(struct journal_handle *h, struct ext4_fs *fs,
		       uint32_t ino, bool dir)
{
	uint32_t g, bit;
	struct ext4_group_desc *gd;
	struct buffer *b;
	bool was_set;
	int err;

	if (ino < fs->first_ino || ino > fs->sb.s_inodes_count)
		return EXT4_CORRUPT(fs, "freeing inode %u out of range", ino);
	g = (ino - 1) / fs->inodes_per_group;
	bit = (ino - 1) % fs->inodes_per_group;
	gd = &fs->gd[g];
	mutex_lock(&fs->alloc_lock);
	b = inode_bitmap_get(h, fs, g);
	if (IS_ERR(b)) {
		err = PTR_ERR(b);
		goto out;
	}
	mutex_lock(&b->lock);
	was_set = bit_test(b->data, bit);
	if (was_set) {
		bits_set(b->data, bit, 1, false);
		inode_bitmap_csum_set(fs, gd, b->data);
	}
	mutex_unlock(&b->lock);
	if (!was_set) {
		buffer_put(b);
		err = EXT4_CORRUPT(fs, "freeing free inode %u", ino);
		goto out;
	}
	err = journal_dirty_metadata(h, b);
	buffer_put(b);
	if (err)
		goto out;
	gd_set_free_inodes(gd, gd_free_inodes(gd) + 1);
	if (dir && gd_dirs(gd))
		gd_set_dirs(gd, gd_dirs(gd) - 1);
	err = desc_commit(h, fs, g);
out:
	mutex_unlock(&fs->alloc_lock);
	return err;
}
