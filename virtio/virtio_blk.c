/*
 * virtio-blk (virtio 1.2, 5.2): a block device per virtio block device,
 * named vda, vdb, ... in probe order, with a dynamic major (as Linux's
 * "virtblk") and 16 minors per disk.
 *
 * Model: one request queue.  Each block_io becomes one request: the
 * header (type, sector), the data pieces (or a discard segment) and the
 * status byte, in a slot of the preallocated request table (slots live
 * in the direct map, so the device can reach them).  With INDIRECT_DESC
 * a request takes one ring descriptor (its chain goes in the slot's own
 * descriptor table), so the queue depth is the ring size; without it a
 * request takes 2 + pieces descriptors.  ios that find no room wait on
 * the pending list and are started from the completion interrupt.
 * Writes with FUA are handled by the block layer (no FUA in virtio-blk).
 *
 * Locking: vblk->lock (irqsave) protects the virtqueue, the slots and
 * the pending list; block_io_complete runs after it is dropped.
 */
#include "virtio/virtio.h"
#include "block/block.h"
#include "drivers/pci.h"
#include "include/assert.h"
#include "include/errno.h"
#include "include/list.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "sched/spinlock.h"

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_TOPOLOGY 10
#define VIRTIO_BLK_F_DISCARD 13

/* Configuration layout (5.2.4). */
#define CFG_CAPACITY 0
#define CFG_SIZE_MAX 8
#define CFG_SEG_MAX 12
#define CFG_BLK_SIZE 20
#define CFG_PHYS_BLOCK_EXP 24
#define CFG_MAX_DISCARD_SECTORS 36
#define CFG_MAX_DISCARD_SEG 40

/* Request types and status (5.2.6). */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define VBLK_MAX_PIECES 32
#define VBLK_MAX_BYTES (128 * 1024)
#define VBLK_QUEUE_MAX 256
#define VBLK_MINORS 16

struct vblk_outhdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};
STATIC_ASSERT(sizeof(struct vblk_outhdr) == 16, "virtio_blk_outhdr");

struct vblk_discard_seg {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};
STATIC_ASSERT(sizeof(struct vblk_discard_seg) == 16, "discard segment");

/* One request slot: what the device reads and writes besides the data. */
struct vblk_req {
	struct vblk_outhdr hdr;
	struct vblk_discard_seg dseg;
	struct virtq_desc table[VBLK_MAX_PIECES + 3];   /* indirect chain */
	uint8_t status;
	struct block_io *io;
};

struct vblk {
	struct virtio_device *vdev;     /* [I] */
	struct virtqueue *vq;           /* [I] (contents: [lock]) */
	struct block_device *disk;      /* [I] */
	unsigned max_pieces;            /* [I] */
	struct spinlock lock;
	struct vblk_req *reqs;          /* [lock] the slots */
	uint16_t *free_slots;           /* [lock] stack of free slot numbers */
	unsigned nfree;                 /* [lock] */
	struct list_node pending;       /* [lock] block_io.node */
};

static int vblk_major = -1;             /* [I] after the first probe */
static unsigned vblk_count;             /* [probe] disks so far */

static int status_errno(uint8_t status)
{
	return status == VIRTIO_BLK_S_OK ? 0 :
	       status == VIRTIO_BLK_S_UNSUPP ? -EOPNOTSUPP : -EIO;
}

/* Put @io in a free slot and on the ring.  Called with the lock held.
 * 0, or -ENOSPC when there is no room now. */
static int start_io(struct vblk *vb, struct block_io *io)
{
	struct virtq_buf bufs[VBLK_MAX_PIECES + 3];
	struct vblk_req *r;
	unsigned n = 0, slot;
	int err;

	ASSERT_HELD(&vb->lock);
	if (!vb->nfree)
		return -ENOSPC;
	slot = vb->free_slots[vb->nfree - 1];
	r = &vb->reqs[slot];
	r->io = io;
	r->status = 0xff;
	r->hdr.reserved = 0;
	r->hdr.sector = io->sector;
	bufs[n++] = (struct virtq_buf){ VIRT_TO_PHYS(&r->hdr), sizeof(r->hdr),
					false };
	switch (io->op) {
	case BLOCK_READ:
	case BLOCK_WRITE:
		r->hdr.type = io->op == BLOCK_READ ? VIRTIO_BLK_T_IN
						   : VIRTIO_BLK_T_OUT;
		for (uint32_t i = 0; i < io->nr_pieces; i++)
			bufs[n++] = (struct virtq_buf){
				io->pieces[i].pa, io->pieces[i].len,
				io->op == BLOCK_READ };
		break;
	case BLOCK_FLUSH:
		r->hdr.type = VIRTIO_BLK_T_FLUSH;
		r->hdr.sector = 0;
		break;
	case BLOCK_DISCARD:
		r->hdr.type = VIRTIO_BLK_T_DISCARD;
		r->hdr.sector = 0;
		r->dseg = (struct vblk_discard_seg){ io->sector,
						     (uint32_t)io->nr_sectors, 0 };
		bufs[n++] = (struct virtq_buf){ VIRT_TO_PHYS(&r->dseg),
						sizeof(r->dseg), false };
		break;
	}
	bufs[n++] = (struct virtq_buf){ VIRT_TO_PHYS(&r->status), 1, true };
	err = virtq_add(vb->vq, bufs, n, r, r->table);
	if (err)
		return err;
	vb->nfree--;
	return 0;
}

/* Start waiting ios while there is room; notify the device if it wants.
 * Called with the lock held. */
static void start_pending(struct vblk *vb)
{
	bool added = false;

	ASSERT_HELD(&vb->lock);
	while (!list_empty(&vb->pending)) {
		struct block_io *io = list_first_entry(&vb->pending,
						       struct block_io, node);
		if (start_io(vb, io))
			break;
		list_del(&io->node);
		added = true;
	}
	if (added && virtq_kick_prepare(vb->vq))
		virtio_notify(vb->vdev, vb->vq);
}

static int vblk_submit(struct block_device *disk, struct block_io *io)
{
	struct vblk *vb = block_driver_data(disk);
	uint64_t irq;

	if (io->nr_pieces > vb->max_pieces)
		return -EINVAL;
	irq = spin_lock_irqsave(&vb->lock);
	list_add_tail(&io->node, &vb->pending);
	start_pending(vb);
	spin_unlock_irqrestore(&vb->lock, irq);
	return 0;
}

/* Queue interrupt: collect finished requests, start waiting ones, then
 * complete the finished ones with the lock dropped. */
static void vblk_done(struct virtqueue *vq)
{
	struct vblk *vb = ((struct virtio_device *)vq->priv)->priv;
	struct list_node done = LIST_HEAD_INIT(done), *n, *tmp;
	uint64_t irq = spin_lock_irqsave(&vb->lock);
	struct vblk_req *r;

	do {
		while ((r = virtq_get_used(vq, NULL)) != NULL) {
			struct block_io *io = r->io;

			io->driver_private =
				(void *)(intptr_t)status_errno(r->status);
			list_add_tail(&io->node, &done);
			r->io = NULL;
			vb->free_slots[vb->nfree++] = (uint16_t)(r - vb->reqs);
		}
	} while (!virtq_enable_cb(vq));
	start_pending(vb);
	spin_unlock_irqrestore(&vb->lock, irq);
	list_for_each_safe(n, tmp, &done) {
		struct block_io *io = list_entry(n, struct block_io, node);

		list_del(n);
		block_io_complete(io, (int)(intptr_t)io->driver_private);
	}
}

static const struct block_disk_ops vblk_ops = {
	.submit = vblk_submit,
};

static void disk_name(unsigned index, char *buf, size_t size)
{
	char letters[8];
	int n = 0;

	/* vda .. vdz, vdaa .. vdzz, ... as Linux's sd_format_disk_name. */
	do {
		letters[n++] = (char)('a' + index % 26);
		index = index / 26;
	} while (index-- > 0 && n < 7);
	letters[n] = 0;
	for (int i = 0; i < n / 2; i++) {
		char c = letters[i];
		letters[i] = letters[n - 1 - i];
		letters[n - 1 - i] = c;
	}
	format_snprintf(buf, size, "vd%s", letters);
}

/* The disk's geometry and limits from the negotiated features and the
 * device configuration (5.2.4), into @p. */
static void vblk_read_config(struct virtio_device *vdev, struct vblk *vb,
			     struct block_disk_params *p)
{
	/* Limits: a request needs the header and status besides its data;
	 * without indirect descriptors it must fit the ring. */
	vb->max_pieces = VBLK_MAX_PIECES;
	if (!virtio_has_feature(vdev, VIRTIO_F_INDIRECT_DESC))
		vb->max_pieces = MIN(vb->max_pieces, vb->vq->size - 3u);
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_SEG_MAX)) {
		uint32_t seg_max = virtio_cfg_read32(vdev, CFG_SEG_MAX);
		if (seg_max >= 2)
			vb->max_pieces = MIN(vb->max_pieces, seg_max);
	}
	p->max_bytes = VBLK_MAX_BYTES;
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_SIZE_MAX)) {
		uint32_t size_max = virtio_cfg_read32(vdev, CFG_SIZE_MAX);
		if (size_max >= PAGE_SIZE)
			p->max_bytes = MIN(p->max_bytes,
					  (uint32_t)ALIGN_DOWN(size_max, PAGE_SIZE));
	}
	p->logical_size = SECTOR_SIZE;
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_BLK_SIZE)) {
		uint32_t bs = virtio_cfg_read32(vdev, CFG_BLK_SIZE);
		if (bs >= SECTOR_SIZE && bs <= PAGE_SIZE && !(bs & (bs - 1)))
			p->logical_size = bs;
	}
	p->physical_size = p->logical_size;
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_TOPOLOGY)) {
		uint8_t exp = virtio_cfg_read8(vdev, CFG_PHYS_BLOCK_EXP);
		if (exp < 4)
			p->physical_size = p->logical_size << exp;
	}
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_DISCARD) &&
	    virtio_cfg_read32(vdev, CFG_MAX_DISCARD_SEG) >= 1)
		p->max_discard_sectors = virtio_cfg_read32(vdev,
						CFG_MAX_DISCARD_SECTORS);
}

static int vblk_probe(struct virtio_device *vdev)
{
	uint64_t wanted = 1ull << VIRTIO_BLK_F_SIZE_MAX |
			  1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_RO |
			  1ull << VIRTIO_BLK_F_BLK_SIZE |
			  1ull << VIRTIO_BLK_F_FLUSH |
			  1ull << VIRTIO_BLK_F_TOPOLOGY |
			  1ull << VIRTIO_BLK_F_DISCARD |
			  1ull << VIRTIO_F_EVENT_IDX |
			  1ull << VIRTIO_F_INDIRECT_DESC;
	struct block_disk_params p = { 0 };
	struct vblk *vb;
	char name[16];
	int err;

	err = virtio_negotiate(vdev, wanted);
	if (err)
		return err;
	if (vblk_major < 0) {
		vblk_major = block_major_alloc("virtblk");
		if (vblk_major < 0)
			return vblk_major;
	}
	vb = kzalloc(sizeof(*vb));
	if (!vb)
		return -ENOMEM;
	vb->vdev = vdev;
	vdev->priv = vb;
	spin_lock_init(&vb->lock, "virtio_blk");
	list_init(&vb->pending);
	vb->vq = virtio_setup_vq(vdev, 0, VBLK_QUEUE_MAX, vblk_done);
	if (!vb->vq)
		return -ENODEV;
	vb->reqs = kzalloc(vb->vq->size * sizeof(*vb->reqs));
	vb->free_slots = kmalloc(vb->vq->size * sizeof(uint16_t));
	if (!vb->reqs || !vb->free_slots)
		return -ENOMEM;
	for (unsigned i = 0; i < vb->vq->size; i++)
		vb->free_slots[vb->nfree++] = (uint16_t)i;

	vblk_read_config(vdev, vb, &p);
	disk_name(vblk_count, name, sizeof(name));
	p.name = name;
	p.major = (uint32_t)vblk_major;
	p.first_minor = vblk_count * VBLK_MINORS;
	p.minors = VBLK_MINORS;
	/* The capacity is in 512-byte sectors whatever the block size. */
	p.nr_sectors = ALIGN_DOWN(virtio_cfg_read64(vdev, CFG_CAPACITY),
				  (uint64_t)(p.logical_size / SECTOR_SIZE));
	p.read_only = virtio_has_feature(vdev, VIRTIO_BLK_F_RO);
	p.has_flush = virtio_has_feature(vdev, VIRTIO_BLK_F_FLUSH);
	p.max_pieces = vb->max_pieces;
	p.ops = &vblk_ops;
	p.driver_data = vb;
	err = virtio_device_ready(vdev);
	if (err)
		return err;
	vb->disk = block_disk_register(&p);
	if (IS_ERR(vb->disk))
		return (int)PTR_ERR(vb->disk);
	vblk_count++;
	pr_info("virtio_blk: %s: %llu %u-byte logical blocks (%llu MB)%s%s%s, "
		"queue %u%s%s\n", name,
		(unsigned long long)(p.nr_sectors / (p.logical_size / 512)),
		p.logical_size,
		(unsigned long long)(p.nr_sectors * 512 / 1000000),
		p.read_only ? ", read-only" : "",
		p.has_flush ? ", write cache" : "",
		p.max_discard_sectors ? ", discard" : "", vb->vq->size,
		vb->vq->event_idx ? ", event idx" : "",
		vb->vq->indirect ? ", indirect" : "");
	block_disk_scan_partitions(vb->disk);
	return 0;
}

static const struct virtio_driver vblk_driver = {
	.name = "virtio_blk",
	.type = VIRTIO_ID_BLOCK,
	.probe = vblk_probe,
};

void virtio_blk_init(void)
{
	virtio_register_driver(&vblk_driver);
}
