/*
 * Open file descriptions: allocation, references, read/write/lseek
 * wrappers that check the open mode and turn a missing operation into
 * Linux's errno, and the kernel's own file helpers (exec, init).
 *
 * A struct file is created by open (vfs_open), pipe or a driver, shared by
 * every descriptor dup'ed from it, and released when the last reference
 * goes: its flock and OFD locks go, ->release runs, inotify hears of the
 * close, then the path (or the inode of a pathless file) is dropped.  The offset of regular files and directories is guarded by
 * pos_lock so that concurrent read(2)s on one description don't share an
 * offset (Linux's FMODE_ATOMIC_POS).
 */
#include "vfs/internal.h"
#include "process/process.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/uaccess.h"

int iobuf_copy_out(struct iobuf *b, size_t offset, const void *src, size_t n)
{
	if (offset > b->len || n > b->len - offset)
		return -EFAULT;
	if (b->user)
		return copy_to_user(b->ubuf + offset, src, n);
	memcpy((char *)b->kbuf + offset, src, n);
	return 0;
}

long iobuf_copy_out_prefix(struct iobuf *b, size_t offset, const void *src,
			   size_t n)
{
	if (offset > b->len || n > b->len - offset)
		return -EFAULT;
	if (b->user)
		return copy_to_user_prefix(b->ubuf + offset, src, n);
	memcpy((char *)b->kbuf + offset, src, n);
	return (long)n;
}

long iobuf_copy_in_prefix(void *dst, const struct iobuf *b, size_t offset,
			  size_t n)
{
	if (offset > b->len || n > b->len - offset)
		return -EFAULT;
	if (b->user)
		return copy_from_user_prefix(dst, b->ubuf + offset, n);
	memcpy(dst, (const char *)b->kbuf + offset, n);
	return (long)n;
}

int iobuf_copy_in(void *dst, const struct iobuf *b, size_t offset, size_t n)
{
	if (offset > b->len || n > b->len - offset)
		return -EFAULT;
	if (b->user)
		return copy_from_user(dst, b->ubuf + offset, n);
	memcpy(dst, (const char *)b->kbuf + offset, n);
	return 0;
}

void *file_private(struct file *f)
{
	return f->private;
}

void file_set_private(struct file *f, void *data)
{
	f->private = data;
}

unsigned file_flags(struct file *f)
{
	uint64_t irq = spin_lock_irqsave(&f->lock);
	unsigned flags = f->flags;

	spin_unlock_irqrestore(&f->lock, irq);
	return flags;
}

unsigned file_device_minor(struct file *f)
{
	return MINOR(f->inode->rdev);
}

struct file *file_alloc(const struct path *p, struct inode *inode,
			unsigned flags, const struct file_operations *ops)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refcount = 1;
	f->flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	spin_lock_init(&f->lock, "file");
	mutex_init(&f->pos_lock, "file pos");
	list_init(&f->ep_links);
	f->ops = ops;
	if (p)
		f->path = *p;
	f->inode = inode;
	return f;
}

struct file *file_get(struct file *f)
{
	ASSERT(__atomic_fetch_add(&f->refcount, 1, __ATOMIC_RELAXED) > 0);
	return f;
}

/* The last reference to @f went: leave epoll and locks, then release. */
static __noinline void file_last_ref(struct file *f)
{
	/* Only removals can race with us now (ADD holds a reference). */
	if (!list_empty(&f->ep_links))
		eventpoll_release_file(f);
	locks_remove_file(f);
	if (f->ops && f->ops->release)
		f->ops->release(f);
}

/* Drop a reference: true if it was the last (then @f is released). */
static __always_inline bool file_put_last(struct file *f)
{
	int old = __atomic_fetch_sub(&f->refcount, 1, __ATOMIC_ACQ_REL);

	ASSERT(old > 0);
	if (old > 1)
		return false;
	file_last_ref(f);
	return true;
}

static void file_free_locked(struct file *f)
{
	fsnotify_close(f);
	if (f->fmode & FMODE_WRITER)
		f->path.mnt->writers--;
	if (f->path.dentry)
		path_put_locked(&f->path);
	else if (f->inode)
		inode_put(f->inode);
	kfree(f);
}

void file_put(struct file *f)
{
	if (!file_put_last(f))
		return;
	vfs_lock();
	file_free_locked(f);
	vfs_unlock();
}

void file_put_locked(struct file *f)
{
	if (file_put_last(f))
		file_free_locked(f);
}

long vfs_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	long ret;

	if (!(f->fmode & FMODE_READ))
		return -EBADF;
	if (!f->ops || !f->ops->read)
		return S_ISDIR(f->inode->mode) ? -EISDIR : -EINVAL;
	if ((long)b->len < 0)
		return -EINVAL;
	if (b->len > MAX_RW_COUNT)
		b->len = MAX_RW_COUNT;
	if (b->user && !user_range_ok(b->ubuf, b->len))
		return -EFAULT;
	ret = f->ops->read(f, b, pos);
	if (ret > 0)
		fsnotify_access(f);
	return ret;
}

long vfs_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	long ret;

	if (!(f->fmode & FMODE_WRITE))
		return -EBADF;
	if (!f->ops || !f->ops->write)
		return -EINVAL;
	if ((long)b->len < 0)
		return -EINVAL;
	if (b->len > MAX_RW_COUNT)
		b->len = MAX_RW_COUNT;
	if (b->user && !user_range_ok(b->ubuf, b->len))
		return -EFAULT;
	if (S_ISREG(f->inode->mode) && current_process()) {
		/* RLIMIT_FSIZE: SIGXFSZ and EFBIG at the limit, a short
		 * write below it (setrlimit(2)). */
		uint64_t limit = current_process()->rlimits[RLIMIT_FSIZE].cur;
		uint64_t start = (f->flags & O_APPEND) ? READ_ONCE(f->inode->size)
						       : *pos;
		if (limit != UINT64_MAX && b->len) {
			if (start >= limit) {
				signal_raise_current(SIGXFSZ);
				return -EFBIG;
			}
			if (b->len > limit - start)
				b->len = limit - start;
		}
	}
	ret = memfd_check_write(f, *pos, b->len);
	if (ret)
		return ret;
	ret = f->ops->write(f, b, pos);
	if (ret > 0)
		fsnotify_modify(f);
	return ret;
}

/* Check the buffers of a vectored transfer and cap their total. */
static long rwv_check(struct iobuf *bufs, unsigned n)
{
	size_t total = 0;

	for (unsigned i = 0; i < n; i++) {
		if ((long)bufs[i].len < 0)
			return -EINVAL;
		if (bufs[i].len > (size_t)MAX_RW_COUNT - total)
			bufs[i].len = (size_t)MAX_RW_COUNT - total;
		total += bufs[i].len;
		if (bufs[i].user && !user_range_ok(bufs[i].ubuf, bufs[i].len))
			return -EFAULT;
	}
	return 0;
}

long vfs_readv(struct file *f, struct iobuf *bufs, unsigned n)
{
	long err;

	if (!(f->fmode & FMODE_READ))
		return -EBADF;
	err = rwv_check(bufs, n);
	return err ? err : f->ops->read_vec(f, bufs, n);
}

long vfs_writev(struct file *f, struct iobuf *bufs, unsigned n)
{
	long err;

	if (!(f->fmode & FMODE_WRITE))
		return -EBADF;
	err = rwv_check(bufs, n);
	return err ? err : f->ops->write_vec(f, bufs, n);
}

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

static long generic_llseek(struct file *f, int64_t offset, int whence)
{
	int64_t size, pos;

	mutex_lock(&f->inode->data_lock);
	size = (int64_t)f->inode->size;
	mutex_unlock(&f->inode->data_lock);
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
	if (pos < 0)
		return -EINVAL;
	f->pos = (uint64_t)pos;
	return pos;
}

long vfs_noop_llseek(struct file *f, long offset, int whence)
{
	return (long)f->pos;
}

long vfs_lseek(struct file *f, int64_t offset, int whence)
{
	long ret;

	if (whence < SEEK_SET || whence > SEEK_HOLE)
		return -EINVAL;
	if (f->fmode & FMODE_PATH)
		return -EBADF;
	mutex_lock(&f->pos_lock);
	if (f->ops && f->ops->llseek)
		ret = f->ops->llseek(f, (long)offset, whence);
	else if (f->fmode & FMODE_ATOMIC_POS)
		ret = generic_llseek(f, offset, whence);
	else
		ret = -ESPIPE;
	mutex_unlock(&f->pos_lock);
	return ret;
}

struct file *file_open_kernel(const char *path, int flags, unsigned mode)
{
	return vfs_open(AT_FDCWD, path, flags, mode);
}

long file_read_kernel(struct file *f, void *buf, size_t len, uint64_t offset)
{
	struct iobuf b = { .user = false, .kbuf = buf, .len = len };

	return vfs_read(f, &b, &offset);
}

int file_check_exec(struct file *f, unsigned *mode, uint32_t *uid,
		    uint32_t *gid)
{
	struct inode *inode = f->inode;
	int err;

	if (!f->path.mnt || !S_ISREG(inode->mode))
		return -EACCES;
	vfs_lock();
	if (f->path.mnt->flags & MS_NOEXEC)
		err = -EACCES;
	else
		err = inode_permission(inode, MAY_EXEC);
	if (!err) {
		*mode = inode->mode;
		*uid = (f->path.mnt->flags & MS_NOSUID) ? 0 : inode->uid;
		*gid = inode->gid;
		if (f->path.mnt->flags & MS_NOSUID)
			*mode &= ~(S_ISUID | S_ISGID);
	}
	vfs_unlock();
	return err;
}

int file_path(struct file *f, char *buf, size_t size)
{
	long n;

	if (!f->path.mnt)
		return -ENOENT;
	n = vfs_path_name(&f->path, buf, size);
	return n < 0 ? (int)n : 0;
}

int file_display_path(struct file *f, char *buf, size_t size)
{
	struct path root;
	long n;

	if (!f->path.mnt)
		return -ENOENT;
	vfs_lock();
	namei_current_root(&root);
	n = d_path(&f->path, &root, buf, size);
	if (n >= 0 && !f->path.dentry->linked &&
	    f->path.dentry != f->path.mnt->root) {
		size_t len = strlen(buf);

		format_snprintf(buf + len, size - len, " (deleted)");
	}
	vfs_unlock();
	return n < 0 ? (int)n : 0;
}

bool file_noexec(struct file *f)
{
	bool noexec;

	if (!f->path.mnt)
		return false;
	vfs_lock();
	noexec = f->path.mnt->flags & MS_NOEXEC;
	vfs_unlock();
	return noexec;
}

int generic_file_mmap(struct file *f)
{
	return f->inode->pages ? 0 : -ENODEV;
}
