/*
 * In-kernel tests of what the storage stack computes without a disk:
 * partition tables parsed from crafted sectors in memory (MBR with an
 * EBR chain, GPT with checksums, 4 KiB logical blocks, broken tables),
 * the CRC-32 of the GPT, the virtqueue event-index rule and the split
 * virtqueue's descriptor bookkeeping against a simulated device, and the
 * block layer's request splitting against a fake driver.
 */
#include "lib/ktest.h"
#include "block/internal.h"
#include "block/partition.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "virtio/virtqueue.h"

/* A disk in memory: @blocks logical blocks of @lsize bytes. */
struct memdisk {
	uint8_t *data;
	unsigned lsize;
	uint64_t blocks;
	unsigned reads;
};

static int memdisk_read(void *ctx, uint64_t lba, void *buf)
{
	struct memdisk *m = ctx;

	m->reads++;
	if (lba >= m->blocks)
		return -EIO;
	memcpy(buf, m->data + lba * m->lsize, m->lsize);
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* MBR/EBR record @slot of the sector at @sec. */
static void mbr_record(uint8_t *sec, int slot, uint8_t type, uint32_t start,
		       uint32_t size)
{
	uint8_t *r = sec + 0x1be + 16 * slot;

	r[4] = type;
	put32(r + 8, start);
	put32(r + 12, size);
	sec[510] = 0x55;
	sec[511] = 0xaa;
}

static struct memdisk *memdisk_new(unsigned lsize, uint64_t blocks)
{
	struct memdisk *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	m->data = kzalloc(lsize * blocks);
	if (!m->data) {
		kfree(m);
		return NULL;
	}
	m->lsize = lsize;
	m->blocks = blocks;
	return m;
}

static void memdisk_free(struct memdisk *m)
{
	kfree(m->data);
	kfree(m);
}

static bool has_part(const struct part_table *t, unsigned i, unsigned partno,
		     uint64_t start, uint64_t size)
{
	return i < t->count && t->e[i].partno == partno &&
	       t->e[i].start == start && t->e[i].nr_sectors == size;
}

KTEST(partition_crc32_check_value)
{
	/* The CRC-32 check value of "123456789" (IEEE 802.3). */
	KEXPECT_EQ(partition_crc32("123456789", 9), 0xcbf43926u);
	KEXPECT_EQ(partition_crc32("", 0), 0);
}

KTEST(partition_mbr_extended_numbering)
{
	struct memdisk *m = memdisk_new(512, 256);
	struct part_table *t = kzalloc(sizeof(*t));
	uint8_t *d;

	KEXPECT(m && t);
	d = m->data;
	/* Primary 1 at 8+16, extended 2 at 32+96, slot 3 empty, primary 4
	 * at 200+100 (cut at the disk's end: 56 sectors). */
	mbr_record(d, 0, 0x83, 8, 16);
	mbr_record(d, 1, 0x05, 32, 96);
	mbr_record(d, 3, 0x83, 200, 100);
	/* EBR chain inside the extended partition: at 32, 64, 100; each
	 * holds its logical partition relative to itself and the link to
	 * the next EBR relative to the extended partition's start. */
	mbr_record(d + 32 * 512, 0, 0x83, 2, 10);
	mbr_record(d + 32 * 512, 1, 0x05, 32, 36);
	mbr_record(d + 64 * 512, 0, 0x83, 4, 20);
	mbr_record(d + 64 * 512, 1, 0x0f, 68, 20);
	mbr_record(d + 100 * 512, 0, 0x83, 1, 8);
	KEXPECT_EQ(partition_parse(memdisk_read, m, 256, 512, t), 0);
	KEXPECT(t->kind && strcmp(t->kind, "dos") == 0);
	KEXPECT_EQ(t->count, 6);
	KEXPECT(has_part(t, 0, 1, 8, 16));
	KEXPECT(has_part(t, 1, 2, 32, 2));     /* the container: 1 KiB */
	KEXPECT(has_part(t, 2, 4, 200, 56));
	KEXPECT(has_part(t, 3, 5, 34, 10));
	KEXPECT(has_part(t, 4, 6, 68, 20));
	KEXPECT(has_part(t, 5, 7, 101, 8));
	memdisk_free(m);
	kfree(t);
}

KTEST(partition_mbr_rejects_garbage)
{
	struct memdisk *m = memdisk_new(512, 128);
	struct part_table *t = kzalloc(sizeof(*t));
	uint8_t *d;

	KEXPECT(m && t);
	d = m->data;
	/* No signature: no table. */
	KEXPECT_EQ(partition_parse(memdisk_read, m, 128, 512, t), 0);
	KEXPECT(!t->kind && t->count == 0);
	/* A boot indicator other than 0/0x80: a boot sector, not a table. */
	mbr_record(d, 0, 0x83, 8, 16);
	d[0x1be] = 0x12;
	KEXPECT_EQ(partition_parse(memdisk_read, m, 128, 512, t), 0);
	KEXPECT_EQ(t->count, 0);
	/* An EBR that links to itself ends (no hang), a partition past the
	 * end of the disk is dropped. */
	d[0x1be] = 0;
	mbr_record(d, 1, 0x05, 40, 40);
	mbr_record(d, 2, 0x83, 500, 8);
	mbr_record(d + 40 * 512, 0, 0x83, 1, 4);
	mbr_record(d + 40 * 512, 1, 0x05, 0, 40);
	KEXPECT_EQ(partition_parse(memdisk_read, m, 128, 512, t), 0);
	KEXPECT(t->count >= 3 && t->count <= PART_MAX);
	KEXPECT(has_part(t, 0, 1, 8, 16));
	KEXPECT(has_part(t, 1, 2, 40, 2));
	KEXPECT(has_part(t, 2, 5, 41, 4));
	for (unsigned i = 0; i < t->count; i++)
		KEXPECT(t->e[i].partno != 3);
	/* A read error on sector 0 is reported. */
	m->blocks = 0;
	KEXPECT_EQ(partition_parse(memdisk_read, m, 128, 512, t), -EIO);
	memdisk_free(m);
	kfree(t);
}

/* A GPT on @m: protective MBR, header at LBA 1 (entries from LBA 2, 128
 * of them), entries 0 and 2 used. */
static void make_gpt(struct memdisk *m)
{
	unsigned ls = m->lsize;
	uint8_t *h = m->data + ls, *e = m->data + 2 * ls;
	uint64_t last = m->blocks - 1;
	unsigned entry_blocks = 128 * 128 / ls;

	mbr_record(m->data, 0, 0xee, 1, (uint32_t)last);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, 1);
	put64(h + 32, last);
	put64(h + 40, 2 + entry_blocks);
	put64(h + 48, last - 1 - entry_blocks);
	put64(h + 72, 2);
	put32(h + 80, 128);
	put32(h + 84, 128);
	/* entry 0: blocks 40-59; entry 2: blocks 60-99 */
	e[0] = 0xaf;
	put64(e + 32, 40);
	put64(e + 40, 59);
	e[256] = 0x0f;
	put64(e + 256 + 32, 60);
	put64(e + 256 + 40, 99);
	/* entry 3: ends past the disk: skipped */
	e[384] = 0x0f;
	put64(e + 384 + 32, 60);
	put64(e + 384 + 40, last + 5);
	put32(h + 88, partition_crc32(e, 128 * 128));
	put32(h + 16, 0);
	put32(h + 16, partition_crc32(h, 92));
}

KTEST(partition_gpt_by_entry_index)
{
	struct memdisk *m = memdisk_new(512, 256);
	struct part_table *t = kzalloc(sizeof(*t));

	KEXPECT(m && t);
	make_gpt(m);
	KEXPECT_EQ(partition_parse(memdisk_read, m, 256, 512, t), 0);
	KEXPECT(t->kind && strcmp(t->kind, "gpt") == 0);
	KEXPECT_EQ(t->count, 2);
	KEXPECT(has_part(t, 0, 1, 40, 20));
	KEXPECT(has_part(t, 1, 3, 60, 40));
	/* A damaged header checksum: no GPT, and the protective MBR is no
	 * DOS table either. */
	m->data[512 + 70] ^= 1;
	KEXPECT_EQ(partition_parse(memdisk_read, m, 256, 512, t), 0);
	KEXPECT_EQ(t->count, 0);
	m->data[512 + 70] ^= 1;
	/* A damaged entry array. */
	m->data[2 * 512 + 300] ^= 1;
	KEXPECT_EQ(partition_parse(memdisk_read, m, 256, 512, t), 0);
	KEXPECT_EQ(t->count, 0);
	m->data[2 * 512 + 300] ^= 1;
	/* Without the protective MBR the GPT is not looked at. */
	m->data[0x1be + 4] = 0x83;
	KEXPECT_EQ(partition_parse(memdisk_read, m, 256, 512, t), 0);
	KEXPECT(t->kind && strcmp(t->kind, "dos") == 0);
	memdisk_free(m);
	kfree(t);
}

KTEST(partition_gpt_4k_blocks)
{
	struct memdisk *m = memdisk_new(4096, 128);
	struct part_table *t = kzalloc(sizeof(*t));

	KEXPECT(m && t);
	make_gpt(m);
	KEXPECT_EQ(partition_parse(memdisk_read, m, 128 * 8, 4096, t), 0);
	KEXPECT_EQ(t->count, 2);
	/* Entries count logical blocks; the table gives 512-byte sectors. */
	KEXPECT(has_part(t, 0, 1, 40 * 8, 20 * 8));
	KEXPECT(has_part(t, 1, 3, 60 * 8, 40 * 8));
	memdisk_free(m);
	kfree(t);
}

KTEST(virtq_event_index_rule)
{
	/* Moved 10 -> 15: events 10..14 ask for a notification. */
	KEXPECT(virtq_need_event(10, 15, 10));
	KEXPECT(virtq_need_event(14, 15, 10));
	KEXPECT(!virtq_need_event(15, 15, 10));
	KEXPECT(!virtq_need_event(9, 15, 10));
	/* Across the 16-bit wrap: 65534 -> 2. */
	KEXPECT(virtq_need_event(65535, 2, 65534));
	KEXPECT(virtq_need_event(0, 2, 65534));
	KEXPECT(virtq_need_event(1, 2, 65534));
	KEXPECT(!virtq_need_event(2, 2, 65534));
	KEXPECT(!virtq_need_event(65533, 2, 65534));
	/* Nothing moved: never. */
	KEXPECT(!virtq_need_event(7, 7, 7));
}

/* The device side of a split ring: complete the next available chain. */
static void device_use(struct virtqueue *vq, uint16_t *dev_avail_seen,
		       uint32_t len)
{
	uint16_t head = vq->avail[2 + (*dev_avail_seen & (vq->size - 1))];
	uint16_t uidx = vq->used[1];
	volatile uint32_t *elem = (volatile uint32_t *)(vq->used + 2) +
				  2 * (uidx & (vq->size - 1));

	(*dev_avail_seen)++;
	elem[0] = head;
	elem[1] = len;
	vq->used[1] = (uint16_t)(uidx + 1);
}

KTEST(virtq_descriptor_bookkeeping)
{
	struct virtqueue *vq = virtq_create(0, 8, true, false);
	struct virtq_buf bufs[3] = {
		{ 0x1000, 16, false }, { 0x2000, 512, true }, { 0x3000, 1, true },
	};
	int tokens[4];
	uint16_t seen = 0;
	uint32_t len = 0;

	KEXPECT(vq);
	KEXPECT_EQ(virtq_num_free(vq), 8);
	KEXPECT_EQ(virtq_add(vq, bufs, 3, &tokens[0], NULL), 0);
	KEXPECT_EQ(virtq_add(vq, bufs, 3, &tokens[1], NULL), 0);
	KEXPECT_EQ(virtq_num_free(vq), 2);
	/* Three more descriptors do not fit. */
	KEXPECT_EQ(virtq_add(vq, bufs, 3, &tokens[2], NULL), -ENOSPC);
	/* The chain: readable header, writable data and status. */
	KEXPECT_EQ(vq->desc[0].flags, VIRTQ_DESC_F_NEXT);
	KEXPECT_EQ(vq->desc[1].flags, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	KEXPECT_EQ(vq->desc[2].flags, VIRTQ_DESC_F_WRITE);
	/* The device's avail_event is 0: the first kick notifies. */
	KEXPECT(virtq_kick_prepare(vq));
	KEXPECT_EQ(vq->avail[1], 2);
	/* Nothing used yet. */
	KEXPECT(virtq_get_used(vq, &len) == NULL);
	device_use(vq, &seen, 513);
	KEXPECT(virtq_get_used(vq, &len) == &tokens[0]);
	KEXPECT_EQ(len, 513);
	KEXPECT_EQ(virtq_num_free(vq), 5);
	/* The freed descriptors are reused. */
	KEXPECT_EQ(virtq_add(vq, bufs, 3, &tokens[2], NULL), 0);
	/* The device said it wants to hear at avail index 5 only: adding
	 * the third chain (2 -> 3) needs no notification. */
	vq->used[2 + 4 * vq->size] = 5;
	KEXPECT(!virtq_kick_prepare(vq));
	device_use(vq, &seen, 1);
	device_use(vq, &seen, 2);
	KEXPECT(virtq_get_used(vq, NULL) == &tokens[1]);
	KEXPECT(virtq_get_used(vq, NULL) == &tokens[2]);
	KEXPECT(virtq_get_used(vq, NULL) == NULL);
	KEXPECT_EQ(virtq_num_free(vq), 8);
	/* Asking for the next interrupt publishes used_event. */
	KEXPECT(virtq_enable_cb(vq));
	KEXPECT_EQ(vq->avail[2 + vq->size], 3);
	/* A used entry naming a descriptor that is not a head is ignored. */
	vq->used[1] = (uint16_t)(vq->used[1] + 1);
	((volatile uint32_t *)(vq->used + 2))[2 * 3] = 7;
	KEXPECT(virtq_get_used(vq, NULL) == NULL);
	virtq_destroy(vq);
}

KTEST(virtq_indirect_chain_takes_one_slot)
{
	struct virtqueue *vq = virtq_create(0, 4, false, true);
	struct virtq_desc *table = kzalloc(4 * sizeof(*table));
	struct virtq_desc *table2 = kzalloc(4 * sizeof(*table2));
	struct virtq_buf bufs[4] = {
		{ 0x1000, 16, false }, { 0x2000, 4096, false },
		{ 0x3000, 4096, false }, { 0x4000, 1, true },
	};
	int token, token2;

	KEXPECT(vq && table && table2);
	KEXPECT_EQ(virtq_add(vq, bufs, 4, &token, table), 0);
	KEXPECT_EQ(virtq_num_free(vq), 3);
	KEXPECT_EQ(vq->desc[0].flags, VIRTQ_DESC_F_INDIRECT);
	KEXPECT_EQ(vq->desc[0].len, 64);
	KEXPECT_EQ(vq->desc[0].addr, VIRT_TO_PHYS(table));
	KEXPECT_EQ(table[3].flags, VIRTQ_DESC_F_WRITE);
	KEXPECT_EQ(table[2].next, 3);
	/* Without EVENT_IDX the used ring's NO_NOTIFY flag decides. */
	KEXPECT(virtq_kick_prepare(vq));
	KEXPECT_EQ(virtq_add(vq, bufs, 4, &token2, table2), 0);
	vq->used[0] = VIRTQ_USED_F_NO_NOTIFY;
	KEXPECT(!virtq_kick_prepare(vq));
	KEXPECT_EQ(vq->avail[1], 2);
	/* Interrupts are never suppressed then: nothing to re-enable. */
	KEXPECT(virtq_enable_cb(vq));
	KEXPECT_EQ(vq->avail[0], 0);
	virtq_destroy(vq);
	kfree(table);
	kfree(table2);
}

/* ---- the block layer against a fake driver ---- */

struct fake_disk {
	unsigned ios;
	uint64_t sectors_seen;
	uint32_t max_pieces_seen;
	bool bad_cut;                   /* an io not on a block boundary */
	uint8_t *store;                 /* the disk's contents */
};

static int fake_submit(struct block_device *disk, struct block_io *io)
{
	struct fake_disk *f = block_driver_data(disk);
	uint64_t bytes = 0;
	uint8_t *at = f->store + io->sector * 512;

	f->ios++;
	f->max_pieces_seen = MAX(f->max_pieces_seen, io->nr_pieces);
	for (uint32_t i = 0; i < io->nr_pieces; i++) {
		uint8_t *va = PHYS_TO_VIRT(io->pieces[i].pa);

		if (io->op == BLOCK_READ)
			memcpy(va, at + bytes, io->pieces[i].len);
		else if (io->op == BLOCK_WRITE)
			memcpy(at + bytes, va, io->pieces[i].len);
		bytes += io->pieces[i].len;
	}
	if (io->op == BLOCK_READ || io->op == BLOCK_WRITE) {
		f->bad_cut |= bytes != io->nr_sectors * 512 || bytes % 4096;
		f->sectors_seen += io->nr_sectors;
	}
	block_io_complete(io, 0);
	return 0;
}

static const struct block_disk_ops fake_ops = { .submit = fake_submit };

static void count_done(struct block_request *rq, int error)
{
	*(int *)rq->private += error ? 100 : 1;
}

KTEST(block_layer_splits_and_shifts)
{
	static struct block_device *disk;      /* registered once, kept */
	static struct fake_disk fake;
	struct block_device *part;
	uint8_t *buf = kmalloc(64 * 1024);
	struct block_segment segs[16];
	struct block_request rq = { 0 };
	int done = 0, err;

	KEXPECT(buf);
	if (!disk) {
		struct block_disk_params p = {
			.name = "ktestblk", .major = 240, .first_minor = 0,
			.minors = 16, .nr_sectors = 1024, .logical_size = 4096,
			.physical_size = 4096, .has_flush = true,
			.max_pieces = 16, .max_bytes = 8192, .ops = &fake_ops,
			.driver_data = &fake,
		};
		fake.store = kzalloc(1024 * 512);
		KEXPECT(fake.store);
		/* An MBR with one partition at sector 64 (logical block 8). */
		mbr_record(fake.store, 0, 0x83, 8, 32);
		disk = block_disk_register(&p);
		KEXPECT(!IS_ERR(disk));
		KEXPECT_EQ(block_disk_scan_partitions(disk), 0);
	}
	part = block_get_by_name("/dev/ktestblk1");
	KEXPECT(!IS_ERR(part));
	KEXPECT_EQ(block_nr_sectors(part), 256);
	KEXPECT_EQ(block_start_sector(part), 64);
	/* 60 KiB in one buffer: ios of at most 8 KiB, each a whole number
	 * of 4 KiB blocks. */
	for (unsigned i = 0; i < 64 * 1024; i++)
		buf[i] = (uint8_t)(i * 7);
	fake.ios = 0;
	fake.sectors_seen = 0;
	err = block_rw(part, BLOCK_WRITE, 8, buf, 60 * 1024);
	KEXPECT_EQ(err, 0);
	KEXPECT_EQ(fake.sectors_seen, 120);
	KEXPECT_EQ(fake.ios, 8);
	KEXPECT(!fake.bad_cut);
	/* Shifted by the partition's start. */
	KEXPECT(memcmp(fake.store + (64 + 8) * 512, buf, 60 * 1024) == 0);
	KEXPECT_EQ(block_rw(part, BLOCK_READ, 8, buf + 3, 4096), 0);
	KEXPECT_EQ(buf[3], 0);
	KEXPECT_EQ(buf[4], 7);
	/* Misaligned for 4 KiB blocks, past the end, a bad length. */
	KEXPECT_EQ(block_rw(part, BLOCK_READ, 1, buf, 4096), -EINVAL);
	KEXPECT_EQ(block_rw(part, BLOCK_READ, 256, buf, 4096), -EIO);
	KEXPECT_EQ(block_rw(part, BLOCK_READ, 0, buf, 100), -EINVAL);
	/* No discard support. */
	KEXPECT_EQ(block_discard(part, 0, 8), -EOPNOTSUPP);
	KEXPECT_EQ(block_flush(part), 0);
	/* 16 separate 1 KiB segments: at most 16 pieces per io, cuts on
	 * 4 KiB boundaries, the data in order. */
	for (int i = 0; i < 16; i++) {
		segs[i].buf = kmalloc(1024);
		segs[i].len = 1024;
		KEXPECT(segs[i].buf);
		memset(segs[i].buf, 'a' + i, 1024);
	}
	rq.op = BLOCK_WRITE;
	rq.sector = 16;
	rq.segments = segs;
	rq.nr_segments = 16;
	rq.done = count_done;
	rq.private = &done;
	fake.ios = 0;
	fake.max_pieces_seen = 0;
	KEXPECT_EQ(block_submit(part, &rq), 0);
	KEXPECT_EQ(done, 1);
	KEXPECT(fake.max_pieces_seen <= 16);
	KEXPECT(!fake.bad_cut);
	for (int i = 0; i < 16; i++) {
		KEXPECT_EQ(fake.store[(64 + 16) * 512 + i * 1024], 'a' + i);
		KEXPECT_EQ(fake.store[(64 + 16) * 512 + i * 1024 + 1023], 'a' + i);
		kfree(segs[i].buf);
	}
	KEXPECT(!IS_ERR(block_get_by_devt(240, 1)));
	block_put(part);
	block_put(part);        /* the get_by_devt reference */
	KEXPECT(IS_ERR(block_get_by_devt(240, 5)));
	kfree(buf);
}
