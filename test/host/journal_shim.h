/*
 * Host stand-ins for what the journal (ext4/journal*.c) needs from the
 * kernel, for test_journal: a block device over memory (with a write
 * budget to simulate a crash), a small buffer cache with block/buffer.h's
 * interface, single-threaded mutexes and wait queues (a wait that would
 * sleep aborts: on the host nobody else could wake it), kmalloc, printk.
 */
#ifndef TEST_HOST_JOURNAL_SHIM_H
#define TEST_HOST_JOURNAL_SHIM_H

#include "include/types.h"

struct block_device;

/* A device over a copy of @size bytes at @image. */
struct block_device *shim_dev_new(const void *image, size_t size);
void shim_dev_free(struct block_device *bdev);
uint8_t *shim_dev_data(struct block_device *bdev);
size_t shim_dev_size(struct block_device *bdev);
/* After @n more writes, writes are silently dropped (a power cut);
 * -1: no limit. */
void shim_dev_set_write_budget(struct block_device *bdev, long n);
unsigned long shim_dev_writes(struct block_device *bdev);
unsigned long shim_dev_flushes(struct block_device *bdev);

/* Drop every cached buffer of @bdev without writing (a crash).  Returns
 * how many were still referenced (a leak in the caller). */
int shim_buffers_drop(struct block_device *bdev);
/* Buffers of @bdev with BUFFER_PINNED / BUFFER_DIRTY set. */
int shim_buffers_count(struct block_device *bdev, unsigned flag);

/* Print the kernel's printk output (default: off). */
extern bool shim_verbose;

#endif
