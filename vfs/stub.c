/*
 * TEMPORARY: a read-only stand-in for the VFS over the initramfs cpio, so
 * the process layer can run programs before the real VFS is merged.
 * write(2) goes to the serial console.  Replaced by vfs/ proper.
 */
#include "vfs/vfs.h"
#include "drivers/serial.h"
#include "include/errno.h"
#include "lib/cpio.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

long sys_write(long, long, long, long, long, long);

#define STUB_FDS 64

struct file {
	int refcount;
	const void *data;
	size_t size;
	unsigned mode;
	bool console;
};

struct fdtable {
	int refcount;
	struct file *fd[STUB_FDS];
	bool cloexec[STUB_FDS];
};

struct fs_struct {
	int refcount;
};

static const void *cpio_base;
static size_t cpio_len;

int vfs_init(const void *initramfs, size_t len)
{
	cpio_base = initramfs;
	cpio_len = len;
	return 0;
}

struct fs_struct *fs_struct_create_root(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));
	if (fs)
		fs->refcount = 1;
	return fs;
}

struct fs_struct *fs_struct_clone(struct fs_struct *fs)
{
	return fs_struct_create_root();
}

struct fs_struct *fs_struct_get(struct fs_struct *fs)
{
	fs->refcount++;
	return fs;
}

void fs_struct_put(struct fs_struct *fs)
{
	if (fs && --fs->refcount == 0)
		kfree(fs);
}

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));
	if (t)
		t->refcount = 1;
	return t;
}

struct file *file_get(struct file *f)
{
	f->refcount++;
	return f;
}

void file_put(struct file *f)
{
	if (f && --f->refcount == 0)
		kfree(f);
}

struct fdtable *fdtable_clone(struct fdtable *t)
{
	struct fdtable *n = fdtable_create();
	if (!n)
		return NULL;
	for (int i = 0; i < STUB_FDS; i++) {
		n->fd[i] = t->fd[i] ? file_get(t->fd[i]) : NULL;
		n->cloexec[i] = t->cloexec[i];
	}
	return n;
}

struct fdtable *fdtable_get(struct fdtable *t)
{
	t->refcount++;
	return t;
}

void fdtable_put(struct fdtable *t)
{
	if (!t || --t->refcount)
		return;
	for (int i = 0; i < STUB_FDS; i++)
		file_put(t->fd[i]);
	kfree(t);
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (int i = 0; i < STUB_FDS; i++)
		if (t->cloexec[i]) {
			file_put(t->fd[i]);
			t->fd[i] = NULL;
			t->cloexec[i] = false;
		}
}

struct file *file_open_kernel(const char *path, int flags, unsigned mode)
{
	struct cpio_entry e;
	size_t off = 0;
	struct file *f;

	if (strcmp(path, "/dev/console") == 0) {
		f = kzalloc(sizeof(*f));
		if (!f)
			return ERR_PTR(-ENOMEM);
		f->refcount = 1;
		f->console = true;
		f->mode = 020600;
		return f;
	}
	while (*path == '/')
		path++;
	while (cpio_next(cpio_base, cpio_len, &off, &e) == 1) {
		const char *n = e.name;
		size_t nl = e.name_len;
		if (nl >= 2 && n[0] == '.' && n[1] == '/') {
			n += 2;
			nl -= 2;
		}
		if (nl != strlen(path) || memcmp(n, path, nl) != 0)
			continue;
		f = kzalloc(sizeof(*f));
		if (!f)
			return ERR_PTR(-ENOMEM);
		f->refcount = 1;
		f->data = e.data;
		f->size = e.size;
		f->mode = e.mode;
		return f;
	}
	return ERR_PTR(-ENOENT);
}

long file_read_kernel(struct file *f, void *buf, size_t len, uint64_t offset)
{
	if (offset >= f->size)
		return 0;
	len = MIN(len, f->size - offset);
	memcpy(buf, (const char *)f->data + offset, len);
	return len;
}

int file_check_exec(struct file *f, unsigned *mode, uint32_t *uid, uint32_t *gid)
{
	if ((f->mode & 0170000) != 0100000 || !(f->mode & 0111))
		return -EACCES;
	*mode = f->mode;
	*uid = *gid = 0;
	return 0;
}

int fd_install(struct file *f, bool cloexec)
{
	struct fdtable *t = current_process()->files;

	for (int i = 0; i < STUB_FDS; i++)
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			return i;
		}
	return -EMFILE;
}

SYSCALL_DEFINE3(write, int, fd, uaddr_t, buf, size_t, count)
{
	struct fdtable *t = current_process()->files;
	char chunk[256];
	size_t done = 0;

	if (fd < 0 || fd >= STUB_FDS || !t->fd[fd])
		return -EBADF;
	if (!t->fd[fd]->console)
		return -EBADF;
	while (done < count) {
		size_t n = MIN(count - done, sizeof(chunk));
		if (copy_from_user(chunk, buf + done, n))
			return done ? (long)done : -EFAULT;
		serial_write(chunk, n);
		done += n;
	}
	return done;
}

SYSCALL_DEFINE3(writev, int, fd, uaddr_t, iov, int, iovcnt)
{
	long total = 0;

	for (int i = 0; i < iovcnt; i++) {
		uint64_t v[2];
		long n;
		if (copy_from_user(v, iov + i * 16, 16))
			return -EFAULT;
		n = sys_write(fd, v[0], v[1], 0, 0, 0);
		if (n < 0)
			return total ? total : n;
		total += n;
	}
	return total;
}
