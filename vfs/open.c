/*
 * open(2): resolve or create the file, check the open mode against the
 * file's permissions and its mount, then build the struct file and call
 * the file's ->open (drivers, FIFOs) with vfs_lock released, since a FIFO
 * open may block until the other end appears.
 *
 * O_CREAT resolves the parent and then the last component by hand, so a
 * dangling final symlink gets its target created (as Linux does) and
 * O_EXCL never follows one.
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "process/process.h"

static const struct file_operations path_only_fops;

/* Create a regular file for O_CREAT in directory nd->cur (vfs_lock). */
static int create_last(struct nameidata *nd, unsigned mode, struct path *out)
{
	struct dentry *dir = nd->cur.dentry, *d;
	int err;

	err = vfs_may_create(nd);
	if (err)
		return err;
	if (!dir->inode->i_op || !dir->inode->i_op->create)
		return -EACCES;
	d = d_alloc(dir, nd->last, nd->last_len);
	if (!d)
		return -ENOMEM;
	err = dir->inode->i_op->create(dir->inode, d,
				       S_IFREG | (mode & ~vfs_umask() & 07777), 0);
	if (!err) {
		d_add(d);
		fsnotify_create(d);
	}
	dput(d);                        /* the tree holds it now */
	if (!err) {
		out->mnt = nd->cur.mnt;
		out->dentry = d;
	}
	return err;
}

static int open_creat(struct nameidata *nd, const char *name, int flags,
		      unsigned mode, struct path *out, bool *created)
{
	const char *s = name;
	struct path child;
	int err;

	for (;;) {
		err = namei_walk_parent(nd, s);
		if (err)
			return err;
		if (nd->last_type != LAST_NORM || nd->trailing_slash)
			return -EISDIR;
		err = namei_lookup_one(nd, nd->last, nd->last_len, &child);
		if (err == -ENOENT) {
			*created = true;
			return create_last(nd, mode, out);
		}
		if (err)
			return err;
		if (flags & O_EXCL)
			return -EEXIST;
		if (!S_ISLNK(child.dentry->inode->mode)) {
			*out = child;
			return S_ISDIR(child.dentry->inode->mode) ? -EISDIR : 0;
		}
		if (flags & O_NOFOLLOW)
			return -ELOOP;
		if (++nd->links > MAXSYMLINKS)
			return -ELOOP;
		if (child.dentry->inode->i_op->jump_link) {
			/* A magic link opens the object itself. */
			err = child.dentry->inode->i_op->jump_link(
				child.dentry->inode, out);
			if (err)
				return err;
			return S_ISDIR(out->dentry->inode->mode) ? -EISDIR : 0;
		}
		s = child.dentry->inode->i_op->get_link(child.dentry->inode);
		if (IS_ERR(s))
			return (int)PTR_ERR(s);
		if (!s || !*s)
			return -ENOENT;
	}
}

/* Access checks for opening @p (vfs_lock held). */
static int may_open(const struct path *p, int flags, bool created)
{
	struct inode *inode = p->dentry->inode;
	int acc = flags & O_ACCMODE, mask = 0;

	if (flags & O_PATH)
		return 0;
	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if (S_ISSOCK(inode->mode))
		return -ENXIO;
	if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (acc == O_RDONLY || acc == O_RDWR || acc == 3)
		mask |= MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR || acc == 3 ||
	    ((flags & O_TRUNC) && S_ISREG(inode->mode)))
		mask |= MAY_WRITE;
	if ((S_ISCHR(inode->mode) || S_ISBLK(inode->mode)) &&
	    (p->mnt->flags & MS_NODEV))
		return -EACCES;
	if ((mask & MAY_WRITE) && mount_readonly(p->mnt) &&
	    (S_ISREG(inode->mode) || S_ISDIR(inode->mode) ||
	     S_ISLNK(inode->mode)))
		return -EROFS;
	if (created)
		return 0;
	return inode_permission(inode, mask);
}

static unsigned open_fmode(int flags, unsigned mode)
{
	int acc = flags & O_ACCMODE;
	unsigned fmode = 0;

	if (flags & O_PATH)
		return FMODE_PATH;
	if (acc == O_RDONLY || acc == O_RDWR)
		fmode |= FMODE_READ;
	if (acc == O_WRONLY || acc == O_RDWR)
		fmode |= FMODE_WRITE;
	if (S_ISREG(mode) || S_ISDIR(mode) || S_ISBLK(mode))
		fmode |= FMODE_ATOMIC_POS | FMODE_PREAD;
	if (S_ISCHR(mode))
		fmode |= FMODE_PREAD;
	return fmode;
}

/* Does opening @p with @flags count as a writer of its mount (what a
 * remount read-only waits for)?  Device nodes, FIFOs, sockets do not. */
static bool open_is_writer(const struct path *p, int flags)
{
	unsigned mode = p->dentry->inode->mode;
	int acc = flags & O_ACCMODE;

	return !(flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR) &&
	       (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode));
}

/* Build the file for the referenced path @p (consumed) and open it;
 * @writer: the mount's writer count was raised for it. */
static struct file *open_finish(struct path *p, int flags, bool created,
				bool writer)
{
	struct inode *inode = p->dentry->inode;
	const struct file_operations *ops =
		(flags & O_PATH) ? &path_only_fops : inode->f_op;
	struct file *f = file_alloc(p, inode, flags, ops);
	int err;

	if (!f) {
		if (writer) {
			vfs_lock();
			p->mnt->writers--;
			vfs_unlock();
		}
		path_put(p);
		return ERR_PTR(-ENOMEM);
	}
	f->fmode = open_fmode(flags, inode->mode) | (writer ? FMODE_WRITER : 0);
	if (flags & O_PATH)
		return f;
	if (f->ops && f->ops->open) {
		err = f->ops->open(inode, f);
		if (err) {
			f->ops = NULL;  /* never opened: no ->release */
			file_put(f);
			return ERR_PTR(err);
		}
	}
	fsnotify_open(f);
	/* O_TRUNC after the open, as Linux (inotify sees IN_OPEN first). */
	if ((flags & O_TRUNC) && S_ISREG(inode->mode) && !created &&
	    (f->fmode & FMODE_WRITE)) {
		err = vfs_ftruncate(f, 0);
		if (err) {
			file_put(f);
			return ERR_PTR(err);
		}
	}
	return f;
}

struct file *vfs_open(int dirfd, const char *name, int flags, unsigned mode)
{
	struct nameidata nd;
	struct path p;
	unsigned lf = 0;
	bool created = false, writer = false;
	int err;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return ERR_PTR(-EOPNOTSUPP);
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return ERR_PTR(-EINVAL);
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if (!(flags & O_NOFOLLOW))
		lf |= LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		lf |= LOOKUP_DIRECTORY;
	vfs_lock();
	err = namei_start(&nd, dirfd, name, lf);
	if (err)
		goto out;
	if (flags & O_CREAT) {
		err = open_creat(&nd, name, flags, mode, &p, &created);
	} else {
		err = namei_walk(&nd, name);
		p = nd.cur;
		if (!err && S_ISLNK(p.dentry->inode->mode) && !(flags & O_PATH))
			err = -ELOOP;
	}
	if (!err)
		err = may_open(&p, flags, created);
	if (!err) {
		path_get_locked(&p);
		writer = open_is_writer(&p, flags);
		if (writer)
			p.mnt->writers++;
	}
out:
	vfs_unlock();
	if (err)
		return ERR_PTR(err);
	return open_finish(&p, flags, created, writer);
}

struct file *vfs_open_path(const struct path *p, int flags)
{
	struct path ref = *p;
	bool writer = false;
	int err;

	vfs_lock();
	err = may_open(p, flags, false);
	if (!err) {
		path_get_locked(&ref);
		writer = open_is_writer(p, flags);
		if (writer)
			ref.mnt->writers++;
	}
	vfs_unlock();
	if (err)
		return ERR_PTR(err);
	return open_finish(&ref, flags, false, writer);
}
