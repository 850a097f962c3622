/*
 * Partition table parsing: GPT first (it needs a protective MBR), then
 * the MBR ("dos" in Linux's words) with extended partitions.  Pure code:
 * sectors come from a callback, so crafted tables can be tested without
 * a disk.  Malformed tables give fewer partitions, never an error: an
 * error is returned only when the first sector cannot be read.
 *
 * Formats: GPT per UEFI 2.10 section 5.3 (header at LBA 1, 128-byte
 * entries, CRC-32 over the header and over the entry array); MBR per the
 * classic layout (four 16-byte records at 0x1be, signature 0x55aa at
 * 0x1fe, start and size in logical blocks).
 */
#include "block/partition.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

#define MBR_SIG_OFF 510
#define MBR_PART_OFF 0x1be
#define MBR_TYPE_GPT 0xee
#define GPT_SIGNATURE "EFI PART"
#define GPT_HEADER_MIN 92
#define GPT_ENTRY_SIZE 128
#define GPT_MAX_ENTRIES_BYTES (1u << 20)
#define EBR_CHAIN_MAX 100       /* EBRs without a partition before we stop */

struct parse_state {
	part_read_fn read;
	void *ctx;
	unsigned lsize;
	unsigned spb;           /* 512-byte sectors per logical block */
	uint64_t nr_sectors;
	uint64_t last_lba;      /* last logical block */
	struct part_table *t;
	uint8_t *buf;           /* one logical block */
};

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

uint32_t partition_crc32(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffu;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* Record partition @partno at @start for @size sectors (512-byte units),
 * applying Linux's checks against the disk size. */
static void put_partition(struct parse_state *s, unsigned partno,
			  uint64_t start, uint64_t size)
{
	struct part_table *t = s->t;

	if (size == 0 || partno == 0 || partno > PART_MAX ||
	    t->count == PART_MAX || start >= s->nr_sectors)
		return;
	if (size > s->nr_sectors - start)
		size = s->nr_sectors - start;
	t->e[t->count++] = (struct part_entry){ partno, start, size };
}

static bool mbr_signature(const uint8_t *b)
{
	return b[MBR_SIG_OFF] == 0x55 && b[MBR_SIG_OFF + 1] == 0xaa;
}

/* ---- GPT ---- */

/* A protective (or hybrid) MBR: a type 0xee record starting at LBA 1. */
static bool gpt_pmbr_valid(const uint8_t *b)
{
	if (!mbr_signature(b))
		return false;
	for (int i = 0; i < 4; i++) {
		const uint8_t *r = b + MBR_PART_OFF + 16 * i;
		if (r[4] == MBR_TYPE_GPT && get_le32(r + 8) == 1)
			return true;
	}
	return false;
}

/* Check the header in s->buf read from @lba; on success return its
 * entries (kmalloc'ed, *n entries), else NULL. */
static uint8_t *gpt_check(struct parse_state *s, uint64_t lba, uint32_t *n)
{
	uint8_t *h = s->buf, *ents;
	uint32_t hsize, crc, count, esize;
	uint64_t first, last, elba, bytes, blocks;

	if (lba > s->last_lba || s->read(s->ctx, lba, h))
		return NULL;
	hsize = get_le32(h + 12);
	if (memcmp(h, GPT_SIGNATURE, 8) != 0 || hsize < GPT_HEADER_MIN ||
	    hsize > s->lsize)
		return NULL;
	crc = get_le32(h + 16);
	memset(h + 16, 0, 4);
	if (partition_crc32(h, hsize) != crc || get_le64(h + 24) != lba)
		return NULL;
	first = get_le64(h + 40);
	last = get_le64(h + 48);
	elba = get_le64(h + 72);
	count = get_le32(h + 80);
	esize = get_le32(h + 84);
	if (first > s->last_lba || last > s->last_lba || last < first ||
	    esize != GPT_ENTRY_SIZE || count == 0 ||
	    (uint64_t)count * esize > GPT_MAX_ENTRIES_BYTES)
		return NULL;
	bytes = (uint64_t)count * esize;
	blocks = DIV_ROUND_UP(bytes, s->lsize);
	if (elba > s->last_lba || blocks > s->last_lba - elba + 1)
		return NULL;
	crc = get_le32(h + 88);
	ents = kmalloc(blocks * s->lsize);
	if (!ents)
		return NULL;
	for (uint64_t i = 0; i < blocks; i++) {
		if (s->read(s->ctx, elba + i, ents + i * s->lsize)) {
			kfree(ents);
			return NULL;
		}
	}
	if (partition_crc32(ents, bytes) != crc) {
		kfree(ents);
		return NULL;
	}
	*n = count;
	return ents;
}

static bool guid_is_zero(const uint8_t *g)
{
	for (int i = 0; i < 16; i++)
		if (g[i])
			return false;
	return true;
}

/* true if a valid GPT was found (and its partitions recorded). */
static bool parse_gpt(struct parse_state *s)
{
	uint8_t *ents;
	uint32_t n = 0;

	if (!gpt_pmbr_valid(s->buf))
		return false;
	/* As Linux without "gpt" on the command line: the primary header
	 * must be valid (its backup is only compared). */
	ents = gpt_check(s, 1, &n);
	if (!ents)
		return false;
	s->t->kind = "gpt";
	for (uint32_t i = 0; i < n && i < PART_MAX; i++) {
		const uint8_t *e = ents + (size_t)i * GPT_ENTRY_SIZE;
		uint64_t first = get_le64(e + 32), last = get_le64(e + 40);

		if (guid_is_zero(e) || first > s->last_lba ||
		    last > s->last_lba || last < first)
			continue;
		put_partition(s, i + 1, first * s->spb,
			      (last - first + 1) * s->spb);
	}
	kfree(ents);
	return true;
}

/* ---- MBR ---- */

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* Follow the EBR chain of the extended partition at @first (logical
 * blocks) of @first_size blocks; logical partitions get 5, 6, ... */
static void parse_extended(struct parse_state *s, uint64_t first,
			   uint64_t first_size, unsigned *next)
{
	uint64_t this = first, this_size = first_size;
	int loops = 0;

	for (;;) {
		const uint8_t *r;
		int i;

		if (++loops > EBR_CHAIN_MAX || *next > PART_MAX)
			return;
		if (this > s->last_lba || s->read(s->ctx, this, s->buf) ||
		    !mbr_signature(s->buf))
			return;
		/* The data partition(s); the 3rd and 4th records are often
		 * garbage, so they must lie inside this EBR's area. */
		for (i = 0; i < 4; i++) {
			uint64_t offs, size, start;

			r = s->buf + MBR_PART_OFF + 16 * i;
			offs = get_le32(r + 8);
			size = get_le32(r + 12);
			if (!size || is_extended(r[4]))
				continue;
			start = this + offs;
			if (i >= 2 && (offs + size > this_size || start < first ||
				       start + size > first + first_size))
				continue;
			put_partition(s, (*next)++, start * s->spb,
				      size * s->spb);
			loops = 0;
			if (*next > PART_MAX)
				return;
		}
		/* Then the first link to the next EBR, relative to the
		 * extended partition's start. */
		for (i = 0; i < 4; i++) {
			r = s->buf + MBR_PART_OFF + 16 * i;
			if (get_le32(r + 12) && is_extended(r[4]))
				break;
		}
		if (i == 4)
			return;
		this = first + get_le32(r + 8);
		this_size = get_le32(r + 12);
	}
}

static void parse_mbr(struct parse_state *s)
{
	uint8_t records[64];
	unsigned next = 5;

	if (!mbr_signature(s->buf))
		return;
	memcpy(records, s->buf + MBR_PART_OFF, sizeof(records));
	for (int i = 0; i < 4; i++) {
		uint8_t boot = records[16 * i];

		if (boot != 0 && boot != 0x80)
			return;         /* not a partition table (boot sector) */
		if (records[16 * i + 4] == MBR_TYPE_GPT)
			return;         /* GPT disk whose GPT is broken */
	}
	s->t->kind = "dos";
	for (int i = 0; i < 4; i++) {
		const uint8_t *r = records + 16 * i;
		uint64_t start = get_le32(r + 8), size = get_le32(r + 12);

		if (!size)
			continue;
		if (is_extended(r[4])) {
			/* Linux exposes the container as 2 sectors (1 KiB) so
			 * nobody puts a file system on it by mistake. */
			uint64_t n = MAX(s->spb, 2u);

			put_partition(s, i + 1, start * s->spb,
				      MIN(size * s->spb, n));
			parse_extended(s, start, size, &next);
			continue;
		}
		put_partition(s, i + 1, start * s->spb, size * s->spb);
	}
}

int partition_parse(part_read_fn read, void *ctx, uint64_t nr_sectors,
		    unsigned lsize, struct part_table *t)
{
	struct parse_state s = {
		.read = read, .ctx = ctx, .lsize = lsize,
		.spb = lsize / 512, .nr_sectors = nr_sectors, .t = t,
	};
	int err;

	t->kind = NULL;
	t->count = 0;
	if (lsize < 512 || lsize % 512 || nr_sectors < s.spb * 2)
		return 0;
	s.last_lba = nr_sectors / s.spb - 1;
	s.buf = kmalloc(lsize);
	if (!s.buf)
		return -ENOMEM;
	err = read(ctx, 0, s.buf);
	if (!err && !parse_gpt(&s)) {
		/* parse_gpt may have overwritten the buffer with LBA 1. */
		err = read(ctx, 0, s.buf);
		if (!err)
			parse_mbr(&s);
	}
	kfree(s.buf);
	/* By number, as Linux lists them (an extended partition's logical
	 * ones come after every primary). */
	for (unsigned i = 1; i < t->count; i++) {
		struct part_entry e = t->e[i];
		unsigned j = i;

		for (; j > 0 && t->e[j - 1].partno > e.partno; j--)
			t->e[j] = t->e[j - 1];
		t->e[j] = e;
	}
	return err;
}
