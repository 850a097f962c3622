/*
 * ext4 extent trees, write side: mapping a logical block with allocation
 * anywhere in a file, unwritten extents and their conversion (layout
 * "Extent Tree"; an extent whose ee_len exceeds 32768 is unwritten, of
 * ee_len - 32768 blocks, and reads as zeros).
 *
 * Model: the tree is kept sorted by logical block; every index entry's
 * ei_block equals the first logical block of its child.  An extent is
 * inserted in its sorted position in the leaf whose subtree holds it
 * (merged with a neighbour in that leaf when adjacent in both spaces and
 * of the same kind); a full leaf or index node on the way is split in
 * two (at the insertion point when appending, else in the middle) with
 * an index entry for the new half added to its parent, the root growing
 * a level (ext4_ext_grow_root) when every node on the path is full; the
 * walk then starts again from the root.  Converting part of an unwritten
 * extent inserts the pieces after it first and shortens it last, all in
 * one handle, so what commits is whole.
 *
 * Data blocks are not written here: a caller given fresh blocks writes
 * them completely before the metadata commits (ordered mode).  The
 * caller writes the inode (the root lives in in->raw; i_blocks).
 *
 * Locking: the caller owns @in (no concurrent change of its tree); node
 * blocks are changed under their buffer locks inside journal access.
 */
#include "ext4/internal.h"
#include "ext4/journal.h"
#include "block/buffer.h"
#include "lib/string.h"

#define UNWRITTEN_MAX_LEN (EXT4_EXT_INIT_MAX_LEN - 1)
#define EXT4_MAX_LBLK 0xffffffffu       /* first logical block past the end */

struct xpath {
	struct buffer *b;               /* NULL: the root in the inode */
	struct ext4_extent_header *eh;
	uint64_t blk;                   /* b's block number */
	int idx;                        /* index nodes: the entry taken */
};

struct xtree {
	struct xpath p[EXT4_EXT_MAX_DEPTH + 1];
	unsigned depth;
	unsigned held;                  /* p[1..held] hold buffers */
	uint64_t limit;                 /* first block past the leaf's subtree */
};

static uint64_t ext_pstart(const struct ext4_extent *e)
{
	return e->ee_start_lo | (uint64_t)e->ee_start_hi << 32;
}

static bool ext_unwritten(const struct ext4_extent *e)
{
	return e->ee_len > EXT4_EXT_INIT_MAX_LEN;
}

static uint32_t ext_len(const struct ext4_extent *e)
{
	return ext_unwritten(e) ? e->ee_len - EXT4_EXT_INIT_MAX_LEN : e->ee_len;
}

static void ext_set(struct ext4_extent *e, uint32_t lblk, uint64_t pblk,
		    uint32_t len, bool unwritten)
{
	e->ee_block = lblk;
	e->ee_len = (uint16_t)(len + (unwritten ? EXT4_EXT_INIT_MAX_LEN : 0));
	e->ee_start_hi = (uint16_t)(pblk >> 32);
	e->ee_start_lo = (uint32_t)pblk;
}

static void xtree_put(struct xtree *t)
{
	for (unsigned j = 1; j <= t->held; j++)
		buffer_put(t->p[j].b);
	t->held = 0;
}

/* The path from the root to the leaf whose subtree holds @lblk. */
static int xtree_find(struct ext4_fs *fs, struct ext4_inode *in,
		      uint32_t lblk, struct xtree *t)
{
	struct ext4_disk_inode *di = (void *)in->raw;
	struct ext4_extent_header *root = (void *)di->i_block;
	int err;

	t->held = 0;
	t->limit = 1ull << 32;
	err = ext4_ext_check_header(fs, in, root, sizeof(di->i_block), -1);
	if (err)
		return err;
	t->depth = root->eh_depth;
	t->p[0] = (struct xpath){ NULL, root, 0, -1 };
	for (unsigned k = 0; k < t->depth; k++) {
		struct ext4_extent_header *eh = t->p[k].eh;
		struct ext4_extent_idx *ix = (void *)(eh + 1);
		unsigned n = eh->eh_entries, i = 0;
		struct buffer *b;
		uint64_t child;

		if (n == 0) {
			err = EXT4_CORRUPT(fs, "inode %u: empty extent index", in->ino);
			goto fail;
		}
		while (i + 1 < n && ix[i + 1].ei_block <= lblk)
			i++;
		if (i + 1 < n)
			t->limit = MIN(t->limit, (uint64_t)ix[i + 1].ei_block);
		t->p[k].idx = (int)i;
		child = ix[i].ei_leaf_lo | (uint64_t)ix[i].ei_leaf_hi << 32;
		b = ext4_bread(fs, child);
		if (IS_ERR(b)) {
			err = PTR_ERR(b);
			goto fail;
		}
		t->p[k + 1] = (struct xpath){ b, b->data, child, -1 };
		t->held = k + 1;
		err = ext4_ext_check_header(fs, in, b->data, fs->block_size,
					    (int)(t->depth - k - 1));
		if (!err)
			err = ext4_ext_check_block_csum(fs, in, b->data, child);
		if (err)
			goto fail;
	}
	return 0;
fail:
	xtree_put(t);
	return err;
}

/* The first extent of leaf @eh starting after @lblk (its count if none). */
static unsigned leaf_pos(const struct ext4_extent_header *eh, uint32_t lblk)
{
	const struct ext4_extent *e = (const void *)(eh + 1);
	unsigned i = 0;

	while (i < eh->eh_entries && e[i].ee_block <= lblk)
		i++;
	return i;
}

/* Begin / end a change of node @p (journal access, buffer lock, tail). */
static int xnode_begin(struct journal_handle *h, struct xpath *p)
{
	int err;

	if (!p->b)
		return 0;
	err = journal_get_write_access(h, p->b);
	if (!err)
		mutex_lock(&p->b->lock);
	return err;
}

static int xnode_end(struct journal_handle *h, struct ext4_fs *fs,
		     struct ext4_inode *in, struct xpath *p)
{
	if (!p->b)
		return 0;
	ext4_ext_node_csum_set(fs, in, p->eh);
	mutex_unlock(&p->b->lock);
	return journal_dirty_metadata(h, p->b);
}

/* The first key of the node at @level became @key: the index entries
 * above that lead to it follow (while it is their node's first, too). */
static int fix_keys(struct journal_handle *h, struct ext4_fs *fs,
		    struct ext4_inode *in, struct xtree *t, unsigned level,
		    uint32_t key)
{
	for (int k = (int)level - 1; k >= 0; k--) {
		struct ext4_extent_idx *ix = (void *)(t->p[k].eh + 1);
		int err;

		ix += t->p[k].idx;
		if (ix->ei_block == key)
			return 0;
		err = xnode_begin(h, &t->p[k]);
		if (err)
			return err;
		ix->ei_block = key;
		err = xnode_end(h, fs, in, &t->p[k]);
		if (err || t->p[k].idx != 0)
			return err;
	}
	return 0;
}

/*
 * Split the full node at @lvl (>= 1) of path @t, whose parent has room:
 * its upper entries (only the last one when @lblk goes past them all)
 * move to a new node, indexed right after it in the parent.
 */
static int xnode_split(struct journal_handle *h, struct ext4_fs *fs,
		       struct ext4_inode *in, struct xtree *t, unsigned lvl,
		       uint32_t lblk)
{
	struct xpath *x = &t->p[lvl], *parent = &t->p[lvl - 1];
	struct ext4_extent_header *xe = x->eh, *ne;
	unsigned n = xe->eh_entries, m, pn = parent->eh->eh_entries;
	struct ext4_extent_idx *pix = (void *)(parent->eh + 1);
	bool append;
	struct buffer *nb;
	uint64_t nblk;
	uint32_t key;
	int err;

	if (lvl == t->depth)
		append = leaf_pos(xe, lblk) == n;
	else
		append = x->idx == (int)n - 1;
	m = append ? n - 1 : n / 2;
	if (n < 2 || pn >= parent->eh->eh_max)
		return EXT4_CORRUPT(fs, "inode %u: extent split of a bad node", in->ino);
	err = ext4_ext_node_new(h, fs, in, x->blk, xe->eh_depth, &nb, &nblk);
	if (err)
		return err;
	mutex_lock(&nb->lock);
	ne = nb->data;
	memcpy(ne + 1, (uint8_t *)(xe + 1) + (size_t)m * 12, (size_t)(n - m) * 12);
	ne->eh_entries = (uint16_t)(n - m);
	memcpy(&key, ne + 1, 4);        /* ee_block or ei_block: offset 0 */
	ext4_ext_node_csum_set(fs, in, ne);
	mutex_unlock(&nb->lock);
	err = journal_dirty_metadata(h, nb);
	buffer_put(nb);
	if (err)
		return err;
	err = xnode_begin(h, x);
	if (err)
		return err;
	memset((uint8_t *)(xe + 1) + (size_t)m * 12, 0, (size_t)(n - m) * 12);
	xe->eh_entries = (uint16_t)m;
	err = xnode_end(h, fs, in, x);
	if (err)
		return err;
	err = xnode_begin(h, parent);
	if (err)
		return err;
	unsigned pi = (unsigned)parent->idx + 1;
	memmove(&pix[pi + 1], &pix[pi], (size_t)(pn - pi) * sizeof(*pix));
	pix[pi].ei_block = key;
	pix[pi].ei_leaf_lo = (uint32_t)nblk;
	pix[pi].ei_leaf_hi = (uint16_t)(nblk >> 32);
	pix[pi].ei_unused = 0;
	parent->eh->eh_entries++;
	return xnode_end(h, fs, in, parent);
}

/*
 * Insert extent (@lblk, @pblk, @len, @unwritten) in its sorted place
 * (with @merge, into an adjacent neighbour of its kind in the leaf).
 * i_blocks is the caller's to count.
 */
static int ext_insert(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *in, uint32_t lblk, uint64_t pblk,
		      uint32_t len, bool unwritten, bool merge)
{
	uint32_t maxlen = unwritten ? UNWRITTEN_MAX_LEN : EXT4_EXT_INIT_MAX_LEN;

	for (int tries = 0; tries < 4 * (EXT4_EXT_MAX_DEPTH + 2); tries++) {
		struct xtree t;
		struct xpath *lp;
		struct ext4_extent *e;
		unsigned n, pos;
		int err, k;

		err = xtree_find(fs, in, lblk, &t);
		if (err)
			return err;
		lp = &t.p[t.depth];
		e = (void *)(lp->eh + 1);
		n = lp->eh->eh_entries;
		pos = leaf_pos(lp->eh, lblk);
		if (merge && pos > 0) {
			struct ext4_extent *l = &e[pos - 1];
			if (ext_unwritten(l) == unwritten &&
			    (uint64_t)l->ee_block + ext_len(l) == lblk &&
			    ext_pstart(l) + ext_len(l) == pblk &&
			    ext_len(l) + len <= maxlen) {
				err = xnode_begin(h, lp);
				if (!err) {
					ext_set(l, l->ee_block, ext_pstart(l),
						ext_len(l) + len, unwritten);
					err = xnode_end(h, fs, in, lp);
				}
				xtree_put(&t);
				return err;
			}
		}
		if (merge && pos < n) {
			struct ext4_extent *r = &e[pos];
			if (ext_unwritten(r) == unwritten &&
			    (uint64_t)lblk + len == r->ee_block &&
			    pblk + len == ext_pstart(r) &&
			    ext_len(r) + len <= maxlen) {
				err = xnode_begin(h, lp);
				if (!err) {
					ext_set(r, lblk, pblk, ext_len(r) + len,
						unwritten);
					err = xnode_end(h, fs, in, lp);
				}
				if (!err && pos == 0)
					err = fix_keys(h, fs, in, &t, t.depth, lblk);
				xtree_put(&t);
				return err;
			}
		}
		if (n < lp->eh->eh_max) {
			err = xnode_begin(h, lp);
			if (!err) {
				memmove(&e[pos + 1], &e[pos], (size_t)(n - pos) * sizeof(*e));
				ext_set(&e[pos], lblk, pblk, len, unwritten);
				lp->eh->eh_entries++;
				err = xnode_end(h, fs, in, lp);
			}
			if (!err && pos == 0)
				err = fix_keys(h, fs, in, &t, t.depth, lblk);
			xtree_put(&t);
			return err;
		}
		/* the leaf is full: split the lowest full node whose parent
		 * has room, or grow the root; then walk again */
		for (k = (int)t.depth - 1; k >= 0; k--)
			if (t.p[k].eh->eh_entries < t.p[k].eh->eh_max)
				break;
		if (k < 0) {
			xtree_put(&t);
			err = ext4_ext_grow_root(h, fs, in, pblk);
		} else {
			err = xnode_split(h, fs, in, &t, (unsigned)k + 1, lblk);
			xtree_put(&t);
		}
		if (err)
			return err;
	}
	return EXT4_CORRUPT(fs, "inode %u: extent insertion does not end", in->ino);
}

/* What @lblk of @in is: in an extent (*ext a copy) or in a hole ending
 * at *hole_end; *goal where new blocks for it should go. */
struct xlook {
	bool mapped;
	struct ext4_extent ext;
	uint64_t hole_end;
	uint64_t goal;
};

static int xlookup(struct ext4_fs *fs, struct ext4_inode *in, uint32_t lblk,
		   struct xlook *r)
{
	struct xtree t;
	struct ext4_extent_header *eh;
	struct ext4_extent *e;
	unsigned pos, n;
	int err = xtree_find(fs, in, lblk, &t);

	if (err)
		return err;
	eh = t.p[t.depth].eh;
	e = (void *)(eh + 1);
	n = eh->eh_entries;
	pos = leaf_pos(eh, lblk);
	memset(r, 0, sizeof(*r));
	if (pos > 0) {
		struct ext4_extent *x = &e[pos - 1];
		uint32_t off = lblk - x->ee_block;
		if (ext_pstart(x) >= fs->blocks_count ||
		    ext_len(x) > fs->blocks_count - ext_pstart(x) || ext_len(x) == 0) {
			xtree_put(&t);
			return EXT4_CORRUPT(fs, "inode %u: extent at %llu out of range",
					    in->ino, (unsigned long long)ext_pstart(x));
		}
		if (off < ext_len(x)) {
			r->mapped = true;
			r->ext = *x;
			xtree_put(&t);
			return 0;
		}
		r->goal = ext_pstart(x) + off;
	} else if (n > 0 && ext_pstart(&e[0]) > e[0].ee_block - lblk) {
		r->goal = ext_pstart(&e[0]) - (e[0].ee_block - lblk);
	} else {
		r->goal = ext4_gd_inode_table(fs, (in->ino - 1) / fs->inodes_per_group);
	}
	r->hole_end = pos < n ? e[pos].ee_block : t.limit;
	if (r->hole_end <= lblk) {
		xtree_put(&t);
		return EXT4_CORRUPT(fs, "inode %u: extents out of order", in->ino);
	}
	xtree_put(&t);
	return 0;
}

/* Shorten or retype the extent starting at @start. */
static int ext_modify(struct journal_handle *h, struct ext4_fs *fs,
		      struct ext4_inode *in, uint32_t start, uint32_t len,
		      bool unwritten)
{
	struct xtree t;
	struct xpath *lp;
	struct ext4_extent *e;
	unsigned pos;
	int err = xtree_find(fs, in, start, &t);

	if (err)
		return err;
	lp = &t.p[t.depth];
	e = (void *)(lp->eh + 1);
	pos = leaf_pos(lp->eh, start);
	if (pos == 0 || e[pos - 1].ee_block != start) {
		xtree_put(&t);
		return EXT4_CORRUPT(fs, "inode %u: extent at %u vanished", in->ino, start);
	}
	err = xnode_begin(h, lp);
	if (!err) {
		ext_set(&e[pos - 1], start, ext_pstart(&e[pos - 1]), len, unwritten);
		err = xnode_end(h, fs, in, lp);
	}
	xtree_put(&t);
	return err;
}

/* Make [@lblk, @lblk + @n) of unwritten extent @x initialized: the pieces
 * after it first, @x itself last (it keeps the part before @lblk, or
 * becomes the initialized piece). */
static int convert(struct journal_handle *h, struct ext4_fs *fs,
		   struct ext4_inode *in, const struct ext4_extent *x,
		   uint32_t lblk, uint32_t n)
{
	uint32_t s = x->ee_block, len = ext_len(x);
	uint64_t ps = ext_pstart(x), end = (uint64_t)s + len, cend = (uint64_t)lblk + n;
	int err = 0;

	if (cend < end)
		err = ext_insert(h, fs, in, (uint32_t)cend, ps + (cend - s),
				 (uint32_t)(end - cend), true, false);
	if (!err && lblk > s)
		err = ext_insert(h, fs, in, lblk, ps + (lblk - s), n, false, false);
	if (!err)
		err = ext_modify(h, fs, in, s, lblk > s ? lblk - s : n, lblk > s);
	return err;
}

int ext4_map_blocks_create(struct journal_handle *h, struct ext4_fs *fs,
			   struct ext4_inode *in, uint32_t lblk, uint32_t max,
			   uint64_t *pblk, uint32_t *len, bool *fresh)
{
	struct xlook r;
	uint64_t p;
	uint32_t n;
	int err;

	*fresh = false;
	*pblk = 0;
	*len = 0;
	if (max == 0)
		return -EINVAL;
	if (!(in->flags & EXT4_EXTENTS_FL)) {
		if (!ext4_has_block_map(fs, in))
			return -EOPNOTSUPP;     /* inline data, fast symlinks */
		return ext4_ind_map_create(h, fs, in, lblk, max, pblk, len, fresh);
	}
	/* logical blocks end at 2^32 - 2 (Linux's EXT_MAX_BLOCKS) */
	if (lblk >= EXT4_MAX_LBLK)
		return -EFBIG;
	max = (uint32_t)MIN((uint64_t)max, (uint64_t)EXT4_MAX_LBLK - lblk);
	err = xlookup(fs, in, lblk, &r);
	if (err)
		return err;
	if (r.mapped) {
		uint32_t off = lblk - r.ext.ee_block;
		n = MIN(max, ext_len(&r.ext) - off);
		if (ext_unwritten(&r.ext)) {
			err = convert(h, fs, in, &r.ext, lblk, n);
			if (!err)       /* merges may leave a leaf that fits */
				err = ext4_ext_collapse(h, fs, in);
			if (err)
				return err;
			*fresh = true;
		}
		*pblk = ext_pstart(&r.ext) + off;
		*len = n;
		return 0;
	}
	n = (uint32_t)MIN(MIN((uint64_t)max, r.hole_end - lblk),
			  (uint64_t)EXT4_EXT_INIT_MAX_LEN);
	err = ext4_new_blocks(h, fs, r.goal, &n, &p);
	if (err)
		return err;
	err = ext_insert(h, fs, in, lblk, p, n, false, true);
	if (err) {
		ext4_free_blocks(h, fs, p, n);
		return err;
	}
	in->blocks += (uint64_t)n << (fs->log_block_size - 9);
	*pblk = p;
	*len = n;
	*fresh = true;
	/* a merge may leave a leaf that fits the inode: back into it (a
	 * failure here leaves a valid, deeper tree) */
	ext4_ext_collapse(h, fs, in);
	return 0;
}

int ext4_fallocate(struct journal_handle *h, struct ext4_fs *fs,
		   struct ext4_inode *in, uint32_t lblk, uint32_t count)
{
	uint64_t cur = lblk, end = (uint64_t)lblk + count;
	int err = 0;

	if ((in->mode & EXT4_S_IFMT) != EXT4_S_IFREG || count == 0)
		return -EINVAL;
	if (!(in->flags & EXT4_EXTENTS_FL))
		return -EOPNOTSUPP;
	if (end > EXT4_MAX_LBLK)
		return -EFBIG;
	while (cur < end && !err) {
		struct xlook r;
		uint64_t p;
		uint32_t n;

		err = ext4_ensure_credits(h, fs, in, EXT4_CREDITS_MAP_CREATE + 1);
		if (!err)
			err = xlookup(fs, in, (uint32_t)cur, &r);
		if (err)
			break;
		if (r.mapped) {
			cur = (uint64_t)r.ext.ee_block + ext_len(&r.ext);
			continue;
		}
		n = (uint32_t)MIN(MIN(end, r.hole_end) - cur,
				  (uint64_t)UNWRITTEN_MAX_LEN);
		err = ext4_new_blocks(h, fs, r.goal, &n, &p);
		if (err)
			break;
		err = ext_insert(h, fs, in, (uint32_t)cur, p, n, true, true);
		if (err) {
			ext4_free_blocks(h, fs, p, n);
			break;
		}
		in->blocks += (uint64_t)n << (fs->log_block_size - 9);
		cur += n;
	}
	/* what was allocated stays (as Linux's fallocate on ENOSPC) */
	int err2 = ext4_inode_write(h, fs, in);
	return err ? err : err2;
}
