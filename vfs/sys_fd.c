/*
 * Descriptor system calls: open, openat, creat, close, close_range, dup,
 * dup2, dup3, fcntl, flock, pipe, pipe2, umask.
 */
#include "vfs/sys_util.h"
#include "process/process.h"

static long do_open(int dirfd, uaddr_t upath, int flags, unsigned mode)
{
	struct file *f;
	char *name;
	int fd, err = getname(upath, &name);

	if (err)
		return err;
	flags |= O_LARGEFILE;           /* always on 64-bit (force_o_largefile) */
	f = vfs_open(dirfd, name, flags, mode);
	kfree(name);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install(f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE3(open, uaddr_t, path, int, flags, unsigned, mode)
{
	return do_open(AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dirfd, uaddr_t, path, int, flags, unsigned, mode)
{
	return do_open(dirfd, path, flags, mode);
}

SYSCALL_DEFINE2(creat, uaddr_t, path, unsigned, mode)
{
	return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SYSCALL_DEFINE1(close, int, fd)
{
	return fd_close(fd);
}

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

SYSCALL_DEFINE3(close_range, unsigned, first, unsigned, last, unsigned, flags)
{
	struct process *p = current_process();

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && p && p->files &&
	    READ_ONCE(p->files->refcount) > 1) {
		struct fdtable *copy = fdtable_clone(p->files), *old = p->files;

		if (!copy)
			return -ENOMEM;
		p->files = copy;        /* TODO: under the process lock */
		fdtable_put(old);
	}
	return fd_close_range(first, last, flags & CLOSE_RANGE_CLOEXEC);
}

SYSCALL_DEFINE1(dup, int, fd)
{
	return fd_dup(fd, 0, 0, 0, false);
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
	return fd_dup(oldfd, newfd, 0, 0, true);
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return fd_dup(oldfd, newfd, flags, 0, true);
}

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_SETSIG 10
#define F_GETSIG 11
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define F_DUPFD_CLOEXEC 1030
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#define FD_CLOEXEC 1

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

struct flock_user {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid;
	int32_t pad;
};
STATIC_ASSERT(sizeof(struct flock_user) == 32, "struct flock");

static long fcntl_setfl(struct file *f, unsigned long arg)
{
	uint64_t irq = spin_lock_irqsave(&f->lock);

	f->flags = (f->flags & ~SETFL_MASK) | ((unsigned)arg & SETFL_MASK);
	spin_unlock_irqrestore(&f->lock, irq);
	return 0;
}

/* F_GETLK/F_SETLK/F_SETLKW and their OFD forms (vfs/locks.c). */
static long fcntl_lock(struct file *f, unsigned cmd, uaddr_t arg)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
		   cmd == F_OFD_SETLKW;
	struct flock_user u;
	struct flock_k fl;
	int err;

	if (copy_from_user(&u, arg, sizeof(u)))
		return -EFAULT;
	fl.l_type = u.l_type;
	fl.l_whence = u.l_whence;
	fl.l_start = u.l_start;
	fl.l_len = u.l_len;
	fl.l_pid = u.l_pid;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		err = locks_getlk(f, ofd, &fl);
		if (err)
			return err;
		u.l_type = fl.l_type;
		u.l_whence = fl.l_whence;
		u.l_start = fl.l_start;
		u.l_len = fl.l_len;
		u.l_pid = fl.l_pid;
		return copy_to_user(arg, &u, sizeof(u));
	}
	err = locks_setlk(f, ofd, cmd == F_SETLKW || cmd == F_OFD_SETLKW, &fl);
	return err;
}

SYSCALL_DEFINE3(fcntl, int, fd, unsigned, cmd, unsigned long, arg)
{
	struct file *f = fd_get(fd);
	long ret;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		ret = arg > 0x7fffffff ? -EINVAL
		      : fd_dup(fd, 0, cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0,
			       (int)arg, false);
		break;
	case F_GETFD:
		ret = fd_get_cloexec(fd);
		if (ret > 0)
			ret = FD_CLOEXEC;
		break;
	case F_SETFD:
		ret = fd_set_cloexec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		ret = file_flags(f);
		if (f->fmode & FMODE_PATH)
			ret = O_PATH | (ret & (O_DIRECTORY | O_NOFOLLOW));
		break;
	case F_SETFL:
		ret = (f->fmode & FMODE_PATH) ? -EBADF : fcntl_setfl(f, arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		ret = (f->fmode & FMODE_PATH) ? -EBADF
		      : fcntl_lock(f, cmd, (uaddr_t)arg);
		break;
	case F_GETOWN:
	case F_GETSIG:
		ret = 0;
		break;
	case F_SETOWN:
	case F_SETSIG:
		ret = 0;                /* TODO: SIGIO delivery */
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		ret = pipe_fcntl(f, (int)cmd, arg);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		ret = (f->fmode & FMODE_PATH) ? -EBADF : memfd_fcntl(f, cmd, arg);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	file_put(f);
	return ret;
}

SYSCALL_DEFINE2(flock, int, fd, unsigned, cmd)
{
	struct file *f = fd_get_io(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = locks_flock(f, cmd);
	file_put(f);
	return ret;
}

static long do_pipe2(uaddr_t ufds, int flags)
{
	struct file *files[2];
	int fds[2], err;

	err = pipe_create(files, flags);
	if (err)
		return err;
	fds[0] = fd_install(files[0], flags & O_CLOEXEC);
	if (fds[0] < 0) {
		file_put(files[0]);
		file_put(files[1]);
		return fds[0];
	}
	fds[1] = fd_install(files[1], flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		file_put(files[1]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(pipe, uaddr_t, fds)
{
	return do_pipe2(fds, 0);
}

SYSCALL_DEFINE2(pipe2, uaddr_t, fds, int, flags)
{
	return do_pipe2(fds, flags);
}

SYSCALL_DEFINE1(umask, unsigned, mask)
{
	return vfs_set_umask(mask);
}
