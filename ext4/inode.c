/*
 * ext4 inodes: reading one from its group's inode table, decoding it
 * (32-bit ids, 64-bit sizes, huge_file block counts, nanosecond and
 * post-2038 timestamps in the extra area) with its metadata_csum
 * checksum verified, and reading file data and symlink targets through
 * the block map (extents.c) or the inline data (xattr.c).
 */
#include "ext4/internal.h"
#include "block/block.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/string.h"
#include "mm/mm.h"

uint32_t ext4_inode_csum(const struct ext4_fs *fs, uint32_t ino,
			 const uint8_t *raw, uint16_t extra_isize)
{
	const struct ext4_disk_inode *di = (const void *)raw;
	static const uint16_t zero;
	uint32_t le_ino = ino, le_gen = di->i_generation;
	bool has_hi = fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
		      extra_isize >= 4;
	unsigned lo = offsetof(struct ext4_disk_inode, i_checksum_lo);
	unsigned hi = offsetof(struct ext4_disk_inode, i_checksum_hi);
	uint32_t c;

	c = crc32c(fs->csum_seed, &le_ino, 4);
	c = crc32c(c, &le_gen, 4);
	c = crc32c(c, raw, lo);
	c = crc32c(c, &zero, 2);
	if (!has_hi)
		return crc32c(c, raw + lo + 2, fs->inode_size - lo - 2) & 0xFFFF;
	c = crc32c(c, raw + lo + 2, hi - lo - 2);
	c = crc32c(c, &zero, 2);
	return crc32c(c, raw + hi + 2, fs->inode_size - hi - 2);
}

static bool inode_checksum_ok(struct ext4_fs *fs, uint32_t ino,
			      const uint8_t *raw, uint16_t extra_isize)
{
	const struct ext4_disk_inode *di = (const void *)raw;
	uint32_t stored = di->i_checksum_lo;

	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE && extra_isize >= 4)
		stored |= (uint32_t)di->i_checksum_hi << 16;
	return ext4_inode_csum(fs, ino, raw, extra_isize) == stored;
}

/* A timestamp: seconds (signed 32 bits) plus, when the extra field lies
 * within the inode's extra area, 2 epoch bits and 30 bits of ns. */
static struct ext4_time decode_time(const uint8_t *raw, unsigned sec_off,
				    unsigned extra_off, unsigned extra_end)
{
	struct ext4_time t;
	int32_t sec;
	uint32_t extra = 0;

	memcpy(&sec, raw + sec_off, 4);
	t.sec = sec;
	t.nsec = 0;
	if (extra_off && extra_off + 4 <= extra_end) {
		memcpy(&extra, raw + extra_off, 4);
		t.sec += (int64_t)(extra & 3) << 32;
		t.nsec = extra >> 2;
		if (t.nsec > 999999999)
			t.nsec = 0;
	}
	return t;
}

static int inode_decode(struct ext4_fs *fs, struct ext4_inode *out)
{
	const struct ext4_disk_inode *di = (const void *)out->raw;
	const uint8_t *raw = out->raw;
	unsigned end = EXT4_GOOD_OLD_INODE_SIZE;

	out->extra_isize = 0;
	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE) {
		out->extra_isize = di->i_extra_isize;
		if (out->extra_isize & 3 ||
		    out->extra_isize > fs->inode_size - EXT4_GOOD_OLD_INODE_SIZE)
			return EXT4_CORRUPT(fs, "inode %u: bad extra_isize %u",
					    out->ino, out->extra_isize);
		end += out->extra_isize;
	}
	out->mode = di->i_mode;
	out->uid = di->i_uid | (uint32_t)di->i_uid_high << 16;
	out->gid = di->i_gid | (uint32_t)di->i_gid_high << 16;
	out->links = di->i_links_count;
	out->size = di->i_size_lo | (uint64_t)di->i_size_high << 32;
	out->flags = di->i_flags;
	out->generation = di->i_generation;
	out->file_acl = di->i_file_acl_lo | (uint64_t)di->i_file_acl_high << 32;
	out->blocks = di->i_blocks_lo;
	if (fs->ro_compat & EXT4_RO_COMPAT_HUGE_FILE) {
		out->blocks |= (uint64_t)di->i_blocks_high << 32;
		if (out->flags & EXT4_HUGE_FILE_FL)
			out->blocks <<= fs->log_block_size - 9;
	}
	out->atime = decode_time(raw, 0x08, 0x8c, end);
	out->ctime = decode_time(raw, 0x0c, 0x84, end);
	out->mtime = decode_time(raw, 0x10, 0x88, end);
	if (end >= 0x94)
		out->crtime = decode_time(raw, 0x90, 0x94, end);
	else
		out->crtime = (struct ext4_time){0, 0};
	out->rdev = 0;
	if ((out->mode & EXT4_S_IFMT) == EXT4_S_IFCHR || (out->mode & EXT4_S_IFMT) == EXT4_S_IFBLK) {
		/* old encoding in i_block[0], else the new one in [1] */
		uint32_t old = di->i_block[0], nw = di->i_block[1];
		if (old)
			out->rdev = ((old >> 8) & 0xff) << 8 | (old & 0xff);
		else
			out->rdev = nw;
	}
	if ((out->mode & EXT4_S_IFMT) == EXT4_S_IFREG && out->size > (1ull << 62))
		return EXT4_CORRUPT(fs, "inode %u: size %llu", out->ino,
				    (unsigned long long)out->size);
	return 0;
}

int ext4_inode_read(struct ext4_fs *fs, uint32_t ino, struct ext4_inode *out)
{
	uint32_t group, index;
	uint64_t byte, blk;
	struct buffer *b;
	int err;

	memset(out, 0, sizeof(*out));
	if (ino == 0 || ino > fs->sb.s_inodes_count)
		return EXT4_CORRUPT(fs, "bad inode number %u", ino);
	group = (ino - 1) / fs->inodes_per_group;
	index = (ino - 1) % fs->inodes_per_group;
	byte = (uint64_t)index * fs->inode_size;
	blk = ext4_gd_inode_table(fs, group) + (byte >> fs->log_block_size);
	out->raw = kmalloc(fs->inode_size);
	if (!out->raw)
		return -ENOMEM;
	out->ino = ino;
	b = ext4_bread(fs, blk);
	if (IS_ERR(b)) {
		err = PTR_ERR(b);
		goto out_free;
	}
	memcpy(out->raw, (uint8_t *)b->data + (byte & (fs->block_size - 1)),
	       fs->inode_size);
	buffer_put(b);

	err = inode_decode(fs, out);
	if (err)
		goto out_free;
	if (fs->csum) {
		uint32_t le_ino = ino, le_gen = out->generation;
		if (!inode_checksum_ok(fs, ino, out->raw, out->extra_isize)) {
			err = EXT4_CORRUPT(fs, "inode %u checksum mismatch", ino);
			goto out_free;
		}
		out->csum_seed = crc32c(crc32c(fs->csum_seed, &le_ino, 4),
					&le_gen, 4);
	}
	return 0;

out_free:
	kfree(out->raw);
	out->raw = NULL;
	return err;
}

void ext4_inode_put(struct ext4_inode *inode)
{
	kfree(inode->raw);
	inode->raw = NULL;
}

int ext4_map_block(struct ext4_fs *fs, struct ext4_inode *inode,
		   uint64_t lblk, uint64_t *pblk, uint64_t *contig)
{
	if (lblk > UINT32_MAX) {
		/* beyond any block map: a hole up to any sane end */
		*pblk = 0;
		*contig = (uint64_t)1 << 48;
		return 0;
	}
	if (inode->flags & EXT4_INLINE_DATA_FL)
		return EXT4_CORRUPT(fs, "inode %u: block map of inline data",
				    inode->ino);
	if (inode->flags & EXT4_EXTENTS_FL)
		return ext4_extent_map(fs, inode, (uint32_t)lblk, pblk, contig);
	return ext4_indirect_map(fs, inode, (uint32_t)lblk, pblk, contig);
}

/* Read a run of @n whole blocks starting at physical @pblk into @buf. */
static int read_blocks(struct ext4_fs *fs, uint64_t pblk, uint64_t n,
		       void *buf)
{
	uint64_t per = fs->block_size / SECTOR_SIZE;
	int err;

	if (pblk >= fs->blocks_count || n > fs->blocks_count - pblk)
		return EXT4_CORRUPT(fs, "data block %llu out of range",
				    (unsigned long long)pblk);
	err = block_rw(fs->bdev, BLOCK_READ, pblk * per, buf,
		       (size_t)(n << fs->log_block_size));
	if (err)
		return ext4_fs_error(fs, -EIO, "read error at block %llu",
				     (unsigned long long)pblk);
	return 0;
}

long ext4_file_read(struct ext4_fs *fs, struct ext4_inode *inode,
		    uint64_t off, void *buf, size_t len)
{
	uint8_t *dst = buf;
	uint8_t *bounce = NULL;
	size_t done = 0;
	long ret = 0;

	if (off >= inode->size || len == 0)
		return 0;
	if (len > inode->size - off)
		len = (size_t)(inode->size - off);
	if (inode->flags & EXT4_INLINE_DATA_FL)
		return ext4_inline_data_read(fs, inode, off, buf, len);

	while (done < len) {
		uint64_t pos = off + done;
		uint64_t lblk = pos >> fs->log_block_size;
		uint32_t in_blk = pos & (fs->block_size - 1);
		uint64_t pblk, contig;
		size_t chunk;
		int err = ext4_map_block(fs, inode, lblk, &pblk, &contig);

		if (err) {
			ret = err;
			break;
		}
		if (contig > (len - done + in_blk + fs->block_size - 1) >>
			     fs->log_block_size)
			contig = (len - done + in_blk + fs->block_size - 1) >>
				 fs->log_block_size;
		chunk = MIN((size_t)(contig << fs->log_block_size) - in_blk,
			    len - done);
		if (pblk == 0) {
			memset(dst + done, 0, chunk);
		} else if (in_blk == 0 && chunk == (size_t)(contig << fs->log_block_size)) {
			err = read_blocks(fs, pblk, contig, dst + done);
		} else {
			/* partial block(s): one block through a bounce */
			if (!bounce && !(bounce = kmalloc(fs->block_size))) {
				ret = -ENOMEM;
				break;
			}
			chunk = MIN((size_t)fs->block_size - in_blk, len - done);
			err = read_blocks(fs, pblk, 1, bounce);
			if (!err)
				memcpy(dst + done, bounce + in_blk, chunk);
		}
		if (err) {
			ret = err;
			break;
		}
		done += chunk;
	}
	kfree(bounce);
	return done ? (long)done : ret;
}

long ext4_readlink(struct ext4_fs *fs, struct ext4_inode *inode, char *buf,
		   size_t len)
{
	const struct ext4_disk_inode *di = (const void *)inode->raw;
	long n;

	if ((inode->mode & EXT4_S_IFMT) != EXT4_S_IFLNK)
		return -EINVAL;
	if (inode->size == 0 || inode->size >= 4096)
		return EXT4_CORRUPT(fs, "symlink %u: length %llu", inode->ino,
				    (unsigned long long)inode->size);
	if (inode->size > len)
		return -ERANGE;
	/* fast symlink: the target is in i_block (no data blocks) */
	uint64_t ea_blocks = inode->file_acl ? fs->block_size >> 9 : 0;
	if (!(inode->flags & EXT4_INLINE_DATA_FL) &&
	    inode->size < sizeof(di->i_block) && inode->blocks == ea_blocks) {
		memcpy(buf, di->i_block, inode->size);
		return (long)inode->size;
	}
	n = ext4_file_read(fs, inode, 0, buf, inode->size);
	if (n >= 0 && (uint64_t)n != inode->size)
		return EXT4_CORRUPT(fs, "symlink %u: short target", inode->ino);
	return n;
}
