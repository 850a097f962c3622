/*
 * Block devices: the interface file systems and the journal use.
 *
 * Model: a block device is a disk (registered by its driver, e.g.
 * virtio-blk "vda") or a partition of one ("vda1", found in its MBR or
 * GPT).  Addresses are 512-byte sectors relative to the start of the
 * device (a partition's I/O is shifted to the disk by the block layer).
 * Requests are asynchronous: block_submit() queues one and its ->done
 * callback runs when the device completes it (possibly from an interrupt
 * handler: it must not sleep).  block_submit_wait(), block_rw() and
 * block_flush() are the synchronous forms that sleep until completion.
 *
 * Writes are durable only after a completed BLOCK_FLUSH (or a write with
 * ->fua): a device may keep completed writes in a volatile cache.
 *
 * The same prototypes are implemented over a regular file by the host
 * test shim (test/host/), so that file-system code built for the host
 * runs unchanged.
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include "include/types.h"
#include "include/list.h"

#define SECTOR_SIZE 512u
#define SECTOR_SHIFT 9

struct block_device;

enum block_op {
	BLOCK_READ,
	BLOCK_WRITE,
	BLOCK_FLUSH,            /* make every completed write durable */
	BLOCK_DISCARD,          /* the sectors' contents are no longer needed */
};

/* One piece of a request's data: kernel-virtual, any alignment the
 * driver copes with (drivers need physically contiguous pieces: the
 * block layer splits a segment at page boundaries when it is not). */
struct block_segment {
	void *buf;
	uint32_t len;           /* bytes, a multiple of SECTOR_SIZE */
};

struct block_request {
	enum block_op op;
	uint64_t sector;        /* first sector, relative to the device */
	uint64_t nr_sectors;    /* DISCARD only; else the segments' total */
	struct block_segment *segments;
	uint32_t nr_segments;
	bool fua;               /* WRITE: durable when it completes */
	/* Called once with 0 or -EIO/-ENOSPC/-EOPNOTSUPP; may run in
	 * interrupt context. */
	void (*done)(struct block_request *rq, int error);
	void *private;          /* the submitter's */
};

/* Queue @rq; 0, or -errno without calling ->done (beyond the end of the
 * device: -EIO; read-only device and a write: -EROFS). */
int block_submit(struct block_device *bdev, struct block_request *rq);
/* Submit @rq (its ->done and ->private are set here) and sleep until it
 * completes: 0 or -errno. */
int block_submit_wait(struct block_device *bdev, struct block_request *rq);

/* Synchronous I/O of @len bytes (a multiple of SECTOR_SIZE) at @sector;
 * sleeps until done.  0 or -errno. */
int block_rw(struct block_device *bdev, enum block_op op, uint64_t sector,
	     void *buf, size_t len);
int block_flush(struct block_device *bdev);
int block_discard(struct block_device *bdev, uint64_t sector,
		  uint64_t nr_sectors);

/* Size in sectors, logical block size in bytes (512 or 4096), read-only. */
uint64_t block_nr_sectors(const struct block_device *bdev);
unsigned block_logical_size(const struct block_device *bdev);
bool block_read_only(const struct block_device *bdev);
const char *block_name(const struct block_device *bdev);   /* "vda1" */

/* Find a device by its device number or name ("vda1", "/dev/vda1");
 * takes a reference, released with block_put().  ERR_PTR(-ENXIO) or
 * ERR_PTR(-ENODEV) when there is none. */
struct block_device *block_get_by_devt(uint32_t major, uint32_t minor);
struct block_device *block_get_by_name(const char *name);
void block_put(struct block_device *bdev);

/* ---- additions for the kernel's block layer (block/blockdev.c) ---- */

/* Linux's device number split (kernel-internal 12/20 bits). */
uint32_t block_major(const struct block_device *bdev);
uint32_t block_minor(const struct block_device *bdev);
/* Physical block size in bytes (BLKPBSZGET). */
unsigned block_physical_size(const struct block_device *bdev);
/* The whole disk of a partition (@bdev itself for a disk), and the
 * partition's number (0 for a disk). */
struct block_device *block_whole_disk(struct block_device *bdev);
unsigned block_partno(const struct block_device *bdev);
/* First sector of a partition on its disk (0 for a disk). */
uint64_t block_start_sector(const struct block_device *bdev);

/* Call @fn for every registered device (disks, each followed by its
 * partitions), in registration order; stops at a non-zero return, which
 * it returns.  @fn must not sleep for long: it runs under the registry
 * mutex and may not register devices. */
int block_for_each(int (*fn)(struct block_device *bdev, void *arg),
		   void *arg);

/*
 * Driver side.  A driver registers each disk with block_disk_register();
 * the block layer hands it block_io pieces of work: a request shifted to
 * disk sectors and cut into physically contiguous pieces, at most
 * max_pieces of them and max_bytes in all per io.  The driver completes
 * each io exactly once with block_io_complete() (any context).
 */
struct block_piece {
	paddr_t pa;
	uint32_t len;
};

struct block_io {
	enum block_op op;
	uint64_t sector;                /* on the disk, 512-byte units */
	uint64_t nr_sectors;            /* READ/WRITE: pieces' total / 512 */
	bool fua;
	uint32_t nr_pieces;
	struct block_piece *pieces;
	struct list_node node;          /* free for the driver's queues */
	void *driver_private;           /* the driver's */
	struct block_io_parent *parent; /* the block layer's */
};

struct block_disk_ops {
	/* Queue @io; may be called from any thread, never sleeps.  0, or
	 * -errno without completing it. */
	int (*submit)(struct block_device *disk, struct block_io *io);
};

struct block_disk_params {
	const char *name;               /* "vda" */
	uint32_t major, first_minor;    /* partitions take first_minor + n */
	unsigned minors;                /* minors reserved (16: 15 parts) */
	uint64_t nr_sectors;
	unsigned logical_size, physical_size;
	bool read_only;
	bool has_flush;                 /* volatile write cache */
	uint64_t max_discard_sectors;   /* 0: no DISCARD */
	uint32_t max_pieces;            /* per io, >= 2 * logical/512 */
	uint32_t max_bytes;             /* per io, multiple of 4096 */
	const struct block_disk_ops *ops;
	void *driver_data;
};

/* Register a disk (and create its /dev node); does not scan partitions.
 * ERR_PTR(-ENOMEM/-EEXIST/-EINVAL). */
struct block_device *block_disk_register(const struct block_disk_params *p);
/* Read the partition table of @disk and register its partitions (with
 * /dev nodes).  0, or -EBUSY while a partition is open or referenced. */
int block_disk_scan_partitions(struct block_device *disk);
void *block_driver_data(const struct block_device *disk);
/* The driver finished @io with 0 or -EIO/-EOPNOTSUPP (any context). */
void block_io_complete(struct block_io *io, int error);
/* A dynamic block major, as Linux's register_blkdev(0, name) hands them
 * out: 254 first, then downwards.  -EBUSY when none is left. */
int block_major_alloc(const char *name);

/* The block-special file of an opened device node (vfs/chrdev.c). */
struct inode;
struct file;
int block_file_open(struct inode *inode, struct file *f);

#endif
