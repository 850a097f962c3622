/*
 * ext4 names, write side (write path, step 4 so far): adding entries to
 * linear directories, creating inodes of every kind and directories.
 *
 * Model: a linear directory is a run of blocks of entries whose rec_len
 * chain covers the block (up to the 12-byte checksum tail with
 * metadata_csum).  A new entry goes into the first entry with room for
 * it after its own name (the entry is split), else into a new block
 * appended to the directory (one extent more, merged when adjacent).
 * Directory blocks are metadata: changed under the journal handle, with
 * the tail's crc32c (seeded by the directory inode) set.  A one-block
 * directory that fills up is indexed, and names in indexed (htree)
 * directories are added and found through the index (ext4/htree.c);
 * one whose index we cannot use (an unknown hash) becomes linear at its
 * first change (dir_unindex; valid for e2fsck).  Inline directories are
 * refused with -EOPNOTSUPP for now.
 *
 * Removing names: the caller passes the inodes the names refer to (its
 * own decoded copies, which the library changes and writes, so no
 * private copy can later undo a change); an inode losing its last link
 * goes on the orphan list (ext4/orphan.c) and the caller frees it when
 * unused.
 *
 * Locking: the caller holds the directory (no concurrent change of it)
 * and the inodes it passes; blocks are changed under their buffer locks.
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/block.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/string.h"
#include "mm/mm.h"

/* ext4 file_type of a mode (the filetype feature). */
static uint8_t mode_to_ft(uint16_t mode)
{
	switch (mode & EXT4_S_IFMT) {
	case EXT4_S_IFREG: return 1;
	case EXT4_S_IFDIR: return 2;
	case EXT4_S_IFCHR: return 3;
	case EXT4_S_IFBLK: return 4;
	case EXT4_S_IFIFO: return 5;
	case EXT4_S_IFSOCK: return 6;
	case EXT4_S_IFLNK: return 7;
	}
	return 0;
}

static uint32_t entry_size(unsigned name_len)
{
	return (EXT4_DIR_ENTRY_HEADER + name_len + 3) & ~3u;
}

/* Where entries end in a directory block (before the tail). */
static uint32_t entries_end(const struct ext4_fs *fs)
{
	return fs->block_size - (fs->csum ? EXT4_DIR_TAIL_SIZE : 0);
}

static void set_tail(const struct ext4_fs *fs, const struct ext4_inode *dir,
		     uint8_t *blk)
{
	struct ext4_dir_entry *t;
	uint32_t c;

	if (!fs->csum)
		return;
	t = (void *)(blk + fs->block_size - EXT4_DIR_TAIL_SIZE);
	t->inode = 0;
	t->rec_len = EXT4_DIR_TAIL_SIZE;
	t->name_len = 0;
	t->file_type = EXT4_DIR_TAIL_FT;
	c = crc32c(dir->csum_seed, blk, fs->block_size - EXT4_DIR_TAIL_SIZE);
	memcpy(blk + fs->block_size - 4, &c, 4);
}

static void put_entry(const struct ext4_fs *fs, uint8_t *at, uint32_t ino,
		      const char *name, unsigned len, uint16_t mode,
		      uint32_t rec_len)
{
	struct ext4_dir_entry *de = (void *)at;

	de->inode = ino;
	de->rec_len = (uint16_t)rec_len;
	de->name_len = (uint8_t)len;
	de->file_type = (fs->incompat & EXT4_INCOMPAT_FILETYPE)
				? mode_to_ft(mode) : 0;
	memcpy(de->name, name, len);
}

/* The first entry of block @blk with room for a name of @len after its
 * own (or an unused one): true, *off it and *used its bytes (0: unused). */
static bool find_gap(const struct ext4_fs *fs, const uint8_t *blk,
		     unsigned len, uint32_t *off, uint32_t *used)
{
	uint32_t need = entry_size(len), end = entries_end(fs);

	for (*off = 0; *off + EXT4_DIR_ENTRY_HEADER <= end;) {
		const struct ext4_dir_entry *de = (const void *)(blk + *off);
		uint32_t rec = de->rec_len;

		*used = de->inode ? entry_size(de->name_len) : 0;
		if (rec < EXT4_DIR_ENTRY_HEADER || *off + rec > end || *used > rec)
			return false;   /* a bad entry: no room here */
		if (rec - *used >= need)
			return true;
		*off += rec;
	}
	return false;
}

/* Try to place the entry in block @b; true if done (b->lock held). */
static bool place_in_block(const struct ext4_fs *fs, uint8_t *blk,
			   uint32_t ino, const char *name, unsigned len,
			   uint16_t mode)
{
	uint32_t off, used, rec;
	struct ext4_dir_entry *de;

	if (!find_gap(fs, blk, len, &off, &used))
		return false;
	de = (void *)(blk + off);
	rec = de->rec_len;
	if (used) {
		de->rec_len = (uint16_t)used;
		put_entry(fs, blk + off + used, ino, name, len, mode, rec - used);
	} else {
		put_entry(fs, blk + off, ino, name, len, mode, rec);
	}
	return true;
}

/* ---- for htree.c (contracts in internal.h) ---- */

uint32_t ext4_dirent_size(unsigned len)
{
	return entry_size(len);
}

uint32_t ext4_dirent_end(const struct ext4_fs *fs)
{
	return entries_end(fs);
}

void ext4_dirent_set_tail(const struct ext4_fs *fs,
			  const struct ext4_inode *dir, uint8_t *blk)
{
	set_tail(fs, dir, blk);
}

void ext4_dirent_put(const struct ext4_fs *fs, uint8_t *at, uint32_t ino,
		     const char *name, unsigned len, uint16_t mode,
		     uint32_t rec_len)
{
	put_entry(fs, at, ino, name, len, mode, rec_len);
}

bool ext4_dirent_place(const struct ext4_fs *fs, uint8_t *blk, uint32_t ino,
		       const char *name, unsigned len, uint16_t mode)
{
	return place_in_block(fs, blk, ino, name, len, mode);
}

int ext4_dir_append_block(struct journal_handle *h, struct ext4_fs *fs,
			  struct ext4_inode *dir, uint64_t *lblk,
			  struct buffer **out)
{
	uint64_t nblocks = dir->size >> fs->log_block_size;
	uint64_t pblk = 0;
	struct buffer *b;
	uint32_t n;
	bool fresh;
	int err;

	if (nblocks >= UINT32_MAX)
		return -ENOSPC;
	/* extents or a block map (ext3): allocated near the last block */
	err = ext4_map_blocks_create(h, fs, dir, (uint32_t)nblocks, 1, &pblk,
				     &n, &fresh);
	if (err)
		return err;
	b = ext4_bget_new(h, fs, pblk);
	if (IS_ERR(b))
		return PTR_ERR(b);      /* the extent holds the block: fsck's to mend */
	/* an empty leaf until the caller fills it: valid if it fails */
	mutex_lock(&b->lock);
	put_entry(fs, b->data, 0, "", 0, 0, entries_end(fs));
	set_tail(fs, dir, b->data);
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, b);
	dir->size += fs->block_size;
	if (!err)
		err = ext4_inode_write(h, fs, dir);
	if (err) {
		buffer_put(b);
		return err;
	}
	*lblk = nblocks;
	*out = b;
	return 0;
}

/* Make dx node block @lblk of @dir a plain directory block: its fake
 * entry (offset @off: 0 for an inner node, 12 for the root's "..")
 * ends before a checksum tail. */
static int dx_block_unindex(struct journal_handle *h, struct ext4_fs *fs,
			    struct ext4_inode *dir, uint64_t lblk, uint32_t off)
{
	uint64_t pblk, contig;
	struct ext4_dir_entry *de;
	struct buffer *b;
	int err;

	err = ext4_map_block(fs, dir, lblk, &pblk, &contig);
	if (err)
		return err;
	if (!pblk)
		return EXT4_CORRUPT(fs, "dir %u: htree node in a hole", dir->ino);
	b = ext4_bread(fs, pblk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	err = journal_get_write_access(h, b);
	if (!err) {
		mutex_lock(&b->lock);
		de = (void *)((uint8_t *)b->data + off);
		if (off + de->rec_len != fs->block_size) {
			err = EXT4_CORRUPT(fs, "dir %u: htree node %llu not a full fake entry",
					   dir->ino, (unsigned long long)lblk);
		} else {
			de->rec_len = (uint16_t)(entries_end(fs) - off);
			set_tail(fs, dir, b->data);
		}
		mutex_unlock(&b->lock);
		if (!err)
			err = journal_dirty_metadata(h, b);
	}
	buffer_put(b);
	return err;
}

/*
 * The fallback for indexed directories until htree insertion exists: the
 * first change turns the directory into a linear one (valid on disk and
 * for e2fsck): the root block's ".." and each inner node's fake entry end
 * before a checksum tail, and INDEX_FL is cleared (inode written).
 * Leaf blocks already are plain directory blocks.
 */
static int dir_unindex(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *dir)
{
	const struct ext4_dx_root_info *info;
	uint32_t *inner = NULL, n_inner = 0;
	uint64_t pblk, contig;
	struct buffer *b;
	int err;

	if (!(dir->flags & EXT4_INDEX_FL))
		return 0;
	if (fs->csum) {
		err = ext4_map_block(fs, dir, 0, &pblk, &contig);
		if (err)
			return err;
		if (!pblk)
			return EXT4_CORRUPT(fs, "dir %u: no htree root", dir->ino);
		b = ext4_bread(fs, pblk);
		if (IS_ERR(b))
			return PTR_ERR(b);
		info = (const void *)((const uint8_t *)b->data + 24);
		if (info->indirect_levels > 1) {
			buffer_put(b);
			return -EOPNOTSUPP;
		}
		if (info->indirect_levels == 1) {
			const uint8_t *ents = (const uint8_t *)b->data + 24 +
					      info->info_length;
			uint16_t count;
			memcpy(&count, ents + 2, 2);
			if (24u + info->info_length + (uint32_t)count * 8 > fs->block_size) {
				buffer_put(b);
				return EXT4_CORRUPT(fs, "dir %u: bad htree root", dir->ino);
			}
			inner = kmalloc((size_t)count * 4 + 4);
			if (!inner) {
				buffer_put(b);
				return -ENOMEM;
			}
			for (uint16_t i = 0; i < count; i++)
				memcpy(&inner[n_inner++], ents + i * 8 + 4, 4);
		}
		buffer_put(b);
		err = dx_block_unindex(h, fs, dir, 0, 12);
		for (uint32_t i = 0; i < n_inner && !err; i++)
			err = dx_block_unindex(h, fs, dir, inner[i] & 0x0fffffff, 0);
		kfree(inner);
		if (err)
			return err;
	}
	dir->flags &= ~EXT4_INDEX_FL;
	return ext4_inode_write(h, fs, dir);
}

int ext4_dir_add_entry(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *dir, const char *name, unsigned len,
		       uint32_t ino, uint16_t mode)
{
	uint64_t nblocks = dir->size >> fs->log_block_size;
	uint32_t found;
	struct buffer *b;
	uint64_t pblk, contig;
	int err;

	if (len == 0 || len > EXT4_NAME_LEN)
		return len ? -ENAMETOOLONG : -ENOENT;
	if ((dir->mode & EXT4_S_IFMT) != EXT4_S_IFDIR)
		return -ENOTDIR;
	if (dir->flags & EXT4_INLINE_DATA_FL)
		return -EOPNOTSUPP;
	err = ext4_dir_lookup(fs, dir, name, len, &found);
	if (err == 0)
		return -EEXIST;
	if (err != -ENOENT)
		return err;
	if ((dir->flags & EXT4_INDEX_FL) && (fs->compat & EXT4_COMPAT_DIR_INDEX)) {
		err = ext4_dx_add_entry(h, fs, dir, name, len, ino, mode);
		if (err != -EOPNOTSUPP)
			return err;
	}
	err = dir_unindex(h, fs, dir);
	if (err)
		return err;
	for (uint64_t l = 0; l < nblocks; l++) {
		uint32_t gap, used;
		bool done;

		err = ext4_map_block(fs, dir, l, &pblk, &contig);
		if (err)
			return err;
		if (!pblk)
			continue;
		b = ext4_bread(fs, pblk);
		if (IS_ERR(b))
			return PTR_ERR(b);
		/* write access (a credit) only for the block that takes it */
		mutex_lock(&b->lock);
		done = find_gap(fs, b->data, len, &gap, &used);
		mutex_unlock(&b->lock);
		if (done)
			err = journal_get_write_access(h, b);
		if (done && !err) {
			mutex_lock(&b->lock);
			if (!place_in_block(fs, b->data, ino, name, len, mode))
				err = EXT4_CORRUPT(fs, "dir %u changed under us", dir->ino);
			set_tail(fs, dir, b->data);
			mutex_unlock(&b->lock);
			if (!err)
				err = journal_dirty_metadata(h, b);
		}
		buffer_put(b);
		if (done)
			return err;
	}
	/* no room: a one-block directory gets an index (as Linux, only at
	 * this growth), else a new block at the end */
	if (nblocks == 1) {
		err = ext4_dx_make_indexed(h, fs, dir, name, len, ino, mode);
		if (err != -EOPNOTSUPP)
			return err;
	}
	err = ext4_dir_append_block(h, fs, dir, &pblk, &b);
	if (err)
		return err;
	mutex_lock(&b->lock);
	put_entry(fs, b->data, ino, name, len, mode, entries_end(fs));
	set_tail(fs, dir, b->data);
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, b);
	buffer_put(b);
	return err;
}

int ext4_create(struct journal_handle *h, struct ext4_fs *fs,
		struct ext4_inode *dir, const char *name, unsigned len,
		uint16_t mode, uint32_t uid, uint32_t gid, uint32_t rdev,
		struct ext4_time now, struct ext4_inode *out)
{
	bool is_dir = (mode & EXT4_S_IFMT) == EXT4_S_IFDIR;
	uint64_t dirblk = 0;
	uint32_t ino, found;
	int err;

	if (len == 0 || len > EXT4_NAME_LEN)
		return len ? -ENAMETOOLONG : -ENOENT;
	if (dir->flags & EXT4_INLINE_DATA_FL)
		return -EOPNOTSUPP;
	err = ext4_dir_lookup(fs, dir, name, len, &found);
	if (err == 0)
		return -EEXIST;
	if (err != -ENOENT)
		return err;
	if (is_dir && dir->links >= 65000 &&
	    !(fs->ro_compat & EXT4_RO_COMPAT_DIR_NLINK))
		return -EMLINK;
	err = ext4_new_inode_nr(h, fs, dir->ino, is_dir, &ino);
	if (err)
		return err;
	err = ext4_inode_init_new(fs, out, ino, mode, uid, gid, now);
	if (err)
		goto free_ino;
	out->rdev = rdev;
	if (is_dir) {
		uint64_t pblk;
		uint32_t n;
		bool fresh;
		struct buffer *b;

		/* near the inode's table; an extent or a block map (ext3) */
		err = ext4_map_blocks_create(h, fs, out, 0, 1, &pblk, &n, &fresh);
		if (err)
			goto put;
		dirblk = pblk;
		b = buffer_get(fs->bdev, pblk, fs->block_size);
		if (IS_ERR(b)) {
			err = PTR_ERR(b);
			goto put;
		}
		err = journal_get_create_access(h, b);
		if (!err) {
			mutex_lock(&b->lock);
			memset(b->data, 0, fs->block_size);
			put_entry(fs, b->data, ino, ".", 1, mode, 12);
			put_entry(fs, (uint8_t *)b->data + 12, dir->ino, "..", 2,
				  dir->mode, entries_end(fs) - 12);
			set_tail(fs, out, b->data);
			b->flags |= BUFFER_UPTODATE;
			mutex_unlock(&b->lock);
			err = journal_dirty_metadata(h, b);
		}
		buffer_put(b);
		if (err)
			goto put;
		out->size = fs->block_size;
		out->links = 2;
	}
	err = ext4_inode_write(h, fs, out);
	if (err)
		goto put;
	err = ext4_dir_add_entry(h, fs, dir, name, len, ino, mode);
	if (err)
		goto put;       /* the inode is orphaned: fsck's to mend */
	if (is_dir) {
		/* dir_nlink: past 64999 subdirectories the count is 1 */
		if (dir->links >= 64999 || dir->links == 1)
			dir->links = 1;
		else
			dir->links++;
	}
	dir->mtime = dir->ctime = now;
	return ext4_inode_write(h, fs, dir);

put:
	ext4_inode_put(out);
	if (dirblk)
		ext4_free_blocks(h, fs, dirblk, 1);
free_ino:
	ext4_free_inode_nr(h, fs, ino, is_dir);
	return err;
}

/* Find @name in logical block @lblk of @dir and take it out (or, with
 * @new_ino, point it at @new_ino of type @new_mode instead); *ino gets
 * its old inode.  1 done, 0 not in this block, or -errno. */
static int change_in_block(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *dir, uint64_t lblk,
			   const char *name, unsigned len, uint32_t *ino,
			   uint32_t new_ino, uint16_t new_mode)
{
	uint32_t off = 0, prev = UINT32_MAX, end = entries_end(fs);
	uint64_t pblk, contig;
	struct buffer *b;
	bool done = false;
	int err;

	err = ext4_map_block(fs, dir, lblk, &pblk, &contig);
	if (err || !pblk)
		return err;
	b = ext4_bread(fs, pblk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	mutex_lock(&b->lock);
	while (off + EXT4_DIR_ENTRY_HEADER <= end) {
		struct ext4_dir_entry *de = (void *)((uint8_t *)b->data + off);
		if (de->rec_len < EXT4_DIR_ENTRY_HEADER ||
		    off + de->rec_len > end)
			break;
		if (de->inode && de->name_len == len &&
		    !memcmp(de->name, name, len)) {
			done = true;
			break;
		}
		prev = off;
		off += de->rec_len;
	}
	mutex_unlock(&b->lock);
	if (!done) {
		buffer_put(b);
		return 0;
	}
	err = journal_get_write_access(h, b);
	if (!err) {
		mutex_lock(&b->lock);
		struct ext4_dir_entry *de = (void *)((uint8_t *)b->data + off);
		*ino = de->inode;
		if (new_ino) {
			de->inode = new_ino;
			if (fs->incompat & EXT4_INCOMPAT_FILETYPE)
				de->file_type = mode_to_ft(new_mode);
		} else if (prev != UINT32_MAX) {
			struct ext4_dir_entry *p = (void *)((uint8_t *)b->data + prev);
			p->rec_len = (uint16_t)(p->rec_len + de->rec_len);
		} else {
			de->inode = 0;
		}
		set_tail(fs, dir, b->data);
		mutex_unlock(&b->lock);
		err = journal_dirty_metadata(h, b);
	}
	buffer_put(b);
	return err ? err : 1;
}

struct change_ctx {
	struct journal_handle *h;
	struct ext4_fs *fs;
	struct ext4_inode *dir;
	const char *name;
	unsigned len;
	uint32_t *ino;
	uint32_t new_ino;
	uint16_t new_mode;
};

static int change_leaf_fn(void *ctx, uint64_t lblk)
{
	struct change_ctx *c = ctx;

	return change_in_block(c->h, c->fs, c->dir, lblk, c->name, c->len,
			       c->ino, c->new_ino, c->new_mode);
}

/* Take entry @name out of @dir's blocks (or, with @new_ino, point it at
 * @new_ino of type @new_mode instead); *ino gets its old inode.  In an
 * indexed directory only the leaves the index names are searched (and
 * ".." is in the root block). */
static int change_entry(struct journal_handle *h, struct ext4_fs *fs,
			struct ext4_inode *dir, const char *name,
			unsigned len, uint32_t *ino, uint32_t new_ino,
			uint16_t new_mode)
{
	uint64_t nblocks = dir->size >> fs->log_block_size;
	int err;

	if (dir->flags & EXT4_INLINE_DATA_FL)
		return -EOPNOTSUPP;
	if ((dir->flags & EXT4_INDEX_FL) && (fs->compat & EXT4_COMPAT_DIR_INDEX)) {
		struct change_ctx c = {h, fs, dir, name, len, ino, new_ino, new_mode};

		if (len == 2 && name[0] == '.' && name[1] == '.' && new_ino) {
			err = ext4_dx_set_dotdot(h, fs, dir, new_ino, new_mode, ino);
			if (err != -EOPNOTSUPP)
				return err;
		} else {
			err = ext4_dx_leaf_walk(fs, dir, name, len, change_leaf_fn, &c);
			if (err != -EOPNOTSUPP)
				return err < 0 ? err : err ? 0 : -ENOENT;
		}
	}
	err = dir_unindex(h, fs, dir);
	if (err)
		return err;
	for (uint64_t l = 0; l < nblocks; l++) {
		err = change_in_block(h, fs, dir, l, name, len, ino, new_ino,
				      new_mode);
		if (err)
			return err < 0 ? err : 0;
	}
	return -ENOENT;
}

/* Drop one link of @in (a directory: all of them), ctime @now, written;
 * at 0 it becomes an orphan (freed later by ext4_inode_free). */
static int drop_link(struct journal_handle *h, struct ext4_fs *fs,
		     struct ext4_inode *in, bool is_dir, struct ext4_time now)
{
	in->ctime = now;
	if (is_dir || in->links <= 1) {
		in->links = 0;
		return ext4_orphan_add(h, fs, in);
	}
	in->links--;
	return ext4_inode_write(h, fs, in);
}

static int find_entry_fn(void *ctx, const char *name, unsigned len,
			 uint32_t ino, unsigned dtype, uint64_t pos,
			 uint64_t next)
{
	bool dot = (len == 1 && name[0] == '.') ||
		   (len == 2 && name[0] == '.' && name[1] == '.');

	if (dot)
		return 0;
	*(bool *)ctx = true;
	return 1;               /* one is enough */
}

/* rmdir's and rename's test: 0 if directory @dir holds only "." and
 * "..", else -ENOTEMPTY (or the walk's error). */
static int dir_check_empty(struct ext4_fs *fs, struct ext4_inode *dir)
{
	bool found = false;
	uint64_t pos = 0;
	int err = ext4_dir_iterate(fs, dir, &pos, find_entry_fn, &found);

	if (err < 0)
		return err;
	return found ? -ENOTEMPTY : 0;
}

static int unlink_common(struct journal_handle *h, struct ext4_fs *fs,
			 struct ext4_inode *dir, const char *name,
			 unsigned len, struct ext4_inode *victim,
			 struct ext4_time now, bool want_dir)
{
	uint32_t ino, ino2 = 0;
	bool is_dir;
	int err;

	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return want_dir ? -EINVAL : -EISDIR;
	err = ext4_dir_lookup(fs, dir, name, len, &ino);
	if (err)
		return err;
	if (ino != victim->ino)
		return -EUCLEAN;
	is_dir = (victim->mode & EXT4_S_IFMT) == EXT4_S_IFDIR;
	if (is_dir != want_dir)
		return want_dir ? -ENOTDIR : -EISDIR;
	if (is_dir) {
		err = dir_check_empty(fs, victim);
		if (err)
			return err;
	}
	err = change_entry(h, fs, dir, name, len, &ino2, 0, 0);
	if (!err && ino2 != ino)
		err = EXT4_CORRUPT(fs, "dir %u changed under us", dir->ino);
	if (!err)
		err = drop_link(h, fs, victim, is_dir, now);
	if (err)
		return err;
	if (is_dir && dir->links > 2)
		dir->links--;
	dir->mtime = dir->ctime = now;
	return ext4_inode_write(h, fs, dir);
}

int ext4_unlink(struct journal_handle *h, struct ext4_fs *fs,
		struct ext4_inode *dir, const char *name, unsigned len,
		struct ext4_inode *victim, struct ext4_time now)
{
	return unlink_common(h, fs, dir, name, len, victim, now, false);
}

int ext4_rmdir(struct journal_handle *h, struct ext4_fs *fs,
	       struct ext4_inode *dir, const char *name, unsigned len,
	       struct ext4_inode *victim, struct ext4_time now)
{
	return unlink_common(h, fs, dir, name, len, victim, now, true);
}

int ext4_link(struct journal_handle *h, struct ext4_fs *fs,
	      struct ext4_inode *dir, const char *name, unsigned len,
	      struct ext4_inode *in, struct ext4_time now)
{
	int err;

	if ((in->mode & EXT4_S_IFMT) == EXT4_S_IFDIR)
		return -EPERM;
	if (in->links >= 65000)
		return -EMLINK;
	err = ext4_dir_add_entry(h, fs, dir, name, len, in->ino, in->mode);
	if (err)
		return err;
	in->links++;
	in->ctime = now;
	err = ext4_inode_write(h, fs, in);
	if (err)
		return err;
	dir->mtime = dir->ctime = now;
	return ext4_inode_write(h, fs, dir);
}

int ext4_symlink(struct journal_handle *h, struct ext4_fs *fs,
		 struct ext4_inode *dir, const char *name, unsigned len,
		 const char *target, unsigned tlen, uint32_t uid,
		 uint32_t gid, struct ext4_time now, struct ext4_inode *out)
{
	struct ext4_disk_inode *di;
	int err;

	if (tlen == 0)
		return -ENOENT;
	if (tlen >= fs->block_size)
		return -ENAMETOOLONG;
	err = ext4_create(h, fs, dir, name, len, 0120777, uid, gid, 0, now, out);
	if (err)
		return err;
	di = (void *)out->raw;
	if (tlen < sizeof(di->i_block)) {
		/* fast: the target in i_block, no extents */
		out->flags &= ~EXT4_EXTENTS_FL;
		memset(di->i_block, 0, sizeof(di->i_block));
		memcpy(di->i_block, target, tlen);
	} else {
		uint8_t *blk = kzalloc(fs->block_size);
		uint64_t pblk;
		uint32_t n;
		bool fresh;

		if (!blk)
			return -ENOMEM;
		memcpy(blk, target, tlen);
		/* one block near the inode: an extent, or a block map */
		if (out->flags & EXT4_EXTENTS_FL)
			err = ext4_map_blocks_create(h, fs, out, 0, 1, &pblk, &n, &fresh);
		else
			err = ext4_ind_map_create(h, fs, out, 0, 1, &pblk, &n, &fresh);
		if (!err)
			err = block_rw(fs->bdev, BLOCK_WRITE,
				       pblk << (fs->log_block_size - 9), blk,
				       fs->block_size);
		kfree(blk);
		if (err) {
			ext4_inode_put(out);
			return err;     /* the link stays, empty: fsck's to mend */
		}
	}
	out->size = tlen;
	err = ext4_inode_write(h, fs, out);
	if (err)
		ext4_inode_put(out);
	return err;
}

/* Is directory @anc an ancestor of (or) directory @ino?  Walks "..". */
static int is_ancestor(struct ext4_fs *fs, uint32_t anc, uint32_t ino)
{
	for (unsigned depth = 0; depth < 4096; depth++) {
		struct ext4_inode d;
		uint32_t up;
		int err;

		if (ino == anc)
			return 1;
		if (ino == EXT4_ROOT_INO)
			return 0;
		err = ext4_inode_read(fs, ino, &d);
		if (err)
			return err;
		err = ext4_dir_lookup(fs, &d, "..", 2, &up);
		ext4_inode_put(&d);
		if (err)
			return err;
		ino = up;
	}
	return EXT4_CORRUPT(fs, "directory loop above inode %u", ino);
}

/* Point directory @in's ".." at @parent. */
static int set_dotdot(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *in, struct ext4_inode *parent)
{
	uint32_t old;

	return change_entry(h, fs, in, "..", 2, &old, parent->ino,
			    parent->mode);
}

int ext4_rename(struct journal_handle *h, struct ext4_fs *fs,
		struct ext4_inode *odir, const char *oname, unsigned olen,
		struct ext4_inode *ndir, const char *nname, unsigned nlen,
		struct ext4_inode *src, struct ext4_inode *tgt,
		struct ext4_time now)
{
	uint32_t sino, tino = 0, old;
	bool src_dir, same_dir = odir->ino == ndir->ino;
	int err;

	if ((olen == 1 && oname[0] == '.') || (olen == 2 && !memcmp(oname, "..", 2)) ||
	    (nlen == 1 && nname[0] == '.') || (nlen == 2 && !memcmp(nname, "..", 2)))
		return -EINVAL;
	if (nlen == 0 || nlen > EXT4_NAME_LEN)
		return nlen ? -ENAMETOOLONG : -ENOENT;
	if ((odir->flags | ndir->flags) & EXT4_INLINE_DATA_FL)
		return -EOPNOTSUPP;
	err = ext4_dir_lookup(fs, odir, oname, olen, &sino);
	if (err)
		return err;
	if (sino != src->ino)
		return -EUCLEAN;
	err = ext4_dir_lookup(fs, ndir, nname, nlen, &tino);
	if (err && err != -ENOENT)
		return err;
	if (err == -ENOENT && tgt)
		return -ENOENT;
	if (!err && (!tgt || tgt->ino != tino))
		return -EUCLEAN;
	if (tgt && tino == sino)
		return 0;       /* the same inode: nothing to do */
	src_dir = (src->mode & EXT4_S_IFMT) == EXT4_S_IFDIR;
	if (tgt) {
		bool tgt_dir = (tgt->mode & EXT4_S_IFMT) == EXT4_S_IFDIR;
		if (src_dir && !tgt_dir)
			return -ENOTDIR;
		if (!src_dir && tgt_dir)
			return -EISDIR;
		if (tgt_dir) {
			err = dir_check_empty(fs, tgt);
			if (err)
				return err;
		}
	}
	if (src_dir && !same_dir && (src->flags & EXT4_INLINE_DATA_FL))
		return -EOPNOTSUPP;     /* its ".." cannot be changed yet */
	if (src_dir && !same_dir) {
		int r = is_ancestor(fs, sino, ndir->ino);
		if (r)
			return r < 0 ? r : -EINVAL;
	}
	/* the new name first, then the old one goes */
	if (tgt) {
		err = change_entry(h, fs, ndir, nname, nlen, &old, sino, src->mode);
		if (!err)
			err = drop_link(h, fs, tgt, src_dir, now);
		if (!err && src_dir && ndir->links > 2)
			ndir->links--;  /* the replaced directory's ".." */
	} else {
		err = ext4_dir_add_entry(h, fs, ndir, nname, nlen, sino, src->mode);
	}
	if (!err)
		err = change_entry(h, fs, odir, oname, olen, &old, 0, 0);
	if (err)
		return err;
	if (src_dir && !same_dir) {
		err = set_dotdot(h, fs, src, ndir);
		if (err)
			return err;
		if (odir->links > 2)
			odir->links--;
		if (ndir->links >= 64999 || ndir->links == 1)
			ndir->links = 1;
		else
			ndir->links++;
	}
	src->ctime = now;
	err = ext4_inode_write(h, fs, src);
	if (err)
		return err;
	odir->mtime = odir->ctime = now;
	ndir->mtime = ndir->ctime = now;
	err = ext4_inode_write(h, fs, odir);
	if (!err && !same_dir)
		err = ext4_inode_write(h, fs, ndir);
	return err;
}

/* A directory gains a subdirectory's "..": dir_nlink's rule (1 means
 * "too many to count"). */
static void links_up(struct ext4_inode *dir)
{
	if (dir->links >= 64999 || dir->links == 1)
		dir->links = 1;
	else
		dir->links++;
}

int ext4_rename_exchange(struct journal_handle *h, struct ext4_fs *fs,
			 struct ext4_inode *adir, const char *aname,
			 unsigned alen, struct ext4_inode *a,
			 struct ext4_inode *bdir, const char *bname,
			 unsigned blen, struct ext4_inode *b,
			 struct ext4_time now)
{
	bool same_dir = adir->ino == bdir->ino;
	bool a_dir = (a->mode & EXT4_S_IFMT) == EXT4_S_IFDIR;
	bool b_dir = (b->mode & EXT4_S_IFMT) == EXT4_S_IFDIR;
	uint32_t ino, old;
	int err;

	if ((adir->flags | bdir->flags | a->flags | b->flags) &
	    EXT4_INLINE_DATA_FL)
		return -EOPNOTSUPP;
	err = ext4_dir_lookup(fs, adir, aname, alen, &ino);
	if (!err && ino != a->ino)
		err = -ENOENT;
	if (!err)
		err = ext4_dir_lookup(fs, bdir, bname, blen, &ino);
	if (!err && ino != b->ino)
		err = -ENOENT;
	if (err)
		return err;
	if (!same_dir) {        /* neither may go below itself */
		int r = a_dir ? is_ancestor(fs, a->ino, bdir->ino) : 0;

		if (!r && b_dir)
			r = is_ancestor(fs, b->ino, adir->ino);
		if (r)
			return r < 0 ? r : -EINVAL;
	}
	err = change_entry(h, fs, bdir, bname, blen, &old, a->ino, a->mode);
	if (!err)
		err = change_entry(h, fs, adir, aname, alen, &old, b->ino,
				   b->mode);
	if (!err && !same_dir && a_dir)
		err = set_dotdot(h, fs, a, bdir);
	if (!err && !same_dir && b_dir)
		err = set_dotdot(h, fs, b, adir);
	if (err)
		return err;
	if (!same_dir && a_dir != b_dir) {
		struct ext4_inode *from = a_dir ? adir : bdir;

		if (from->links > 2)
			from->links--;
		links_up(a_dir ? bdir : adir);
	}
	a->ctime = b->ctime = now;
	adir->mtime = adir->ctime = bdir->mtime = bdir->ctime = now;
	err = ext4_inode_write(h, fs, a);
	if (!err)
		err = ext4_inode_write(h, fs, b);
	if (!err)
		err = ext4_inode_write(h, fs, adir);
	if (!err && !same_dir)
		err = ext4_inode_write(h, fs, bdir);
	return err;
}
