/*
 * Block devices: the interface file systems and the journal use.
 *
 * Model: a block device is a disk (registered by its driver, e.g.
 * virtio-blk "vda") or a partition of one ("vda1", found in its MBR or
 * GPT).  Addresses are 512-byte sectors relative to the start of the
 * device (a partition's I/O is shifted to the disk by the block layer).
 * Requests are asynchronous: block_submit() queues one and its ->done
 * callback runs when the device completes it (possibly from an interrupt
 * handler: it must not sleep).  block_rw() and block_flush() are the
 * synchronous forms that sleep until completion.
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

#endif
