/*
 * Data system calls: read, write, their positioned and vectored forms,
 * lseek, getdents, ioctl and the sync family.  Each fetches the file,
 * builds a user iobuf and calls the VFS; the offset of regular files and
 * directories is updated under the file's pos_lock.
 */
#include "vfs/sys_util.h"
#include "lib/string.h"

#define UIO_MAXIOV 1024

struct iovec_user {
	uint64_t base;
	uint64_t len;
};

long vfs_rw_at_pos(struct file *f, struct iobuf *b, bool write)
{
	bool lock = f->fmode & FMODE_ATOMIC_POS;
	uint64_t pos;
	long n;

	if (lock)
		mutex_lock(&f->pos_lock);
	pos = f->pos;
	n = write ? vfs_write(f, b, &pos) : vfs_read(f, b, &pos);
	if (n > 0 || lock)
		f->pos = pos;
	if (lock)
		mutex_unlock(&f->pos_lock);
	return n;
}

static long do_rw(int fd, uaddr_t buf, size_t count, bool write)
{
	struct file *f = fd_get_io(fd);
	struct iobuf b = { .user = true, .ubuf = buf, .len = count };
	long n;

	if (!f)
		return -EBADF;
	n = vfs_rw_at_pos(f, &b, write);
	file_put(f);
	return n;
}

SYSCALL_DEFINE3(read, int, fd, uaddr_t, buf, size_t, count)
{
	return do_rw(fd, buf, count, false);
}

SYSCALL_DEFINE3(write, int, fd, uaddr_t, buf, size_t, count)
{
	return do_rw(fd, buf, count, true);
}

static long do_prw(int fd, uaddr_t buf, size_t count, int64_t off, bool write)
{
	struct file *f;
	struct iobuf b = { .user = true, .ubuf = buf, .len = count };
	uint64_t pos = (uint64_t)off;
	long n;

	if (off < 0)
		return -EINVAL;
	f = fd_get_io(fd);
	if (!f)
		return -EBADF;
	if (!(f->fmode & FMODE_PREAD))
		n = -ESPIPE;
	else
		n = write ? vfs_write(f, &b, &pos) : vfs_read(f, &b, &pos);
	file_put(f);
	return n;
}

SYSCALL_DEFINE4(pread64, int, fd, uaddr_t, buf, size_t, count, int64_t, off)
{
	return do_prw(fd, buf, count, off, false);
}

SYSCALL_DEFINE4(pwrite64, int, fd, uaddr_t, buf, size_t, count, int64_t, off)
{
	return do_prw(fd, buf, count, off, true);
}

/* A vectored transfer in one ->read_vec/->write_vec call (sockets). */
static long rwv_once(struct file *f, const struct iovec_user *iov,
		     unsigned cnt, bool write)
{
	struct iobuf *bufs = kmalloc(cnt * sizeof(*bufs));
	long n;

	if (!bufs)
		return -ENOMEM;
	for (unsigned i = 0; i < cnt; i++) {
		bufs[i].user = true;
		bufs[i].ubuf = iov[i].base;
		bufs[i].len = iov[i].len;
	}
	n = write ? vfs_writev(f, bufs, cnt) : vfs_readv(f, bufs, cnt);
	kfree(bufs);
	return n;
}

/*
 * Vectored I/O: one call per segment, stopping at the first short
 * transfer, unless the file takes all segments at once (sockets).
 * @off < 0 means the file offset.
 */
static long do_rwv(int fd, uaddr_t uiov, unsigned long cnt, int64_t off,
		   bool positioned, bool write)
{
	struct iovec_user *iov;
	struct file *f;
	uint64_t total = 0, pos = (uint64_t)off;
	long done = 0;
	int err;

	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	if (positioned && off < 0)
		return -EINVAL;
	if (cnt == 0)
		return 0;
	iov = kmalloc(cnt * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	err = copy_from_user(iov, uiov, cnt * sizeof(*iov));
	for (unsigned long i = 0; !err && i < cnt; i++) {
		if ((int64_t)iov[i].len < 0 || total + iov[i].len > INT64_MAX)
			err = -EINVAL;
		total += iov[i].len;
	}
	f = err ? NULL : fd_get_io(fd);
	if (!err && !f)
		err = -EBADF;
	if (!err && positioned && !(f->fmode & FMODE_PREAD))
		err = -ESPIPE;
	if (!err && !positioned &&
	    (write ? f->ops && f->ops->write_vec : f->ops && f->ops->read_vec)) {
		done = rwv_once(f, iov, (unsigned)cnt, write);
		if (done < 0) {
			err = (int)done;
			done = 0;
		}
		cnt = 0;                /* transferred in one call */
	}
	for (unsigned long i = 0; !err && i < cnt && done < MAX_RW_COUNT; i++) {
		struct iobuf b = { .user = true, .ubuf = iov[i].base,
				   .len = MIN(iov[i].len,
					      (uint64_t)(MAX_RW_COUNT - done)) };
		long n;

		if (b.len == 0)
			continue;
		if (positioned)
			n = write ? vfs_write(f, &b, &pos) : vfs_read(f, &b, &pos);
		else
			n = vfs_rw_at_pos(f, &b, write);
		if (n < 0) {
			if (!done)
				err = (int)n;
			break;
		}
		done += n;
		if ((size_t)n < b.len)
			break;
	}
	if (f)
		file_put(f);
	kfree(iov);
	return err ? err : done;
}

SYSCALL_DEFINE3(readv, int, fd, uaddr_t, iov, unsigned long, cnt)
{
	return do_rwv(fd, iov, cnt, 0, false, false);
}

SYSCALL_DEFINE3(writev, int, fd, uaddr_t, iov, unsigned long, cnt)
{
	return do_rwv(fd, iov, cnt, 0, false, true);
}

/* preadv/pwritev pass the offset split in two registers (pos_l, pos_h);
 * on x86_64 pos_l holds all 64 bits. */
SYSCALL_DEFINE5(preadv, int, fd, uaddr_t, iov, unsigned long, cnt,
		unsigned long, pos_l, unsigned long, pos_h)
{
	return do_rwv(fd, iov, cnt, (int64_t)pos_l, true, false);
}

SYSCALL_DEFINE5(pwritev, int, fd, uaddr_t, iov, unsigned long, cnt,
		unsigned long, pos_l, unsigned long, pos_h)
{
	return do_rwv(fd, iov, cnt, (int64_t)pos_l, true, true);
}

SYSCALL_DEFINE3(lseek, int, fd, int64_t, offset, unsigned, whence)
{
	struct file *f = fd_get_io(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_lseek(f, offset, (int)whence);
	file_put(f);
	return ret;
}

/* ---- getdents ---- */

struct dirent_buf {
	struct dir_context ctx;
	uaddr_t ubuf;
	size_t size, used;
	bool old_format;
	int err;
};

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
STATIC_ASSERT(offsetof(struct linux_dirent64, d_name) == 19, "dirent64");

struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];          /* then NUL, padding, d_type at d_reclen - 1 */
};
STATIC_ASSERT(offsetof(struct linux_dirent, d_name) == 18, "dirent");

static bool dirent_emit(struct dir_context *ctx, const char *name, size_t len,
			uint64_t ino, unsigned dtype)
{
	struct dirent_buf *db = container_of(ctx, struct dirent_buf, ctx);
	uint8_t rec[24 + NAME_MAX + 8] __aligned(8);
	size_t reclen;

	memset(rec, 0, sizeof(rec));
	if (db->old_format) {
		struct linux_dirent *d = (void *)rec;

		reclen = ALIGN_UP(offsetof(struct linux_dirent, d_name) + len + 2, 8);
		d->d_ino = ino;
		d->d_off = ctx->pos + 1;
		d->d_reclen = (unsigned short)reclen;
		memcpy(d->d_name, name, len);
		rec[reclen - 1] = (uint8_t)dtype;
	} else {
		struct linux_dirent64 *d = (void *)rec;

		reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
		d->d_ino = ino;
		d->d_off = (int64_t)ctx->pos + 1;
		d->d_reclen = (uint16_t)reclen;
		d->d_type = (uint8_t)dtype;
		memcpy(d->d_name, name, len);
	}
	if (reclen > db->size - db->used) {
		if (db->used == 0)
			db->err = -EINVAL;
		return false;
	}
	if (copy_to_user(db->ubuf + db->used, rec, reclen)) {
		db->err = -EFAULT;
		return false;
	}
	db->used += reclen;
	return true;
}

static long do_getdents(int fd, uaddr_t buf, unsigned count, bool old)
{
	struct dirent_buf db = { .ctx = { .emit = dirent_emit }, .ubuf = buf,
				 .size = count, .old_format = old };
	struct file *f = fd_get(fd);
	int err;

	if (!f)
		return -EBADF;
	mutex_lock(&f->pos_lock);
	db.ctx.pos = f->pos;
	err = vfs_iterate_dir(f, &db.ctx);
	f->pos = db.ctx.pos;
	mutex_unlock(&f->pos_lock);
	file_put(f);
	if (err)
		return err;
	if (db.err && (db.used == 0 || db.err == -EFAULT))
		return db.err;
	return (long)db.used;
}

SYSCALL_DEFINE3(getdents64, int, fd, uaddr_t, buf, unsigned, count)
{
	return do_getdents(fd, buf, count, false);
}

SYSCALL_DEFINE3(getdents, int, fd, uaddr_t, buf, unsigned, count)
{
	return do_getdents(fd, buf, count, true);
}

/* ---- ioctl ---- */

#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452

static void file_change_flag(struct file *f, unsigned flag, bool on)
{
	uint64_t irq = spin_lock_irqsave(&f->lock);

	if (on)
		f->flags |= flag;
	else
		f->flags &= ~flag;
	spin_unlock_irqrestore(&f->lock, irq);
}

SYSCALL_DEFINE3(ioctl, int, fd, unsigned, cmd, uaddr_t, arg)
{
	struct file *f = fd_get(fd);
	long ret = 0;
	int on;

	if (!f)
		return -EBADF;
	if (f->fmode & FMODE_PATH) {
		file_put(f);
		return -EBADF;
	}
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		ret = fd_set_cloexec(fd, cmd == FIOCLEX);
		break;
	case FIONBIO:
	case FIOASYNC:
		ret = get_user(on, arg);
		if (!ret)
			file_change_flag(f, cmd == FIONBIO ? O_NONBLOCK : O_ASYNC,
					 on != 0);
		break;
	case FIONREAD:
		if (S_ISREG(f->inode->mode)) {
			int64_t left = (int64_t)f->inode->size - (int64_t)f->pos;

			ret = put_user((int)(left > 0 ? MIN(left, 0x7fffffff) : 0),
				       (int *)arg);
			break;
		}
		/* fall through */
	default:
		ret = f->ops && f->ops->ioctl ? f->ops->ioctl(f, cmd, arg)
					      : -ENOTTY;
		break;
	}
	file_put(f);
	return ret;
}

/* ---- sync: the work is in vfs/sync.c ---- */

static long do_fsync(int fd, bool datasync)
{
	struct file *f = fd_get_io(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_fsync(f, datasync);
	file_put(f);
	return ret;
}

SYSCALL_DEFINE1(fsync, int, fd)
{
	return do_fsync(fd, false);
}

SYSCALL_DEFINE1(fdatasync, int, fd)
{
	return do_fsync(fd, true);
}

SYSCALL_DEFINE0(sync)
{
	vfs_sync_all();
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fd_get(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_syncfs(f);
	file_put(f);
	return ret;
}
