/*
 * ext4 block maps: logical to physical block numbers.
 *
 * Extent trees (layout "Extent Tree"): a 12-byte header, then index
 * entries (interior nodes) or extents (leaves); the root is in i_block,
 * deeper nodes are whole blocks ending in a crc32c tail (metadata_csum,
 * seeded per inode).  Every node's magic, entry count, capacity and
 * depth (one less than its parent's, at most 5) is checked, so a corrupt
 * tree cannot send the walk out of bounds or around in circles.
 *
 * Indirect maps (ext2/ext3, layout "Direct/Indirect Block Addressing"):
 * 12 direct pointers, then single, double and triple indirect blocks.
 */
#include "ext4/internal.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/string.h"

/* Check a node's header; @room is the node's bytes, @depth expected
 * (or -1 for the root, whose depth is read). */
int ext4_ext_check_header(struct ext4_fs *fs, struct ext4_inode *inode,
			  const struct ext4_extent_header *eh, size_t room,
			  int depth)
{
	size_t cap = (room - sizeof(*eh)) / sizeof(struct ext4_extent);

	if (eh->eh_magic != EXT4_EXT_MAGIC)
		return EXT4_CORRUPT(fs, "inode %u: bad extent magic 0x%x",
				    inode->ino, eh->eh_magic);
	if (eh->eh_max == 0 || eh->eh_max > cap || eh->eh_entries > eh->eh_max)
		return EXT4_CORRUPT(fs, "inode %u: bad extent header (%u/%u)",
				    inode->ino, eh->eh_entries, eh->eh_max);
	if (eh->eh_depth > EXT4_EXT_MAX_DEPTH ||
	    (depth >= 0 && eh->eh_depth != depth))
		return EXT4_CORRUPT(fs, "inode %u: bad extent depth %u",
				    inode->ino, eh->eh_depth);
	return 0;
}

int ext4_ext_check_block_csum(struct ext4_fs *fs, struct ext4_inode *inode,
			      const struct ext4_extent_header *eh,
			      uint64_t blk)
{
	size_t tail = sizeof(*eh) + (size_t)eh->eh_max * sizeof(struct ext4_extent);
	uint32_t stored;

	if (!fs->csum)
		return 0;
	if (tail + 4 > fs->block_size)
		return EXT4_CORRUPT(fs, "inode %u: extent block %llu has no tail",
				    inode->ino, (unsigned long long)blk);
	memcpy(&stored, (const uint8_t *)eh + tail, 4);
	if (crc32c(inode->csum_seed, eh, tail) != stored)
		return EXT4_CORRUPT(fs, "inode %u: extent block %llu checksum mismatch",
				    inode->ino, (unsigned long long)blk);
	return 0;
}

int ext4_extent_map(struct ext4_fs *fs, struct ext4_inode *inode,
		    uint32_t lblk, uint64_t *pblk, uint64_t *contig)
{
	const struct ext4_disk_inode *di = (const void *)inode->raw;
	const struct ext4_extent_header *eh = (const void *)di->i_block;
	struct buffer *b = NULL;
	uint64_t limit = (uint64_t)UINT32_MAX + 1;     /* end of this subtree */
	int depth, err;

	*pblk = 0;
	*contig = 1;
	err = ext4_ext_check_header(fs, inode, eh, sizeof(di->i_block), -1);
	if (err)
		return err;
	depth = eh->eh_depth;
	while (depth > 0) {
		const struct ext4_extent_idx *ix = (const void *)(eh + 1);
		int i, n = eh->eh_entries;
		uint64_t child;
		struct buffer *nb;

		if (n == 0 || lblk < ix[0].ei_block) {
			/* before the first subtree: a hole */
			uint64_t end = n ? ix[0].ei_block : limit;
			*contig = end - lblk;
			goto out;
		}
		for (i = 0; i + 1 < n && ix[i + 1].ei_block <= lblk; i++)
			;
		if (i + 1 < n && ix[i + 1].ei_block > ix[i].ei_block)
			limit = MIN(limit, (uint64_t)ix[i + 1].ei_block);
		child = ix[i].ei_leaf_lo | (uint64_t)ix[i].ei_leaf_hi << 32;
		nb = ext4_bread(fs, child);
		if (IS_ERR(nb)) {
			err = PTR_ERR(nb);
			goto out;
		}
		buffer_put(b);
		b = nb;
		eh = b->data;
		depth--;
		err = ext4_ext_check_header(fs, inode, eh, fs->block_size, depth);
		if (!err)
			err = ext4_ext_check_block_csum(fs, inode, eh, child);
		if (err)
			goto out;
	}

	const struct ext4_extent *ex = (const void *)(eh + 1);
	for (int i = 0; i < eh->eh_entries; i++) {
		uint32_t start = ex[i].ee_block;
		uint32_t len = ex[i].ee_len;
		bool unwritten = len > EXT4_EXT_INIT_MAX_LEN;

		if (unwritten)
			len -= EXT4_EXT_INIT_MAX_LEN;
		if (lblk < start) {
			*contig = (uint64_t)start - lblk;
			goto out;
		}
		if (lblk - start >= len)
			continue;
		*contig = len - (lblk - start);
		if (!unwritten) {
			uint64_t phys = ex[i].ee_start_lo |
					(uint64_t)ex[i].ee_start_hi << 32;
			if (phys >= fs->blocks_count ||
			    len > fs->blocks_count - phys) {
				err = EXT4_CORRUPT(fs, "inode %u: extent at %llu out of range",
						   inode->ino, (unsigned long long)phys);
				goto out;
			}
			*pblk = phys + (lblk - start);
		}
		goto out;
	}
	/* past the last extent of this leaf: hole up to the subtree end */
	*contig = limit > lblk ? limit - lblk : 1;
out:
	buffer_put(b);
	return err;
}

/* Pointer @idx of the indirect block @blk (0: hole).  Checks the range. */
static int ind_entry(struct ext4_fs *fs, struct ext4_inode *inode,
		     uint64_t blk, uint32_t idx, uint32_t *out,
		     uint64_t *contig, bool last)
{
	struct buffer *b = ext4_bread(fs, blk);
	const uint32_t *p;
	uint32_t per = fs->block_size / 4;

	if (IS_ERR(b))
		return PTR_ERR(b);
	p = b->data;
	*out = p[idx];
	if (last) {
		/* a run of consecutive blocks, or of holes */
		uint64_t n = 1;
		while (idx + n < per &&
		       (*out ? p[idx + n] == *out + n : p[idx + n] == 0))
			n++;
		*contig = n;
	}
	buffer_put(b);
	if (*out >= fs->blocks_count)
		return EXT4_CORRUPT(fs, "inode %u: block pointer %u out of range",
				    inode->ino, *out);
	return 0;
}

int ext4_indirect_map(struct ext4_fs *fs, struct ext4_inode *inode,
		      uint32_t lblk, uint64_t *pblk, uint64_t *contig)
{
	const struct ext4_disk_inode *di = (const void *)inode->raw;
	uint64_t per = fs->block_size / 4;
	uint64_t l = lblk;
	uint32_t path[4];
	int levels, slot;
	uint32_t ptr;

	*pblk = 0;
	*contig = 1;
	if (l < 12) {
		ptr = di->i_block[l];
		if (ptr >= fs->blocks_count)
			return EXT4_CORRUPT(fs, "inode %u: block pointer %u out of range",
					    inode->ino, ptr);
		*pblk = ptr;
		if (ptr) {
			uint64_t n = 1;
			while (l + n < 12 && di->i_block[l + n] == ptr + n)
				n++;
			*contig = n;
		}
		return 0;
	}
	l -= 12;
	if (l < per) {
		levels = 1;
		slot = 12;
	} else if ((l -= per) < per * per) {
		levels = 2;
		slot = 13;
	} else if ((l -= per * per) < per * per * per) {
		levels = 3;
		slot = 14;
	} else {
		/* beyond what the map can address: a hole to the end */
		*contig = (uint64_t)1 << 48;
		return 0;
	}
	for (int i = levels - 1; i >= 0; i--) {
		path[i] = (uint32_t)(l % per);
		l /= per;
	}
	ptr = di->i_block[slot];
	if (!ptr) {
		/* the whole subtree is a hole */
		uint64_t span = 1, within = 0;
		for (int i = 0; i < levels; i++) {
			span *= per;
			within = within * per + path[i];
		}
		*contig = span - within;
		return 0;
	}
	for (int i = 0; i < levels && ptr; i++) {
		uint32_t next = 0;
		int err;
		if (ptr >= fs->blocks_count)
			return EXT4_CORRUPT(fs, "inode %u: block pointer %u out of range",
					    inode->ino, ptr);
		err = ind_entry(fs, inode, ptr, path[i], &next, contig,
				i == levels - 1);
		if (err)
			return err;
		if (!next && i < levels - 1) {
			/* a hole for the rest of this pointer's subtree */
			uint64_t span = 1, within = 0;
			for (int j = i + 1; j < levels; j++) {
				span *= per;
				within = within * per + path[j];
			}
			*contig = span - within;
			return 0;
		}
		ptr = next;
	}
	*pblk = ptr;
	return 0;
}
