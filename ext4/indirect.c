/*
 * ext2/ext3 block maps, write side (layout "Direct/Indirect Block
 * Addressing"): allocation of data blocks and the indirect blocks that
 * lead to them, and freeing from a logical block on (truncate, freeing
 * an inode).
 *
 * Model: i_block[0..11] point at data blocks, i_block[12..14] at single,
 * double and triple indirect blocks of block_size / 4 little-endian
 * pointers.  Indirect blocks are metadata: created zeroed under the
 * journal handle (ext4_bget_new), changed under journal access, revoked
 * and forgotten when freed.  A new data run stays within one pointer
 * block (or the direct slots), so one parent change maps it.  Freeing
 * walks the tree from the end, one pointer per step (ext4_ensure_credits
 * between steps), so every committed state is a consistent map; pointer
 * blocks left empty are freed with their parent's pointer cleared.
 *
 * The caller writes the inode (i_block lives in in->raw; i_blocks).
 * Locking: the caller owns @in; pointer blocks change under their buffer
 * locks inside journal access.
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/buffer.h"
#include "lib/string.h"

#define IND_DIRECT 12

/* Where logical block @lblk's pointer lies: i_block slot off[0], then
 * the index in each of @levels pointer blocks. */
static int ind_path(const struct ext4_fs *fs, uint32_t lblk,
		    unsigned *levels, uint32_t off[4])
{
	uint64_t per = fs->block_size / 4, l = lblk;

	if (l < IND_DIRECT) {
		*levels = 0;
		off[0] = (uint32_t)l;
		return 0;
	}
	l -= IND_DIRECT;
	if (l < per) {
		*levels = 1;
		off[0] = 12;
	} else if ((l -= per) < per * per) {
		*levels = 2;
		off[0] = 13;
	} else if ((l -= per * per) < per * per * per) {
		*levels = 3;
		off[0] = 14;
	} else {
		return -EFBIG;
	}
	for (unsigned i = *levels; i >= 1; i--) {
		off[i] = (uint32_t)(l % per);
		l /= per;
	}
	return 0;
}

static bool ptr_ok(const struct ext4_fs *fs, uint32_t p)
{
	return p == 0 || (p >= fs->sb.s_first_data_block && p < fs->blocks_count);
}

/* A new, zeroed pointer block near @goal, journalled under @h. */
static int ind_block_new(struct journal_handle *h, struct ext4_fs *fs,
			 struct ext4_inode *in, uint64_t goal, uint32_t *out)
{
	struct buffer *b;
	uint64_t blk;
	uint32_t n = 1;
	int err = ext4_new_blocks(h, fs, goal, &n, &blk);

	if (err)
		return err;
	if (blk > UINT32_MAX) {
		ext4_free_blocks(h, fs, blk, 1);
		return -ENOSPC;
	}
	b = ext4_bget_new(h, fs, blk);
	if (IS_ERR(b)) {
		ext4_free_blocks(h, fs, blk, 1);
		return PTR_ERR(b);
	}
	err = journal_dirty_metadata(h, b);
	buffer_put(b);
	if (err)
		return err;
	in->blocks += fs->block_size / 512;
	*out = (uint32_t)blk;
	return 0;
}

/*
 * Map or fill pointer array @ptrs (@nr entries, at @idx; @b its buffer,
 * NULL for i_block) for up to @max blocks: a mapped pointer returns its
 * contiguous run, a hole gets a new run of the holes that follow.
 */
static int ind_leaf(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, struct buffer *b, uint32_t *ptrs,
		    uint32_t nr, uint32_t idx, uint32_t max, uint64_t goal,
		    uint64_t *pblk, uint32_t *len, bool *fresh)
{
	uint32_t n = 1;
	uint64_t p;
	int err;

	if (ptrs[idx]) {
		while (idx + n < nr && n < max && ptrs[idx + n] == ptrs[idx] + n)
			n++;
		*pblk = ptrs[idx];
		*len = n;
		return 0;
	}
	while (idx + n < nr && n < max && ptrs[idx + n] == 0)
		n++;
	if (idx > 0 && ptrs[idx - 1])
		goal = (uint64_t)ptrs[idx - 1] + 1;
	err = ext4_new_blocks(h, fs, goal, &n, &p);
	if (err)
		return err;
	if (p + n > UINT32_MAX) {
		ext4_free_blocks(h, fs, p, n);
		return -ENOSPC;
	}
	if (b) {
		err = journal_get_write_access(h, b);
		if (err) {
			ext4_free_blocks(h, fs, p, n);
			return err;
		}
		mutex_lock(&b->lock);
	}
	for (uint32_t k = 0; k < n; k++)
		ptrs[idx + k] = (uint32_t)(p + k);
	if (b) {
		mutex_unlock(&b->lock);
		err = journal_dirty_metadata(h, b);
		if (err)
			return err;
	}
	in->blocks += (uint64_t)n << (fs->log_block_size - 9);
	*pblk = p;
	*len = n;
	*fresh = true;
	return 0;
}

int ext4_ind_map_create(struct journal_handle *h, struct ext4_fs *fs,
			struct ext4_inode *in, uint32_t lblk, uint32_t max,
			uint64_t *pblk, uint32_t *len, bool *fresh)
{
	/* i_block at 0x28 of the kmalloc'ed raw copy: aligned */
	uint32_t *iblock = (void *)(in->raw + offsetof(struct ext4_disk_inode, i_block));
	uint32_t off[4], *slot, per = fs->block_size / 4;
	struct buffer *parent = NULL;
	uint64_t goal = ext4_gd_inode_table(fs, (in->ino - 1) / fs->inodes_per_group);
	unsigned levels;
	int err = ind_path(fs, lblk, &levels, off);

	if (err)
		return err;
	if (levels == 0)
		return ind_leaf(h, fs, in, NULL, iblock, IND_DIRECT, off[0],
				max, goal, pblk, len, fresh);
	slot = &iblock[off[0]];
	for (unsigned lv = 1; lv <= levels; lv++) {
		struct buffer *b;
		uint32_t cur = *slot;

		if (!ptr_ok(fs, cur)) {
			err = EXT4_CORRUPT(fs, "inode %u: block pointer %u out of range",
					   in->ino, cur);
			break;
		}
		if (cur == 0) {
			err = ind_block_new(h, fs, in, parent ? parent->blocknr + 1 : goal,
					    &cur);
			if (err)
				break;
			if (parent) {
				err = journal_get_write_access(h, parent);
				if (err)
					break;
				mutex_lock(&parent->lock);
				*slot = cur;
				mutex_unlock(&parent->lock);
				err = journal_dirty_metadata(h, parent);
				if (err)
					break;
			} else {
				*slot = cur;
			}
		}
		b = ext4_bread(fs, cur);
		if (IS_ERR(b)) {
			err = PTR_ERR(b);
			break;
		}
		if (parent)
			buffer_put(parent);
		parent = b;
		if (lv == levels) {
			for (uint32_t k = 0; k < per; k++)
				if (!ptr_ok(fs, ((uint32_t *)b->data)[k]))
					err = EXT4_CORRUPT(fs, "inode %u: block pointer out of range",
							   in->ino);
			if (!err)
				err = ind_leaf(h, fs, in, b, b->data, per, off[lv], max,
					       (uint64_t)cur + 1, pblk, len, fresh);
			break;
		}
		slot = (uint32_t *)b->data + off[lv];
	}
	if (parent)
		buffer_put(parent);
	return err;
}

/* Free data run / pointer block @p of @in (1 block; a directory's data
 * and every pointer block are metadata: revoked, forgotten). */
static int ind_free_one(struct journal_handle *h, struct ext4_fs *fs,
			struct ext4_inode *in, uint32_t p, bool meta)
{
	int err = 0;

	if (meta || (in->mode & EXT4_S_IFMT) == EXT4_S_IFDIR) {
		err = journal_revoke(h, p, NULL);
		buffer_forget(fs->bdev, p, fs->block_size);
	}
	if (!err)
		err = ext4_free_blocks(h, fs, p, 1);
	if (!err)
		in->blocks -= MIN(in->blocks, (uint64_t)fs->block_size / 512);
	return err;
}

/*
 * Free what pointer block @blk (@depth levels above the data: 1 holds
 * data pointers) maps from logical block @first on; its entries cover
 * from @base on.  *empty: no pointer left in it.
 */
static int ind_shrink_block(struct journal_handle *h, struct ext4_fs *fs,
			    struct ext4_inode *in, uint32_t blk, unsigned depth,
			    uint64_t base, uint64_t first, bool *empty)
{
	uint32_t per = fs->block_size / 4;
	uint64_t span = 1;
	struct buffer *b;
	uint32_t *p;
	int err = 0;

	for (unsigned i = 1; i < depth; i++)
		span *= per;
	if (!ptr_ok(fs, blk) || blk == 0)
		return EXT4_CORRUPT(fs, "inode %u: block pointer %u out of range",
				    in->ino, blk);
	b = ext4_bread(fs, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	p = b->data;
	for (int i = (int)per - 1; i >= 0 && !err; i--) {
		uint64_t start = base + (uint64_t)i * span;
		uint32_t ent = p[i];
		bool child_empty = true;

		if (!ent || start + span <= first)
			continue;
		if (!ptr_ok(fs, ent)) {
			err = EXT4_CORRUPT(fs, "inode %u: block pointer %u out of range",
					   in->ino, ent);
			break;
		}
		if (depth > 1)
			err = ind_shrink_block(h, fs, in, ent, depth - 1, start,
					       first, &child_empty);
		if (err || !child_empty)
			continue;
		err = ext4_ensure_credits(h, fs, in, EXT4_CREDITS_TRUNC_STEP);
		if (!err)
			err = journal_get_write_access(h, b);
		if (err)
			break;
		mutex_lock(&b->lock);
		p[i] = 0;
		mutex_unlock(&b->lock);
		err = journal_dirty_metadata(h, b);
		if (!err)
			err = ind_free_one(h, fs, in, ent, depth > 1);
	}
	*empty = true;
	for (uint32_t i = 0; i < per; i++)
		if (p[i])
			*empty = false;
	buffer_put(b);
	return err;
}

int ext4_ind_shrink(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, uint64_t first)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	uint64_t per = fs->block_size / 4;
	uint64_t base[3] = { IND_DIRECT, IND_DIRECT + per,
			     IND_DIRECT + per + per * per };
	int err = 0;

	for (int s = 2; s >= 0 && !err; s--) {
		uint32_t blk = di->i_block[12 + s];
		bool empty = true;

		if (!blk)
			continue;
		err = ind_shrink_block(h, fs, in, blk, (unsigned)s + 1, base[s],
				       first, &empty);
		if (err || !empty)
			continue;
		err = ext4_ensure_credits(h, fs, in, EXT4_CREDITS_TRUNC_STEP);
		if (!err) {
			di->i_block[12 + s] = 0;
			err = ind_free_one(h, fs, in, blk, true);
		}
	}
	for (int i = IND_DIRECT - 1; i >= 0 && !err; i--) {
		uint32_t blk = di->i_block[i];

		if (!blk || (uint64_t)i < first)
			continue;
		if (!ptr_ok(fs, blk))
			return EXT4_CORRUPT(fs, "inode %u: block pointer %u out of range",
					    in->ino, blk);
		err = ext4_ensure_credits(h, fs, in, EXT4_CREDITS_TRUNC_STEP);
		if (!err) {
			di->i_block[i] = 0;
			err = ind_free_one(h, fs, in, blk, false);
		}
	}
	return err;
}
