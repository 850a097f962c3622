/*
 * ext4 directories (layout "Directory Entries", "Hash Tree Directories",
 * "Inline Data"): listing in on-disk order and lookup by name, linear or
 * through the htree index.
 *
 * Listing positions are byte offsets (logical block * block size +
 * offset in the block), so a getdents cookie stays valid for as long as
 * the directory is unchanged; inline directories use 0 for ".", 1 for
 * ".." and the byte offset in the inline area for the rest.  Every
 * entry's rec_len/name_len is checked against its block, each leaf's
 * crc32c tail and each htree node's dx_tail is verified (metadata_csum),
 * and the htree depth, counts and limits are checked before use.
 */
#include "ext4/internal.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/string.h"
#include "mm/mm.h"

#define INLINE_DOTDOT_SIZE 4
#define INLINE_IBLOCK_SIZE 60

static const uint8_t ft_to_dt[8] = {0, 8, 4, 2, 6, 1, 12, 10};

static unsigned dirent_dtype(const struct ext4_fs *fs, uint8_t ft)
{
	if (!(fs->incompat & EXT4_INCOMPAT_FILETYPE) || ft >= 8)
		return 0;
	return ft_to_dt[ft];
}

/* Blocks of a directory: its size, capped at the 2^32 blocks a block
 * map can address. */
static uint64_t dir_blocks(const struct ext4_fs *fs, const struct ext4_inode *dir)
{
	return MIN(DIV_ROUND_UP(dir->size, fs->block_size), (uint64_t)1 << 32);
}

/* How many mapped blocks a walk of @dir may read: no more than the
 * inode has allocated (i_blocks) nor the file system holds, so that a
 * corrupt map cannot make a walk go on for hours. */
static uint64_t dir_block_budget(const struct ext4_fs *fs,
				 const struct ext4_inode *dir)
{
	uint64_t allocated = dir->blocks >> (fs->log_block_size - 9);

	return MIN(allocated, fs->blocks_count) + 1;
}

static uint32_t rec_len_decode(const struct ext4_fs *fs, uint16_t v)
{
	if (fs->block_size < 65536)
		return v;
	if (v == 65535 || v == 0)
		return 65536;
	return (v & 65532u) | ((uint32_t)(v & 3) << 16);
}

/* Has the block a metadata_csum dirent tail (a fake entry of 12 bytes
 * with file type 0xDE at its end)? */
static bool dirent_tail_present(const struct ext4_fs *fs, const uint8_t *blk)
{
	const struct ext4_dir_entry *t =
		(const void *)(blk + fs->block_size - EXT4_DIR_TAIL_SIZE);
	return t->inode == 0 && t->rec_len == EXT4_DIR_TAIL_SIZE &&
	       t->name_len == 0 && t->file_type == EXT4_DIR_TAIL_FT;
}

/* One directory entry's header fits and is consistent at @off < @end. */
static int dirent_check(struct ext4_fs *fs, struct ext4_inode *dir,
			const uint8_t *base, uint32_t off, uint32_t end,
			uint32_t *rec_len)
{
	const struct ext4_dir_entry *de = (const void *)(base + off);
	uint32_t rl;

	if (end - off < 12)
		return EXT4_CORRUPT(fs, "dir %u: entry at %u runs past its block",
				    dir->ino, off);
	rl = rec_len_decode(fs, de->rec_len);
	if (rl < 12 || rl % 4 || rl > end - off ||
	    rl < ALIGN_UP(EXT4_DIR_ENTRY_HEADER + de->name_len, 4u) ||
	    de->inode > fs->sb.s_inodes_count)
		return EXT4_CORRUPT(fs, "dir %u: bad entry at %u (rec_len %u, name_len %u, inode %u)",
				    dir->ino, off, rl, de->name_len, de->inode);
	*rec_len = rl;
	return 0;
}

/* Verify the crc32c of a dx node (root: count at 32, node: at 8). */
static int dx_csum_check(struct ext4_fs *fs, struct ext4_inode *dir,
			 const uint8_t *blk, uint32_t count_off)
{
	const uint16_t *cl = (const void *)(blk + count_off);
	uint16_t limit = cl[0], count = cl[1];
	uint32_t tail_off = count_off + (uint32_t)limit * 8;
	const struct ext4_dx_tail *t;
	static const uint32_t zero;
	uint32_t c;

	if (!fs->csum)
		return 0;
	if (tail_off + sizeof(*t) > fs->block_size || count > limit)
		return EXT4_CORRUPT(fs, "dir %u: htree node has no room for its tail",
				    dir->ino);
	t = (const void *)(blk + tail_off);
	c = crc32c(dir->csum_seed, blk, count_off + (uint32_t)count * 8);
	c = crc32c(c, &t->dt_reserved, 4);
	c = crc32c(c, &zero, 4);
	if (c != t->dt_checksum)
		return EXT4_CORRUPT(fs, "dir %u: htree node checksum mismatch",
				    dir->ino);
	return 0;
}

/* Is this (checksum-less) block an htree node: root at lblk 0, or an
 * interior node (one empty entry spanning the block)? */
bool ext4_dx_is_node(struct ext4_fs *fs, struct ext4_inode *dir,
		     uint64_t lblk, const uint8_t *blk)
{
	const struct ext4_dir_entry *de = (const void *)blk;

	if (!(dir->flags & EXT4_INDEX_FL))
		return false;
	if (lblk == 0)
		return true;
	return de->inode == 0 && rec_len_decode(fs, de->rec_len) == fs->block_size;
}

/*
 * Read logical block @lblk of @dir; *out the buffer (NULL for a hole),
 * *end the offset where entries stop (before a dirent tail).  Checks
 * the leaf or dx checksum.
 */
static int dir_block_read(struct ext4_fs *fs, struct ext4_inode *dir,
			  uint64_t lblk, struct buffer **out, uint32_t *end,
			  uint64_t *skip)
{
	uint64_t pblk, contig;
	struct buffer *b;
	int err = ext4_map_block(fs, dir, lblk, &pblk, &contig);

	*out = NULL;
	*skip = 1;
	if (err)
		return err;
	if (pblk == 0) {
		*skip = contig;
		return 0;
	}
	b = ext4_bread(fs, pblk);
	if (IS_ERR(b))
		return PTR_ERR(b);
	*end = fs->block_size;
	if (fs->csum) {
		if (dirent_tail_present(fs, b->data)) {
			uint32_t stored, n = fs->block_size - EXT4_DIR_TAIL_SIZE;
			memcpy(&stored, (uint8_t *)b->data + n + 8, 4);
			if (crc32c(dir->csum_seed, b->data, n) != stored) {
				buffer_put(b);
				return EXT4_CORRUPT(fs, "dir %u: block %llu checksum mismatch",
						    dir->ino, (unsigned long long)lblk);
			}
			*end = n;
		} else if (ext4_dx_is_node(fs, dir, lblk, b->data)) {
			err = dx_csum_check(fs, dir, b->data, lblk == 0 ? 32 : 8);
			if (err) {
				buffer_put(b);
				return err;
			}
		} else {
			buffer_put(b);
			return EXT4_CORRUPT(fs, "dir %u: block %llu has no checksum tail",
					    dir->ino, (unsigned long long)lblk);
		}
	}
	*out = b;
	return 0;
}

int ext4_dir_block_get(struct ext4_fs *fs, struct ext4_inode *dir,
		       uint64_t lblk, struct buffer **out, uint32_t *end)
{
	uint64_t skip;
	int err = dir_block_read(fs, dir, lblk, out, end, &skip);

	if (!err && !*out)
		err = EXT4_CORRUPT(fs, "dir %u: block %llu is a hole", dir->ino,
				   (unsigned long long)lblk);
	return err;
}

/*
 * Walk the entries of region [start, end) of @base whose first byte has
 * position @base_pos; entries before @from are skipped.  @fn returns
 * non-zero to stop (returned, with *stop_pos at that entry).
 */
typedef int (*region_fn)(void *ctx, const struct ext4_dir_entry *de,
			 uint64_t pos, uint64_t next);

static int region_walk(struct ext4_fs *fs, struct ext4_inode *dir,
		       const uint8_t *base, uint32_t start, uint32_t end,
		       uint64_t base_pos, uint64_t from, region_fn fn,
		       void *ctx)
{
	uint32_t off = start, rl = 0;

	while (off < end) {
		const struct ext4_dir_entry *de = (const void *)(base + off);
		int err = dirent_check(fs, dir, base, off, end, &rl);
		int r;
		if (err)
			return err;
		if (de->inode && de->name_len && base_pos + off >= from) {
			r = fn(ctx, de, base_pos + off, base_pos + off + rl);
			if (r)
				return r;
		}
		off += rl;
	}
	return 0;
}

struct iter_ctx {
	struct ext4_fs *fs;
	ext4_dir_actor actor;
	void *ctx;
	uint64_t *pos;
};

static int iter_fn(void *c, const struct ext4_dir_entry *de, uint64_t pos,
		   uint64_t next)
{
	struct iter_ctx *ic = c;

	if (ic->actor(ic->ctx, de->name, de->name_len, de->inode,
		      dirent_dtype(ic->fs, de->file_type), pos, next)) {
		*ic->pos = pos;
		return 1;
	}
	*ic->pos = next;
	return 0;
}

/* The inline area of @dir (i_block then system.data), kmalloc'ed. */
static long inline_area(struct ext4_fs *fs, struct ext4_inode *dir,
			uint8_t **out)
{
	long size = ext4_inline_size(fs, dir);
	uint8_t *buf;
	long n;

	if (size < 0)
		return size;
	if (size < INLINE_IBLOCK_SIZE)
		return EXT4_CORRUPT(fs, "dir %u: short inline data", dir->ino);
	buf = kmalloc((size_t)size);
	if (!buf)
		return -ENOMEM;
	n = ext4_inline_data_read(fs, dir, 0, buf, (size_t)size);
	if (n != size) {
		kfree(buf);
		return n < 0 ? n : -EUCLEAN;
	}
	*out = buf;
	return size;
}

static int inline_iterate(struct ext4_fs *fs, struct ext4_inode *dir,
			  uint64_t *pos, struct iter_ctx *ic)
{
	uint8_t *area;
	uint32_t parent;
	long size = inline_area(fs, dir, &area);
	int r = 0;

	if (size < 0)
		return (int)size;
	memcpy(&parent, area, 4);
	if (*pos == 0) {
		if (ic->actor(ic->ctx, ".", 1, dir->ino, 4, 0, 1))
			goto out;
		*pos = 1;
	}
	if (*pos == 1) {
		if (ic->actor(ic->ctx, "..", 2, parent, 4, 1, INLINE_DOTDOT_SIZE))
			goto out;
		*pos = INLINE_DOTDOT_SIZE;
	}
	r = region_walk(fs, dir, area, INLINE_DOTDOT_SIZE, INLINE_IBLOCK_SIZE,
			0, *pos, iter_fn, ic);
	if (!r && size > INLINE_IBLOCK_SIZE)
		r = region_walk(fs, dir, area, INLINE_IBLOCK_SIZE, (uint32_t)size,
				0, *pos, iter_fn, ic);
	if (!r)
		*pos = (uint64_t)size;
out:
	kfree(area);
	return r < 0 ? r : 0;
}

/*
 * Walk the blocks of a (block-based) @dir from position *pos, calling @fn
 * on each entry at or after it; *pos follows block by block (holes are
 * skipped whole).  Returns @fn's non-zero stop value, 0 at the end, or
 * -errno.
 */
static int blocks_walk(struct ext4_fs *fs, struct ext4_inode *dir,
		       uint64_t *pos, region_fn fn, void *ctx)
{
	uint64_t nblocks = dir_blocks(fs, dir);
	uint64_t budget = dir_block_budget(fs, dir);

	while ((*pos >> fs->log_block_size) < nblocks) {
		uint64_t lblk = *pos >> fs->log_block_size, skip;
		uint32_t end;
		struct buffer *b;
		int r = dir_block_read(fs, dir, lblk, &b, &end, &skip);

		if (r)
			return r;
		if (b && !budget--) {
			buffer_put(b);
			return EXT4_CORRUPT(fs, "dir %u: more blocks than allocated", dir->ino);
		}
		if (b) {
			r = region_walk(fs, dir, b->data, 0, end,
					lblk << fs->log_block_size, *pos, fn, ctx);
			buffer_put(b);
			if (r)
				return r;
		}
		if (skip >= nblocks - lblk)
			break;
		*pos = (lblk + skip) << fs->log_block_size;
	}
	return 0;
}

int ext4_dir_iterate(struct ext4_fs *fs, struct ext4_inode *dir,
		     uint64_t *pos, ext4_dir_actor actor, void *ctx)
{
	struct iter_ctx ic = {fs, actor, ctx, pos};
	uint64_t nblocks = dir_blocks(fs, dir);
	int r;

	if ((dir->mode & EXT4_S_IFMT) != EXT4_S_IFDIR)
		return -ENOTDIR;
	if (dir->flags & EXT4_INLINE_DATA_FL)
		return inline_iterate(fs, dir, pos, &ic);
	r = blocks_walk(fs, dir, pos, iter_fn, &ic);
	if (r)
		return r < 0 ? r : 0;
	if ((*pos >> fs->log_block_size) < nblocks)
		*pos = nblocks << fs->log_block_size;
	return 0;
}

/* ---- lookup ---- */

struct find_ctx {
	const char *name;
	unsigned len;
	uint32_t ino;
};

static int find_fn(void *c, const struct ext4_dir_entry *de, uint64_t pos,
		   uint64_t next)
{
	struct find_ctx *fc = c;

	if (de->name_len == fc->len && memcmp(de->name, fc->name, fc->len) == 0) {
		fc->ino = de->inode;
		return 1;
	}
	return 0;
}

/* Search one directory block: 1 found, 0 not there, or -errno. */
static int search_block(struct ext4_fs *fs, struct ext4_inode *dir,
			uint64_t lblk, struct find_ctx *fc)
{
	struct buffer *b;
	uint32_t end;
	uint64_t skip;
	int r = dir_block_read(fs, dir, lblk, &b, &end, &skip);

	if (r || !b)
		return r;
	r = region_walk(fs, dir, b->data, 0, end, 0, 0, find_fn, fc);
	buffer_put(b);
	return r;
}

static int linear_lookup(struct ext4_fs *fs, struct ext4_inode *dir,
			 struct find_ctx *fc)
{
	uint64_t pos = 0;
	int r = blocks_walk(fs, dir, &pos, find_fn, fc);

	return r ? r : -ENOENT;
}

/* The dx entries of a node: count/limit checked against the node kind. */
int ext4_dx_entries(struct ext4_fs *fs, struct ext4_inode *dir,
		    const uint8_t *blk, uint32_t count_off,
		    const struct ext4_dx_entry **ents, unsigned *count)
{
	const uint16_t *cl = (const void *)(blk + count_off);
	uint32_t want = (fs->block_size - count_off - (fs->csum ? 8 : 0)) / 8;

	if (cl[0] != want || cl[1] == 0 || cl[1] > cl[0])
		return EXT4_CORRUPT(fs, "dir %u: bad htree count %u/limit %u",
				    dir->ino, cl[1], cl[0]);
	*ents = (const void *)(blk + count_off);
	*count = cl[1];
	return 0;
}

/* Index of the last entry whose hash is <= @hash (entry 0 covers 0). */
unsigned ext4_dx_find(const struct ext4_dx_entry *e, unsigned count,
		      uint32_t hash)
{
	unsigned lo = 1, hi = count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (e[mid].hash <= hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

static int htree_lookup(struct ext4_fs *fs, struct ext4_inode *dir,
			struct find_ctx *fc)
{
	uint64_t nblocks = dir_blocks(fs, dir);
	const struct ext4_dx_root_info *info;
	const struct ext4_dx_entry *e = NULL;
	struct buffer *b, *nb;
	unsigned count = 0, i = 0, levels, version;
	uint32_t hash, end, count_off = 32;
	uint64_t skip;
	int r;

	r = dir_block_read(fs, dir, 0, &b, &end, &skip);
	if (r)
		return r;
	if (!b)
		return EXT4_CORRUPT(fs, "dir %u: htree root is a hole", dir->ino);
	info = (const void *)((uint8_t *)b->data + 24);
	levels = info->indirect_levels;
	version = info->hash_version;
	if (info->reserved_zero || info->info_length != 8 || version > 5 ||
	    levels >= ((fs->incompat & EXT4_INCOMPAT_LARGEDIR) ? 3u : 2u)) {
		buffer_put(b);
		return EXT4_CORRUPT(fs, "dir %u: bad htree root", dir->ino);
	}
	if (fs->hash_unsigned && version <= 2)
		version += 3;
	ext4_dx_hash(fc->name, fc->len, version, fs->hash_seed, &hash, NULL);

	for (;;) {
		r = ext4_dx_entries(fs, dir, b->data, count_off, &e, &count);
		if (r)
			goto out;
		i = ext4_dx_find(e, count, hash);
		uint64_t child = e[i].block & 0x0FFFFFFF;
		if (child == 0 || child >= nblocks) {
			r = EXT4_CORRUPT(fs, "dir %u: htree points to block %llu",
					 dir->ino, (unsigned long long)child);
			goto out;
		}
		if (levels == 0)
			break;
		levels--;
		r = dir_block_read(fs, dir, child, &nb, &end, &skip);
		if (r)
			goto out;
		if (!nb || !ext4_dx_is_node(fs, dir, child, nb->data)) {
			buffer_put(nb);
			r = EXT4_CORRUPT(fs, "dir %u: bad htree node", dir->ino);
			goto out;
		}
		buffer_put(b);
		b = nb;
		count_off = 8;
	}
	/* search the leaf, then any following leaves that continue the
	 * same hash (collision bit set) */
	for (;;) {
		r = search_block(fs, dir, e[i].block & 0x0FFFFFFF, fc);
		if (r)
			break;
		if (++i >= count || !(e[i].hash & 1) || (e[i].hash & ~1u) != hash) {
			r = -ENOENT;
			break;
		}
		if ((e[i].block & 0x0FFFFFFF) >= nblocks) {
			r = EXT4_CORRUPT(fs, "dir %u: htree points past the end", dir->ino);
			break;
		}
	}
out:
	buffer_put(b);
	return r;
}

static int inline_lookup(struct ext4_fs *fs, struct ext4_inode *dir,
			 struct find_ctx *fc)
{
	uint8_t *area;
	long size = inline_area(fs, dir, &area);
	int r;

	if (size < 0)
		return (int)size;
	if (fc->len == 2 && fc->name[0] == '.' && fc->name[1] == '.') {
		memcpy(&fc->ino, area, 4);
		kfree(area);
		return 1;
	}
	r = region_walk(fs, dir, area, INLINE_DOTDOT_SIZE, INLINE_IBLOCK_SIZE,
			0, 0, find_fn, fc);
	if (!r && size > INLINE_IBLOCK_SIZE)
		r = region_walk(fs, dir, area, INLINE_IBLOCK_SIZE, (uint32_t)size,
				0, 0, find_fn, fc);
	kfree(area);
	return r ? r : -ENOENT;
}

int ext4_dir_lookup(struct ext4_fs *fs, struct ext4_inode *dir,
		    const char *name, unsigned len, uint32_t *ino)
{
	struct find_ctx fc = {name, len, 0};
	int r;

	if ((dir->mode & EXT4_S_IFMT) != EXT4_S_IFDIR)
		return -ENOTDIR;
	if (len == 0 || len > EXT4_NAME_LEN)
		return len ? -ENAMETOOLONG : -ENOENT;
	if (len == 1 && name[0] == '.') {
		*ino = dir->ino;
		return 0;
	}
	if (dir->flags & EXT4_INLINE_DATA_FL) {
		r = inline_lookup(fs, dir, &fc);
	} else if ((dir->flags & EXT4_INDEX_FL) &&
		   (fs->compat & EXT4_COMPAT_DIR_INDEX) &&
		   !(len == 2 && name[0] == '.' && name[1] == '.')) {
		/* (".." is in the root block, outside the index) */
		r = htree_lookup(fs, dir, &fc);
		if (r == -EUCLEAN)      /* a broken index: the leaves may do */
			r = linear_lookup(fs, dir, &fc);
	} else {
		r = linear_lookup(fs, dir, &fc);
	}
	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	if (fc.ino == 0 || fc.ino > fs->sb.s_inodes_count)
		return EXT4_CORRUPT(fs, "dir %u: entry with inode %u", dir->ino, fc.ino);
	*ino = fc.ino;
	return 0;
}
