/*
 * ext4 htree directories, write side (layout "Hash Tree Directories"):
 * adding names through the index, indexing a directory when it grows
 * from one block to two, and finding the leaves a name may be in.
 *
 * Model: block 0 of an indexed directory holds "." and ".." (whose
 * rec_len covers the rest of the block), the dx_root_info and the root's
 * dx entries; inner nodes are blocks with one empty entry spanning the
 * block followed by dx entries.  Each dx entry maps a hash to the block
 * whose names hash at or above it (entry 0's hash is implicit: the
 * count and limit sit there); bit 0 of a stored hash says the names of
 * that hash began in the block before (a collision run split over two
 * leaves).  Leaves are plain directory blocks (checksum tail with
 * metadata_csum); index blocks end in a dx_tail with their crc32c over
 * the used entries.
 *
 * An add walks root -> nodes -> leaf by the name's hash and places the
 * entry in the leaf.  A full leaf is split: its entries sorted by hash,
 * the upper half (by bytes) moved to a new block appended to the
 * directory, (first moved hash | collision bit, new block) inserted in
 * the parent.  A full parent is split first (its upper half of entries
 * into a new node, inserted in the grandparent), and a full root moves
 * its entries into a new node, the tree growing a level (up to 2 index
 * levels, 3 with largedir; then -ENOSPC).  Each such step changes one
 * level and the add walks again from the root, so a step only ever
 * needs room one level up.  Removal clears the entry in its leaf
 * (namei.c); leaves are never merged.
 *
 * Locking: the caller holds the directory (no concurrent change of it);
 * blocks change under their buffer locks, after journal write access.
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/string.h"
#include "mm/mm.h"

#define DX_ROOT_COUNT_OFF 32    /* ".", ".." header, dx_root_info */
#define DX_NODE_COUNT_OFF 8     /* the fake entry's header */
#define DX_INFO_OFF 24
#define DX_MAX_LEVELS 3         /* index levels with largedir */
#define DX_BLOCK_MASK 0x0FFFFFFFu
#define DX_HASH_MAX 5           /* tea, unsigned */
/* Walks an add may take: each restart follows a change of one level. */
#define DX_MAX_STEPS (2 * DX_MAX_LEVELS + 4)

/* Entry 0 of a dx node: limit and count where a hash would be. */
struct dx_countlimit {
	uint16_t limit;
	uint16_t count;
} __packed;
STATIC_ASSERT(sizeof(struct ext4_dx_entry) == 8, "dx entry");
STATIC_ASSERT(sizeof(struct ext4_dx_root_info) == 8, "dx root info");

/* One index block on the path to a leaf. */
struct dx_frame {
	uint64_t lblk;
	struct buffer *b;
	uint32_t count_off;     /* DX_ROOT_COUNT_OFF or DX_NODE_COUNT_OFF */
	unsigned at;            /* the entry followed */
	unsigned count, limit;
};

struct dx_path {
	unsigned levels;        /* the root's indirect_levels */
	unsigned version;       /* hash version names are hashed with */
	uint32_t hash;          /* of the name walked for */
	struct dx_frame f[DX_MAX_LEVELS];  /* f[0] root .. f[levels] */
	uint64_t leaf;
};

/* A live entry of a leaf: its hash, offset and size (entry_size). */
struct dx_map {
	uint32_t hash;
	uint32_t off;
	uint32_t size;
};

static unsigned dx_max_levels(const struct ext4_fs *fs)
{
	return (fs->incompat & EXT4_INCOMPAT_LARGEDIR) ? 3 : 2;
}

static uint32_t dx_limit(const struct ext4_fs *fs, uint32_t count_off)
{
	return (fs->block_size - count_off -
		(fs->csum ? sizeof(struct ext4_dx_tail) : 0)) /
	       sizeof(struct ext4_dx_entry);
}

/* The hash version to hash with for a stored (root or default) one;
 * -EOPNOTSUPP for one we lack (siphash of casefolded directories). */
static int dx_hash_version(const struct ext4_fs *fs, unsigned stored)
{
	if (stored > DX_HASH_MAX)
		return -EOPNOTSUPP;
	if (fs->hash_unsigned && stored <= 2)
		return (int)stored + 3;
	return (int)stored;
}

static struct ext4_dx_entry *dx_ents(const struct dx_frame *f)
{
	return (void *)((uint8_t *)f->b->data + f->count_off);
}

/* Set count and limit of the node at @count_off (entry 0). */
static void dx_set_countlimit(uint8_t *blk, uint32_t count_off,
			      unsigned limit, unsigned count)
{
	struct dx_countlimit *cl = (void *)(blk + count_off);

	cl->limit = (uint16_t)limit;
	cl->count = (uint16_t)count;
}

/* The dx_tail crc32c of an index block (metadata_csum only). */
static void dx_set_csum(const struct ext4_fs *fs, const struct ext4_inode *dir,
			uint8_t *blk, uint32_t count_off)
{
	const struct dx_countlimit *cl = (const void *)(blk + count_off);
	struct ext4_dx_tail *t;
	static const uint32_t zero;
	uint32_t c;

	if (!fs->csum)
		return;
	t = (void *)(blk + count_off + (uint32_t)cl->limit * 8);
	c = crc32c(dir->csum_seed, blk, count_off + (uint32_t)cl->count * 8);
	c = crc32c(c, &t->dt_reserved, 4);
	c = crc32c(c, &zero, 4);
	t->dt_checksum = c;
}

/* An empty inner node (the whole block rewritten): the fake entry
 * spanning the block, no dx entries yet (count set by the caller). */
static void dx_node_init(const struct ext4_fs *fs, uint8_t *blk)
{
	struct ext4_dir_entry *de = (void *)blk;

	memset(blk, 0, fs->block_size);
	de->inode = 0;
	de->rec_len = (uint16_t)fs->block_size;
	de->name_len = 0;
	de->file_type = 0;
}

static void dx_path_release(struct dx_path *p)
{
	for (unsigned i = 0; i < DX_MAX_LEVELS; i++) {
		if (p->f[i].b)
			buffer_put(p->f[i].b);
		p->f[i].b = NULL;
	}
}

/* Check the root block's dx_root_info; *version the hash version. */
static int dx_root_check(struct ext4_fs *fs, struct ext4_inode *dir,
			 const uint8_t *blk, unsigned *levels, unsigned *version)
{
	const struct ext4_dx_root_info *info = (const void *)(blk + DX_INFO_OFF);
	const struct ext4_dir_entry *dotdot = (const void *)(blk + 12);
	int v;

	if (info->reserved_zero || info->info_length != 8 ||
	    info->indirect_levels >= dx_max_levels(fs) ||
	    dotdot->name_len != 2 || 12u + dotdot->rec_len != fs->block_size)
		return EXT4_CORRUPT(fs, "dir %u: bad htree root", dir->ino);
	v = dx_hash_version(fs, info->hash_version);
	if (v < 0)
		return v;
	*levels = info->indirect_levels;
	*version = (unsigned)v;
	return 0;
}

/*
 * Walk @dir's index for @name: p->f[0..levels] hold the index blocks
 * (buffers referenced) and the entries followed, p->leaf the leaf block.
 * dx_path_release when done (also after an error).
 */
static int dx_walk(struct ext4_fs *fs, struct ext4_inode *dir,
		   const char *name, unsigned len, struct dx_path *p)
{
	uint64_t nblocks = dir->size >> fs->log_block_size, lblk = 0;
	struct buffer *b;
	uint32_t end;
	int err;

	memset(p, 0, sizeof(*p));
	err = ext4_dir_block_get(fs, dir, 0, &b, &end);
	if (err)
		return err;
	p->f[0].b = b;
	err = dx_root_check(fs, dir, b->data, &p->levels, &p->version);
	if (err)
		return err;
	ext4_dx_hash(name, len, p->version, fs->hash_seed, &p->hash, NULL);
	for (unsigned lvl = 0;; lvl++) {
		struct dx_frame *f = &p->f[lvl];
		const struct ext4_dx_entry *e;
		uint64_t child;

		f->lblk = lblk;
		f->count_off = lvl ? DX_NODE_COUNT_OFF : DX_ROOT_COUNT_OFF;
		err = ext4_dx_entries(fs, dir, f->b->data, f->count_off, &e,
				      &f->count);
		if (err)
			return err;
		f->limit = ((const struct dx_countlimit *)e)->limit;
		f->at = ext4_dx_find(e, f->count, p->hash);
		child = e[f->at].block & DX_BLOCK_MASK;
		if (child == 0 || child >= nblocks)
			return EXT4_CORRUPT(fs, "dir %u: htree points to block %llu",
					    dir->ino, (unsigned long long)child);
		if (lvl == p->levels) {
			p->leaf = child;
			return 0;
		}
		err = ext4_dir_block_get(fs, dir, child, &b, &end);
		if (err)
			return err;
		p->f[lvl + 1].b = b;
		if (!ext4_dx_is_node(fs, dir, child, b->data))
			return EXT4_CORRUPT(fs, "dir %u: bad htree node %llu",
					    dir->ino, (unsigned long long)child);
		lblk = child;
	}
}

/*
 * The live entries of leaf region [start, end) of @blk, checked, into
 * @map (room for (end - start) / 12 entries), hashed with @version
 * unless it is -1.  *n how many, *used their bytes.
 */
static int leaf_map(struct ext4_fs *fs, struct ext4_inode *dir,
		    const uint8_t *blk, uint32_t start, uint32_t end,
		    int version, struct dx_map *map, unsigned *n,
		    uint32_t *used)
{
	uint32_t off = start;

	*n = 0;
	*used = 0;
	while (off < end) {
		const struct ext4_dir_entry *de = (const void *)(blk + off);
		uint32_t rec, size;

		if (end - off < 12)
			return EXT4_CORRUPT(fs, "dir %u: entry at %u runs past its block",
					    dir->ino, off);
		rec = de->rec_len;
		size = ext4_dirent_size(de->name_len);
		if (rec < 12 || rec % 4 || rec > end - off || size > rec)
			return EXT4_CORRUPT(fs, "dir %u: bad entry at %u", dir->ino, off);
		if (de->inode && de->name_len) {
			struct dx_map *m = &map[(*n)++];
			m->off = off;
			m->size = size;
			m->hash = 0;
			if (version >= 0)
				ext4_dx_hash(de->name, de->name_len, (unsigned)version,
					     fs->hash_seed, &m->hash, NULL);
			*used += size;
		}
		off += rec;
	}
	return 0;
}

/* Sort by hash, then by offset (insertion sort: a block's worth). */
static void map_sort(struct dx_map *m, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct dx_map x = m[i];
		unsigned j = i;

		while (j > 0 && (m[j - 1].hash > x.hash ||
				 (m[j - 1].hash == x.hash && m[j - 1].off > x.off))) {
			m[j] = m[j - 1];
			j--;
		}
		m[j] = x;
	}
}

/* Write the entries @map[0..n) of @src packed into leaf @dst (its
 * entries end at @end), the last one covering the rest; tail set. */
static void leaf_fill(const struct ext4_fs *fs, const struct ext4_inode *dir,
		      uint8_t *dst, const uint8_t *src, const struct dx_map *map,
		      unsigned n, uint32_t end)
{
	uint32_t off = 0;

	memset(dst, 0, end);
	if (n == 0) {
		struct ext4_dir_entry *de = (void *)dst;
		de->rec_len = (uint16_t)end;
	}
	for (unsigned i = 0; i < n; i++) {
		struct ext4_dir_entry *de = (void *)(dst + off);

		memcpy(de, src + map[i].off, map[i].size);
		de->rec_len = (uint16_t)(i == n - 1 ? end - off : map[i].size);
		off += map[i].size;
	}
	ext4_dirent_set_tail(fs, dir, dst);
}

/*
 * Put the entry in leaf @lblk: 1 done, 0 no room.  A leaf whose gaps
 * are each too small but whose free bytes suffice is packed first.
 */
static int leaf_add(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *dir, uint64_t lblk, const char *name,
		    unsigned len, uint32_t ino, uint16_t mode)
{
	struct dx_map *map = NULL;
	uint8_t *copy = NULL;
	struct buffer *b;
	uint32_t end, used;
	unsigned n;
	bool done;
	int err;

	err = ext4_dir_block_get(fs, dir, lblk, &b, &end);
	if (err)
		return err;
	if (end != ext4_dirent_end(fs)) {
		err = EXT4_CORRUPT(fs, "dir %u: htree leaf %llu is not a leaf",
				   dir->ino, (unsigned long long)lblk);
		goto out;
	}
	map = kmalloc(sizeof(*map) * (end / 12 + 1));
	copy = kmalloc(fs->block_size);
	err = -ENOMEM;
	if (!map || !copy)
		goto out;
	err = leaf_map(fs, dir, b->data, 0, end, -1, map, &n, &used);
	if (err)
		goto out;
	if (used + ext4_dirent_size(len) > end)
		goto out;       /* err 0: a split it needs */
	err = journal_get_write_access(h, b);
	if (err)
		goto out;
	mutex_lock(&b->lock);
	done = ext4_dirent_place(fs, b->data, ino, name, len, mode);
	if (!done) {
		memcpy(copy, b->data, fs->block_size);
		leaf_fill(fs, dir, b->data, copy, map, n, end);
		done = ext4_dirent_place(fs, b->data, ino, name, len, mode);
	}
	ext4_dirent_set_tail(fs, dir, b->data);
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, b);
	if (!err)
		err = done ? 1 : EXT4_CORRUPT(fs, "dir %u: no room after packing",
					      dir->ino);
out:
	kfree(copy);
	kfree(map);
	buffer_put(b);
	return err;
}

/* Insert (@hash, @blk) after the followed entry of frame @f (which has
 * room). */
static int dx_insert(struct journal_handle *h, struct ext4_fs *fs,
		     struct ext4_inode *dir, struct dx_frame *f,
		     uint32_t hash, uint64_t blk)
{
	struct ext4_dx_entry *e;
	int err;

	if (f->count >= f->limit)
		return EXT4_CORRUPT(fs, "dir %u: htree insert into a full node",
				    dir->ino);
	err = journal_get_write_access(h, f->b);
	if (err)
		return err;
	mutex_lock(&f->b->lock);
	e = dx_ents(f);
	memmove(&e[f->at + 2], &e[f->at + 1],
		(size_t)(f->count - f->at - 1) * sizeof(*e));
	e[f->at + 1].hash = hash;
	e[f->at + 1].block = (uint32_t)blk;
	f->count++;
	dx_set_countlimit(f->b->data, f->count_off, f->limit, f->count);
	dx_set_csum(fs, dir, f->b->data, f->count_off);
	mutex_unlock(&f->b->lock);
	return journal_dirty_metadata(h, f->b);
}

/* Where to split sorted entries @m[0..n): the first entry of the upper
 * half, which takes at least half of the bytes from the top. */
static unsigned leaf_split_point(const struct dx_map *m, unsigned n,
				 uint32_t half)
{
	uint32_t moved = 0;
	unsigned i = n;

	while (i > 1 && moved + m[i - 1].size / 2 <= half) {
		moved += m[i - 1].size;
		i--;
	}
	return i == n ? n - 1 : i;
}

/*
 * Split leaf p->leaf (its parent f[levels] has room): entries sorted by
 * hash, the upper half into a new block, inserted in the parent with
 * its first hash (bit 0 set when the lower half ends with that hash).
 */
static int leaf_split(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *dir, struct dx_path *p)
{
	struct dx_map *map = NULL;
	uint8_t *copy = NULL;
	struct buffer *b, *nb = NULL;
	uint32_t end, used, hash2;
	uint64_t nl;
	unsigned n, split;
	int err;

	err = ext4_dir_block_get(fs, dir, p->leaf, &b, &end);
	if (err)
		return err;
	map = kmalloc(sizeof(*map) * (end / 12 + 1));
	copy = kmalloc(fs->block_size);
	err = -ENOMEM;
	if (!map || !copy)
		goto out;
	err = leaf_map(fs, dir, b->data, 0, end, (int)p->version, map, &n, &used);
	if (err)
		goto out;
	if (n < 2) {
		err = EXT4_CORRUPT(fs, "dir %u: full htree leaf of %u entries",
				   dir->ino, n);
		goto out;
	}
	map_sort(map, n);
	split = leaf_split_point(map, n, end / 2);
	hash2 = map[split].hash;
	if (map[split - 1].hash == hash2)
		hash2 |= 1;     /* the run of this hash continues there */
	err = journal_get_write_access(h, b);
	if (!err)
		err = journal_get_write_access(h, p->f[p->levels].b);
	if (!err)
		err = ext4_dir_append_block(h, fs, dir, &nl, &nb);
	if (err)
		goto out;
	if (nl > DX_BLOCK_MASK) {
		err = -ENOSPC;
		goto out;
	}
	mutex_lock(&b->lock);
	memcpy(copy, b->data, fs->block_size);
	mutex_unlock(&b->lock);
	mutex_lock(&nb->lock);
	leaf_fill(fs, dir, nb->data, copy, map + split, n - split, end);
	mutex_unlock(&nb->lock);
	mutex_lock(&b->lock);
	leaf_fill(fs, dir, b->data, copy, map, split, end);
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, nb);
	if (!err)
		err = journal_dirty_metadata(h, b);
	if (!err)
		err = dx_insert(h, fs, dir, &p->f[p->levels], hash2, nl);
out:
	if (nb)
		buffer_put(nb);
	kfree(copy);
	kfree(map);
	buffer_put(b);
	return err;
}

/* Split full inner node f[j] (j >= 1; f[j-1] has room): its upper half
 * of entries into a new node.  The split avoids an entry continuing a
 * collision run, so that a run stays under one node. */
static int node_split(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *dir, struct dx_path *p, unsigned j)
{
	struct dx_frame *f = &p->f[j];
	struct ext4_dx_entry *e, *ne;
	struct buffer *nb;
	unsigned m = f->count / 2, limit = dx_limit(fs, DX_NODE_COUNT_OFF);
	uint32_t hash2;
	uint64_t nl;
	int err;

	e = dx_ents(f);
	while (m < f->count - 1 && (e[m].hash & 1))
		m++;
	if (e[m].hash & 1)
		for (m = f->count / 2; m > 1 && (e[m].hash & 1); m--)
			;
	err = journal_get_write_access(h, f->b);
	if (!err)
		err = journal_get_write_access(h, p->f[j - 1].b);
	if (!err)
		err = ext4_dir_append_block(h, fs, dir, &nl, &nb);
	if (err)
		return err;
	if (nl > DX_BLOCK_MASK) {
		buffer_put(nb);
		return -ENOSPC;
	}
	mutex_lock(&f->b->lock);
	hash2 = e[m].hash;
	mutex_lock(&nb->lock);
	dx_node_init(fs, nb->data);
	ne = (void *)((uint8_t *)nb->data + DX_NODE_COUNT_OFF);
	memcpy(ne, &e[m], (size_t)(f->count - m) * sizeof(*e));
	dx_set_countlimit(nb->data, DX_NODE_COUNT_OFF, limit, f->count - m);
	dx_set_csum(fs, dir, nb->data, DX_NODE_COUNT_OFF);
	mutex_unlock(&nb->lock);
	memset(&e[m], 0, (size_t)(f->count - m) * sizeof(*e));
	f->count = m;
	dx_set_countlimit(f->b->data, f->count_off, f->limit, m);
	dx_set_csum(fs, dir, f->b->data, f->count_off);
	mutex_unlock(&f->b->lock);
	err = journal_dirty_metadata(h, nb);
	if (!err)
		err = journal_dirty_metadata(h, f->b);
	if (!err)
		err = dx_insert(h, fs, dir, &p->f[j - 1], hash2, nl);
	buffer_put(nb);
	return err;
}

/* The root is full: its entries move into a new node, the root keeps
 * one entry pointing at it and the tree grows a level. */
static int root_grow(struct journal_handle *h, struct ext4_fs *fs,
		     struct ext4_inode *dir, struct dx_path *p)
{
	struct dx_frame *f = &p->f[0];
	struct ext4_dx_root_info *info;
	struct ext4_dx_entry *e, *ne;
	struct buffer *nb;
	uint64_t nl;
	int err;

	err = journal_get_write_access(h, f->b);
	if (!err)
		err = ext4_dir_append_block(h, fs, dir, &nl, &nb);
	if (err)
		return err;
	if (nl > DX_BLOCK_MASK) {
		buffer_put(nb);
		return -ENOSPC;
	}
	mutex_lock(&f->b->lock);
	e = dx_ents(f);
	mutex_lock(&nb->lock);
	dx_node_init(fs, nb->data);
	ne = (void *)((uint8_t *)nb->data + DX_NODE_COUNT_OFF);
	memcpy(ne, e, (size_t)f->count * sizeof(*e));
	dx_set_countlimit(nb->data, DX_NODE_COUNT_OFF,
			  dx_limit(fs, DX_NODE_COUNT_OFF), f->count);
	dx_set_csum(fs, dir, nb->data, DX_NODE_COUNT_OFF);
	mutex_unlock(&nb->lock);
	memset(&e[1], 0, (size_t)(f->count - 1) * sizeof(*e));
	e[0].block = (uint32_t)nl;
	dx_set_countlimit(f->b->data, f->count_off, f->limit, 1);
	info = (void *)((uint8_t *)f->b->data + DX_INFO_OFF);
	info->indirect_levels++;
	dx_set_csum(fs, dir, f->b->data, f->count_off);
	mutex_unlock(&f->b->lock);
	err = journal_dirty_metadata(h, nb);
	if (!err)
		err = journal_dirty_metadata(h, f->b);
	buffer_put(nb);
	return err;
}

/* One step of an add along walked path @p: 0 added, 1 the tree changed
 * (walk again), or -errno. */
static int dx_add_step(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *dir, struct dx_path *p,
		       const char *name, unsigned len, uint32_t ino,
		       uint16_t mode)
{
	unsigned j = p->levels;
	int err;

	err = leaf_add(h, fs, dir, p->leaf, name, len, ino, mode);
	if (err)
		return err > 0 ? 0 : err;
	if (p->f[j].count < p->f[j].limit) {
		err = leaf_split(h, fs, dir, p);
		return err ? err : 1;
	}
	/* f[j..levels] are full: split the topmost full one */
	while (j > 0 && p->f[j - 1].count >= p->f[j - 1].limit)
		j--;
	if (j > 0)
		err = node_split(h, fs, dir, p, j);
	else if (p->levels + 1 < dx_max_levels(fs))
		err = root_grow(h, fs, dir, p);
	else
		err = -ENOSPC;  /* Linux: "index full, reach max htree level" */
	return err ? err : 1;
}

int ext4_dx_add_entry(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *dir, const char *name, unsigned len,
		      uint32_t ino, uint16_t mode)
{
	if (fs->block_size >= 65536)
		return -EOPNOTSUPP;     /* rec_len's 64 KiB encoding: not here */
	for (unsigned step = 0; step < DX_MAX_STEPS; step++) {
		struct dx_path p;
		int err = dx_walk(fs, dir, name, len, &p);

		if (!err)
			err = dx_add_step(h, fs, dir, &p, name, len, ino, mode);
		dx_path_release(&p);
		if (err <= 0)
			return err;
	}
	return EXT4_CORRUPT(fs, "dir %u: htree insert does not settle", dir->ino);
}

/* Block 0 of a linear directory becomes the root: "." and ".." kept
 * (".." now covering the block), one dx entry pointing at block 1. */
static void root_fill(const struct ext4_fs *fs, const struct ext4_inode *dir,
		      uint8_t *blk)
{
	struct ext4_dir_entry *dotdot = (void *)(blk + 12);
	struct ext4_dx_root_info *info = (void *)(blk + DX_INFO_OFF);
	struct ext4_dx_entry *e = (void *)(blk + DX_ROOT_COUNT_OFF);

	dotdot->rec_len = (uint16_t)(fs->block_size - 12);
	memset(blk + DX_INFO_OFF, 0, fs->block_size - DX_INFO_OFF);
	info->hash_version = fs->default_hash;
	info->info_length = 8;
	e[0].block = 1;
	dx_set_countlimit(blk, DX_ROOT_COUNT_OFF,
			  dx_limit(fs, DX_ROOT_COUNT_OFF), 1);
	dx_set_csum(fs, dir, blk, DX_ROOT_COUNT_OFF);
}

/* Does block 0 start with "." (12 bytes) and ".."?  Where entries after
 * them start, or 0. */
static uint32_t dots_end(const struct ext4_fs *fs, const uint8_t *blk,
			 uint32_t end)
{
	const struct ext4_dir_entry *dot = (const void *)blk;
	const struct ext4_dir_entry *dotdot = (const void *)(blk + 12);

	if (dot->rec_len != 12 || dot->name_len != 1 || dot->name[0] != '.' ||
	    dotdot->name_len != 2 || memcmp(dotdot->name, "..", 2) ||
	    dotdot->rec_len < 12 || dotdot->rec_len > end - 12 ||
	    dotdot->rec_len % 4)
		return 0;
	return 12u + dotdot->rec_len;
}

int ext4_dx_make_indexed(struct journal_handle *h, struct ext4_fs *fs,
			 struct ext4_inode *dir, const char *name,
			 unsigned len, uint32_t ino, uint16_t mode)
{
	struct dx_map *map = NULL;
	struct buffer *b, *nb = NULL;
	uint32_t end, start, used;
	uint64_t nl;
	unsigned n;
	int version, err;
	struct dx_path p;

	version = dx_hash_version(fs, fs->default_hash);
	if (!(fs->compat & EXT4_COMPAT_DIR_INDEX) || version < 0 ||
	    (dir->flags & (EXT4_INDEX_FL | EXT4_INLINE_DATA_FL)) ||
	    dir->size != fs->block_size || fs->block_size >= 65536)
		return -EOPNOTSUPP;
	err = ext4_dir_block_get(fs, dir, 0, &b, &end);
	if (err)
		return err;
	start = dots_end(fs, b->data, end);
	err = -EOPNOTSUPP;
	if (!start || end != ext4_dirent_end(fs))
		goto out;
	err = -ENOMEM;
	map = kmalloc(sizeof(*map) * (end / 12 + 1));
	if (!map)
		goto out;
	err = leaf_map(fs, dir, b->data, start, end, version, map, &n, &used);
	if (err)
		goto out;
	err = ext4_dir_append_block(h, fs, dir, &nl, &nb);
	if (err)
		goto out;
	if (nl != 1) {
		err = EXT4_CORRUPT(fs, "dir %u: one-block directory grew to %llu",
				   dir->ino, (unsigned long long)nl + 1);
		goto out;
	}
	err = journal_get_write_access(h, b);
	if (err)
		goto out;
	mutex_lock(&b->lock);
	mutex_lock(&nb->lock);
	leaf_fill(fs, dir, nb->data, b->data, map, n, end);
	mutex_unlock(&nb->lock);
	root_fill(fs, dir, b->data);
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, nb);
	if (!err)
		err = journal_dirty_metadata(h, b);
	if (err)
		goto out;
	dir->flags |= EXT4_INDEX_FL;
	err = ext4_inode_write(h, fs, dir);
	if (err)
		goto out;
	/* as Linux does: the old entries into two hashed leaves at once */
	if (n >= 2) {
		err = dx_walk(fs, dir, name, len, &p);
		if (!err)
			err = leaf_split(h, fs, dir, &p);
		dx_path_release(&p);
		if (err)
			goto out;
	}
	err = ext4_dx_add_entry(h, fs, dir, name, len, ino, mode);
out:
	if (nb)
		buffer_put(nb);
	kfree(map);
	buffer_put(b);
	return err;
}

int ext4_dx_leaf_walk(struct ext4_fs *fs, struct ext4_inode *dir,
		      const char *name, unsigned len,
		      int (*fn)(void *ctx, uint64_t lblk), void *ctx)
{
	uint64_t nblocks = dir->size >> fs->log_block_size;
	const struct ext4_dx_entry *e;
	struct dx_frame *f;
	struct dx_path p;
	int r = dx_walk(fs, dir, name, len, &p);

	if (r)
		goto out;
	f = &p.f[p.levels];
	e = dx_ents(f);
	r = fn(ctx, p.leaf);
	/* the leaves after it that continue the run of this hash */
	for (unsigned i = f->at + 1; !r && i < f->count; i++) {
		uint64_t blk = e[i].block & DX_BLOCK_MASK;

		if (!(e[i].hash & 1) || (e[i].hash & ~1u) != p.hash)
			break;
		if (blk == 0 || blk >= nblocks) {
			r = EXT4_CORRUPT(fs, "dir %u: htree points past the end",
					 dir->ino);
			break;
		}
		r = fn(ctx, blk);
	}
out:
	dx_path_release(&p);
	return r;
}

int ext4_dx_set_dotdot(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *dir, uint32_t ino, uint16_t mode,
		       uint32_t *old)
{
	const struct ext4_dx_entry *e;
	struct ext4_dir_entry *dotdot;
	unsigned levels, version, count;
	struct buffer *b;
	uint32_t end;
	int err;

	err = ext4_dir_block_get(fs, dir, 0, &b, &end);
	if (err)
		return err;
	err = dx_root_check(fs, dir, b->data, &levels, &version);
	if (!err)
		err = ext4_dx_entries(fs, dir, b->data, DX_ROOT_COUNT_OFF, &e,
				      &count);
	if (!err)
		err = journal_get_write_access(h, b);
	if (err)
		goto out;
	mutex_lock(&b->lock);
	dotdot = (void *)((uint8_t *)b->data + 12);
	*old = dotdot->inode;
	ext4_dirent_put(fs, (uint8_t *)dotdot, ino, "..", 2, mode,
			dotdot->rec_len);
	dx_set_csum(fs, dir, b->data, DX_ROOT_COUNT_OFF);
	mutex_unlock(&b->lock);
	err = journal_dirty_metadata(h, b);
out:
	buffer_put(b);
	return err;
}
