/*
 * ext4 orphan list and freeing inodes (write path).
 *
 * Model: an inode whose last name went (unlink, rmdir, a rename over it)
 * may still be in use, so it is not freed at once: it goes on the orphan
 * list (layout "The Super Block": s_last_orphan is the head; each
 * orphan's i_dtime holds the next one's number, 0 at the end) and its
 * owner frees it later with ext4_inode_free.  If the system stops first,
 * the next read-write mount finds it there and frees it
 * (ext4_orphan_cleanup), as Linux and e2fsck do.  New orphans go at the
 * head; taking one off changes the superblock or its predecessor's link.
 *
 * The links live on disk only: a caller's decoded copy of an orphan may
 * be older than its on-disk i_dtime, so ext4_inode_write keeps the
 * on-disk i_dtime of inodes with no links, and the list code changes the
 * inode table bytes directly (checksum recomputed).  Every change is
 * journalled, the superblock's too (the fs block holding byte 1024).
 *
 * Locking: fs->orphan_lock serializes list changes (taken inside a
 * journal handle; alloc_lock is never held with it; buffer locks nest
 * inside).  The caller owns the inode it passes (no concurrent change).
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/block.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/printk.h"
#include "lib/string.h"

/* The file-system block holding the superblock and its offset in it. */
static uint64_t sb_block(const struct ext4_fs *fs)
{
	return fs->block_size == 1024 ? 1 : 0;
}

static uint32_t sb_offset(const struct ext4_fs *fs)
{
	return fs->block_size == 1024 ? 0 : EXT4_SUPER_OFFSET;
}

/* s_last_orphan = @ino under @h; orphan_lock held. */
static int sb_set_last_orphan(struct journal_handle *h, struct ext4_fs *fs,
			      uint32_t ino)
{
	struct buffer *b = ext4_bread_write(h, fs, sb_block(fs));
	struct ext4_super *sb;

	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	sb = (void *)((uint8_t *)b->data + sb_offset(fs));
	sb->s_last_orphan = ino;
	if (fs->csum)
		sb->s_checksum = crc32c(~0u, sb,
					offsetof(struct ext4_super, s_checksum));
	fs->sb.s_last_orphan = ino;
	mutex_unlock(&b->lock);
	int err = journal_dirty_metadata(h, b);
	buffer_put(b);
	return err;
}

/* Where inode @ino lies: its table block and byte offset in it. */
static int inode_place(struct ext4_fs *fs, uint32_t ino, uint64_t *blk,
		       uint32_t *off)
{
	uint32_t group, index;
	uint64_t byte;

	if (ino == 0 || ino > fs->sb.s_inodes_count)
		return EXT4_CORRUPT(fs, "orphan list: bad inode number %u", ino);
	group = (ino - 1) / fs->inodes_per_group;
	index = (ino - 1) % fs->inodes_per_group;
	byte = (uint64_t)index * fs->inode_size;
	*blk = ext4_gd_inode_table(fs, group) + (byte >> fs->log_block_size);
	*off = (uint32_t)(byte & (fs->block_size - 1));
	return 0;
}

/* The on-disk i_dtime (next orphan) of inode @ino. */
static int orphan_next(struct ext4_fs *fs, uint32_t ino, uint32_t *next)
{
	struct buffer *b;
	uint64_t blk;
	uint32_t off;
	int err = inode_place(fs, ino, &blk, &off);

	if (err)
		return err;
	b = ext4_bread(fs, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	*next = ((struct ext4_disk_inode *)((uint8_t *)b->data + off))->i_dtime;
	mutex_unlock(&b->lock);
	buffer_put(b);
	return 0;
}

/* Set inode @ino's on-disk i_dtime to @next (checksum recomputed). */
static int orphan_set_next(struct journal_handle *h, struct ext4_fs *fs,
			   uint32_t ino, uint32_t next)
{
	struct ext4_disk_inode *di;
	struct buffer *b;
	uint64_t blk;
	uint32_t off;
	int err = inode_place(fs, ino, &blk, &off);

	if (err)
		return err;
	b = ext4_bread_write(h, fs, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	di = (void *)((uint8_t *)b->data + off);
	di->i_dtime = next;
	if (fs->csum) {
		uint16_t extra = 0;
		uint32_t c;
		if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
		    di->i_extra_isize <= fs->inode_size - EXT4_GOOD_OLD_INODE_SIZE)
			extra = di->i_extra_isize;
		c = ext4_inode_csum(fs, ino, (uint8_t *)di, extra);
		di->i_checksum_lo = (uint16_t)c;
		if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE && extra >= 4)
			di->i_checksum_hi = (uint16_t)(c >> 16);
	}
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, b);
	buffer_put(b);
	return err;
}

int ext4_orphan_add(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	int err;

	if (in->links != 0)
		return -EINVAL;
	mutex_lock(&fs->orphan_lock);
	di->i_dtime = fs->sb.s_last_orphan;
	err = ext4_inode_write_dtime(h, fs, in);
	if (!err)
		err = sb_set_last_orphan(h, fs, in->ino);
	mutex_unlock(&fs->orphan_lock);
	return err;
}

int ext4_orphan_del(struct journal_handle *h, struct ext4_fs *fs,
		    uint32_t ino)
{
	uint32_t next, cur, link;
	int err;

	mutex_lock(&fs->orphan_lock);
	cur = fs->sb.s_last_orphan;
	err = cur ? orphan_next(fs, ino, &next) : 0;
	if (err || !cur)
		goto out;
	if (cur == ino) {
		err = sb_set_last_orphan(h, fs, next);
		goto out;
	}
	/* find the predecessor; the walk is bounded by the inode count */
	for (uint32_t steps = 0; cur && steps <= fs->sb.s_inodes_count; steps++) {
		err = orphan_next(fs, cur, &link);
		if (err)
			goto out;
		if (link == ino) {
			err = orphan_set_next(h, fs, cur, next);
			goto out;
		}
		cur = link;
	}
	if (cur)
		err = EXT4_CORRUPT(fs, "orphan list loops");
out:
	mutex_unlock(&fs->orphan_lock);
	return err;
}

/* Drop @in's reference to its xattr block (freed at the last one);
 * in->file_acl cleared, i_blocks less the block. */
static int xattr_block_release(struct journal_handle *h, struct ext4_fs *fs,
			       struct ext4_inode *in)
{
	uint64_t blk = in->file_acl;
	struct ext4_xattr_header *xh;
	struct buffer *b;
	bool last;
	int err;

	if (!blk)
		return 0;
	b = ext4_bread_write(h, fs, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	xh = b->data;
	if (xh->h_magic != EXT4_XATTR_MAGIC || xh->h_blocks != 1 ||
	    xh->h_refcount == 0) {
		mutex_unlock(&b->lock);
		buffer_put(b);
		return EXT4_CORRUPT(fs, "inode %u: bad xattr block header", in->ino);
	}
	last = xh->h_refcount == 1;
	if (!last) {
		xh->h_refcount--;
		if (fs->csum) {
			static const uint32_t zero;
			uint64_t le_blk = blk;
			unsigned co = offsetof(struct ext4_xattr_header, h_checksum);
			uint32_t c = crc32c(fs->csum_seed, &le_blk, 8);
			c = crc32c(c, b->data, co);
			c = crc32c(c, &zero, 4);
			c = crc32c(c, (uint8_t *)b->data + co + 4,
				   fs->block_size - co - 4);
			xh->h_checksum = c;
		}
	}
	mutex_unlock(&b->lock);
	if (!last) {
		err = journal_dirty_metadata(h, b);
		buffer_put(b);
	} else {
		err = journal_revoke(h, blk, b);
		buffer_put(b);
		if (!err) {
			buffer_forget(fs->bdev, blk, fs->block_size);
			err = ext4_free_blocks(h, fs, blk, 1);
		}
	}
	if (err)
		return err;
	in->file_acl = 0;
	in->blocks -= MIN(in->blocks, (uint64_t)fs->block_size / 512);
	return 0;
}

int ext4_inode_free(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, struct ext4_time now)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	bool is_dir = (in->mode & EXT4_S_IFMT) == EXT4_S_IFDIR;
	int err;

	if (in->links != 0)
		return -EINVAL;
	/* the blocks, in steps; the inode stays an orphan meanwhile */
	err = ext4_free_inode_blocks(h, fs, in);
	if (err)
		return err;
	err = ext4_ensure_credits(h, fs, in, EXT4_CREDITS_FREE_INODE -
				  EXT4_CREDITS_TRUNC_STEP);
	if (!err)
		err = xattr_block_release(h, fs, in);
	if (!err)
		err = ext4_orphan_del(h, fs, in->ino);
	if (err)
		return err;
	in->blocks = 0;
	in->flags &= ~(EXT4_INDEX_FL | EXT4_HUGE_FILE_FL);
	di->i_dtime = (uint32_t)now.sec;
	err = ext4_inode_write_dtime(h, fs, in);
	if (!err)
		err = ext4_free_inode_nr(h, fs, in->ino, is_dir);
	return err;
}

/* Take a still linked orphan (an interrupted truncate) off the list
 * after freeing its blocks past i_size. */
static int orphan_release_linked(struct journal_handle *h, struct ext4_fs *fs,
				 struct ext4_inode *in, struct ext4_time now)
{
	int err = 0;

	if ((in->mode & EXT4_S_IFMT) == EXT4_S_IFREG &&
	    (in->flags & EXT4_EXTENTS_FL)) {
		uint64_t size = in->size;
		/* ext4_truncate only frees when shrinking */
		in->size = UINT64_MAX >> 2;
		err = ext4_truncate(h, fs, in, size, in->mtime);
		if (err)
			in->size = size;
	}
	if (!err)
		err = ext4_orphan_del(h, fs, in->ino);
	if (!err) {
		((struct ext4_disk_inode *)in->raw)->i_dtime = 0;
		err = ext4_inode_write_dtime(h, fs, in);
	}
	(void)now;
	return err;
}

int ext4_orphan_cleanup(struct ext4_fs *fs)
{
	struct ext4_time now = { 0, 0 };
	unsigned freed = 0, kept = 0;
	int err = 0;

	if (!fs->journal)
		return -EROFS;
	for (uint32_t steps = 0; fs->sb.s_last_orphan; steps++) {
		uint32_t ino = fs->sb.s_last_orphan;
		struct journal_handle *h;
		struct ext4_inode in;

		if (steps > fs->sb.s_inodes_count) {
			err = EXT4_CORRUPT(fs, "orphan list loops");
			break;
		}
		err = ext4_inode_read(fs, ino, &in);
		if (err)
			break;
		now.sec = ((struct ext4_disk_inode *)in.raw)->i_ctime;
		h = journal_start(fs->journal, EXT4_CREDITS_FREE_INODE);
		if (IS_ERR(h)) {
			ext4_inode_put(&in);
			err = PTR_ERR(h);
			break;
		}
		if (in.links == 0) {
			err = ext4_inode_free(h, fs, &in, now);
			freed++;
		} else {
			err = orphan_release_linked(h, fs, &in, now);
			kept++;
		}
		int err2 = journal_stop(h);
		ext4_inode_put(&in);
		if (!err)
			err = err2;
		if (err)
			break;
		if (fs->sb.s_last_orphan == ino) {
			err = EXT4_CORRUPT(fs, "orphan %u stays on the list", ino);
			break;
		}
	}
	if (err)
		printk(KERN_ERR "ext4 (%s): orphan cleanup failed: error %d\n",
		       block_name(fs->bdev), -err);
	else if (freed || kept)
		printk(KERN_INFO "ext4 (%s): %u orphan inodes freed, %u truncated\n",
		       block_name(fs->bdev), freed, kept);
	return err;
}
