/*
 * sendfile(2) and copy_file_range(2): data moves between two open files
 * through a kernel bounce buffer, one chunk at a time, with the ordinary
 * read and write paths (so every file type's own rules apply).  A chunk
 * is read only from a seekable input at an explicit position, so a short
 * write never loses data: the input position advances by what was
 * written.  Offsets given by pointer are used and updated instead of the
 * file positions, as on Linux.
 */
#include "vfs/sys_util.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"

#define COPY_CHUNK (64 * 1024)

/* Write @len kernel bytes to @out at *@pos, or at its file offset when
 * @pos is NULL (as write(2) does). */
static long write_out(struct file *out, void *buf, size_t len, uint64_t *pos)
{
	struct iobuf b = { .user = false, .kbuf = buf, .len = len };

	return pos ? vfs_write(out, &b, pos) : vfs_rw_at_pos(out, &b, true);
}

/*
 * Copy up to @count bytes from @in at *@in_pos to @out (at *@out_pos, or
 * its file offset if NULL).  Returns bytes copied, or -errno if none;
 * *@in_pos advances by the bytes copied.
 */
static long copy_between(struct file *in, uint64_t *in_pos, struct file *out,
			 uint64_t *out_pos, size_t count)
{
	size_t done = 0;
	long err = 0;
	void *buf;

	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	if (!count)
		return 0;
	buf = kmalloc(MIN(count, (size_t)COPY_CHUNK));
	if (!buf)
		return -ENOMEM;
	while (done < count) {
		size_t want = MIN(count - done, (size_t)COPY_CHUNK);
		struct iobuf rb = { .user = false, .kbuf = buf, .len = want };
		uint64_t rpos = *in_pos;
		long got = vfs_read(in, &rb, &rpos);

		if (got <= 0) {
			err = got;
			break;
		}
		long put = write_out(out, buf, (size_t)got, out_pos);
		if (put <= 0) {
			err = put;
			break;
		}
		*in_pos += (uint64_t)put;
		done += (size_t)put;
		if (put < got || (size_t)got < want)
			break;
		if (signal_pending())
			break;
	}
	kfree(buf);
	return done ? (long)done : err;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, uaddr_t, offset_ptr,
		size_t, count)
{
	struct file *in = fd_get_io(in_fd), *out = NULL;
	int64_t off = 0;
	uint64_t pos;
	long ret;

	if (!in)
		return -EBADF;
	out = fd_get_io(out_fd);
	ret = -EBADF;
	if (!out || !(in->fmode & FMODE_READ) || !(out->fmode & FMODE_WRITE))
		goto out;
	ret = -EINVAL;
	/* The input must be seekable (chunks are read at explicit
	 * positions).  One open file as both ends: its single offset (and
	 * pos_lock) cannot serve as input and output at once; refused. */
	if (S_ISDIR(in->inode->mode) || !(in->fmode & FMODE_PREAD) ||
	    (file_flags(out) & O_APPEND) || in == out)
		goto out;
	if (offset_ptr) {
		ret = -EFAULT;
		if (copy_from_user(&off, offset_ptr, sizeof(off)))
			goto out;
		ret = -EINVAL;
		if (off < 0)
			goto out;
		pos = (uint64_t)off;
		ret = copy_between(in, &pos, out, NULL, count);
		off = (int64_t)pos;
		if (copy_to_user(offset_ptr, &off, sizeof(off)))
			ret = -EFAULT;
	} else {
		mutex_lock(&in->pos_lock);
		pos = in->pos;
		ret = copy_between(in, &pos, out, NULL, count);
		in->pos = pos;
		mutex_unlock(&in->pos_lock);
	}
out:
	if (out)
		file_put(out);
	file_put(in);
	return ret;
}

/* Fetch an optional user offset: 0 or -EFAULT (range checks later). */
static long get_offset(uaddr_t ptr, uint64_t *pos)
{
	int64_t off;

	if (copy_from_user(&off, ptr, sizeof(off)))
		return -EFAULT;
	*pos = (uint64_t)off;
	return 0;
}

/* copy_file_range's checks, in Linux's order, for ranges of @len bytes
 * at @in_pos and @out_pos. */
static long copy_range_checks(struct file *in, uint64_t in_pos,
			      struct file *out, uint64_t out_pos, size_t len)
{
	if (S_ISDIR(in->inode->mode) || S_ISDIR(out->inode->mode))
		return -EISDIR;
	if (!S_ISREG(in->inode->mode) || !S_ISREG(out->inode->mode))
		return -EINVAL;
	if (!(in->fmode & FMODE_READ) || !(out->fmode & FMODE_WRITE) ||
	    (file_flags(out) & O_APPEND))
		return -EBADF;
	if (in_pos + len < in_pos || out_pos + len < out_pos)
		return -EOVERFLOW;
	if (in->inode == out->inode && out_pos + len > in_pos &&
	    out_pos < in_pos + len)
		return -EINVAL;         /* overlapping ranges of one file */
	if ((int64_t)in_pos < 0 || (int64_t)out_pos < 0)
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE6(copy_file_range, int, fd_in, uaddr_t, off_in_ptr, int, fd_out,
		uaddr_t, off_out_ptr, size_t, len, unsigned, flags)
{
	struct file *in = fd_get_io(fd_in), *out = NULL;
	uint64_t in_pos, out_pos;
	bool lock_in = !off_in_ptr, lock_out = !off_out_ptr;
	long ret;

	if (!in)
		return -EBADF;
	out = fd_get_io(fd_out);
	ret = -EBADF;
	if (!out)
		goto out;
	if (off_in_ptr && (ret = get_offset(off_in_ptr, &in_pos)))
		goto out;
	if (off_out_ptr && (ret = get_offset(off_out_ptr, &out_pos)))
		goto out;
	ret = -EINVAL;
	if (flags)
		goto out;
	/* One pos_lock per file even when both descriptors share it. */
	if (in == out)
		lock_out = false;
	if (lock_in)
		mutex_lock(&in->pos_lock);
	if (lock_out)
		mutex_lock(&out->pos_lock);
	if (!off_in_ptr)
		in_pos = in->pos;
	if (!off_out_ptr)
		out_pos = out->pos;
	ret = copy_range_checks(in, in_pos, out, out_pos, len);
	if (ret)
		goto unlock;
	ret = copy_between(in, &in_pos, out, &out_pos, len);
	if (!off_in_ptr)
		in->pos = in_pos;
	if (!off_out_ptr)
		out->pos = out_pos;
unlock:
	if (lock_out)
		mutex_unlock(&out->pos_lock);
	if (lock_in)
		mutex_unlock(&in->pos_lock);
	if (ret >= 0 && off_in_ptr) {
		int64_t v = (int64_t)in_pos;
		if (copy_to_user(off_in_ptr, &v, sizeof(v)))
			ret = -EFAULT;
	}
	if (ret >= 0 && off_out_ptr) {
		int64_t v = (int64_t)out_pos;
		if (copy_to_user(off_out_ptr, &v, sizeof(v)))
			ret = -EFAULT;
	}
out:
	if (out)
		file_put(out);
	file_put(in);
	return ret;
}
