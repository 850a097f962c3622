/*
 * Host shim for kernel code built with -DHOST_TEST (the buffer cache,
 * ext4, the journal): kmalloc/kfree over malloc, printk to stderr (with
 * a capture hook for tests), panic as abort, single-threaded mutexes
 * that still check lock/unlock pairing, and block devices over regular
 * files (test/host/block_file.c).  Link kshim.c and block_file.c.
 */
#ifndef TEST_HOST_KSHIM_H
#define TEST_HOST_KSHIM_H

#include "include/types.h"
#include "block/block.h"

/* printk: messages also go to this callback when set (tests count
 * "logged once" messages); quiet drops the stderr copy. */
extern void (*kshim_printk_hook)(const char *msg);
extern bool kshim_printk_quiet;

/* Open @path as a block device (O_RDWR, or O_RDONLY when @read_only),
 * with logical block size 512.  NULL on failure (errno set). */
struct block_device *hostblk_open(const char *path, bool read_only);
/* Over a caller-owned memory image instead (the fuzzer); not copied. */
struct block_device *hostblk_mem_open(void *data, size_t len, bool read_only);
void hostblk_close(struct block_device *bdev);
/* Number of BLOCK_READ / BLOCK_WRITE / BLOCK_FLUSH operations so far. */
void hostblk_stats(const struct block_device *bdev, uint64_t *reads,
		      uint64_t *writes, uint64_t *flushes);
/* Make the next @n operations fail with -EIO after @skip succeed
 * (error-injection tests); n = 0 turns it off. */
void hostblk_fail(struct block_device *bdev, uint64_t skip, uint64_t n);
/* Record the byte offset and length of each read into @log (up to @cap
 * pairs; NULL stops); returns how many were recorded so far. */
size_t hostblk_trace(struct block_device *bdev, uint64_t (*log)[2],
			size_t cap);

#endif
