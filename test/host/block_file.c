/*
 * block/block.h over a regular file or a memory image, for host builds
 * of file-system code.  Requests complete synchronously: block_submit
 * calls ->done before it returns.
 */
#include "test/host/kshim.h"
#include "include/compiler.h"
#include "include/errno.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct block_device {
	int fd;                 /* -1: memory image */
	uint8_t *mem;
	uint64_t bytes;
	bool read_only;
	char name[32];
	uint64_t reads, writes, flushes;
	uint64_t fail_skip, fail_count;
	uint64_t (*trace)[2];
	size_t trace_cap, trace_n;
};

size_t hostblk_trace(struct block_device *bdev, uint64_t (*log)[2],
			size_t cap)
{
	size_t n = bdev->trace_n;

	if (log != bdev->trace)
		bdev->trace_n = 0;
	bdev->trace = log;
	bdev->trace_cap = cap;
	return n;
}

struct block_device *hostblk_open(const char *path, bool read_only)
{
	struct block_device *d;
	struct stat st;
	int fd = open(path, read_only ? O_RDONLY : O_RDWR);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->bytes = (uint64_t)st.st_size & ~(uint64_t)(SECTOR_SIZE - 1);
	d->read_only = read_only;
	strcpy(d->name, "hostfile");
	return d;
}

struct block_device *hostblk_mem_open(void *data, size_t len, bool read_only)
{
	struct block_device *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->fd = -1;
	d->mem = data;
	d->bytes = len & ~(size_t)(SECTOR_SIZE - 1);
	d->read_only = read_only;
	strcpy(d->name, "hostmem");
	return d;
}

void hostblk_close(struct block_device *bdev)
{
	if (!bdev)
		return;
	if (bdev->fd >= 0)
		close(bdev->fd);
	free(bdev);
}

void hostblk_stats(const struct block_device *bdev, uint64_t *reads,
		      uint64_t *writes, uint64_t *flushes)
{
	*reads = bdev->reads;
	*writes = bdev->writes;
	*flushes = bdev->flushes;
}

void hostblk_fail(struct block_device *bdev, uint64_t skip, uint64_t n)
{
	bdev->fail_skip = skip;
	bdev->fail_count = n;
}

static bool inject_failure(struct block_device *d)
{
	if (!d->fail_count)
		return false;
	if (d->fail_skip) {
		d->fail_skip--;
		return false;
	}
	d->fail_count--;
	return true;
}

static int do_io(struct block_device *d, enum block_op op, uint64_t sector,
		 void *buf, size_t len)
{
	uint64_t off = sector * SECTOR_SIZE;

	if (op == BLOCK_READ) {
		d->reads++;
		if (d->trace && d->trace_n < d->trace_cap) {
			d->trace[d->trace_n][0] = off;
			d->trace[d->trace_n++][1] = len;
		}
	}
	else if (op == BLOCK_WRITE)
		d->writes++;
	if (len % SECTOR_SIZE || sector > d->bytes / SECTOR_SIZE ||
	    len > d->bytes - off)
		return -EIO;
	if (op == BLOCK_WRITE && d->read_only)
		return -EROFS;
	if (inject_failure(d))
		return -EIO;
	if (d->fd < 0) {
		if (op == BLOCK_READ)
			memcpy(buf, d->mem + off, len);
		else
			memcpy(d->mem + off, buf, len);
		return 0;
	}
	while (len) {
		ssize_t n = op == BLOCK_READ ? pread(d->fd, buf, len, off)
					     : pwrite(d->fd, buf, len, off);
		if (n <= 0)
			return -EIO;
		buf = (char *)buf + n;
		off += n;
		len -= n;
	}
	return 0;
}

int block_rw(struct block_device *bdev, enum block_op op, uint64_t sector,
	     void *buf, size_t len)
{
	if (op == BLOCK_FLUSH)
		return block_flush(bdev);
	if (op == BLOCK_DISCARD)
		return block_discard(bdev, sector, len / SECTOR_SIZE);
	return do_io(bdev, op, sector, buf, len);
}

int block_submit(struct block_device *bdev, struct block_request *rq)
{
	uint64_t sector = rq->sector;
	int err = 0;

	if (rq->op == BLOCK_FLUSH) {
		err = block_flush(bdev);
	} else if (rq->op == BLOCK_DISCARD) {
		if (rq->sector > bdev->bytes / SECTOR_SIZE ||
		    rq->nr_sectors > bdev->bytes / SECTOR_SIZE - rq->sector)
			return -EIO;
		err = block_discard(bdev, rq->sector, rq->nr_sectors);
	} else {
		uint64_t total = 0;
		for (uint32_t i = 0; i < rq->nr_segments; i++)
			total += rq->segments[i].len;
		if (sector > bdev->bytes / SECTOR_SIZE ||
		    total > bdev->bytes - sector * SECTOR_SIZE)
			return -EIO;
		if (rq->op == BLOCK_WRITE && bdev->read_only)
			return -EROFS;
		for (uint32_t i = 0; i < rq->nr_segments && !err; i++) {
			struct block_segment *s = &rq->segments[i];
			err = do_io(bdev, rq->op, sector, s->buf, s->len);
			sector += s->len / SECTOR_SIZE;
		}
	}
	rq->done(rq, err);
	return 0;
}

static void sync_done(struct block_request *rq, int error)
{
	*(int *)rq->private = error;
}

/* block_submit completes before it returns: nothing to wait for. */
int block_submit_wait(struct block_device *bdev, struct block_request *rq)
{
	int error = 0, err;

	rq->done = sync_done;
	rq->private = &error;
	err = block_submit(bdev, rq);
	return err ? err : error;
}

int block_flush(struct block_device *bdev)
{
	bdev->flushes++;
	if (inject_failure(bdev))
		return -EIO;
	if (bdev->fd >= 0 && !bdev->read_only && fdatasync(bdev->fd) < 0)
		return -EIO;
	return 0;
}

int block_discard(struct block_device *bdev, uint64_t sector,
		  uint64_t nr_sectors)
{
	if (bdev->read_only)
		return -EROFS;
	return 0;
}

uint64_t block_nr_sectors(const struct block_device *bdev)
{
	return bdev->bytes / SECTOR_SIZE;
}

unsigned block_logical_size(const struct block_device *bdev)
{
	return SECTOR_SIZE;
}

bool block_read_only(const struct block_device *bdev)
{
	return bdev->read_only;
}

const char *block_name(const struct block_device *bdev)
{
	return bdev->name;
}

struct block_device *block_get_by_devt(uint32_t major, uint32_t minor)
{
	return ERR_PTR(-ENXIO);
}

struct block_device *block_get_by_name(const char *name)
{
	return ERR_PTR(-ENXIO);
}

void block_put(struct block_device *bdev)
{
}
