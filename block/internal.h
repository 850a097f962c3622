/*
 * Block layer internals shared by blockdev.c (registry, request
 * submission, partitions) and blkdev_file.c (the block-special files).
 *
 * Model: a struct block_device is a disk or a partition of one.  Disks
 * are registered by their driver and live forever; partitions are made
 * from the partition table at registration and remade by BLKRRPART (a
 * removed one stays allocated while referenced, marked gone).
 *
 * Locking: block_registry (a sleeping mutex) protects the device list,
 * each disk's partition list and the fields marked [R]; reference counts
 * are atomic.  Lock order: block_registry before vfs_lock (device nodes
 * are made while it is held).  Fields marked [I] never change.
 */
#ifndef BLOCK_INTERNAL_H
#define BLOCK_INTERNAL_H

#include "block/block.h"
#include "include/list.h"
#include "sched/sched.h"

#define BLOCK_NAME_MAX 32
#define BLOCK_EXT_MAJOR 259     /* partitions past the disk's minors */

struct block_device {
	char name[BLOCK_NAME_MAX];      /* [I] */
	uint32_t major, minor;          /* [I] */
	struct block_device *disk;      /* [I] itself for a disk */
	unsigned partno;                /* [I] 0 for a disk */
	uint64_t start;                 /* [R] first sector on the disk */
	uint64_t nr_sectors;            /* [R] */
	bool gone;                      /* [R] removed by a rescan */
	int refs;                       /* [atomic] */
	int openers;                    /* [atomic] open block-special files */
	struct list_node all_node;      /* [R] block_devices */
	struct list_node part_node;     /* [R] disk->parts */
	/* disks only */
	struct block_disk_params params;        /* [I] (name copied) */
	struct list_node parts;         /* [R] partitions by number */
};

extern struct mutex block_registry;

/* Sector range check and the shift to the disk; -EIO past the end. */
int block_check_range(struct block_device *bdev, uint64_t sector,
		      uint64_t nr);

#endif
