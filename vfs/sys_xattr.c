/*
 * Extended attributes: the {,l,f}{get,set,list,remove}xattr calls.
 *
 * Model: file systems that store attributes give their inodes getxattr
 * and listxattr ops (ext4, read-only so far); every other inode behaves
 * as on a Linux file system without xattr handlers: once the file and
 * the attribute name are valid, getting an attribute gives EOPNOTSUPP
 * and listing gives an empty list.  Nothing can set or remove one yet:
 * EROFS on a read-only mount (as Linux checks first), else EOPNOTSUPP.
 * Path and descriptor errors, name checks (ERANGE for an empty or
 * over-long name, EFAULT) and setxattr's flag check come first, in
 * Linux's order, so programs (ls, cp -a, tar) take their "no xattr
 * support" paths.
 */
#include "vfs/sys_util.h"

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_LIST_MAX 65536
#define XATTR_CREATE 0x1
#define XATTR_REPLACE 0x2

/* The file named by a path (following a final symlink if @follow) or,
 * with @upath 0, by descriptor @fd: a reference in *@p or *@f (the
 * other NULL); 0 or -errno. */
static int xattr_target(uaddr_t upath, int fd, bool follow, struct path *p,
			struct file **f)
{
	char *name;
	int err;

	*f = NULL;
	p->dentry = NULL;
	if (!upath) {
		*f = fd_get_io(fd);
		return *f ? 0 : -EBADF;
	}
	err = getname(upath, &name);
	if (err)
		return err;
	err = vfs_lookup(AT_FDCWD, name, follow ? LOOKUP_FOLLOW : 0, p);
	kfree(name);
	return err;
}

static void xattr_target_put(struct path *p, struct file *f)
{
	if (p->dentry)
		path_put(p);
	if (f)
		file_put(f);
}

static struct inode *xattr_inode(struct path *p, struct file *f)
{
	return f ? f->inode : p->dentry->inode;
}

/* Is the target on a read-only mount or super block? */
static bool xattr_read_only(struct path *p, struct file *f)
{
	return vfs_path_readonly(f ? &f->path : p);
}

/* Copy and check an attribute name into @kname: 0, -ERANGE or -EFAULT. */
static int xattr_name(uaddr_t uname, char kname[XATTR_NAME_MAX + 1])
{
	long n = strncpy_from_user(kname, uname, XATTR_NAME_MAX + 1);

	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? (int)n : 0;
}

static long do_getxattr(uaddr_t upath, int fd, bool follow, uaddr_t uname,
			uaddr_t uvalue, size_t size)
{
	char kname[XATTR_NAME_MAX + 1];
	struct path p;
	struct file *f;
	struct inode *inode;
	void *kbuf = NULL;
	long ret = xattr_target(upath, fd, follow, &p, &f);

	if (ret)
		return ret;
	ret = xattr_name(uname, kname);
	if (ret)
		goto out;
	inode = xattr_inode(&p, f);
	if (!inode->i_op || !inode->i_op->getxattr) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	size = MIN(size, (size_t)XATTR_SIZE_MAX);
	if (size && !(kbuf = kmalloc(size))) {
		ret = -ENOMEM;
		goto out;
	}
	ret = inode->i_op->getxattr(inode, kname, kbuf, size);
	if (ret > 0 && size && copy_to_user(uvalue, kbuf, (size_t)ret))
		ret = -EFAULT;
out:
	kfree(kbuf);
	xattr_target_put(&p, f);
	return ret;
}

/* removexattr: the file, then the name; nothing is writable yet. */
static long do_removexattr(uaddr_t upath, int fd, bool follow, uaddr_t uname)
{
	char kname[XATTR_NAME_MAX + 1];
	struct path p;
	struct file *f;
	long ret = xattr_target(upath, fd, follow, &p, &f);

	if (ret)
		return ret;
	ret = xattr_name(uname, kname);
	if (!ret)
		ret = xattr_read_only(&p, f) ? -EROFS : -EOPNOTSUPP;
	xattr_target_put(&p, f);
	return ret;
}

static long do_setxattr(uaddr_t upath, int fd, bool follow, uaddr_t uname,
			int flags)
{
	char kname[XATTR_NAME_MAX + 1];
	struct path p;
	struct file *f;
	long ret = xattr_target(upath, fd, follow, &p, &f);

	if (ret)
		return ret;
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		ret = -EINVAL;
	else
		ret = xattr_name(uname, kname);
	if (!ret)
		ret = xattr_read_only(&p, f) ? -EROFS : -EOPNOTSUPP;
	xattr_target_put(&p, f);
	return ret;
}

static long do_listxattr(uaddr_t upath, int fd, bool follow, uaddr_t ulist,
			 size_t size)
{
	struct path p;
	struct file *f;
	struct inode *inode;
	char *kbuf = NULL;
	long ret = xattr_target(upath, fd, follow, &p, &f);

	if (ret)
		return ret;
	inode = xattr_inode(&p, f);
	if (!inode->i_op || !inode->i_op->listxattr)
		goto out;               /* no attributes: an empty list */
	size = MIN(size, (size_t)XATTR_LIST_MAX);
	if (size && !(kbuf = kmalloc(size))) {
		ret = -ENOMEM;
		goto out;
	}
	ret = inode->i_op->listxattr(inode, kbuf, size);
	if (ret > 0 && size && copy_to_user(ulist, kbuf, (size_t)ret))
		ret = -EFAULT;
out:
	kfree(kbuf);
	xattr_target_put(&p, f);
	return ret;
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
	return do_getxattr(path, -1, true, name, value, size);
}

SYSCALL_DEFINE4(lgetxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value,
		size_t, size)
{
	return do_getxattr(path, -1, false, name, value, size);
}

SYSCALL_DEFINE4(fgetxattr, int, fd, uaddr_t, name, uaddr_t, value,
		size_t, size)
{
	return do_getxattr(0, fd, false, name, value, size);
}

SYSCALL_DEFINE3(listxattr, uaddr_t, path, uaddr_t, list, size_t, size)
{
	return do_listxattr(path, -1, true, list, size);
}

SYSCALL_DEFINE3(llistxattr, uaddr_t, path, uaddr_t, list, size_t, size)
{
	return do_listxattr(path, -1, false, list, size);
}

SYSCALL_DEFINE3(flistxattr, int, fd, uaddr_t, list, size_t, size)
{
	return do_listxattr(0, fd, false, list, size);
}

SYSCALL_DEFINE2(removexattr, uaddr_t, path, uaddr_t, name)
{
	return do_removexattr(path, -1, true, name);
}

SYSCALL_DEFINE2(lremovexattr, uaddr_t, path, uaddr_t, name)
{
	return do_removexattr(path, -1, false, name);
}

SYSCALL_DEFINE2(fremovexattr, int, fd, uaddr_t, name)
{
	return do_removexattr(0, fd, false, name);
}
