/*
 * Attribute changes and per-process directory state: chmod, chown,
 * truncate, utimensat, access, chdir, chroot, getcwd, statfs, getdents.
 * The rules are Linux's (chmod(2), chown(2), truncate(2), utimensat(2),
 * access(2)): the owner or root changes modes and times, only root gives
 * files away, non-root chmod drops S_ISGID outside the caller's groups,
 * chown clears set-id bits.
 *
 * Metadata is [V] (vfs_lock); size and times also take the inode's
 * data_lock.
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "process/process.h"

void inode_setattr_generic(struct inode *inode, const struct iattr *attr)
{
	struct timespec64 now;

	vfs_now(&now);
	if (attr->valid & ATTR_MODE)
		inode->mode = (inode->mode & S_IFMT) | (attr->mode & S_IALLUGO);
	if (attr->valid & ATTR_UID)
		inode->uid = attr->uid;
	if (attr->valid & ATTR_GID)
		inode->gid = attr->gid;
	mutex_lock(&inode->data_lock);
	if (attr->valid & ATTR_ATIME)
		inode->atime = attr->atime;
	if (attr->valid & ATTR_MTIME)
		inode->mtime = attr->mtime;
	inode->ctime = now;
	mutex_unlock(&inode->data_lock);
}

/* Apply a checked @attr through the file system (vfs_lock held) and
 * tell inotify; @d is the inode's dentry (NULL for pathless files). */
static int notify_change(struct dentry *d, struct inode *inode,
			 const struct iattr *attr)
{
	int err = memfd_check_setattr(inode, attr);

	if (err)
		return err;
	if (inode->i_op && inode->i_op->setattr)
		err = inode->i_op->setattr(inode, attr);
	else if (attr->valid & ATTR_SIZE)
		err = -EINVAL;
	else
		inode_setattr_generic(inode, attr);
	if (!err)
		fsnotify_change(d, inode, attr->valid);
	return err;
}

int vfs_setattr(const struct path *p, struct iattr *attr)
{
	int err;

	vfs_lock();
	if (p->mnt && mount_readonly(p->mnt))
		err = -EROFS;
	else
		err = notify_change(p->dentry, p->dentry->inode, attr);
	vfs_unlock();
	return err;
}

int vfs_chmod(const struct path *p, unsigned mode)
{
	struct inode *inode = p->dentry->inode;
	struct iattr a = { .valid = ATTR_MODE | ATTR_CTIME };
	int err;

	vfs_lock();
	if (mount_readonly(p->mnt)) {
		err = -EROFS;
		goto out;
	}
	if (!inode_owner_or_capable(inode)) {
		err = -EPERM;
		goto out;
	}
	a.mode = mode & S_IALLUGO;
	if (!capable_fsetid() && !cred_in_group(inode->gid))
		a.mode &= ~S_ISGID;
	err = notify_change(p->dentry, inode, &a);
out:
	vfs_unlock();
	return err;
}

int vfs_chown(const struct path *p, int64_t uid, int64_t gid)
{
	struct inode *inode = p->dentry->inode;
	const struct cred *c = current_cred();
	struct iattr a = { .valid = ATTR_CTIME };
	int err = 0;

	vfs_lock();
	if (mount_readonly(p->mnt)) {
		err = -EROFS;
		goto out;
	}
	if (uid != -1) {
		if (c->fsuid != 0 && !(c->fsuid == inode->uid &&
				       (uint32_t)uid == inode->uid))
			err = -EPERM;
		a.valid |= ATTR_UID;
		a.uid = (uint32_t)uid;
	}
	if (gid != -1) {
		if (c->fsuid != 0 && !(c->fsuid == inode->uid &&
				       ((uint32_t)gid == inode->gid ||
					cred_in_group((uint32_t)gid))))
			err = -EPERM;
		a.valid |= ATTR_GID;
		a.gid = (uint32_t)gid;
	}
	if (err)
		goto out;
	if ((a.valid & (ATTR_UID | ATTR_GID)) && !S_ISDIR(inode->mode)) {
		a.valid |= ATTR_MODE;
		a.mode = inode->mode & ~S_ISUID;
		if (inode->mode & 0010)
			a.mode &= ~S_ISGID;
	}
	err = notify_change(p->dentry, inode, &a);
out:
	vfs_unlock();
	return err;
}

static int truncate_locked(struct dentry *d, struct inode *inode,
			   int64_t length)
{
	struct iattr a = { .valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME };

	if (length < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	a.size = (uint64_t)length;
	vfs_now(&a.mtime);
	return notify_change(d, inode, &a);
}

int vfs_truncate_path(const struct path *p, int64_t length)
{
	struct inode *inode = p->dentry->inode;
	int err;

	vfs_lock();
	if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->mode))
		err = -EINVAL;
	else if ((err = inode_permission(inode, MAY_WRITE)) != 0)
		;
	else if (mount_readonly(p->mnt))
		err = -EROFS;
	else
		err = truncate_locked(p->dentry, inode, length);
	vfs_unlock();
	return err;
}

int vfs_ftruncate(struct file *f, int64_t length)
{
	int err;

	if (length < 0)
		return -EINVAL;
	if (!(f->fmode & FMODE_WRITE) || !S_ISREG(f->inode->mode))
		return -EINVAL;
	vfs_lock();
	err = truncate_locked(f->path.dentry, f->inode, length);
	vfs_unlock();
	return err;
}

int vfs_utimes(const struct path *p, const struct timespec64 *times)
{
	struct inode *inode = p->dentry->inode;
	struct iattr a = { .valid = ATTR_CTIME };
	struct timespec64 now;
	bool only_now = !times || (times[0].tv_nsec == UTIME_NOW &&
				   times[1].tv_nsec == UTIME_NOW);
	int err = 0;

	vfs_now(&now);
	for (int i = 0; i < 2; i++) {
		struct timespec64 t = times ? times[i] : now;

		if (times && t.tv_nsec == UTIME_OMIT)
			continue;
		if (times && t.tv_nsec == UTIME_NOW)
			t = now;
		else if (t.tv_nsec < 0 || t.tv_nsec > 999999999)
			return -EINVAL;
		if (i == 0) {
			a.valid |= ATTR_ATIME;
			a.atime = t;
		} else {
			a.valid |= ATTR_MTIME;
			a.mtime = t;
		}
	}
	vfs_lock();
	if (p->mnt && mount_readonly(p->mnt))
		err = -EROFS;
	else if (!inode_owner_or_capable(inode))
		err = only_now ? (inode_permission(inode, MAY_WRITE) ? -EACCES : 0)
			       : -EPERM;
	if (!err && a.valid != ATTR_CTIME)
		err = notify_change(p->dentry, inode, &a);
	vfs_unlock();
	return err;
}

int vfs_access(int dirfd, const char *name, int mode, int flags)
{
	const struct cred *c = current_cred();
	struct nameidata nd;
	struct inode *inode;
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	int err;

	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	vfs_lock();
	err = namei_start(&nd, dirfd, name, lf);
	if (!err)
		err = namei_walk(&nd, name);
	if (err || mode == 0)
		goto out;
	inode = nd.cur.dentry->inode;
	if (flags & AT_EACCESS)
		err = inode_permission_ids(inode, mode, c->euid, c->egid,
					   c->euid == 0);
	else
		err = inode_permission_ids(inode, mode, c->uid, c->gid,
					   c->uid == 0);
	if (!err && (mode & MAY_WRITE) && mount_readonly(nd.cur.mnt) &&
	    (S_ISREG(inode->mode) || S_ISDIR(inode->mode) ||
	     S_ISLNK(inode->mode)))
		err = -EROFS;
	if (!err && (mode & MAY_EXEC) && S_ISREG(inode->mode) &&
	    (nd.cur.mnt->flags & MS_NOEXEC))
		err = -EACCES;
out:
	vfs_unlock();
	return err;
}

static int set_fs_path(const struct path *p, bool root)
{
	struct process *proc = current_process();
	struct path old;
	int err;

	vfs_lock();
	if (!S_ISDIR(p->dentry->inode->mode)) {
		err = -ENOTDIR;
		goto out;
	}
	err = inode_permission(p->dentry->inode, MAY_EXEC);
	if (err || !proc || !proc->fs)
		goto out;
	old = root ? proc->fs->root : proc->fs->cwd;
	path_get_locked(p);
	if (root)
		proc->fs->root = *p;
	else
		proc->fs->cwd = *p;
	path_put_locked(&old);
out:
	vfs_unlock();
	return err;
}

int vfs_chdir(const struct path *p)
{
	return set_fs_path(p, false);
}

int vfs_chroot(const struct path *p)
{
	if (current_cred()->euid != 0)
		return -EPERM;                  /* CAP_SYS_CHROOT */
	return set_fs_path(p, true);
}

int vfs_getcwd(char *buf, size_t size)
{
	struct path cwd, root;
	long n;

	vfs_lock();
	namei_current_cwd(&cwd);
	namei_current_root(&root);
	if (!cwd.dentry->linked && cwd.dentry != cwd.mnt->root)
		n = -ENOENT;            /* removed */
	else
		n = d_path(&cwd, &root, buf, size);
	vfs_unlock();
	if (n == -ENAMETOOLONG)
		n = -ERANGE;
	return n < 0 ? (int)n : (int)n + 1;
}

/* statfs f_flags (ST_*) from the mount's and the super block's flags. */
#define ST_VALID 0x0020
int vfs_statfs(const struct path *p, struct statfs_info *st)
{
	struct super_block *sb = p->dentry->sb;
	unsigned long mf;
	int err = 0;

	memset(st, 0, sizeof(*st));
	vfs_lock();
	mf = p->mnt ? p->mnt->flags : 0;
	st->type = sb->magic;
	st->bsize = 4096;
	st->namelen = NAME_MAX;
	if (sb->ops && sb->ops->statfs)
		err = sb->ops->statfs(sb, st);
	/* ST_* values are MS_* ones, except ST_RELATIME and ST_NOSYMFOLLOW. */
	st->flags = ST_VALID | (mf & (MS_RDONLY | MS_NOSUID | MS_NODEV |
				      MS_NOEXEC | MS_NOATIME | MS_NODIRATIME)) |
		    ((mf & MS_RELATIME) ? 0x1000 : 0) |
		    ((mf & MS_NOSYMFOLLOW) ? 0x2000 : 0) |
		    (sb->flags & (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK));
	vfs_unlock();
	return err;
}

int vfs_iterate_dir(struct file *f, struct dir_context *ctx)
{
	int err;

	if (f->fmode & FMODE_PATH)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode) || !f->ops || !f->ops->iterate)
		return -ENOTDIR;
	err = f->ops->iterate(f, ctx);
	if (err >= 0)
		fsnotify_access(f);
	return err;
}

static bool ts_le(const struct timespec64 *a, const struct timespec64 *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/* Linux's relatime: the atime moves only when it is not newer than the
 * mtime or ctime, or is a day old. */
static bool relatime_due(const struct inode *inode,
			 const struct timespec64 *now)
{
	return ts_le(&inode->atime, &inode->mtime) ||
	       ts_le(&inode->atime, &inode->ctime) ||
	       now->tv_sec - inode->atime.tv_sec >= 24 * 60 * 60;
}

void file_accessed(struct file *f)
{
	struct inode *inode = f->inode;
	struct mount *m = f->path.mnt;
	struct timespec64 now;

	if (f->flags & O_NOATIME)
		return;
	if (m) {
		unsigned long mf = READ_ONCE(m->flags);

		if ((mf & MS_NOATIME) || mount_readonly(m) ||
		    ((mf & MS_NODIRATIME) && S_ISDIR(inode->mode)))
			return;
		vfs_now(&now);
		if ((mf & MS_RELATIME) && !relatime_due(inode, &now))
			return;
	} else {
		vfs_now(&now);
	}
	inode->atime = now;
}
