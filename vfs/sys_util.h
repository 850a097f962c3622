/*
 * Helpers shared by the VFS system-call files: copying path names in,
 * turning a descriptor into a referenced file, transfers at the file
 * offset (sys_rw.c).
 */
#ifndef VFS_SYS_UTIL_H
#define VFS_SYS_UTIL_H

#include "vfs/internal.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

/* Paths up to this long (with the NUL) are copied through the stack into
 * a buffer of their own size (a small kmalloc); longer ones get a whole
 * PATH_MAX buffer. */
#define GETNAME_SMALL 128

/*
 * Copy the user path at @u into a new buffer (*out, kfree it).
 * 0, -EFAULT, -ENAMETOOLONG (no NUL within PATH_MAX) or -ENOMEM.
 */
static inline int getname(uaddr_t u, char **out)
{
	char small[GETNAME_SMALL], *buf;
	long n = strncpy_from_user(small, u, sizeof(small));

	*out = NULL;
	if (n >= 0) {
		buf = kmalloc((size_t)n + 1);
		if (!buf)
			return -ENOMEM;
		memcpy(buf, small, (size_t)n + 1);
		*out = buf;
		return 0;
	}
	if (n != -ENAMETOOLONG)
		return (int)n;
	buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	n = strncpy_from_user(buf, u, PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	*out = buf;
	return 0;
}

/* read(2)/write(2) of @b at @f's file offset, which advances (under
 * pos_lock for regular files and directories).  Bytes or -errno. */
long vfs_rw_at_pos(struct file *f, struct iobuf *b, bool write);

/* Descriptor @fd as a file that is not O_PATH; NULL means EBADF. */
static inline struct file *fd_get_io(int fd)
{
	struct file *f = fd_get(fd);

	if (f && (f->fmode & FMODE_PATH)) {
		file_put(f);
		return NULL;
	}
	return f;
}

/* Linux's dev_t encoding for user space (new_encode_dev). */
static inline uint64_t dev_encode(kdev_t d)
{
	uint64_t ma = MAJOR(d), mi = MINOR(d);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffull) << 12);
}

static inline kdev_t dev_decode(uint64_t dev)
{
	unsigned ma = (unsigned)((dev & 0xfff00) >> 8);
	unsigned mi = (unsigned)((dev & 0xff) | ((dev >> 12) & 0xfff00));

	return MKDEV(ma, mi);
}

#endif
