/*
 * Name-based system calls: mkdir, mknod, unlink, rmdir, rename, link,
 * symlink, readlink, chmod, chown, access, truncate, utimensat/utimes,
 * chdir, fchdir, getcwd, chroot, mount, umount2.  Each copies its names
 * in, validates flags and calls the VFS.
 */
#include "vfs/sys_util.h"
#include "lib/string.h"

/* Resolve a user path into a referenced struct path. */
static int user_lookup(int dirfd, uaddr_t upath, unsigned lf, struct path *p)
{
	char *name;
	int err = getname(upath, &name);

	if (err)
		return err;
	err = vfs_lookup(dirfd, name, lf, p);
	kfree(name);
	return err;
}

/* A descriptor's path (also O_PATH ones); -EBADF, or -ENOENT for a file
 * without one. */
static int fd_path(int fd, struct path *p)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!f->path.dentry) {
		file_put(f);
		return -ENOENT;
	}
	*p = f->path;
	path_get(p);
	file_put(f);
	return 0;
}

SYSCALL_DEFINE3(mkdirat, int, dirfd, uaddr_t, upath, unsigned, mode)
{
	char *name;
	int err = getname(upath, &name);

	if (err)
		return err;
	err = vfs_mkdir(dirfd, name, mode);
	kfree(name);
	return err;
}

SYSCALL_DEFINE2(mkdir, uaddr_t, upath, unsigned, mode)
{
	return sys_mkdirat(AT_FDCWD, (long)upath, mode, 0, 0, 0);
}

SYSCALL_DEFINE4(mknodat, int, dirfd, uaddr_t, upath, unsigned, mode,
		unsigned, dev)
{
	char *name;
	int err = getname(upath, &name);

	if (err)
		return err;
	err = vfs_mknod(dirfd, name, mode, dev_decode(dev));
	kfree(name);
	return err;
}

SYSCALL_DEFINE3(mknod, uaddr_t, upath, unsigned, mode, unsigned, dev)
{
	return sys_mknodat(AT_FDCWD, (long)upath, mode, dev, 0, 0);
}

SYSCALL_DEFINE3(unlinkat, int, dirfd, uaddr_t, upath, int, flags)
{
	char *name;
	int err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = getname(upath, &name);
	if (err)
		return err;
	err = (flags & AT_REMOVEDIR) ? vfs_rmdir(dirfd, name)
				     : vfs_unlink(dirfd, name);
	kfree(name);
	return err;
}

SYSCALL_DEFINE1(unlink, uaddr_t, upath)
{
	return sys_unlinkat(AT_FDCWD, (long)upath, 0, 0, 0, 0);
}

SYSCALL_DEFINE1(rmdir, uaddr_t, upath)
{
	return sys_unlinkat(AT_FDCWD, (long)upath, AT_REMOVEDIR, 0, 0, 0);
}

SYSCALL_DEFINE5(renameat2, int, olddirfd, uaddr_t, oldpath, int, newdirfd,
		uaddr_t, newpath, unsigned, flags)
{
	char *o, *n;
	int err = getname(oldpath, &o);

	if (err)
		return err;
	err = getname(newpath, &n);
	if (!err) {
		err = vfs_rename(olddirfd, o, newdirfd, n, flags);
		kfree(n);
	}
	kfree(o);
	return err;
}

SYSCALL_DEFINE4(renameat, int, olddirfd, uaddr_t, oldpath, int, newdirfd,
		uaddr_t, newpath)
{
	return sys_renameat2(olddirfd, (long)oldpath, newdirfd, (long)newpath,
			     0, 0);
}

SYSCALL_DEFINE2(rename, uaddr_t, oldpath, uaddr_t, newpath)
{
	return sys_renameat2(AT_FDCWD, (long)oldpath, AT_FDCWD, (long)newpath,
			     0, 0);
}

SYSCALL_DEFINE5(linkat, int, olddirfd, uaddr_t, oldpath, int, newdirfd,
		uaddr_t, newpath, int, flags)
{
	char *o, *n;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = getname(oldpath, &o);
	if (err)
		return err;
	err = getname(newpath, &n);
	if (!err) {
		err = vfs_link(olddirfd, o, newdirfd, n, flags);
		kfree(n);
	}
	kfree(o);
	return err;
}

SYSCALL_DEFINE2(link, uaddr_t, oldpath, uaddr_t, newpath)
{
	return sys_linkat(AT_FDCWD, (long)oldpath, AT_FDCWD, (long)newpath, 0, 0);
}

SYSCALL_DEFINE3(symlinkat, uaddr_t, target, int, dirfd, uaddr_t, linkpath)
{
	char *t, *n;
	int err = getname(target, &t);

	if (err)
		return err;
	err = getname(linkpath, &n);
	if (!err) {
		err = vfs_symlink(t, dirfd, n);
		kfree(n);
	}
	kfree(t);
	return err;
}

SYSCALL_DEFINE2(symlink, uaddr_t, target, uaddr_t, linkpath)
{
	return sys_symlinkat((long)target, AT_FDCWD, (long)linkpath, 0, 0, 0);
}

SYSCALL_DEFINE4(readlinkat, int, dirfd, uaddr_t, upath, uaddr_t, buf,
		int, size)
{
	char *name, *out;
	long n;
	int err;

	if (size <= 0)
		return -EINVAL;
	err = getname(upath, &name);
	if (err)
		return err;
	out = kmalloc(PATH_MAX);
	if (!out) {
		kfree(name);
		return -ENOMEM;
	}
	n = vfs_readlink(dirfd, name, out, MIN((size_t)size, (size_t)PATH_MAX));
	if (n > 0 && copy_to_user(buf, out, (size_t)n))
		n = -EFAULT;
	kfree(out);
	kfree(name);
	return n;
}

SYSCALL_DEFINE3(readlink, uaddr_t, upath, uaddr_t, buf, int, size)
{
	return sys_readlinkat(AT_FDCWD, (long)upath, (long)buf, size, 0, 0);
}

/* ---- attributes ---- */

SYSCALL_DEFINE3(fchmodat, int, dirfd, uaddr_t, upath, unsigned, mode)
{
	struct path p;
	int err = user_lookup(dirfd, upath, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = vfs_chmod(&p, mode);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(chmod, uaddr_t, upath, unsigned, mode)
{
	return sys_fchmodat(AT_FDCWD, (long)upath, mode, 0, 0, 0);
}

SYSCALL_DEFINE2(fchmod, int, fd, unsigned, mode)
{
	struct file *f = fd_get_io(fd);
	int err;

	if (!f)
		return -EBADF;
	err = f->path.dentry ? vfs_chmod(&f->path, mode) : 0;
	file_put(f);
	return err;
}

SYSCALL_DEFINE5(fchownat, int, dirfd, uaddr_t, upath, int, uid, int, gid,
		int, flags)
{
	struct path p;
	unsigned lf = LOOKUP_FOLLOW;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_NOFOLLOW)
		lf = 0;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = user_lookup(dirfd, upath, lf, &p);
	if (err)
		return err;
	err = vfs_chown(&p, uid, gid);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE3(chown, uaddr_t, upath, int, uid, int, gid)
{
	return sys_fchownat(AT_FDCWD, (long)upath, uid, gid, 0, 0);
}

SYSCALL_DEFINE3(lchown, uaddr_t, upath, int, uid, int, gid)
{
	return sys_fchownat(AT_FDCWD, (long)upath, uid, gid,
			    AT_SYMLINK_NOFOLLOW, 0);
}

SYSCALL_DEFINE3(fchown, int, fd, int, uid, int, gid)
{
	struct file *f = fd_get_io(fd);
	int err;

	if (!f)
		return -EBADF;
	err = f->path.dentry ? vfs_chown(&f->path, uid, gid) : 0;
	file_put(f);
	return err;
}

SYSCALL_DEFINE4(faccessat2, int, dirfd, uaddr_t, upath, int, mode, int, flags)
{
	char *name;
	int err = getname(upath, &name);

	if (err)
		return err;
	err = vfs_access(dirfd, name, mode, flags);
	kfree(name);
	return err;
}

SYSCALL_DEFINE3(faccessat, int, dirfd, uaddr_t, upath, int, mode)
{
	return sys_faccessat2(dirfd, (long)upath, mode, 0, 0, 0);
}

SYSCALL_DEFINE2(access, uaddr_t, upath, int, mode)
{
	return sys_faccessat2(AT_FDCWD, (long)upath, mode, 0, 0, 0);
}

SYSCALL_DEFINE2(truncate, uaddr_t, upath, int64_t, length)
{
	struct path p;
	int err;

	if (length < 0)
		return -EINVAL;
	err = user_lookup(AT_FDCWD, upath, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = vfs_truncate_path(&p, length);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(ftruncate, int, fd, int64_t, length)
{
	struct file *f = fd_get_io(fd);
	int err;

	if (!f)
		return -EBADF;
	err = vfs_ftruncate(f, length);
	file_put(f);
	return err;
}

struct timespec_user {
	int64_t tv_sec;
	long tv_nsec;
};

struct timeval_user {
	int64_t tv_sec;
	long tv_usec;
};

/* Set times of (dirfd, path) or, with a NULL path, of dirfd itself. */
static long do_utimes(int dirfd, uaddr_t upath, struct timespec64 *t,
		      int flags)
{
	struct path p;
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	if (upath == 0) {
		if (dirfd == AT_FDCWD)
			return -EFAULT;
		err = fd_path(dirfd, &p);
	} else {
		err = user_lookup(dirfd, upath, lf, &p);
	}
	if (err)
		return err;
	err = vfs_utimes(&p, t);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE4(utimensat, int, dirfd, uaddr_t, upath, uaddr_t, utimes,
		int, flags)
{
	struct timespec_user u[2];
	struct timespec64 t[2];

	if (!utimes)
		return do_utimes(dirfd, upath, NULL, flags);
	if (copy_from_user(u, utimes, sizeof(u)))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		t[i].tv_sec = u[i].tv_sec;
		t[i].tv_nsec = u[i].tv_nsec;
	}
	return do_utimes(dirfd, upath, t, flags);
}

SYSCALL_DEFINE3(futimesat, int, dirfd, uaddr_t, upath, uaddr_t, utimes)
{
	struct timeval_user u[2];
	struct timespec64 t[2];

	if (!utimes)
		return do_utimes(dirfd, upath, NULL, 0);
	if (copy_from_user(u, utimes, sizeof(u)))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (u[i].tv_usec < 0 || u[i].tv_usec >= 1000000)
			return -EINVAL;
		t[i].tv_sec = u[i].tv_sec;
		t[i].tv_nsec = u[i].tv_usec * 1000;
	}
	return do_utimes(dirfd, upath, t, 0);
}

SYSCALL_DEFINE2(utimes, uaddr_t, upath, uaddr_t, utimes)
{
	return sys_futimesat(AT_FDCWD, (long)upath, (long)utimes, 0, 0, 0);
}

/* ---- directories of the process ---- */

SYSCALL_DEFINE1(chdir, uaddr_t, upath)
{
	struct path p;
	int err = user_lookup(AT_FDCWD, upath, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			      &p);

	if (err)
		return err;
	err = vfs_chdir(&p);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
	struct path p;
	int err = fd_path(fd, &p);

	if (err)
		return err == -ENOENT ? -ENOTDIR : err;
	err = vfs_chdir(&p);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE1(chroot, uaddr_t, upath)
{
	struct path p;
	int err = user_lookup(AT_FDCWD, upath, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			      &p);

	if (err)
		return err;
	err = vfs_chroot(&p);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(getcwd, uaddr_t, buf, unsigned long, size)
{
	char *k = kmalloc(PATH_MAX);
	int n;

	if (!k)
		return -ENOMEM;
	n = vfs_getcwd(k, MIN(size, (unsigned long)PATH_MAX));
	if (n > 0 && copy_to_user(buf, k, (size_t)n))
		n = -EFAULT;
	kfree(k);
	return n;
}

/* ---- mount ---- */

/* Copy an optional string argument (NULL stays NULL). */
static int getname_opt(uaddr_t u, char **out)
{
	*out = NULL;
	return u ? getname(u, out) : 0;
}

SYSCALL_DEFINE5(mount, uaddr_t, usource, uaddr_t, utarget, uaddr_t, utype,
		unsigned long, flags, uaddr_t, udata)
{
	char *source, *target = NULL, *type = NULL, *data = NULL;
	int err = getname_opt(usource, &source);

	if (!err)
		err = getname(utarget, &target);
	if (!err)
		err = getname_opt(utype, &type);
	if (!err)
		err = getname_opt(udata, &data);
	if (!err)
		err = vfs_mount(source, AT_FDCWD, target, type, flags, data);
	kfree(data);
	kfree(type);
	kfree(target);
	kfree(source);
	return err;
}

SYSCALL_DEFINE2(umount2, uaddr_t, utarget, int, flags)
{
	char *target;
	int err = getname(utarget, &target);

	if (err)
		return err;
	err = vfs_umount(AT_FDCWD, target, flags);
	kfree(target);
	return err;
}

SYSCALL_DEFINE2(pivot_root, uaddr_t, unew, uaddr_t, uold)
{
	char *new_root, *put_old = NULL;
	int err = getname(unew, &new_root);

	if (err)
		return err;
	err = getname(uold, &put_old);
	if (!err)
		err = vfs_pivot_root(new_root, put_old);
	kfree(put_old);
	kfree(new_root);
	return err;
}
