/*
 * Buffer cache: file-system metadata blocks of block devices, in memory.
 *
 * Model: one struct buffer per (device, block number, block size) that
 * someone has read; it is found again by lookup, so every user of a block
 * shares one copy.  A buffer is referenced by its users (buffer_read /
 * buffer_get .. buffer_put) and kept, unreferenced, while memory allows;
 * clean unreferenced buffers are freed under memory pressure
 * (buffer_shrink).  A dirty buffer is written home by buffer_write(),
 * buffer_sync_device() or the periodic writeback, unless it is pinned by
 * the journal (BUFFER_PINNED: its new contents are not committed yet, so
 * the home location must keep the old ones).
 *
 * Locking: the cache's own lock protects the lookup structures and the
 * reference counts; buffer->lock (a sleeping mutex) serializes changes
 * to a buffer's data and flags against each other and against writeback.
 * Readers of data that the file system itself serializes need not take
 * it.
 */
#ifndef BLOCK_BUFFER_H
#define BLOCK_BUFFER_H

#include "include/types.h"
#include "include/list.h"
#include "sched/sched.h"

struct block_device;

#define BUFFER_UPTODATE 0x1     /* data holds the block's contents */
#define BUFFER_DIRTY 0x2        /* data differs from the disk */
#define BUFFER_PINNED 0x4       /* journal: do not write home yet */
#define BUFFER_ERROR 0x8        /* the last read or write failed */

struct buffer {
	struct block_device *bdev;      /* [I] */
	uint64_t blocknr;               /* [I] in units of @size */
	uint32_t size;                  /* [I] bytes: 1024..65536 */
	void *data;                     /* [I] the pointer; contents [lock] */
	unsigned flags;                 /* [lock] BUFFER_* */
	int refs;                       /* [cache lock] */
	struct mutex lock;
	void *journal_private;          /* [lock] the journal's bookkeeping */
	/* the cache's own links: [cache lock] */
	struct list_node hash_node;
	struct list_node lru_node;
	struct list_node dirty_node;
};

/* The buffer for block @blocknr, read from the device if it is not
 * uptodate; referenced.  ERR_PTR(-EIO) when the read fails,
 * ERR_PTR(-ENOMEM). */
struct buffer *buffer_read(struct block_device *bdev, uint64_t blocknr,
			   uint32_t size);
/* The same without reading: for a block the caller overwrites whole (it
 * then sets BUFFER_UPTODATE). */
struct buffer *buffer_get(struct block_device *bdev, uint64_t blocknr,
			  uint32_t size);
void buffer_put(struct buffer *b);

/* Mark changed contents; caller holds b->lock or otherwise owns it. */
void buffer_mark_dirty(struct buffer *b);
/* Write @b home now if it is dirty and not pinned; sleeps.  0 or -EIO. */
int buffer_write(struct buffer *b);
/* Write every dirty unpinned buffer of @bdev home, then flush the
 * device's cache.  0 or the first error. */
int buffer_sync_device(struct block_device *bdev);
/* The block was freed: drop its buffer's dirty state (it must never be
 * written home) and forget it. */
void buffer_forget(struct block_device *bdev, uint64_t blocknr, uint32_t size);
/* Drop every unreferenced buffer of @bdev (unmount; dirty ones are
 * written first).  Returns how many remain referenced. */
int buffer_invalidate_device(struct block_device *bdev);
/* Free up to @target clean unreferenced buffers; returns bytes freed. */
size_t buffer_shrink(size_t target);

#endif
