/*
 * stat family and statfs: Linux's x86_64 structures, pinned with static
 * assertions, filled from the inode under vfs_lock and its data_lock.
 */
#include "vfs/sys_util.h"
#include "lib/string.h"

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	int32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	int64_t st_atime, st_atime_nsec;
	int64_t st_mtime, st_mtime_nsec;
	int64_t st_ctime, st_ctime_nsec;
	int64_t unused[3];
};
STATIC_ASSERT(sizeof(struct linux_stat) == 144, "struct stat");
STATIC_ASSERT(offsetof(struct linux_stat, st_mode) == 24, "st_mode");
STATIC_ASSERT(offsetof(struct linux_stat, st_rdev) == 40, "st_rdev");
STATIC_ASSERT(offsetof(struct linux_stat, st_atime) == 72, "st_atime");

struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

struct linux_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align, stx_dio_offset_align;
	uint64_t spare3[12];
};
STATIC_ASSERT(sizeof(struct linux_statx) == 256, "struct statx");
STATIC_ASSERT(offsetof(struct linux_statx, stx_atime) == 0x40, "stx_atime");
STATIC_ASSERT(offsetof(struct linux_statx, stx_rdev_major) == 0x80, "stx_rdev");
STATIC_ASSERT(offsetof(struct linux_statx, stx_mnt_id) == 0x90, "stx_mnt_id");

struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags;
	int64_t f_spare[4];
};
STATIC_ASSERT(sizeof(struct linux_statfs) == 120, "struct statfs");
STATIC_ASSERT(offsetof(struct linux_statfs, f_fsid) == 56, "f_fsid");

#define STATX_BASIC_STATS 0x7ff
#define STATX_BTIME 0x800
#define STATX_MNT_ID 0x1000
#define STATX_RESERVED 0x80000000u

struct kstat {
	uint64_t ino, nlink, size, blocks;
	unsigned mode;
	uint32_t uid, gid;
	kdev_t dev, rdev;
	struct timespec64 atime, mtime, ctime, btime;
};

static void getattr(struct inode *inode, struct kstat *st)
{
	vfs_lock();
	st->ino = inode->ino;
	st->nlink = inode->nlink;
	st->mode = inode->mode;
	st->uid = inode->uid;
	st->gid = inode->gid;
	st->dev = inode->sb->dev;
	st->rdev = inode->rdev;
	mutex_lock(&inode->data_lock);
	if (inode->i_op && inode->i_op->getattr)
		inode->i_op->getattr(inode);
	st->size = inode->size;
	st->blocks = inode->blocks;
	st->atime = inode->atime;
	st->mtime = inode->mtime;
	st->ctime = inode->ctime;
	st->btime = inode->btime;
	mutex_unlock(&inode->data_lock);
	vfs_unlock();
}

/* The inode named by (dirfd, path, flags), or the file of dirfd. */
static int stat_target(int dirfd, uaddr_t upath, int flags, struct kstat *st)
{
	struct path p;
	char *name;
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	int err;

	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	err = getname(upath, &name);
	if (err)
		return err;
	if (name[0] == '\0' && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		struct file *f = fd_get(dirfd);

		kfree(name);
		if (!f)
			return -EBADF;
		getattr(f->inode, st);  /* pipes have no path */
		file_put(f);
		return 0;
	}
	err = vfs_lookup(dirfd, name, lf, &p);
	kfree(name);
	if (err)
		return err;
	getattr(p.dentry->inode, st);
	path_put(&p);
	return 0;
}

static int put_stat(const struct kstat *k, uaddr_t ubuf)
{
	struct linux_stat s;

	memset(&s, 0, sizeof(s));
	s.st_dev = dev_encode(k->dev);
	s.st_ino = k->ino;
	s.st_nlink = k->nlink;
	s.st_mode = k->mode;
	s.st_uid = k->uid;
	s.st_gid = k->gid;
	s.st_rdev = dev_encode(k->rdev);
	s.st_size = (int64_t)k->size;
	s.st_blksize = 4096;
	s.st_blocks = (int64_t)k->blocks;
	s.st_atime = k->atime.tv_sec;
	s.st_atime_nsec = k->atime.tv_nsec;
	s.st_mtime = k->mtime.tv_sec;
	s.st_mtime_nsec = k->mtime.tv_nsec;
	s.st_ctime = k->ctime.tv_sec;
	s.st_ctime_nsec = k->ctime.tv_nsec;
	return copy_to_user(ubuf, &s, sizeof(s));
}

static long do_stat(int dirfd, uaddr_t path, uaddr_t buf, int flags)
{
	struct kstat k;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	err = stat_target(dirfd, path, flags, &k);
	return err ? err : put_stat(&k, buf);
}

SYSCALL_DEFINE2(stat, uaddr_t, path, uaddr_t, buf)
{
	return do_stat(AT_FDCWD, path, buf, 0);
}

SYSCALL_DEFINE2(lstat, uaddr_t, path, uaddr_t, buf)
{
	return do_stat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE4(newfstatat, int, dirfd, uaddr_t, path, uaddr_t, buf, int, flags)
{
	return do_stat(dirfd, path, buf, flags);
}

SYSCALL_DEFINE2(fstat, int, fd, uaddr_t, buf)
{
	struct file *f = fd_get(fd);
	struct kstat k;

	if (!f)
		return -EBADF;
	getattr(f->inode, &k);
	file_put(f);
	return put_stat(&k, buf);
}

static void put_ts(struct statx_timestamp *t, const struct timespec64 *ts)
{
	t->tv_sec = ts->tv_sec;
	t->tv_nsec = (uint32_t)ts->tv_nsec;
}

SYSCALL_DEFINE5(statx, int, dirfd, uaddr_t, path, int, flags, unsigned, mask,
		uaddr_t, buf)
{
	struct linux_statx x;
	struct kstat k;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX_RESERVED)
		return -EINVAL;
	err = stat_target(dirfd, path, flags, &k);
	if (err)
		return err;
	memset(&x, 0, sizeof(x));
	x.stx_mask = STATX_BASIC_STATS | STATX_BTIME;
	x.stx_blksize = 4096;
	x.stx_nlink = (uint32_t)k.nlink;
	x.stx_uid = k.uid;
	x.stx_gid = k.gid;
	x.stx_mode = (uint16_t)k.mode;
	x.stx_ino = k.ino;
	x.stx_size = k.size;
	x.stx_blocks = k.blocks;
	put_ts(&x.stx_atime, &k.atime);
	put_ts(&x.stx_btime, &k.btime);
	put_ts(&x.stx_ctime, &k.ctime);
	put_ts(&x.stx_mtime, &k.mtime);
	x.stx_rdev_major = MAJOR(k.rdev);
	x.stx_rdev_minor = MINOR(k.rdev);
	x.stx_dev_major = MAJOR(k.dev);
	x.stx_dev_minor = MINOR(k.dev);
	return copy_to_user(buf, &x, sizeof(x));
}

static int put_statfs(const struct statfs_info *st, kdev_t dev, uaddr_t ubuf)
{
	struct linux_statfs s;

	memset(&s, 0, sizeof(s));
	s.f_type = (int64_t)st->type;
	s.f_bsize = (int64_t)st->bsize;
	s.f_blocks = st->blocks;
	s.f_bfree = st->bfree;
	s.f_bavail = st->bavail;
	s.f_files = st->files;
	s.f_ffree = st->ffree;
	s.f_fsid[0] = (int32_t)dev_encode(dev);
	s.f_namelen = (int64_t)st->namelen;
	s.f_frsize = (int64_t)st->bsize;
	s.f_flags = (int64_t)st->flags;
	return copy_to_user(ubuf, &s, sizeof(s));
}

SYSCALL_DEFINE2(statfs, uaddr_t, upath, uaddr_t, buf)
{
	struct statfs_info st;
	struct path p;
	char *name;
	int err = getname(upath, &name);

	if (err)
		return err;
	err = vfs_lookup(AT_FDCWD, name, LOOKUP_FOLLOW, &p);
	kfree(name);
	if (err)
		return err;
	err = vfs_statfs(&p, &st);
	if (!err)
		err = put_statfs(&st, p.dentry->sb->dev, buf);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(fstatfs, int, fd, uaddr_t, buf)
{
	struct file *f = fd_get(fd);
	struct statfs_info st;
	struct path p;
	int err;

	if (!f)
		return -EBADF;
	p = f->path;
	if (!p.dentry) {                /* a file without a path */
		memset(&st, 0, sizeof(st));
		st.type = f->inode->sb->magic;
		st.bsize = 4096;
		st.namelen = NAME_MAX;
		err = put_statfs(&st, f->inode->sb->dev, buf);
	} else {
		err = vfs_statfs(&p, &st);
		if (!err)
			err = put_statfs(&st, p.dentry->sb->dev, buf);
	}
	file_put(f);
	return err;
}
