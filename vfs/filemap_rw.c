/*
 * read(2) and write(2) through the page cache for file systems with a
 * backing store (the generic ->read and ->write of disk file systems).
 *
 * Model: the file's contents are inode->pages, filled by the cache's
 * read_page/readahead and written home by its write_page (mm/mm.h).  A
 * read first lets read-ahead bring in the window the file's state asks
 * for (f->ra, mm/readahead.c), then copies page by page; a write reads a
 * partially overwritten page in, copies, and marks it dirty: the data
 * reaches the device at writeback (the flusher, sync, fsync, umount), at
 * once for O_SYNC/O_DSYNC files and on MS_SYNCHRONOUS mounts, and in the
 * writer itself while too much memory is dirty (dirty_ratio).  Block
 * allocation is the file system's business (in write_page, or before it
 * calls these).
 *
 * Locking: the inode's data_lock for the whole transfer (it also guards
 * f->ra against concurrent preads); read_page runs under it, so it must
 * not take the data lock (mm.h says so).
 */
#include "vfs/internal.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

long generic_file_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct inode *inode = f->inode;
	size_t done = 0;
	int err = 0;

	mutex_lock(&inode->data_lock);
	if (*pos < inode->size && b->len) {
		uint64_t first = *pos / PAGE_SIZE;
		uint64_t end = MIN(inode->size, *pos + b->len);

		page_cache_readahead(inode->pages, &f->ra, first,
				     DIV_ROUND_UP(end, PAGE_SIZE) - first);
	}
	while (done < b->len && *pos < inode->size) {
		uint64_t off = *pos % PAGE_SIZE;
		size_t n = MIN(b->len - done, PAGE_SIZE - off);
		paddr_t pa;
		long got;

		n = MIN(n, inode->size - *pos);
		err = page_cache_get(inode->pages, *pos / PAGE_SIZE, false, &pa);
		if (err)
			break;
		got = iobuf_copy_out_prefix(b, done,
					    (uint8_t *)PHYS_TO_VIRT(pa) + off, n);
		page_cache_put(pa);
		if (got < 0) {
			err = (int)got;
			break;
		}
		done += got;
		*pos += got;
		if ((size_t)got < n)
			break;
	}
	if (done)
		file_accessed(f);
	mutex_unlock(&inode->data_lock);
	return done ? (long)done : err;
}

/* Does a write to @f go to the device before write(2) returns? */
static bool write_is_sync(struct file *f)
{
	return (file_flags(f) & (O_SYNC | O_DSYNC)) ||
	       (f->inode->sb->flags & MS_SYNCHRONOUS);
}

long generic_file_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct inode *inode = f->inode;
	uint64_t start;
	size_t done = 0;
	int err = 0;

	mutex_lock(&inode->data_lock);
	if (file_flags(f) & O_APPEND)
		*pos = inode->size;
	start = *pos;
	while (done < b->len) {
		uint64_t off = *pos % PAGE_SIZE, idx = *pos / PAGE_SIZE;
		size_t n = MIN(b->len - done, PAGE_SIZE - off);
		paddr_t pa;
		long got;

		/* data_lock excludes truncation: pages past EOF are fine
		 * (read_page gives zeros there). */
		err = page_cache_get(inode->pages, idx, true, &pa);
		if (err)
			break;
		got = iobuf_copy_in_prefix((uint8_t *)PHYS_TO_VIRT(pa) + off, b,
					   done, n);
		if (got > 0)
			page_cache_set_dirty(inode->pages, idx);
		page_cache_put(pa);
		if (got < 0) {
			err = (int)got;
			break;
		}
		done += got;
		*pos += got;
		if (*pos > inode->size)
			WRITE_ONCE(inode->size, *pos);
		if ((size_t)got < n)
			break;
		/* too much dirty memory: this writer's pages go out first
		 * (write_page does not take the data lock) */
		if ((idx & 63) == 63 && page_cache_dirty_exceeded()) {
			err = page_cache_writeback(inode->pages,
						   start / PAGE_SIZE, idx);
			if (err)
				break;
		}
	}
	if (done) {
		vfs_now(&inode->mtime);
		inode->ctime = inode->mtime;
	}
	mutex_unlock(&inode->data_lock);
	if (done && write_is_sync(f)) {
		err = page_cache_writeback(inode->pages, start / PAGE_SIZE,
					   (*pos - 1) / PAGE_SIZE);
		if (err)
			return err;
	}
	return done ? (long)done : err;
}
