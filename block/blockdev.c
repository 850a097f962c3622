/*
 * The block layer: the registry of block devices, request submission
 * and the synchronous wrappers (block/block.h).
 *
 * Submission: a request on a partition is shifted to its disk; its
 * segments (kernel-virtual, any mapping: direct map, kernel image,
 * stacks and other vmm mappings) are translated to physically contiguous
 * pieces, and the request is cut into block_io units within the driver's
 * limits (max_pieces, max_bytes; cuts fall on logical-block boundaries).
 * The original request completes (->done, first error wins) when its
 * last io does.  Flushes on a disk without a volatile cache and empty
 * transfers complete at once.
 *
 * Lifetime: disks are never unregistered; partitions are replaced by a
 * rescan and freed when their last reference goes.
 *
 * Locking: block_lock (irqsave spinlock, a leaf) protects the device
 * list, each disk's partition list, the [R] fields of struct
 * block_device and the major allocator.  block_registry (a mutex)
 * serializes registrations and rescans, which sleep (disk reads, device
 * nodes).  Lock order: block_registry -> vfs_lock; block_lock is taken
 * alone.
 */
#include "block/internal.h"
#include "block/partition.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "sched/spinlock.h"
#include "time/clock.h"
#include "vfs/vfs.h"

struct mutex block_registry = MUTEX_INIT(block_registry, "block_registry");
static struct spinlock block_lock = SPINLOCK_INIT("block");
static struct list_node block_devices = LIST_HEAD_INIT(block_devices);
static uint32_t majors_used;            /* [block_lock] bit n: 254 - n */
static uint32_t next_ext_minor;         /* [block_registry] major 259 */

/* What one request has outstanding. */
struct block_io_parent {
	struct block_request *rq;
	struct block_device *disk;
	int remaining;                  /* [atomic] ios + the submitter */
	int error;                      /* [atomic] first error */
	bool flush_after;               /* FUA write on a cached disk */
};

/* ---- registry ---- */

int block_major_alloc(const char *name)
{
	uint64_t irq = spin_lock_irqsave(&block_lock);
	int major = -EBUSY;

	for (int n = 0; n < 21; n++) {  /* 254 .. 234, as Linux */
		if (!(majors_used & (1u << n))) {
			majors_used |= 1u << n;
			major = 254 - n;
			break;
		}
	}
	spin_unlock_irqrestore(&block_lock, irq);
	if (major > 0)
		pr_info("block: major %d for %s\n", major, name);
	return major;
}

static void bdev_get(struct block_device *b)
{
	__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
}

void block_put(struct block_device *bdev)
{
	if (!bdev || IS_ERR(bdev))
		return;
	if (__atomic_sub_fetch(&bdev->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		ASSERT(bdev->gone && bdev->partno);
		kfree(bdev);
	}
}

struct block_device *block_get_by_devt(uint32_t major, uint32_t minor)
{
	struct block_device *found = NULL;
	uint64_t irq = spin_lock_irqsave(&block_lock);
	struct list_node *n;

	list_for_each(n, &block_devices) {
		struct block_device *b = list_entry(n, struct block_device,
						    all_node);
		if (b->major == major && b->minor == minor && !b->gone) {
			found = b;
			bdev_get(b);
			break;
		}
	}
	spin_unlock_irqrestore(&block_lock, irq);
	return found ? found : ERR_PTR(-ENXIO);
}

struct block_device *block_get_by_name(const char *name)
{
	struct block_device *found = NULL;
	uint64_t irq;
	struct list_node *n;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	irq = spin_lock_irqsave(&block_lock);
	list_for_each(n, &block_devices) {
		struct block_device *b = list_entry(n, struct block_device,
						    all_node);
		if (strcmp(b->name, name) == 0 && !b->gone) {
			found = b;
			bdev_get(b);
			break;
		}
	}
	spin_unlock_irqrestore(&block_lock, irq);
	return found ? found : ERR_PTR(-ENODEV);
}

int block_for_each(int (*fn)(struct block_device *bdev, void *arg),
		   void *arg)
{
	uint64_t irq = spin_lock_irqsave(&block_lock);
	struct list_node *n;
	int ret = 0;

	list_for_each(n, &block_devices) {
		struct block_device *b = list_entry(n, struct block_device,
						    all_node);
		if (!b->gone && (ret = fn(b, arg)) != 0)
			break;
	}
	spin_unlock_irqrestore(&block_lock, irq);
	return ret;
}

uint64_t block_nr_sectors(const struct block_device *bdev)
{
	return READ_ONCE(bdev->nr_sectors);
}

unsigned block_logical_size(const struct block_device *bdev)
{
	return bdev->disk->params.logical_size;
}

unsigned block_physical_size(const struct block_device *bdev)
{
	return bdev->disk->params.physical_size;
}

bool block_read_only(const struct block_device *bdev)
{
	return bdev->disk->params.read_only;
}

const char *block_name(const struct block_device *bdev)
{
	return bdev->name;
}

uint32_t block_major(const struct block_device *bdev)
{
	return bdev->major;
}

uint32_t block_minor(const struct block_device *bdev)
{
	return bdev->minor;
}

struct block_device *block_whole_disk(struct block_device *bdev)
{
	return bdev->disk;
}

unsigned block_partno(const struct block_device *bdev)
{
	return bdev->partno;
}

uint64_t block_start_sector(const struct block_device *bdev)
{
	return READ_ONCE(bdev->start);
}

void *block_driver_data(const struct block_device *disk)
{
	return disk->params.driver_data;
}

/* ---- submission ---- */

int block_check_range(struct block_device *bdev, uint64_t sector,
		      uint64_t nr)
{
	uint64_t size = READ_ONCE(bdev->nr_sectors);

	if (bdev->gone || sector > size || nr > size - sector)
		return -EIO;
	return 0;
}

/* The physical address of @va and how many bytes from it are physically
 * contiguous (at most @len); 0 if @va is not mapped. */
static size_t virt_piece(const uint8_t *va, size_t len, paddr_t *pa)
{
	vaddr_t v = (vaddr_t)va;
	size_t in_page;
	bool ok;

	if (v >= PHYS_MAP_BASE && v < KERNEL_VAREA_BASE) {
		*pa = VIRT_TO_PHYS(v);
		return len;
	}
	if (v >= KERNEL_VMA) {
		*pa = KERNEL_IMAGE_TO_PHYS(v);
		return len;
	}
	*pa = vmm_translate(ALIGN_DOWN(v, PAGE_SIZE), &ok);
	if (!ok)
		return 0;
	*pa += v & (PAGE_SIZE - 1);
	in_page = PAGE_SIZE - (v & (PAGE_SIZE - 1));
	return MIN(len, in_page);
}

/* Translate @rq's segments into @out (NULL: count only), merging
 * physically adjacent pieces up to 1 GiB.  Number of pieces, or -EFAULT. */
static long build_pieces(const struct block_request *rq,
			 struct block_piece *out)
{
	const uint32_t cap = 1u << 30;
	paddr_t last_end = 0;
	uint32_t cur = 0;       /* length of the current (last) piece */
	long n = 0;

	for (uint32_t i = 0; i < rq->nr_segments; i++) {
		const uint8_t *va = rq->segments[i].buf;
		size_t left = rq->segments[i].len;

		while (left) {
			paddr_t pa;
			size_t len = virt_piece(va, left, &pa);

			if (!len)
				return -EFAULT;
			va += len;
			left -= len;
			while (len) {
				uint32_t chunk;

				if (n && last_end == pa && cur < cap) {
					chunk = (uint32_t)MIN(len, cap - cur);
					cur += chunk;
					if (out)
						out[n - 1].len += chunk;
				} else {
					chunk = (uint32_t)MIN(len, cap);
					cur = chunk;
					if (out)
						out[n] = (struct block_piece){ pa, chunk };
					n++;
				}
				last_end = pa + chunk;
				pa += chunk;
				len -= chunk;
			}
		}
	}
	return n;
}

static struct block_io *io_alloc(uint32_t nr_pieces)
{
	struct block_io *io = kzalloc(sizeof(*io) +
				      nr_pieces * sizeof(struct block_piece));

	if (io)
		io->pieces = (struct block_piece *)(io + 1);
	return io;
}

static struct block_io *io_alloc(uint32_t nr_pieces);
void block_io_complete(struct block_io *io, int error);

/* A write with FUA on a disk with a volatile cache: once the data is
 * written, a FLUSH makes it durable (virtio-blk has no FUA). */
static bool flush_after_write(struct block_io_parent *p)
{
	struct block_io *io;
	int err;

	p->flush_after = false;
	io = io_alloc(0);
	if (!io) {
		p->error = -ENOMEM;
		return false;
	}
	io->op = BLOCK_FLUSH;
	io->parent = p;
	p->remaining = 1;
	err = p->disk->params.ops->submit(p->disk, io);
	if (err)
		block_io_complete(io, err);
	return true;
}

static void parent_put(struct block_io_parent *p)
{
	if (__atomic_sub_fetch(&p->remaining, 1, __ATOMIC_ACQ_REL) == 0) {
		struct block_request *rq = p->rq;
		int err = __atomic_load_n(&p->error, __ATOMIC_ACQUIRE);

		if (!err && p->flush_after && flush_after_write(p))
			return;
		err = p->error;
		kfree(p);
		rq->done(rq, err);
	}
}

void block_io_complete(struct block_io *io, int error)
{
	struct block_io_parent *p = io->parent;

	if (error) {
		int zero = 0;
		__atomic_compare_exchange_n(&p->error, &zero, error, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	}
	kfree(io);
	parent_put(p);
}

/*
 * Cut the pieces of a READ/WRITE into ios on @list, starting at disk
 * sector @sector.  0 or -ENOMEM/-EINVAL (the ios made are on @list).
 */
static int cut_transfer(const struct block_disk_params *dp,
			struct block_request *rq, struct block_piece *pcs,
			long total, uint64_t sector, struct list_node *list)
{
	uint32_t max_pieces = MAX(dp->max_pieces, 1u);
	uint32_t max_bytes = MAX(dp->max_bytes, dp->logical_size);
	long idx = 0;
	uint32_t off = 0;

	while (idx < total) {
		struct block_io *io = io_alloc(max_pieces);
		uint64_t bytes = 0;
		uint32_t rem;

		if (!io)
			return -ENOMEM;
		list_add_tail(&io->node, list);
		while (idx < total && io->nr_pieces < max_pieces &&
		       bytes < max_bytes) {
			uint32_t take = (uint32_t)MIN(pcs[idx].len - off,
						      max_bytes - bytes);

			io->pieces[io->nr_pieces++] =
				(struct block_piece){ pcs[idx].pa + off, take };
			bytes += take;
			off += take;
			if (off == pcs[idx].len) {
				idx++;
				off = 0;
			}
		}
		/* End on a logical block: give the tail back. */
		rem = (uint32_t)(bytes % dp->logical_size);
		bytes -= rem;
		while (rem) {
			struct block_piece *last = &io->pieces[io->nr_pieces - 1];
			uint32_t d = MIN(rem, last->len);

			if (off == 0) {
				idx--;
				off = pcs[idx].len;
			}
			off -= d;
			last->len -= d;
			rem -= d;
			if (!last->len)
				io->nr_pieces--;
		}
		if (!bytes)
			return -EINVAL;
		io->op = rq->op;
		io->fua = rq->fua;
		io->sector = sector;
		io->nr_sectors = bytes / SECTOR_SIZE;
		sector += io->nr_sectors;
	}
	return 0;
}

static int cut_discard(const struct block_disk_params *dp, uint64_t sector,
		       uint64_t nr, struct list_node *list)
{
	uint64_t max = dp->max_discard_sectors;
	unsigned spb = dp->logical_size / SECTOR_SIZE;

	max = ALIGN_DOWN(max, spb);
	if (!max)
		return -EOPNOTSUPP;
	while (nr) {
		struct block_io *io = io_alloc(0);
		uint64_t n = MIN(nr, max);

		if (!io)
			return -ENOMEM;
		list_add_tail(&io->node, list);
		io->op = BLOCK_DISCARD;
		io->sector = sector;
		io->nr_sectors = n;
		sector += n;
		nr -= n;
	}
	return 0;
}

static void free_ios(struct list_node *list)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, list) {
		list_del(n);
		kfree(list_entry(n, struct block_io, node));
	}
}

/* Hand the ios on @list to the driver; the first one failing fails the
 * whole request synchronously, later ones complete it with the error. */
static int dispatch(struct block_device *disk, struct block_request *rq,
		    struct list_node *list)
{
	struct block_io_parent *p = kzalloc(sizeof(*p));
	struct list_node *n, *tmp;
	int count = 0, err;
	bool first = true;

	if (!p) {
		free_ios(list);
		return -ENOMEM;
	}
	list_for_each(n, list)
		count++;
	p->rq = rq;
	p->disk = disk;
	p->flush_after = rq->op == BLOCK_WRITE && rq->fua &&
			 disk->params.has_flush;
	p->remaining = count + 1;
	list_for_each_safe(n, tmp, list) {
		struct block_io *io = list_entry(n, struct block_io, node);

		list_del(n);
		io->parent = p;
		err = disk->params.ops->submit(disk, io);
		if (err && first) {
			kfree(io);
			free_ios(list);
			kfree(p);
			return err;
		}
		if (err)
			block_io_complete(io, err);
		first = false;
	}
	parent_put(p);
	return 0;
}

int block_submit(struct block_device *bdev, struct block_request *rq)
{
	struct block_device *disk = bdev->disk;
	const struct block_disk_params *dp = &disk->params;
	struct list_node ios = LIST_HEAD_INIT(ios);
	unsigned spb = dp->logical_size / SECTOR_SIZE;
	uint64_t nr = rq->nr_sectors, start;
	struct block_piece *pcs = NULL;
	long total = 0;
	int err;

	if (rq->op == BLOCK_READ || rq->op == BLOCK_WRITE) {
		uint64_t bytes = 0;
		for (uint32_t i = 0; i < rq->nr_segments; i++) {
			if (rq->segments[i].len % SECTOR_SIZE)
				return -EINVAL;
			bytes += rq->segments[i].len;
		}
		nr = bytes / SECTOR_SIZE;
	} else if (rq->op == BLOCK_FLUSH) {
		nr = 0;
	} else if (rq->op != BLOCK_DISCARD) {
		return -EINVAL;
	}
	if (rq->op != BLOCK_READ && rq->op != BLOCK_FLUSH &&
	    dp->read_only)
		return -EROFS;
	if (rq->sector % spb || nr % spb)
		return -EINVAL;
	err = block_check_range(bdev, rq->sector, nr);
	if (err)
		return err;
	start = READ_ONCE(bdev->start) + rq->sector;
	if (rq->op == BLOCK_FLUSH && !dp->has_flush) {
		rq->done(rq, 0);
		return 0;
	}
	if (rq->op == BLOCK_FLUSH) {
		struct block_io *io = io_alloc(0);
		if (!io)
			return -ENOMEM;
		io->op = BLOCK_FLUSH;
		list_add_tail(&io->node, &ios);
	} else if (rq->op == BLOCK_DISCARD) {
		err = nr ? cut_discard(dp, start, nr, &ios) : 0;
	} else if (nr) {
		total = build_pieces(rq, NULL);
		if (total < 0)
			return (int)total;
		pcs = kmalloc(total * sizeof(*pcs));
		if (!pcs)
			return -ENOMEM;
		total = build_pieces(rq, pcs);
		err = cut_transfer(dp, rq, pcs, total, start, &ios);
		kfree(pcs);
	}
	if (err) {
		free_ios(&ios);
		return err;
	}
	if (list_empty(&ios)) {
		rq->done(rq, 0);
		return 0;
	}
	return dispatch(disk, rq, &ios);
}

/* ---- synchronous wrappers ---- */

struct block_wait {
	struct spinlock lock;
	struct wait_queue wq;
	bool done;
	int error;
};

static void sync_done(struct block_request *rq, int error)
{
	struct block_wait *w = rq->private;
	uint64_t irq = spin_lock_irqsave(&w->lock);

	w->error = error;
	WRITE_ONCE(w->done, true);
	sched_wake_all(&w->wq);
	spin_unlock_irqrestore(&w->lock, irq);
}

/* Also the journal's way to write a run of log blocks as one request. */
int block_submit_wait(struct block_device *bdev, struct block_request *rq)
{
	struct block_wait w = { .lock = SPINLOCK_INIT("block_wait") };
	uint64_t irq;
	int err;

	wait_queue_init(&w.wq);
	rq->done = sync_done;
	rq->private = &w;
	err = block_submit(bdev, rq);
	if (err)
		return err;
	wait_event_timeout(&w.wq, READ_ONCE(w.done), 0);
	/* The completion may still be inside sync_done: let it leave
	 * before @w goes out of scope. */
	irq = spin_lock_irqsave(&w.lock);
	spin_unlock_irqrestore(&w.lock, irq);
	return w.error;
}

int block_rw(struct block_device *bdev, enum block_op op, uint64_t sector,
	     void *buf, size_t len)
{
	struct block_segment seg = { .buf = buf, .len = (uint32_t)len };
	struct block_request rq = {
		.op = op, .sector = sector, .segments = &seg, .nr_segments = 1,
	};

	if (op != BLOCK_READ && op != BLOCK_WRITE)
		return -EINVAL;
	if (len % SECTOR_SIZE || len > UINT32_MAX)
		return -EINVAL;
	if (!len)
		return 0;
	return block_submit_wait(bdev, &rq);
}

int block_flush(struct block_device *bdev)
{
	struct block_request rq = { .op = BLOCK_FLUSH };

	return block_submit_wait(bdev, &rq);
}

int block_discard(struct block_device *bdev, uint64_t sector,
		  uint64_t nr_sectors)
{
	struct block_request rq = { .op = BLOCK_DISCARD, .sector = sector,
				    .nr_sectors = nr_sectors };

	return block_submit_wait(bdev, &rq);
}

/* ---- disks and partitions ---- */

static void make_node(struct block_device *b)
{
	int err = devtmpfs_create_node(b->name, S_IFBLK | 0660, b->major,
				       b->minor);

	if (err && err != -EEXIST)
		pr_warn("block: /dev/%s: error %d\n", b->name, err);
}

struct block_device *block_disk_register(const struct block_disk_params *p)
{
	struct block_device *d, *old;
	uint64_t irq;

	if (!p->ops || !p->name || strlen(p->name) >= BLOCK_NAME_MAX - 4 ||
	    p->logical_size < SECTOR_SIZE || p->logical_size % SECTOR_SIZE ||
	    p->logical_size > PAGE_SIZE || p->minors == 0 ||
	    p->max_bytes < PAGE_SIZE ||
	    /* An io must be able to hold a whole logical block even when
	     * each of its 512-byte sectors is split at a page boundary. */
	    p->max_pieces < 2 * (p->logical_size / SECTOR_SIZE))
		return ERR_PTR(-EINVAL);
	old = block_get_by_devt(p->major, p->first_minor);
	if (!IS_ERR(old)) {
		block_put(old);
		return ERR_PTR(-EEXIST);
	}
	d = kzalloc(sizeof(*d));
	if (!d)
		return ERR_PTR(-ENOMEM);
	strlcpy(d->name, p->name, sizeof(d->name));
	d->params = *p;
	d->params.name = d->name;
	if (!d->params.physical_size)
		d->params.physical_size = p->logical_size;
	d->major = p->major;
	d->minor = p->first_minor;
	d->disk = d;
	d->nr_sectors = p->nr_sectors;
	d->refs = 1;                    /* the registry's, never dropped */
	list_init(&d->parts);
	mutex_lock(&block_registry);
	irq = spin_lock_irqsave(&block_lock);
	list_add_tail(&d->all_node, &block_devices);
	spin_unlock_irqrestore(&block_lock, irq);
	make_node(d);
	mutex_unlock(&block_registry);
	return d;
}

static int disk_read_block(void *ctx, uint64_t lba, void *buf)
{
	struct block_device *disk = ctx;
	unsigned lsize = disk->params.logical_size;

	return block_rw(disk, BLOCK_READ, lba * (lsize / SECTOR_SIZE), buf,
			lsize);
}

static struct block_device *new_partition(struct block_device *disk,
					  const struct part_entry *e)
{
	struct block_device *b = kzalloc(sizeof(*b));
	const char *dn = disk->name;
	size_t len = strlen(dn);

	if (!b)
		return NULL;
	format_snprintf(b->name, sizeof(b->name), "%s%s%u", dn,
			len && dn[len - 1] >= '0' && dn[len - 1] <= '9' ? "p"
									 : "",
			e->partno);
	if (e->partno < disk->params.minors) {
		b->major = disk->major;
		b->minor = disk->minor + e->partno;
	} else {
		b->major = BLOCK_EXT_MAJOR;
		b->minor = next_ext_minor++;
	}
	b->disk = disk;
	b->partno = e->partno;
	b->start = e->start;
	b->nr_sectors = e->nr_sectors;
	b->refs = 1;
	return b;
}

int block_disk_scan_partitions(struct block_device *disk)
{
	struct part_table *t;
	struct list_node *n, *tmp;
	struct list_node old = LIST_HEAD_INIT(old);
	uint64_t irq;
	int err;

	if (disk->partno)
		return -EINVAL;
	t = kmalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	mutex_lock(&block_registry);
	irq = spin_lock_irqsave(&block_lock);
	err = 0;
	/* In use (open, mounted, any reference besides the registry's):
	 * Linux's EBUSY. */
	list_for_each(n, &disk->parts) {
		struct block_device *b = list_entry(n, struct block_device,
						    part_node);
		if (__atomic_load_n(&b->openers, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&b->refs, __ATOMIC_ACQUIRE) > 1)
			err = -EBUSY;
	}
	spin_unlock_irqrestore(&block_lock, irq);
	if (err)
		goto out;
	err = partition_parse(disk_read_block, disk, disk->nr_sectors,
			      disk->params.logical_size, t);
	if (err) {
		pr_warn("block: %s: cannot read the partition table (%d)\n",
			disk->name, err);
		goto out;
	}
	/* Take the old partitions out, then put the new ones in. */
	irq = spin_lock_irqsave(&block_lock);
	list_for_each_safe(n, tmp, &disk->parts) {
		struct block_device *b = list_entry(n, struct block_device,
						    part_node);
		list_del(&b->part_node);
		list_del(&b->all_node);
		b->gone = true;
		list_add_tail(&b->part_node, &old);
	}
	spin_unlock_irqrestore(&block_lock, irq);
	list_for_each_safe(n, tmp, &old) {
		list_del(n);
		block_put(list_entry(n, struct block_device, part_node));
	}
	for (unsigned i = 0; i < t->count; i++) {
		struct block_device *b = new_partition(disk, &t->e[i]);
		struct list_node *after = disk->all_node.next;

		if (!b) {
			err = -ENOMEM;
			break;
		}
		irq = spin_lock_irqsave(&block_lock);
		/* Keep the global list as disk, its partitions, next disk. */
		if (!list_empty(&disk->parts))
			after = list_entry(disk->parts.prev, struct block_device,
					   part_node)->all_node.next;
		list_insert_between(&b->all_node, after->prev, after);
		list_add_tail(&b->part_node, &disk->parts);
		spin_unlock_irqrestore(&block_lock, irq);
		make_node(b);
	}
	if (t->count)
		pr_info("block: %s: %s table, %u partition%s\n", disk->name,
			t->kind, t->count, t->count == 1 ? "" : "s");
out:
	mutex_unlock(&block_registry);
	kfree(t);
	return err;
}
