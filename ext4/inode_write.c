/*
 * ext4 inodes, write side: encoding, extent appends, truncate.
 *
 * Model: a struct ext4_inode carries the decoded fields and in->raw the
 * on-disk bytes.  ext4_inode_write encodes the fields into raw (32-bit
 * ids split in halves, 64-bit size, i_blocks in 512-byte units or, past
 * 2^48 of them, in file-system blocks with HUGE_FILE_FL, nanosecond and
 * post-2038 times in the extra area when extra_isize covers them, device
 * numbers in the old or new encoding), sets the metadata_csum checksum
 * (both halves when extra_isize reaches i_checksum_hi) and copies raw
 * into the inode table block under a journal handle.  i_block (the
 * extent root, a symlink target) and in-inode xattrs are raw's own and
 * kept as they are; so is i_dtime while the inode has no links (the
 * orphan list's link, ext4/orphan.c).
 *
 * Extents: appending at the end of the file (ext4_extent_add: the tree
 * grows to the right); insertion anywhere is ext4/extents_write.c's.
 * Freeing (truncate, freeing an inode) works from the file's end in
 * steps, each one extent (or a part of it) with the tree nodes it
 * empties, between which the handle gets credits or is restarted
 * (ext4_ensure_credits): every committed state is a consistent tree.
 *
 * Locking: the caller owns @in (no other user changes it meanwhile); the
 * inode table block is changed under its buffer lock.
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/block.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/string.h"
#include "mm/mm.h"

/* Generation numbers of new inodes: distinct per mount is enough. */
static uint32_t next_generation = 0x5eed;

int ext4_inode_init_new(struct ext4_fs *fs, struct ext4_inode *in,
			uint32_t ino, uint16_t mode, uint32_t uid,
			uint32_t gid, struct ext4_time now)
{
	struct ext4_disk_inode *di;
	uint16_t type = mode & EXT4_S_IFMT;

	memset(in, 0, sizeof(*in));
	in->raw = kzalloc(fs->inode_size);
	if (!in->raw)
		return -ENOMEM;
	in->ino = ino;
	in->mode = mode;
	in->uid = uid;
	in->gid = gid;
	in->links = 1;
	in->atime = in->mtime = in->ctime = in->crtime = now;
	in->generation = __atomic_add_fetch(&next_generation, 0x9e3779b9u,
					    __ATOMIC_RELAXED);
	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE) {
		uint32_t want = fs->sb.s_want_extra_isize;
		if (want < 32)
			want = 32;
		in->extra_isize = (uint16_t)MIN(want, fs->inode_size -
						    EXT4_GOOD_OLD_INODE_SIZE);
	}
	if (fs->csum) {
		uint32_t le_ino = ino, le_gen = in->generation;
		in->csum_seed = crc32c(crc32c(fs->csum_seed, &le_ino, 4),
				       &le_gen, 4);
	}
	di = (void *)in->raw;
	if ((fs->incompat & EXT4_INCOMPAT_EXTENTS) &&
	    (type == EXT4_S_IFREG || type == EXT4_S_IFDIR || type == EXT4_S_IFLNK)) {
		struct ext4_extent_header *eh = (void *)di->i_block;
		in->flags |= EXT4_EXTENTS_FL;
		eh->eh_magic = EXT4_EXT_MAGIC;
		eh->eh_entries = 0;
		eh->eh_max = (sizeof(di->i_block) - sizeof(*eh)) /
			     sizeof(struct ext4_extent);
		eh->eh_depth = 0;
		eh->eh_generation = 0;
	}
	return 0;
}

static void encode_time(uint8_t *raw, unsigned sec_off, unsigned extra_off,
			unsigned end, struct ext4_time t)
{
	int32_t sec = (int32_t)t.sec;
	uint32_t extra;

	memcpy(raw + sec_off, &sec, 4);
	if (!extra_off || extra_off + 4 > end)
		return;
	/* epoch bits: (t.sec - (int32_t)t.sec) >> 32, in 0..3 */
	extra = (uint32_t)(((t.sec - (int64_t)sec) >> 32) & 3) |
		t.nsec << 2;
	memcpy(raw + extra_off, &extra, 4);
}

/* Encode and write @in; with @keep_dtime the on-disk i_dtime stays (it
 * is the orphan list's link while links is 0). */
static int inode_write(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *in, bool keep_dtime)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	unsigned end = EXT4_GOOD_OLD_INODE_SIZE + in->extra_isize;
	uint32_t group, index, type = in->mode & EXT4_S_IFMT;
	uint64_t byte, blk, blocks = in->blocks;
	struct buffer *b;
	int err;

	if (in->ino == 0 || in->ino > fs->sb.s_inodes_count)
		return EXT4_CORRUPT(fs, "writing bad inode number %u", in->ino);
	di->i_mode = in->mode;
	di->i_uid = (uint16_t)in->uid;
	di->i_uid_high = (uint16_t)(in->uid >> 16);
	di->i_gid = (uint16_t)in->gid;
	di->i_gid_high = (uint16_t)(in->gid >> 16);
	di->i_links_count = (uint16_t)in->links;
	di->i_size_lo = (uint32_t)in->size;
	di->i_size_high = (uint32_t)(in->size >> 32);
	di->i_generation = in->generation;
	di->i_file_acl_lo = (uint32_t)in->file_acl;
	di->i_file_acl_high = (uint16_t)(in->file_acl >> 32);
	in->flags &= ~EXT4_HUGE_FILE_FL;
	if (blocks <= UINT32_MAX) {
		di->i_blocks_high = 0;
	} else if (!(fs->ro_compat & EXT4_RO_COMPAT_HUGE_FILE)) {
		return -EFBIG;
	} else if (blocks >= 1ull << 48) {
		blocks >>= fs->log_block_size - 9;
		if (blocks >= 1ull << 48)
			return -EFBIG;
		in->flags |= EXT4_HUGE_FILE_FL;
	}
	di->i_blocks_lo = (uint32_t)blocks;
	if (fs->ro_compat & EXT4_RO_COMPAT_HUGE_FILE)
		di->i_blocks_high = (uint16_t)(blocks >> 32);
	di->i_flags = in->flags;
	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE)
		di->i_extra_isize = in->extra_isize;
	encode_time(in->raw, 0x08, 0x8c, end, in->atime);
	encode_time(in->raw, 0x0c, 0x84, end, in->ctime);
	encode_time(in->raw, 0x10, 0x88, end, in->mtime);
	if (end >= 0x94)
		encode_time(in->raw, 0x90, 0x94, end, in->crtime);
	if (type == EXT4_S_IFCHR || type == EXT4_S_IFBLK) {
		uint32_t major = (in->rdev >> 8) & 0xfff;
		uint32_t minor = (in->rdev & 0xff) | ((in->rdev >> 12) & 0xfff00);
		if (major < 256 && minor < 256) {
			di->i_block[0] = major << 8 | minor;
			di->i_block[1] = 0;
		} else {
			di->i_block[0] = 0;
			di->i_block[1] = in->rdev;
			di->i_block[2] = 0;
		}
	}
	group = (in->ino - 1) / fs->inodes_per_group;
	index = (in->ino - 1) % fs->inodes_per_group;
	byte = (uint64_t)index * fs->inode_size;
	blk = ext4_gd_inode_table(fs, group) + (byte >> fs->log_block_size);
	b = ext4_bread_write(h, fs, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	if (keep_dtime) {
		const struct ext4_disk_inode *old = (const void *)
			((uint8_t *)b->data + (byte & (fs->block_size - 1)));
		di->i_dtime = old->i_dtime;
	}
	if (fs->csum) {
		uint32_t c;
		di->i_checksum_lo = 0;
		if (in->extra_isize >= 4)
			di->i_checksum_hi = 0;
		c = ext4_inode_csum(fs, in->ino, in->raw, in->extra_isize);
		di->i_checksum_lo = (uint16_t)c;
		if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
		    in->extra_isize >= 4)
			di->i_checksum_hi = (uint16_t)(c >> 16);
	}
	memcpy((uint8_t *)b->data + (byte & (fs->block_size - 1)),
	       in->raw, fs->inode_size);
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, b);
	buffer_put(b);
	return err;
}

int ext4_inode_write(struct journal_handle *h, struct ext4_fs *fs,
		     struct ext4_inode *in)
{
	return inode_write(h, fs, in, in->links == 0);
}

int ext4_inode_write_dtime(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *in)
{
	return inode_write(h, fs, in, false);
}

static uint64_t ext_start(const struct ext4_extent *e)
{
	return e->ee_start_lo | (uint64_t)e->ee_start_hi << 32;
}

int ext4_extent_append(struct ext4_fs *fs, struct ext4_inode *in,
		       uint32_t lblk, uint64_t pblk, uint32_t len)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	struct ext4_extent_header *eh = (void *)di->i_block;
	struct ext4_extent *ext = (void *)(eh + 1);

	if (!(in->flags & EXT4_EXTENTS_FL) || eh->eh_magic != EXT4_EXT_MAGIC ||
	    len == 0 || len > EXT4_EXT_INIT_MAX_LEN ||
	    (uint64_t)lblk + len > (1ull << 32))
		return -EINVAL;
	if (eh->eh_depth != 0)
		return -ENOSPC;
	if (eh->eh_entries) {
		struct ext4_extent *last = &ext[eh->eh_entries - 1];
		uint32_t last_len = last->ee_len;
		if (last_len > EXT4_EXT_INIT_MAX_LEN)
			return -EINVAL;         /* unwritten: not handled */
		if (lblk < last->ee_block + last_len)
			return -EINVAL;
		if (lblk == last->ee_block + last_len &&
		    pblk == ext_start(last) + last_len &&
		    last_len + len <= EXT4_EXT_INIT_MAX_LEN) {
			last->ee_len = (uint16_t)(last_len + len);
			goto counted;
		}
	}
	if (eh->eh_entries >= eh->eh_max)
		return -ENOSPC;
	ext[eh->eh_entries].ee_block = lblk;
	ext[eh->eh_entries].ee_len = (uint16_t)len;
	ext[eh->eh_entries].ee_start_hi = (uint16_t)(pblk >> 32);
	ext[eh->eh_entries].ee_start_lo = (uint32_t)pblk;
	eh->eh_entries++;
counted:
	in->blocks += (uint64_t)len << (fs->log_block_size - 9);
	return 0;
}

/* ---- freeing blocks in steps (truncate, freeing an inode) ---- */

int ext4_ensure_credits(struct journal_handle *h, struct ext4_fs *fs,
			struct ext4_inode *in, int need)
{
	int have = journal_handle_credits(h), err;

	if (have >= need)
		return 0;
	err = journal_extend(h, need - have);
	if (err <= 0)
		return err;
	/* the transaction is full: let it go with the inode as it is now
	 * (each step leaves the tree consistent; steps keep a credit for
	 * this write) */
	if (in && have > 0) {
		err = ext4_inode_write(h, fs, in);
		if (err)
			return err;
	}
	if (fs->caller_lock)
		mutex_unlock(fs->caller_lock);
	err = journal_restart(h, need);
	if (fs->caller_lock)
		mutex_lock(fs->caller_lock);
	return err;
}

/* Free @n blocks at @start of @in (directory blocks are metadata: their
 * log copies are revoked and their buffers forgotten first). */
static int free_data(struct journal_handle *h, struct ext4_fs *fs,
		     struct ext4_inode *in, uint64_t start, uint32_t n)
{
	int err = 0;

	if ((in->mode & EXT4_S_IFMT) == EXT4_S_IFDIR) {
		for (uint32_t k = 0; k < n && !err; k++) {
			err = journal_revoke(h, start + k, NULL);
			buffer_forget(fs->bdev, start + k, fs->block_size);
		}
	}
	if (!err)
		err = ext4_free_blocks(h, fs, start, n);
	if (!err)
		in->blocks -= (uint64_t)n << (fs->log_block_size - 9);
	return err;
}

/*
 * Trim extent @e (in a node the caller may change) so that it ends at
 * @first at most, freeing at most a step's worth of blocks from its end.
 * *gone: the extent is empty now (the caller removes the entry); *done:
 * it already ended at or before @first.
 */
static int trim_extent(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *in, struct ext4_extent *e,
		       uint64_t first, bool *gone, bool *done)
{
	uint32_t len = e->ee_len, keep, n, limit = EXT4_TRUNC_STEP_BLOCKS;
	bool unwritten = len > EXT4_EXT_INIT_MAX_LEN;
	int err;

	*gone = *done = false;
	if (unwritten)
		len -= EXT4_EXT_INIT_MAX_LEN;
	if ((uint64_t)e->ee_block + len <= first) {
		*done = true;
		return 0;
	}
	if ((in->mode & EXT4_S_IFMT) == EXT4_S_IFDIR)
		limit = EXT4_TRUNC_STEP_DIR_BLOCKS;
	keep = e->ee_block >= first ? 0 : (uint32_t)(first - e->ee_block);
	n = MIN(len - keep, limit);
	err = free_data(h, fs, in, ext_start(e) + len - n, n);
	if (err)
		return err;
	len -= n;
	if (len == 0) {
		*gone = true;
		return 0;
	}
	e->ee_len = (uint16_t)(len + (unwritten ? EXT4_EXT_INIT_MAX_LEN : 0));
	return 0;
}

/*
 * One step of freeing @in's blocks from logical block @first on: the
 * rightmost leaf's last extent is trimmed (a step's worth of blocks) or
 * dropped, and leaves and index nodes left empty are revoked and freed
 * (an emptied root returns to depth 0).  *done when nothing reaches
 * past @first.  At most EXT4_CREDITS_TRUNC_STEP - 1 credits.
 */
static int shrink_step(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *in, uint64_t first, bool *done)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	struct ext4_extent_header *root = (void *)di->i_block;
	struct buffer *bufs[EXT4_EXT_MAX_DEPTH + 1];
	struct ext4_extent_header *ehs[EXT4_EXT_MAX_DEPTH + 1];
	uint64_t blks[EXT4_EXT_MAX_DEPTH + 1];
	unsigned depth = root->eh_depth, held = 0, k;
	bool gone = false;
	int err = 0;

	*done = false;
	if (depth && root->eh_entries == 0) {
		root->eh_depth = 0;
		root->eh_max = 4;
		return 0;
	}
	ehs[0] = root;
	bufs[0] = NULL;
	for (k = 0; k < depth; k++) {
		struct ext4_extent_idx *ix = (void *)(ehs[k] + 1);
		struct buffer *b;

		if (ehs[k]->eh_entries == 0) {
			err = EXT4_CORRUPT(fs, "inode %u: empty extent index", in->ino);
			goto out;
		}
		ix += ehs[k]->eh_entries - 1;
		blks[k + 1] = ix->ei_leaf_lo | (uint64_t)ix->ei_leaf_hi << 32;
		b = ext4_bread(fs, blks[k + 1]);
		if (IS_ERR(b)) {
			err = PTR_ERR(b);
			goto out;
		}
		bufs[k + 1] = b;
		ehs[k + 1] = b->data;
		held = k + 1;
		err = ext4_ext_check_header(fs, in, b->data, fs->block_size,
					    (int)(depth - k - 1));
		if (!err)
			err = ext4_ext_check_block_csum(fs, in, b->data, blks[k + 1]);
		if (err)
			goto out;
	}
	struct ext4_extent_header *leaf = ehs[depth];
	struct ext4_extent *e = (void *)(leaf + 1);
	if (leaf->eh_entries) {
		struct ext4_extent *last = &e[leaf->eh_entries - 1];
		struct ext4_extent copy = *last;

		/* trim a copy first: the node changes only under access */
		err = trim_extent(h, fs, in, &copy, first, &gone, done);
		if (err || *done)
			goto out;
		if (bufs[depth]) {
			err = journal_get_write_access(h, bufs[depth]);
			if (err)
				goto out;
			mutex_lock(&bufs[depth]->lock);
		}
		if (gone) {
			memset(last, 0, sizeof(*last));
			leaf->eh_entries--;
		} else {
			*last = copy;
		}
		if (bufs[depth]) {
			ext4_ext_node_csum_set(fs, in, leaf);
			mutex_unlock(&bufs[depth]->lock);
			err = journal_dirty_metadata(h, bufs[depth]);
			if (err)
				goto out;
		}
		if (!gone || leaf->eh_entries)
			goto out;
	} else if (depth == 0) {
		*done = true;
		goto out;
	}
	/* drop empty nodes bottom-up */
	for (k = depth; k >= 1 && ehs[k]->eh_entries == 0; k--) {
		struct ext4_extent_header *parent = ehs[k - 1];
		struct ext4_extent_idx *ix = (void *)(parent + 1);

		buffer_put(bufs[k]);
		bufs[k] = NULL;
		err = journal_revoke(h, blks[k], NULL);
		if (!err) {
			buffer_forget(fs->bdev, blks[k], fs->block_size);
			err = ext4_free_blocks(h, fs, blks[k], 1);
		}
		if (err)
			goto out;
		in->blocks -= fs->block_size / 512;
		if (bufs[k - 1]) {
			err = journal_get_write_access(h, bufs[k - 1]);
			if (err)
				goto out;
			mutex_lock(&bufs[k - 1]->lock);
		}
		memset(&ix[parent->eh_entries - 1], 0, sizeof(*ix));
		parent->eh_entries--;
		if (bufs[k - 1]) {
			ext4_ext_node_csum_set(fs, in, parent);
			mutex_unlock(&bufs[k - 1]->lock);
			err = journal_dirty_metadata(h, bufs[k - 1]);
			if (err)
				goto out;
		}
	}
	if (root->eh_depth && root->eh_entries == 0) {
		root->eh_depth = 0;
		root->eh_max = 4;
	}
out:
	for (unsigned j = 1; j <= held; j++)
		if (bufs[j])
			buffer_put(bufs[j]);
	return err;
}

/* Free every block of @in from logical block @first on, step by step
 * (credits extended or the handle restarted between steps). */
static int shrink_blocks(struct journal_handle *h, struct ext4_fs *fs,
			 struct ext4_inode *in, uint64_t first)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	bool done = false;
	int err;

	err = ext4_ext_check_header(fs, in, (void *)di->i_block,
				    sizeof(di->i_block), -1);
	if (err)
		return err;
	for (uint64_t guard = 0; guard < (1ull << 32); guard++) {
		err = ext4_ensure_credits(h, fs, in, EXT4_CREDITS_TRUNC_STEP);
		if (!err)
			err = shrink_step(h, fs, in, first, &done);
		if (err || done)
			return err;
	}
	return EXT4_CORRUPT(fs, "inode %u: truncate does not end", in->ino);
}

bool ext4_has_block_map(const struct ext4_fs *fs, const struct ext4_inode *in)
{
	uint32_t type = in->mode & EXT4_S_IFMT;

	if (in->flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL))
		return false;
	if (type == EXT4_S_IFREG || type == EXT4_S_IFDIR)
		return true;
	/* a slow symlink: more blocks than the xattr block */
	return type == EXT4_S_IFLNK &&
	       in->blocks > (in->file_acl ? fs->block_size / 512 : 0u);
}

/* Every data and tree block of @in (its xattr block stays). */
static int free_all_blocks(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *in)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	struct ext4_extent_header *eh = (void *)di->i_block;
	int err;

	if (!(in->flags & EXT4_EXTENTS_FL)) {
		if (ext4_has_block_map(fs, in)) {
			err = ext4_ind_shrink(h, fs, in, 0);
			if (err)
				return err;
			memset(di->i_block, 0, sizeof(di->i_block));
			in->blocks = in->file_acl ? fs->block_size / 512 : 0;
		}
		in->size = 0;
		return 0;
	}
	err = shrink_blocks(h, fs, in, 0);
	if (err)
		return err;
	eh->eh_entries = 0;
	eh->eh_depth = 0;
	eh->eh_max = (sizeof(di->i_block) - sizeof(*eh)) /
		     sizeof(struct ext4_extent);
	in->size = 0;
	/* i_blocks also counts the xattr block, which stays */
	in->blocks = in->file_acl ? fs->block_size / 512 : 0;
	return 0;
}

int ext4_free_inode_blocks(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *in)
{
	return free_all_blocks(h, fs, in);
}

/* Zero the bytes of @in's block holding offset @size from @size on. */
static int zero_tail(struct ext4_fs *fs, struct ext4_inode *in, uint64_t size)
{
	uint32_t off = (uint32_t)(size & (fs->block_size - 1));
	uint64_t pblk, contig;
	uint8_t *buf;
	int err;

	if (!off)
		return 0;
	err = ext4_map_block(fs, in, size >> fs->log_block_size, &pblk, &contig);
	if (err || !pblk)
		return err;
	buf = kmalloc(fs->block_size);
	if (!buf)
		return -ENOMEM;
	err = block_rw(fs->bdev, BLOCK_READ, pblk << (fs->log_block_size - 9),
		       buf, fs->block_size);
	if (!err) {
		memset(buf + off, 0, fs->block_size - off);
		err = block_rw(fs->bdev, BLOCK_WRITE,
			       pblk << (fs->log_block_size - 9), buf,
			       fs->block_size);
	}
	kfree(buf);
	return err;
}

int ext4_ext_collapse(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *in)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	struct ext4_extent_header *root = (void *)di->i_block, *leaf;
	struct ext4_extent_idx *ix = (void *)(root + 1);
	struct ext4_extent keep[4];
	unsigned cap = (sizeof(di->i_block) - sizeof(*root)) /
		       sizeof(struct ext4_extent);
	struct buffer *b;
	uint64_t blk;
	unsigned n;
	int err;

	if (!(in->flags & EXT4_EXTENTS_FL) || root->eh_depth != 1 ||
	    root->eh_entries != 1 || journal_handle_credits(h) < 3)
		return 0;
	blk = ix->ei_leaf_lo | (uint64_t)ix->ei_leaf_hi << 32;
	b = ext4_bread(fs, blk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	leaf = b->data;
	err = ext4_ext_check_header(fs, in, leaf, fs->block_size, 0);
	n = err ? 0 : leaf->eh_entries;
	if (!err && n <= cap && n <= ARRAY_SIZE(keep))
		memcpy(keep, leaf + 1, n * sizeof(keep[0]));
	mutex_unlock(&b->lock);
	buffer_put(b);
	if (err || n > cap || n > ARRAY_SIZE(keep))
		return err;
	err = journal_revoke(h, blk, NULL);
	if (!err) {
		buffer_forget(fs->bdev, blk, fs->block_size);
		err = ext4_free_blocks(h, fs, blk, 1);
	}
	if (err)
		return err;
	in->blocks -= fs->block_size / 512;
	root->eh_depth = 0;
	root->eh_entries = (uint16_t)n;
	memset(root + 1, 0, sizeof(di->i_block) - sizeof(*root));
	memcpy(root + 1, keep, n * sizeof(keep[0]));
	return 0;
}

int ext4_truncate(struct journal_handle *h, struct ext4_fs *fs,
		  struct ext4_inode *in, uint64_t size, struct ext4_time now)
{
	int err;

	if ((in->mode & EXT4_S_IFMT) != EXT4_S_IFREG)
		return -EINVAL;
	if (size > (1ull << 32) * fs->block_size - 1 || size > (1ull << 62))
		return -EFBIG;
	in->mtime = in->ctime = now;
	if (size >= in->size) {
		in->size = size;        /* a hole up to the new end */
		return ext4_inode_write(h, fs, in);
	}
	if (size == 0) {
		err = free_all_blocks(h, fs, in);
		if (err)
			return err;
		return ext4_inode_write(h, fs, in);
	}
	err = zero_tail(fs, in, size);
	if (err)
		return err;
	if (!(in->flags & EXT4_EXTENTS_FL))
		err = ext4_has_block_map(fs, in)
			? ext4_ind_shrink(h, fs, in, DIV_ROUND_UP(size, fs->block_size))
			: -EOPNOTSUPP;
	else
		err = shrink_blocks(h, fs, in, DIV_ROUND_UP(size, fs->block_size));
	if (!err && (in->flags & EXT4_EXTENTS_FL))
		err = ext4_ensure_credits(h, fs, in, 3 + EXT4_CREDITS_INODE_WRITE);
	if (!err)
		err = ext4_ext_collapse(h, fs, in);
	if (err)
		return err;
	in->size = size;
	return ext4_inode_write(h, fs, in);
}

/* ---- extent tree growth (appending at the end of the file) ---- */

static uint32_t node_cap(const struct ext4_fs *fs)
{
	return (fs->block_size - sizeof(struct ext4_extent_header)) /
	       sizeof(struct ext4_extent);
}

/* Set an extent block's checksum tail (after eh_max entries). */
void ext4_ext_node_csum_set(const struct ext4_fs *fs,
			    const struct ext4_inode *in,
			    struct ext4_extent_header *eh)
{
	size_t tail = sizeof(*eh) + (size_t)eh->eh_max * sizeof(struct ext4_extent);
	uint32_t c;

	if (!fs->csum || tail + 4 > fs->block_size)
		return;
	c = crc32c(in->csum_seed, eh, tail);
	memcpy((uint8_t *)eh + tail, &c, 4);
}

/* A new, empty extent block of @depth near @goal: *b (created under @h,
 * locked by nobody), *blk its number; i_blocks counts it. */
int ext4_ext_node_new(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, uint64_t goal, unsigned depth,
		    struct buffer **bp, uint64_t *blk)
{
	struct ext4_extent_header *eh;
	struct buffer *b;
	uint32_t n = 1;
	int err;

	err = ext4_new_blocks(h, fs, goal, &n, blk);
	if (err)
		return err;
	b = ext4_bget_new(h, fs, *blk);
	if (IS_ERR(b)) {
		ext4_free_blocks(h, fs, *blk, 1);
		return PTR_ERR(b);
	}
	mutex_lock(&b->lock);
	eh = b->data;
	eh->eh_magic = EXT4_EXT_MAGIC;
	eh->eh_max = (uint16_t)node_cap(fs);
	eh->eh_depth = (uint16_t)depth;
	mutex_unlock(&b->lock);
	in->blocks += fs->block_size / 512;
	*bp = b;
	return 0;
}

/* The root is full: move its entries into a new block below it. */
int ext4_ext_grow_root(struct journal_handle *h, struct ext4_fs *fs,
		     struct ext4_inode *in, uint64_t goal)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	struct ext4_extent_header *root = (void *)di->i_block, *eh;
	struct ext4_extent_idx *ix = (void *)(root + 1);
	struct buffer *b;
	uint64_t blk;
	uint32_t first;
	int err;

	if (root->eh_depth >= EXT4_EXT_MAX_DEPTH)
		return -EFBIG;
	err = ext4_ext_node_new(h, fs, in, goal, root->eh_depth, &b, &blk);
	if (err)
		return err;
	mutex_lock(&b->lock);
	eh = b->data;
	memcpy(eh + 1, root + 1, (size_t)root->eh_entries * 12);
	eh->eh_entries = root->eh_entries;
	ext4_ext_node_csum_set(fs, in, eh);
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, b);
	buffer_put(b);
	if (err)
		return err;
	first = ((struct ext4_extent *)(root + 1))->ee_block; /* = ei_block */
	memset(root + 1, 0, sizeof(di->i_block) - sizeof(*root));
	root->eh_depth++;
	root->eh_entries = 1;
	ix[0].ei_block = first;
	ix[0].ei_leaf_lo = (uint32_t)blk;
	ix[0].ei_leaf_hi = (uint16_t)(blk >> 32);
	return 0;
}

int ext4_extent_add(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, uint32_t lblk, uint64_t pblk,
		    uint32_t len)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	struct ext4_extent_header *root = (void *)di->i_block;
	struct {
		struct buffer *b;       /* NULL: the root in the inode */
		struct ext4_extent_header *eh;
	} path[EXT4_EXT_MAX_DEPTH + 1];
	unsigned depth, k, held = 0;      /* path[1..held] hold buffers */
	int err;

	for (int tries = 0; tries < EXT4_EXT_MAX_DEPTH + 1; tries++) {
		err = ext4_ext_check_header(fs, in, root, sizeof(di->i_block), -1);
		if (err)
			return err;
		depth = root->eh_depth;
		if (depth == 0) {
			err = ext4_extent_append(fs, in, lblk, pblk, len);
			if (err != -ENOSPC)
				return err;
			err = ext4_ext_grow_root(h, fs, in, pblk);
			if (err)
				return err;
			continue;
		}
		/* the rightmost path down to the last leaf */
		path[0].b = NULL;
		path[0].eh = root;
		for (k = 0; k < depth; k++) {
			struct ext4_extent_header *eh = path[k].eh;
			struct ext4_extent_idx *ix = (void *)(eh + 1);
			uint64_t child;
			struct buffer *b;

			if (eh->eh_entries == 0) {
				err = EXT4_CORRUPT(fs, "inode %u: empty extent index", in->ino);
				goto out_path;
			}
			ix += eh->eh_entries - 1;
			child = ix->ei_leaf_lo | (uint64_t)ix->ei_leaf_hi << 32;
			b = ext4_bread(fs, child);
			if (IS_ERR(b)) {
				err = PTR_ERR(b);
				goto out_path;
			}
			path[k + 1].b = b;
			path[k + 1].eh = b->data;
			held = k + 1;
			err = ext4_ext_check_header(fs, in, b->data, fs->block_size,
						    (int)(depth - k - 1));
			if (!err)
				err = ext4_ext_check_block_csum(fs, in, b->data, child);
			if (err)
				goto out_path;
		}
		/* the leaf: merge or add when it has room */
		struct ext4_extent_header *leaf = path[depth].eh;
		struct ext4_extent *e = (void *)(leaf + 1);
		if (leaf->eh_entries) {
			struct ext4_extent *last = &e[leaf->eh_entries - 1];
			if (last->ee_len > EXT4_EXT_INIT_MAX_LEN ||
			    lblk < last->ee_block + last->ee_len) {
				err = -EINVAL;
				goto out_path;
			}
		}
		if (leaf->eh_entries < leaf->eh_max ||
		    (leaf->eh_entries &&
		     lblk == e[leaf->eh_entries - 1].ee_block + e[leaf->eh_entries - 1].ee_len &&
		     pblk == ext_start(&e[leaf->eh_entries - 1]) + e[leaf->eh_entries - 1].ee_len &&
		     e[leaf->eh_entries - 1].ee_len + len <= EXT4_EXT_INIT_MAX_LEN)) {
			struct buffer *b = path[depth].b;
			err = journal_get_write_access(h, b);
			if (err)
				goto out_path;
			mutex_lock(&b->lock);
			struct ext4_extent *last = leaf->eh_entries ? &e[leaf->eh_entries - 1] : NULL;
			if (last && lblk == last->ee_block + last->ee_len &&
			    pblk == ext_start(last) + last->ee_len &&
			    last->ee_len + len <= EXT4_EXT_INIT_MAX_LEN) {
				last->ee_len = (uint16_t)(last->ee_len + len);
			} else {
				struct ext4_extent *n = &e[leaf->eh_entries++];
				n->ee_block = lblk;
				n->ee_len = (uint16_t)len;
				n->ee_start_hi = (uint16_t)(pblk >> 32);
				n->ee_start_lo = (uint32_t)pblk;
			}
			ext4_ext_node_csum_set(fs, in, leaf);
			mutex_unlock(&b->lock);
			err = journal_dirty_metadata(h, b);
			if (!err)
				in->blocks += (uint64_t)len << (fs->log_block_size - 9);
			goto out_path;
		}
		/* the leaf is full: the lowest index node with room */
		int top = -1;
		for (int j = (int)depth - 1; j >= 0; j--)
			if (path[j].eh->eh_entries < path[j].eh->eh_max) {
				top = j;
				break;
			}
		if (top < 0) {
			for (k = 1; k <= held; k++)
				buffer_put(path[k].b);
			held = 0;
			err = ext4_ext_grow_root(h, fs, in, pblk);
			if (err)
				return err;
			continue;
		}
		/* a new chain of nodes from level top+1 down to a leaf */
		uint64_t child = 0;
		for (int lvl = (int)depth; lvl > top; lvl--) {
			struct buffer *nb;
			uint64_t nblk;
			struct ext4_extent_header *neh;

			err = ext4_ext_node_new(h, fs, in, pblk, depth - (unsigned)lvl, &nb, &nblk);
			if (err) {
				goto out_path;
			}
			mutex_lock(&nb->lock);
			neh = nb->data;
			neh->eh_entries = 1;
			if (lvl == (int)depth) {
				struct ext4_extent *n = (void *)(neh + 1);
				n->ee_block = lblk;
				n->ee_len = (uint16_t)len;
				n->ee_start_hi = (uint16_t)(pblk >> 32);
				n->ee_start_lo = (uint32_t)pblk;
			} else {
				struct ext4_extent_idx *n = (void *)(neh + 1);
				n->ei_block = lblk;
				n->ei_leaf_lo = (uint32_t)child;
				n->ei_leaf_hi = (uint16_t)(child >> 32);
			}
			ext4_ext_node_csum_set(fs, in, neh);
			mutex_unlock(&nb->lock);
			err = journal_dirty_metadata(h, nb);
			buffer_put(nb);
			if (err) {
				goto out_path;
			}
			child = nblk;
		}
		in->blocks += (uint64_t)len << (fs->log_block_size - 9);
		/* link it into path[top] */
		struct ext4_extent_idx *ix = (void *)(path[top].eh + 1);
		if (path[top].b) {
			err = journal_get_write_access(h, path[top].b);
			if (err) {
				goto out_path;
			}
			mutex_lock(&path[top].b->lock);
		}
		ix += path[top].eh->eh_entries++;
		ix->ei_block = lblk;
		ix->ei_leaf_lo = (uint32_t)child;
		ix->ei_leaf_hi = (uint16_t)(child >> 32);
		ix->ei_unused = 0;
		if (path[top].b) {
			ext4_ext_node_csum_set(fs, in, path[top].eh);
			mutex_unlock(&path[top].b->lock);
			err = journal_dirty_metadata(h, path[top].b);
		}
		goto out_path;
	}
	return -EFBIG;

out_path:
	for (unsigned j = 1; j <= held; j++)
		buffer_put(path[j].b);
	return err;
}
