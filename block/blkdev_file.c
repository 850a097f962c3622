/*
 * Block-special files: what open(2) of /dev/vda or /dev/vda1 gives.
 *
 * Model: direct I/O through a bounce buffer, no caching.  read and write
 * move whole logical blocks between the device and a kernel bounce
 * buffer (BOUNCE_SIZE at a time) and copy the requested bytes to or from
 * user memory; a write of part of a block reads the block first
 * (read-modify-write).  So data is on the device (in its volatile cache
 * until fsync, which sends a FLUSH) when write returns, and every open
 * file sees every other's writes at once.  As on Linux, reads at or past
 * the end give 0, reads and writes across it are cut short, and a write
 * starting at the end fails with ENOSPC; lseek cannot go past the end.
 * A read-only device opens for writing, but writes fail with EPERM.
 *
 * Locking: none of its own; the file offset is serialized by the VFS
 * (pos_lock), concurrent transfers of different files are independent.
 */
#include "block/internal.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/uaccess.h"
#include "vfs/vfs.h"

#define BOUNCE_SIZE (64 * 1024)

/* ioctl numbers (linux/fs.h). */
#define BLKROGET 0x125e
#define BLKRRPART 0x125f
#define BLKGETSIZE 0x1260
#define BLKFLSBUFS 0x1261
#define BLKSSZGET 0x1268
#define BLKBSZGET 0x80081270
#define BLKGETSIZE64 0x80081272
#define BLKDISCARD 0x1277
#define BLKPBSZGET 0x127b

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

static struct block_device *file_bdev(struct file *f)
{
	return file_private(f);
}

static uint64_t bdev_bytes(struct block_device *b)
{
	return block_nr_sectors(b) * SECTOR_SIZE;
}

/* One chunk at @pos of at most @len bytes (the caller clipped @len to the
 * device): read or write through @bounce.  Bytes moved or -errno. */
static long rw_chunk(struct block_device *b, struct iobuf *buf, size_t done,
		     uint64_t pos, size_t len, bool write, uint8_t *bounce)
{
	unsigned lsize = block_logical_size(b);
	uint64_t first = ALIGN_DOWN(pos, lsize);
	uint64_t end = ALIGN_UP(pos + len, (uint64_t)lsize);
	size_t span, head = pos - first;
	long n;
	int err;

	if (end - first > BOUNCE_SIZE) {
		end = first + BOUNCE_SIZE;
		len = end - pos;
	}
	span = end - first;
	if (!write || head || (pos + len) % lsize) {
		err = block_rw(b, BLOCK_READ, first / SECTOR_SIZE, bounce, span);
		if (err)
			return err;
	}
	if (!write)
		return iobuf_copy_out_prefix(buf, done, bounce + head, len);
	n = iobuf_copy_in_prefix(bounce + head, buf, done, len);
	if (n <= 0)
		return n;
	if ((size_t)n < len) {
		/* Write back only the blocks the copied bytes touch. */
		len = (size_t)n;
		end = ALIGN_UP(pos + len, (uint64_t)lsize);
		span = end - first;
	}
	err = block_rw(b, BLOCK_WRITE, first / SECTOR_SIZE, bounce, span);
	return err ? err : (long)len;
}

static long blkdev_transfer(struct file *f, struct iobuf *buf, uint64_t *pos,
			    bool write)
{
	struct block_device *b = file_bdev(f);
	uint64_t size = bdev_bytes(b);
	size_t len = buf->len, done = 0;
	uint8_t *bounce;
	long ret = 0;

	/* Linux's order: read-only, nothing to do, at or past the end. */
	if (write && block_read_only(b))
		return -EPERM;
	if (!len)
		return 0;
	if (*pos >= size)
		return write ? -ENOSPC : 0;
	len = (size_t)MIN((uint64_t)len, size - *pos);
	bounce = kmalloc(BOUNCE_SIZE);
	if (!bounce)
		return -ENOMEM;
	while (done < len) {
		ret = rw_chunk(b, buf, done, *pos + done, len - done, write,
			       bounce);
		if (ret <= 0)
			break;
		done += (size_t)ret;
	}
	kfree(bounce);
	if (done && write && (file_flags(f) & O_DSYNC))
		ret = block_flush(b);
	*pos += done;
	return done ? (long)done : ret;
}

static long blkdev_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	return blkdev_transfer(f, buf, pos, false);
}

static long blkdev_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	return blkdev_transfer(f, buf, pos, true);
}

/* Linux's fixed_size_llseek: no position past the end. */
static long blkdev_llseek(struct file *f, long offset, int whence)
{
	int64_t size = (int64_t)bdev_bytes(file_bdev(f)), pos;

	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		pos = (int64_t)f->pos + offset;
		break;
	case SEEK_END:
		pos = size + offset;
		break;
	case SEEK_DATA:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		pos = offset;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		pos = size;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0 || pos > size)
		return -EINVAL;
	f->pos = (uint64_t)pos;
	return pos;
}

static int blkdev_fsync(struct file *f)
{
	return block_flush(file_bdev(f));
}

static long blkdev_discard_ioctl(struct file *f, uaddr_t arg)
{
	struct block_device *b = file_bdev(f);
	uint64_t range[2], size = bdev_bytes(b);
	unsigned lsize = block_logical_size(b);

	if (!(f->fmode & FMODE_WRITE))
		return -EBADF;
	if (copy_from_user(range, arg, sizeof(range)))
		return -EFAULT;
	if (range[0] % lsize || range[1] % lsize)
		return -EINVAL;
	if (range[0] > size || range[1] > size - range[0])
		return -EINVAL;
	if (block_read_only(b))
		return -EPERM;
	return block_discard(b, range[0] / SECTOR_SIZE, range[1] / SECTOR_SIZE);
}

static long blkdev_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct block_device *b = file_bdev(f);
	uint64_t sectors = block_nr_sectors(b), bytes = sectors * SECTOR_SIZE;
	int iv;
	unsigned uv;
	uint64_t lv;

	switch (cmd) {
	case BLKGETSIZE64:
		return copy_to_user(arg, &bytes, sizeof(bytes));
	case BLKGETSIZE:
		lv = sectors;
		return copy_to_user(arg, &lv, sizeof(lv));
	case BLKSSZGET:
		iv = (int)block_logical_size(b);
		return copy_to_user(arg, &iv, sizeof(iv));
	case BLKPBSZGET:
		uv = block_physical_size(b);
		return copy_to_user(arg, &uv, sizeof(uv));
	case BLKBSZGET:
		/* The soft block size a fresh open gets: the largest power
		 * of two up to 4096 that divides the size. */
		iv = 4096;
		while ((unsigned)iv > block_logical_size(b) && bytes % iv)
			iv >>= 1;
		return copy_to_user(arg, &iv, sizeof(iv));
	case BLKROGET:
		iv = block_read_only(b);
		return copy_to_user(arg, &iv, sizeof(iv));
	case BLKFLSBUFS:
		/* Nothing cached here (direct I/O). */
		return 0;
	case BLKRRPART:
		if (block_partno(b))
			return -EINVAL;
		return block_disk_scan_partitions(b);
	case BLKDISCARD:
		return blkdev_discard_ioctl(f, arg);
	default:
		return -ENOTTY;
	}
}

static void blkdev_release(struct file *f)
{
	struct block_device *b = file_bdev(f);

	__atomic_sub_fetch(&b->openers, 1, __ATOMIC_ACQ_REL);
	block_put(b);
}

static const struct file_operations blkdev_file_ops = {
	.release = blkdev_release,
	.read = blkdev_read,
	.write = blkdev_write,
	.ioctl = blkdev_ioctl,
	.llseek = blkdev_llseek,
	.fsync = blkdev_fsync,
};

int block_file_open(struct inode *inode, struct file *f)
{
	struct block_device *b = block_get_by_devt(MAJOR(inode->rdev),
						   MINOR(inode->rdev));

	if (IS_ERR(b))
		return -ENXIO;
	__atomic_add_fetch(&b->openers, 1, __ATOMIC_ACQ_REL);
	file_set_private(f, b);
	f->ops = &blkdev_file_ops;
	return 0;
}
