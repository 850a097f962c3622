/*
 * ext4 extended attributes (layout "Extended Attributes") and inline
 * data ("Inline Data"), read-only.
 *
 * Attributes live after the inode's extra fields (magic, then entries
 * whose values are relative to the first entry) and in one block named
 * by i_file_acl (a 32-byte header with a crc32c seeded by the block
 * number, then entries whose values are relative to the block).  Every
 * entry and value is bounds-checked against its region; values stored
 * in separate inodes (ea_inode) are not supported (that INCOMPAT feature
 * refuses the mount).  Inline data is i_block's 60 bytes followed by the
 * value of "system.data".
 */
#include "ext4/internal.h"
#include "block/buffer.h"
#include "lib/crc32c.h"
#include "lib/string.h"

#define XATTR_INDEX_SYSTEM 7
#define INLINE_IBLOCK_SIZE 60

static const char *const prefixes[] = {
	[1] = "user.",
	[2] = "system.posix_acl_access",
	[3] = "system.posix_acl_default",
	[4] = "trusted.",
	[6] = "security.",
	[7] = "system.",
	[8] = "system.richacl",
};

/* Called per attribute with its value; non-zero stops the walk. */
typedef long (*xattr_fn)(void *ctx, unsigned index, const char *name,
			 unsigned nlen, const uint8_t *value, uint32_t vlen);

static long region_walk(struct ext4_fs *fs, struct ext4_inode *inode,
			const uint8_t *base, uint32_t first, uint32_t end,
			uint32_t value_base, xattr_fn fn, void *ctx)
{
	uint32_t off = first;
	unsigned n = 0;

	while (end - off >= 4) {
		const struct ext4_xattr_entry *e = (const void *)(base + off);
		uint32_t esize;
		long r;

		if (*(const uint32_t *)e == 0)
			return 0;
		if (end - off < sizeof(*e) || ++n > 4096)
			goto bad;
		esize = ALIGN_UP((uint32_t)sizeof(*e) + e->e_name_len, 4u);
		if (esize > end - off || e->e_value_inum)
			goto bad;
		if (e->e_value_size &&
		    ((uint32_t)e->e_value_offs + value_base > end ||
		     e->e_value_size > end - value_base - e->e_value_offs))
			goto bad;
		r = fn(ctx, e->e_name_index, e->e_name, e->e_name_len,
		       base + value_base + e->e_value_offs, e->e_value_size);
		if (r)
			return r;
		off += esize;
	}
	return 0;
bad:
	return EXT4_CORRUPT(fs, "inode %u: bad xattr entry at %u", inode->ino, off);
}

static long xattr_walk(struct ext4_fs *fs, struct ext4_inode *inode,
		       xattr_fn fn, void *ctx, bool inode_only)
{
	uint32_t start = EXT4_GOOD_OLD_INODE_SIZE + inode->extra_isize;
	long r = 0;

	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
	    start + 4 <= fs->inode_size &&
	    *(const uint32_t *)(inode->raw + start) == EXT4_XATTR_MAGIC) {
		r = region_walk(fs, inode, inode->raw, start + 4,
				fs->inode_size, start + 4, fn, ctx);
		if (r)
			return r;
	}
	if (inode_only || !inode->file_acl)
		return 0;

	struct buffer *b = ext4_bread(fs, inode->file_acl);
	const struct ext4_xattr_header *h;
	if (IS_ERR(b))
		return PTR_ERR(b);
	h = b->data;
	if (h->h_magic != EXT4_XATTR_MAGIC || h->h_blocks != 1) {
		r = EXT4_CORRUPT(fs, "inode %u: bad xattr block header", inode->ino);
		goto out;
	}
	if (fs->csum) {
		static const uint32_t zero;
		uint64_t le_blk = inode->file_acl;
		unsigned co = offsetof(struct ext4_xattr_header, h_checksum);
		uint32_t c = crc32c(fs->csum_seed, &le_blk, 8);
		c = crc32c(c, b->data, co);
		c = crc32c(c, &zero, 4);
		c = crc32c(c, (uint8_t *)b->data + co + 4, fs->block_size - co - 4);
		if (c != h->h_checksum) {
			r = EXT4_CORRUPT(fs, "inode %u: xattr block checksum mismatch",
					 inode->ino);
			goto out;
		}
	}
	r = region_walk(fs, inode, b->data, sizeof(*h), fs->block_size, 0, fn, ctx);
out:
	buffer_put(b);
	return r;
}

/* Split a full name into index + suffix (NULL if no prefix matches). */
static const char *name_split(const char *name, unsigned *index)
{
	/* the longer system.* names first: they are exact */
	static const unsigned order[] = {2, 3, 8, 1, 4, 6, 7};

	for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
		const char *p = prefixes[order[i]];
		size_t pl = strlen(p);
		if (strncmp(name, p, pl) != 0)
			continue;
		if (p[pl - 1] != '.' && name[pl] != '\0')
			continue;
		*index = order[i];
		return name + pl;
	}
	return NULL;
}

struct get_ctx {
	unsigned index;
	const char *suffix;
	size_t slen;
	void *buf;
	size_t size;
};

static long get_fn(void *c, unsigned index, const char *name, unsigned nlen,
		   const uint8_t *value, uint32_t vlen)
{
	struct get_ctx *g = c;

	if (index != g->index || nlen != g->slen || memcmp(name, g->suffix, nlen))
		return 0;
	if (g->size) {
		if (vlen > g->size)
			return -ERANGE;
		memcpy(g->buf, value, vlen);
	}
	return (long)vlen + 1;  /* +1: found, even when empty */
}

long ext4_xattr_get(struct ext4_fs *fs, struct ext4_inode *inode,
		    const char *name, void *buf, size_t size)
{
	struct get_ctx g = {.buf = buf, .size = size};
	long r;

	g.suffix = name_split(name, &g.index);
	if (!g.suffix)
		return -ENODATA;
	g.slen = strlen(g.suffix);
	r = xattr_walk(fs, inode, get_fn, &g, false);
	if (r == 0)
		return -ENODATA;
	return r < 0 ? r : r - 1;
}

struct list_ctx {
	char *buf;
	size_t size, used;
};

static long list_fn(void *c, unsigned index, const char *name, unsigned nlen,
		    const uint8_t *value, uint32_t vlen)
{
	struct list_ctx *l = c;
	const char *p = index < ARRAY_SIZE(prefixes) ? prefixes[index] : NULL;
	size_t pl, total;

	if (!p)
		return 0;       /* unknown namespace: not listed */
	pl = strlen(p);
	if (p[pl - 1] != '.')
		nlen = 0;       /* exact names (ACLs) have no suffix */
	total = pl + nlen + 1;
	if (l->size) {
		if (l->used + total > l->size)
			return -ERANGE;
		memcpy(l->buf + l->used, p, pl);
		memcpy(l->buf + l->used + pl, name, nlen);
		l->buf[l->used + pl + nlen] = '\0';
	}
	l->used += total;
	return 0;
}

long ext4_xattr_list(struct ext4_fs *fs, struct ext4_inode *inode, char *buf,
		     size_t size)
{
	struct list_ctx l = {buf, size, 0};
	long r = xattr_walk(fs, inode, list_fn, &l, false);

	return r < 0 ? r : (long)l.used;
}

/* ---- inline data ---- */

struct data_ctx {
	const uint8_t *value;
	uint32_t len;
	bool found;
	uint64_t off;
	uint8_t *buf;
	size_t want;
};

static long data_fn(void *c, unsigned index, const char *name, unsigned nlen,
		    const uint8_t *value, uint32_t vlen)
{
	struct data_ctx *d = c;

	if (index != XATTR_INDEX_SYSTEM || nlen != 4 || memcmp(name, "data", 4))
		return 0;
	d->found = true;
	d->len = vlen;
	if (d->buf && d->off < vlen)
		memcpy(d->buf, value + d->off, MIN((uint64_t)d->want, vlen - d->off));
	return 1;
}

long ext4_inline_size(struct ext4_fs *fs, struct ext4_inode *inode)
{
	struct data_ctx d = {0};
	long r = xattr_walk(fs, inode, data_fn, &d, true);

	if (r < 0)
		return r;
	if (!d.found)
		return EXT4_CORRUPT(fs, "inode %u: inline data without system.data",
				    inode->ino);
	return INLINE_IBLOCK_SIZE + (long)d.len;
}

long ext4_inline_data_read(struct ext4_fs *fs, struct ext4_inode *inode,
			   uint64_t off, void *buf, size_t len)
{
	const struct ext4_disk_inode *di = (const void *)inode->raw;
	long total = ext4_inline_size(fs, inode);
	uint8_t *dst = buf;
	size_t done = 0;

	if (total < 0)
		return total;
	if (off >= (uint64_t)total)
		return 0;
	len = MIN(len, (size_t)((uint64_t)total - off));
	if (off < INLINE_IBLOCK_SIZE) {
		done = MIN(len, (size_t)(INLINE_IBLOCK_SIZE - off));
		memcpy(dst, (const uint8_t *)di->i_block + off, done);
	}
	if (done < len) {
		struct data_ctx d = {0};
		d.off = off + done - INLINE_IBLOCK_SIZE;
		d.buf = dst + done;
		d.want = len - done;
		long r = xattr_walk(fs, inode, data_fn, &d, true);
		if (r < 0)
			return r;
		done = len;
	}
	return (long)done;
}
