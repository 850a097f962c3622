/*
 * The journal on disk: opening (superblock checks, the block map),
 * block I/O through the map, checksums, descriptor tags, and rewriting
 * the superblock.  Format: ext4 disk layout, "Journal (jbd2)".
 *
 * Checksums (csum v2/v3, crc32c): the superblock is crc32c(~0, its 1024
 * bytes with s_checksum zero); every other checksum starts from the seed
 * crc32c(~0, s_uuid): descriptor and revoke blocks over the whole block
 * with the 4-byte tail zero, the commit block with h_chksum[0] zero, a
 * data block as seed + be32 tid + the block as logged (escaped).
 */
#include "ext4/journal_internal.h"
#include "block/block.h"
#include "lib/crc32c.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "time/clock.h"

int journal_block_to_dev(const struct journal *j, uint32_t lblock,
			 uint64_t *pblock)
{
	uint32_t lo = 0, hi = j->nr_extents;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		const struct journal_extent *e = &j->map[mid];

		if (lblock < e->lblock)
			hi = mid;
		else if (lblock - e->lblock >= e->len)
			lo = mid + 1;
		else {
			*pblock = e->pblock + (lblock - e->lblock);
			return 0;
		}
	}
	return -LOCAL_EFSCORRUPTED;
}

static int journal_io(struct journal *j, enum block_op op, uint32_t lblock,
		      void *buf)
{
	uint64_t pblock;
	int err;

	if (lblock >= j->nr_blocks)
		return -LOCAL_EFSCORRUPTED;
	err = journal_block_to_dev(j, lblock, &pblock);
	if (err)
		return err;
	return block_rw(j->bdev, op, pblock * j->sectors_per_block, buf,
			j->block_size);
}

int journal_read_block(struct journal *j, uint32_t lblock, void *buf)
{
	return journal_io(j, BLOCK_READ, lblock, buf);
}

int journal_write_block(struct journal *j, uint32_t lblock, const void *buf)
{
	return journal_io(j, BLOCK_WRITE, lblock, (void *)buf);
}

/*
 * Write @n blocks to the log from position @start on (wrapping), block
 * i from bufs[i]; blocks contiguous on disk go as one request.  With
 * @fua the last request is durable when it completes.
 */
int journal_write_blocks(struct journal *j, uint32_t start, void *const *bufs,
			 uint32_t n, bool fua)
{
	struct block_segment *segs = kmalloc(n * sizeof(*segs));
	uint32_t i = 0;
	int err = 0;

	if (!segs)
		return -ENOMEM;
	while (i < n && !err) {
		uint32_t l = journal_next_block(j, start, i), k = 1;
		uint64_t p, q;
		struct block_request rq = { .op = BLOCK_WRITE };

		err = journal_block_to_dev(j, l, &p);
		if (err)
			break;
		segs[0] = (struct block_segment){ bufs[i], j->block_size };
		while (i + k < n) {
			uint32_t next = journal_next_block(j, start, i + k);

			if (next != l + k || journal_block_to_dev(j, next, &q) ||
			    q != p + k)
				break;
			segs[k] = (struct block_segment){ bufs[i + k],
							  j->block_size };
			k++;
		}
		rq.sector = p * j->sectors_per_block;
		rq.segments = segs;
		rq.nr_segments = k;
		rq.fua = fua && i + k == n;
		err = block_submit_wait(j->bdev, &rq);
		i += k;
	}
	kfree(segs);
	return err;
}

/* Log positions wrap from the last block back to s_first. */
uint32_t journal_next_block(const struct journal *j, uint32_t lblock,
			    uint32_t n)
{
	uint32_t len = j->nr_blocks - j->first;

	return j->first + (uint32_t)(((uint64_t)(lblock - j->first) + n) % len);
}

bool journal_has_csum(const struct journal *j)
{
	return j->incompat & (JOURNAL_INCOMPAT_CSUM_V2 |
			      JOURNAL_INCOMPAT_CSUM_V3);
}

static uint32_t sb_csum(const struct jbd2_superblock *sb)
{
	struct jbd2_superblock copy;

	memcpy(&copy, sb, sizeof(copy));
	copy.checksum = 0;
	return crc32c(~0u, &copy, sizeof(copy));
}

/* crc32c(seed, block) with the 4 bytes at @zero_at taken as zero. */
static uint32_t csum_block_hole(const struct journal *j, const void *block,
				uint32_t zero_at)
{
	static const uint8_t zero[4];
	const uint8_t *p = block;
	uint32_t c;

	c = crc32c(j->csum_seed, p, zero_at);
	c = crc32c(c, zero, 4);
	return crc32c(c, p + zero_at + 4, j->block_size - zero_at - 4);
}

uint32_t journal_block_csum(const struct journal *j, const void *block)
{
	return csum_block_hole(j, block, j->block_size - JBD2_TAIL_SIZE);
}

bool journal_header_ok(const void *block, uint32_t type, uint32_t tid)
{
	const uint8_t *p = block;

	return get_be32(p) == JBD2_MAGIC && get_be32(p + 4) == type &&
	       get_be32(p + 8) == tid;
}

bool journal_tail_csum_ok(const struct journal *j, const void *block)
{
	const uint8_t *p = block;

	if (!journal_has_csum(j))
		return true;
	return get_be32(p + j->block_size - JBD2_TAIL_SIZE) ==
	       journal_block_csum(j, block);
}

void journal_tail_csum_set(const struct journal *j, void *block)
{
	uint8_t *p = block;

	if (journal_has_csum(j))
		put_be32(p + j->block_size - JBD2_TAIL_SIZE,
			 journal_block_csum(j, block));
}

bool journal_commit_csum_ok(const struct journal *j, const void *block)
{
	const uint8_t *p = block;

	if (!journal_has_csum(j))
		return true;
	return get_be32(p + offsetof(struct jbd2_commit, chksum)) ==
	       csum_block_hole(j, block, offsetof(struct jbd2_commit, chksum));
}

void journal_commit_csum_set(const struct journal *j, void *block)
{
	uint8_t *p = block;
	uint32_t at = offsetof(struct jbd2_commit, chksum);

	if (journal_has_csum(j))
		put_be32(p + at, csum_block_hole(j, block, at));
}

uint32_t journal_data_csum(const struct journal *j, uint32_t tid,
			   const void *data)
{
	uint8_t seq[4];

	put_be32(seq, tid);
	return crc32c(crc32c(j->csum_seed, seq, 4), data, j->block_size);
}

bool journal_tag_csum_ok(const struct journal *j, const struct journal_tag *tag,
			 uint32_t tid, const void *data)
{
	uint32_t c;

	if (!journal_has_csum(j))
		return true;
	c = journal_data_csum(j, tid, data);
	if (j->incompat & JOURNAL_INCOMPAT_CSUM_V3)
		return tag->checksum == c;
	return tag->checksum == (c & 0xffff);
}

/* Tag sizes as jbd2 lays them out: v3 tags are 16 bytes; older ones are
 * blocknr, 16-bit checksum, 16-bit flags, then blocknr_high (64BIT), and
 * with csum v2 two more bytes. */
static uint32_t tag_bytes(uint32_t incompat)
{
	uint32_t sz = 12;

	if (incompat & JOURNAL_INCOMPAT_CSUM_V3)
		return 16;
	if (incompat & JOURNAL_INCOMPAT_CSUM_V2)
		sz += 2;
	if (!(incompat & JOURNAL_INCOMPAT_64BIT))
		sz -= 4;
	return sz;
}

uint32_t journal_tag_space(const struct journal *j)
{
	return j->block_size - sizeof(struct jbd2_header) -
	       (journal_has_csum(j) ? JBD2_TAIL_SIZE : 0);
}

uint32_t journal_tag_decode(const struct journal *j, const uint8_t *p,
			    uint32_t left, struct journal_tag *tag)
{
	bool v3 = j->incompat & JOURNAL_INCOMPAT_CSUM_V3;
	bool wide = j->incompat & JOURNAL_INCOMPAT_64BIT;
	uint32_t size = j->tag_bytes;

	if (left < size)
		return 0;
	tag->blocknr = get_be32(p);
	if (v3) {
		tag->flags = get_be32(p + 4);
		tag->checksum = get_be32(p + 12);
	} else {
		tag->checksum = get_be16(p + 4);
		tag->flags = get_be16(p + 6);
	}
	if (wide)
		tag->blocknr |= (uint64_t)get_be32(p + 8) << 32;
	if (!(tag->flags & JBD2_FLAG_SAME_UUID))
		size += 16;
	return left < size ? 0 : size;
}

uint32_t journal_tag_encode(const struct journal *j, uint8_t *p,
			    const struct journal_tag *tag)
{
	bool v3 = j->incompat & JOURNAL_INCOMPAT_CSUM_V3;
	uint32_t size = j->tag_bytes;

	memset(p, 0, size);
	put_be32(p, (uint32_t)tag->blocknr);
	if (v3) {
		put_be32(p + 4, tag->flags);
		put_be32(p + 12, tag->checksum);
	} else {
		put_be16(p + 4, (uint16_t)tag->checksum);
		put_be16(p + 6, (uint16_t)tag->flags);
	}
	if (j->incompat & JOURNAL_INCOMPAT_64BIT)
		put_be32(p + 8, (uint32_t)(tag->blocknr >> 32));
	if (!(tag->flags & JBD2_FLAG_SAME_UUID)) {
		memcpy(p + size, j->uuid, 16);
		size += 16;
	}
	return size;
}

uint32_t journal_revoke_record_size(const struct journal *j)
{
	return j->incompat & JOURNAL_INCOMPAT_64BIT ? 8 : 4;
}

/* Check the superblock of @j->sb_block and take its fields. */
static int journal_parse_sb(struct journal *j, uint32_t nr_blocks)
{
	struct jbd2_superblock *sb = (struct jbd2_superblock *)j->sb_block;
	uint32_t type = jbd2_be32(sb->header.blocktype);

	if (jbd2_be32(sb->header.magic) != JBD2_MAGIC ||
	    (type != JBD2_SUPERBLOCK_V1 && type != JBD2_SUPERBLOCK_V2)) {
		pr_warn("journal: no jbd2 superblock\n");
		return -EINVAL;
	}
	j->version = type == JBD2_SUPERBLOCK_V2 ? 2 : 1;
	if (jbd2_be32(sb->blocksize) != j->block_size) {
		pr_warn("journal: block size %u, file system's %u\n",
			jbd2_be32(sb->blocksize), j->block_size);
		return -EINVAL;
	}
	j->nr_blocks = jbd2_be32(sb->maxlen);
	j->first = jbd2_be32(sb->first);
	j->sb_start = jbd2_be32(sb->start);
	j->sb_sequence = jbd2_be32(sb->sequence);
	if (j->nr_blocks > nr_blocks || j->first == 0 ||
	    j->first >= j->nr_blocks || j->nr_blocks - j->first < 32 ||
	    (j->sb_start && (j->sb_start < j->first ||
			     j->sb_start >= j->nr_blocks))) {
		pr_warn("journal: bad geometry (maxlen %u first %u start %u, "
			"inode %u blocks)\n", j->nr_blocks, j->first,
			j->sb_start, nr_blocks);
		return -EINVAL;
	}
	if (j->version == 2) {
		j->compat = jbd2_be32(sb->feature_compat);
		j->incompat = jbd2_be32(sb->feature_incompat);
		memcpy(j->uuid, sb->uuid, 16);
	}
	/* jbd2 defines no read-only compatible features: any is unknown,
	 * and like unknown incompatible ones refuses the journal (as
	 * jbd2_journal_load does). */
	if ((j->incompat & ~JOURNAL_KNOWN_INCOMPAT) ||
	    (j->version == 2 && sb->feature_ro_compat)) {
		pr_warn("journal: unknown features (incompat %#x ro_compat "
			"%#x)\n", j->incompat & ~JOURNAL_KNOWN_INCOMPAT,
			jbd2_be32(sb->feature_ro_compat));
		return -EOPNOTSUPP;
	}
	if ((j->incompat & JOURNAL_INCOMPAT_CSUM_V2) &&
	    (j->incompat & JOURNAL_INCOMPAT_CSUM_V3))
		return -EINVAL;
	if (journal_has_csum(j)) {
		if (sb->checksum_type != JBD2_CRC32C_CHKSUM)
			return -EOPNOTSUPP;
		if (jbd2_be32(sb->checksum) != sb_csum(sb)) {
			pr_warn("journal: superblock checksum mismatch\n");
			return -LOCAL_EFSBADCRC;
		}
	}
	j->csum_seed = crc32c(~0u, j->uuid, 16);
	j->tag_bytes = tag_bytes(j->incompat);
	return 0;
}

/* Ask the file system where each journal block is; keep runs. */
static int journal_build_map(struct journal *j, uint32_t nr_blocks)
{
	uint32_t cap = 4;

	j->map = kmalloc(cap * sizeof(*j->map));
	if (!j->map)
		return -ENOMEM;
	for (uint32_t l = 0; l < nr_blocks; l++) {
		struct journal_extent *last;
		uint64_t p;
		int err = j->ops->bmap(j->fs, l, &p);

		if (err)
			return err;
		if (p >= j->dev_blocks)
			return -LOCAL_EFSCORRUPTED;
		last = j->nr_extents ? &j->map[j->nr_extents - 1] : NULL;
		if (last && last->pblock + last->len == p) {
			last->len++;
			continue;
		}
		if (j->nr_extents == cap) {
			struct journal_extent *bigger =
				kmalloc(2 * cap * sizeof(*bigger));

			if (!bigger)
				return -ENOMEM;
			memcpy(bigger, j->map, cap * sizeof(*bigger));
			kfree(j->map);
			j->map = bigger;
			cap *= 2;
		}
		j->map[j->nr_extents++] = (struct journal_extent){
			.lblock = l, .len = 1, .pblock = p };
	}
	return 0;
}

struct journal *journal_open(struct block_device *bdev, uint32_t block_size,
			     uint32_t nr_blocks,
			     const struct journal_fs_ops *ops, void *fs)
{
	struct journal *j;
	int err;

	if (block_size < 1024 || block_size > 65536 ||
	    (block_size & (block_size - 1)) || nr_blocks < 2)
		return ERR_PTR(-EINVAL);
	j = kzalloc(sizeof(*j));
	if (!j)
		return ERR_PTR(-ENOMEM);
	j->bdev = bdev;
	j->block_size = block_size;
	j->sectors_per_block = block_size / SECTOR_SIZE;
	j->dev_blocks = block_nr_sectors(bdev) / j->sectors_per_block;
	j->ops = ops;
	j->fs = fs;
	mutex_init(&j->lock, "journal");
	mutex_init(&j->commit_mutex, "journal commit");
	wait_queue_init(&j->wait);
	wait_queue_init(&j->thread_wait);
	list_init(&j->checkpoint_list);
	j->nr_blocks = 1;
	err = -ENOMEM;
	j->sb_block = kmalloc(block_size);
	if (!j->sb_block)
		goto fail;
	/* Block 0 first, to learn s_maxlen before mapping the rest. */
	err = journal_build_map(j, 1);
	if (err)
		goto fail;
	err = journal_read_block(j, 0, j->sb_block);
	if (err)
		goto fail;
	err = journal_parse_sb(j, nr_blocks);
	if (err)
		goto fail;
	kfree(j->map);
	j->map = NULL;
	j->nr_extents = 0;
	err = journal_build_map(j, j->nr_blocks);
	if (err)
		goto fail;
	j->max_credits = (j->nr_blocks - j->first) / 4;
	/* A clean journal's next tid is s_sequence + 1, as in jbd2. */
	j->next_tid = j->sb_sequence + (j->sb_start ? 0 : 1);
	j->committed_tid = j->next_tid - 1;
	return j;
fail:
	journal_close(j);
	return ERR_PTR(err);
}

bool journal_needs_recovery(const struct journal *j)
{
	return j->sb_start != 0;
}

int journal_set_features(struct journal *j, uint32_t compat,
			 uint32_t incompat)
{
	uint32_t all = j->incompat | incompat;

	if ((compat & ~JOURNAL_KNOWN_COMPAT) ||
	    (incompat & ~JOURNAL_KNOWN_INCOMPAT) ||
	    ((all & JOURNAL_INCOMPAT_CSUM_V2) &&
	     (all & JOURNAL_INCOMPAT_CSUM_V3)))
		return -EINVAL;
	mutex_lock(&j->lock);
	if (j->loaded) {
		mutex_unlock(&j->lock);
		return -EBUSY;
	}
	j->version = 2;
	j->compat |= compat;
	j->incompat = all;
	j->tag_bytes = tag_bytes(j->incompat);
	mutex_unlock(&j->lock);
	return 0;
}

/* Rewrite the superblock with log start @start and first tid @sequence,
 * then flush.  Caller holds commit_mutex (or is alone). */
int journal_write_sb(struct journal *j, uint32_t start, uint32_t sequence)
{
	struct jbd2_superblock *sb = (struct jbd2_superblock *)j->sb_block;
	int err;

	sb->header.blocktype = jbd2_be32(j->version == 2 ? JBD2_SUPERBLOCK_V2
						     : JBD2_SUPERBLOCK_V1);
	sb->start = jbd2_be32(start);
	sb->sequence = jbd2_be32(sequence);
	if (j->version == 2) {
		sb->feature_compat = jbd2_be32(j->compat);
		sb->feature_incompat = jbd2_be32(j->incompat);
		if (journal_has_csum(j)) {
			sb->checksum_type = JBD2_CRC32C_CHKSUM;
			sb->checksum = jbd2_be32(sb_csum(sb));
		}
	}
	err = journal_write_block(j, 0, j->sb_block);
	if (!err)
		err = block_flush(j->bdev);
	if (err)
		return err;
	j->sb_start = start;
	j->sb_sequence = sequence;
	return 0;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->loaded)
		journal_thread_stop(j);
	journal_drop_all(j);
	kfree(j->map);
	kfree(j->sb_block);
	kfree(j);
}
