/*
 * Extended attributes: the {,l,f}{get,set,list,remove}xattr calls.
 *
 * Model: no file system here stores extended attributes yet, so every
 * inode behaves as on a Linux file system without xattr handlers: once
 * the file and the attribute name are valid, getting, setting or removing
 * an attribute gives EOPNOTSUPP and listing gives an empty list.  Path
 * and descriptor errors, name checks (ERANGE for an empty or over-long
 * name, EFAULT) and setxattr's flag check come first, in Linux's order,
 * so programs (ls, cp -a, tar) take their "no xattr support" paths.
 */
#include "vfs/sys_util.h"

#define XATTR_NAME_MAX 255
#define XATTR_CREATE 0x1
#define XATTR_REPLACE 0x2

/* The file named by a path (following a final symlink if @follow; a
 * reference in *@p) or, with @upath 0, by descriptor @fd (p->dentry
 * NULL): 0 or -errno. */
static int xattr_target(uaddr_t upath, int fd, bool follow, struct path *p)
{
	char *name;
	int err;

	if (!upath) {
		struct file *f = fd_get_io(fd);
		if (!f)
			return -EBADF;
		file_put(f);
		p->mnt = NULL;
		p->dentry = NULL;
		return 0;
	}
	err = getname(upath, &name);
	if (err)
		return err;
	err = vfs_lookup(AT_FDCWD, name, follow ? LOOKUP_FOLLOW : 0, p);
	kfree(name);
	return err;
}

static void xattr_target_put(struct path *p)
{
	if (p->dentry)
		path_put(p);
}

/* Copy and check an attribute name: 0, -ERANGE or -EFAULT. */
static int xattr_name(uaddr_t uname)
{
	char kname[XATTR_NAME_MAX + 1];
	long n = strncpy_from_user(kname, uname, sizeof(kname));

	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? (int)n : 0;
}

/* getxattr and removexattr: the file, then the name; no attribute
 * store behind them. */
static long do_named_op(uaddr_t upath, int fd, bool follow, uaddr_t uname)
{
	struct path p;
	int err = xattr_target(upath, fd, follow, &p);

	if (err)
		return err;
	xattr_target_put(&p);
	err = xattr_name(uname);
	return err ? err : -EOPNOTSUPP;
}

/* Is the file of @upath / @fd on a read-only mount? */
static bool xattr_target_readonly(uaddr_t upath, int fd, struct path *p)
{
	struct file *f;
	bool ro;

	if (upath)
		return vfs_path_readonly(p);
	f = fd_get_io(fd);
	if (!f)
		return false;
	ro = vfs_path_readonly(&f->path);
	file_put(f);
	return ro;
}

static long do_setxattr(uaddr_t upath, int fd, bool follow, uaddr_t uname,
			int flags)
{
	struct path p;
	int err = xattr_target(upath, fd, follow, &p);
	bool ro;

	if (err)
		return err;
	ro = xattr_target_readonly(upath, fd, &p);
	xattr_target_put(&p);
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	err = xattr_name(uname);
	if (!err && ro)
		err = -EROFS;
	return err ? err : -EOPNOTSUPP;
}

static long do_listxattr(uaddr_t upath, int fd, bool follow)
{
	struct path p;
	int err = xattr_target(upath, fd, follow, &p);

	if (err)
		return err;
	xattr_target_put(&p);
	return 0;                       /* no attributes: an empty list */
}

SYSCALL_DEFINE5(setxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size, int, flags)
{
	return do_setxattr(path, -1, true, name, flags);
}

SYSCALL_DEFINE5(lsetxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size, int, flags)
{
	return do_setxattr(path, -1, false, name, flags);
}

SYSCALL_DEFINE5(fsetxattr, int, fd, uaddr_t, name, uaddr_t, value,
		size_t, size, int, flags)
{
	return do_setxattr(0, fd, false, name, flags);
}

SYSCALL_DEFINE4(getxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size)
{
	return do_named_op(path, -1, true, name);
}

SYSCALL_DEFINE4(lgetxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size)
{
	return do_named_op(path, -1, false, name);
}

SYSCALL_DEFINE4(fgetxattr, int, fd, uaddr_t, name, uaddr_t, value,
		size_t, size)
{
	return do_named_op(0, fd, false, name);
}

SYSCALL_DEFINE3(listxattr, uaddr_t, path, uaddr_t, list, size_t, size)
{
	return do_listxattr(path, -1, true);
}

SYSCALL_DEFINE3(llistxattr, uaddr_t, path, uaddr_t, list, size_t, size)
{
	return do_listxattr(path, -1, false);
}

SYSCALL_DEFINE3(flistxattr, int, fd, uaddr_t, list, size_t, size)
{
	return do_listxattr(0, fd, false);
}

SYSCALL_DEFINE2(removexattr, uaddr_t, path, uaddr_t, name)
{
	return do_named_op(path, -1, true, name);
}

SYSCALL_DEFINE2(lremovexattr, uaddr_t, path, uaddr_t, name)
{
	return do_named_op(path, -1, false, name);
}

SYSCALL_DEFINE2(fremovexattr, int, fd, uaddr_t, name)
{
	return do_named_op(0, fd, false, name);
}
