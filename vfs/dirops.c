/*
 * Namespace operations: mkdir, mknod, unlink, rmdir, symlink, link,
 * rename, readlink.  Each resolves the parent directory of the last
 * component (namei_walk_parent), looks that component up, applies
 * Linux's checks in Linux's order (existence, type, permission on the
 * directory, sticky bit, mount points, read-only mounts) and then lets
 * the file system change itself before the dentry tree follows.
 *
 * All of it runs under vfs_lock (see vfs.h), which also makes rename's
 * ancestry check and the two-directory update atomic.
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"

/* Search+write on a directory that still exists, on a writable mount. */
int vfs_may_create(struct nameidata *nd)
{
	int err = inode_permission(nd->cur.dentry->inode, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	if (nd->cur.dentry->inode->nlink == 0)
		return -ENOENT;         /* removed directory (Linux IS_DEADDIR) */
	if (mount_readonly(nd->cur.mnt))
		return -EROFS;
	return 0;
}

/*
 * Resolve the parent of @name and make sure the last component does not
 * exist; on success *dp is a fresh negative dentry (one reference).
 */
static int prepare_create(struct nameidata *nd, int dirfd, const char *name,
			  bool is_dir, struct dentry **dp)
{
	struct path child;
	int err;

	err = namei_start(nd, dirfd, name, 0);
	if (!err)
		err = namei_walk_parent(nd, name);
	if (err)
		return err;
	if (nd->last_type != LAST_NORM)
		return -EEXIST;
	err = namei_lookup_one(nd, nd->last, nd->last_len, &child);
	if (err == 0)
		return -EEXIST;
	if (err != -ENOENT)
		return err;
	if (nd->trailing_slash && !is_dir)
		return -ENOENT;
	err = vfs_may_create(nd);
	if (err)
		return err;
	*dp = d_alloc(nd->cur.dentry, nd->last, nd->last_len);
	return *dp ? 0 : -ENOMEM;
}

/* Link @d after the file system created it (or drop it on error). */
static int finish_create(struct dentry *d, int err)
{
	if (!err) {
		d_add(d);
		fsnotify_create(d);
	}
	dput(d);
	return err;
}

/*
 * The name @victim is gone from @dir (vfs_lock held): unlink the dentry
 * and tell inotify in Linux's order (d_delete_notify): IN_DELETE_SELF
 * first if nobody else uses the dentry (else when the last user lets go,
 * see d_free), then IN_DELETE in the directory.
 */
static void d_delete_notify(struct inode *dir, struct dentry *victim)
{
	struct inode *inode = victim->inode;

	dget(victim);
	d_drop(victim);
	if (victim->refcount == 1 && inode->nlink == 0)
		fsnotify_inode_removed(inode);
	fsnotify_delete(dir, victim, S_ISDIR(inode->mode));
	dput(victim);
}

int vfs_mkdir(int dirfd, const char *name, unsigned mode)
{
	struct nameidata nd;
	struct dentry *d;
	struct inode *dir;
	int err;

	vfs_lock();
	err = prepare_create(&nd, dirfd, name, true, &d);
	if (err)
		goto out;
	dir = nd.cur.dentry->inode;
	err = dir->i_op && dir->i_op->mkdir
	      ? dir->i_op->mkdir(dir, d, S_IFDIR | (mode & ~vfs_umask() & 01777))
	      : -EPERM;
	err = finish_create(d, err);
out:
	vfs_unlock();
	return err;
}

static int do_mknod(int dirfd, const char *name, unsigned mode, kdev_t dev,
		    struct path *out)
{
	struct nameidata nd;
	struct dentry *d;
	struct inode *dir;
	unsigned type = mode & S_IFMT;
	int err;

	if (type == 0)
		type = S_IFREG;
	if (type == S_IFDIR)
		return -EPERM;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK &&
	    type != S_IFIFO && type != S_IFSOCK)
		return -EINVAL;
	if ((type == S_IFCHR || type == S_IFBLK) && current_cred()->euid != 0)
		return -EPERM;                  /* CAP_MKNOD */
	vfs_lock();
	err = prepare_create(&nd, dirfd, name, false, &d);
	if (err)
		goto out;
	dir = nd.cur.dentry->inode;
	if (!(type == S_IFCHR || type == S_IFBLK))
		dev = 0;
	err = dir->i_op && dir->i_op->create
	      ? dir->i_op->create(dir, d, type | (mode & ~vfs_umask() & 07777), dev)
	      : -EPERM;
	if (!err && out) {
		out->mnt = nd.cur.mnt;
		out->dentry = d;
		path_get_locked(out);
	}
	err = finish_create(d, err);
out:
	vfs_unlock();
	return err;
}

int vfs_mknod(int dirfd, const char *name, unsigned mode, kdev_t dev)
{
	return do_mknod(dirfd, name, mode, dev, NULL);
}

int vfs_mknod_path(int dirfd, const char *name, unsigned mode,
		   struct path *out)
{
	unsigned type = mode & S_IFMT;

	if (type != S_IFSOCK && type != S_IFIFO)
		return -EINVAL;
	return do_mknod(dirfd, name, mode, 0, out);
}

int vfs_unlink_path(const struct path *p)
{
	struct dentry *d = p->dentry;
	struct inode *dir;
	int err = 0;

	vfs_lock();
	if (d->linked && d->parent != d) {
		dir = d->parent->inode;
		err = dir->i_op && dir->i_op->unlink
		      ? dir->i_op->unlink(dir, d) : -EPERM;
		if (!err)
			d_drop(d);
	}
	vfs_unlock();
	return err;
}

int vfs_symlink(const char *target, int dirfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d;
	struct inode *dir;
	int err;

	if (target[0] == '\0')
		return -ENOENT;
	if (strnlen(target, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	vfs_lock();
	err = prepare_create(&nd, dirfd, name, false, &d);
	if (err)
		goto out;
	dir = nd.cur.dentry->inode;
	err = dir->i_op && dir->i_op->symlink
	      ? dir->i_op->symlink(dir, d, target) : -EPERM;
	err = finish_create(d, err);
out:
	vfs_unlock();
	return err;
}

int vfs_link(int olddirfd, const char *oldname, int newdirfd,
	     const char *newname, int flags)
{
	struct nameidata ond, nnd;
	struct dentry *d;
	struct inode *dir;
	unsigned lf = 0;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	vfs_lock();
	err = namei_start(&ond, olddirfd, oldname, lf);
	if (!err)
		err = namei_walk(&ond, oldname);
	if (err)
		goto out;
	if (S_ISDIR(ond.cur.dentry->inode->mode)) {
		err = -EPERM;
		goto out;
	}
	err = prepare_create(&nnd, newdirfd, newname, false, &d);
	if (err)
		goto out;
	dir = nnd.cur.dentry->inode;
	if (nnd.cur.mnt != ond.cur.mnt)
		err = -EXDEV;
	else if (ond.cur.dentry->inode->nlink == 0)
		err = -ENOENT;
	else
		err = dir->i_op && dir->i_op->link
		      ? dir->i_op->link(ond.cur.dentry, dir, d) : -EPERM;
	if (!err)
		fsnotify_link_count(ond.cur.dentry->inode);
	err = finish_create(d, err);
out:
	vfs_unlock();
	return err;
}

/* Resolve the parent and the existing last component for removal. */
static int prepare_remove(struct nameidata *nd, int dirfd, const char *name,
			  struct path *victim)
{
	int err = namei_start(nd, dirfd, name, 0);

	if (!err)
		err = namei_walk_parent(nd, name);
	if (err)
		return err;
	if (nd->last_type != LAST_NORM)
		return 1;               /* caller maps the special names */
	return namei_lookup_one(nd, nd->last, nd->last_len, victim);
}

static int may_delete(struct nameidata *nd, struct dentry *victim)
{
	int err = inode_permission(nd->cur.dentry->inode, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	err = may_delete_sticky(nd->cur.dentry->inode, victim->inode);
	if (err)
		return err;
	if (victim->mounted)
		return -EBUSY;
	if (mount_readonly(nd->cur.mnt))
		return -EROFS;
	return 0;
}

int vfs_unlink(int dirfd, const char *name)
{
	struct nameidata nd;
	struct path v;
	struct inode *dir;
	int err;

	vfs_lock();
	err = prepare_remove(&nd, dirfd, name, &v);
	if (err == 1)
		err = -EISDIR;
	if (err)
		goto out;
	if (v.mnt != nd.cur.mnt) {              /* a mount point */
		err = -EBUSY;
		goto out;
	}
	if (S_ISDIR(v.dentry->inode->mode)) {
		err = -EISDIR;
		goto out;
	}
	if (nd.trailing_slash) {
		err = -ENOTDIR;
		goto out;
	}
	err = may_delete(&nd, v.dentry);
	if (err)
		goto out;
	dir = nd.cur.dentry->inode;
	err = dir->i_op && dir->i_op->unlink
	      ? dir->i_op->unlink(dir, v.dentry) : -EPERM;
	if (!err) {
		fsnotify_link_count(v.dentry->inode);
		d_delete_notify(dir, v.dentry);
	}
out:
	vfs_unlock();
	return err;
}

static bool dir_is_empty(struct dentry *d)
{
	struct list_node *pos;

	list_for_each(pos, &d->children)
		if (list_entry(pos, struct dentry, child_node)->inode)
			return false;
	return true;
}

int vfs_rmdir(int dirfd, const char *name)
{
	struct nameidata nd;
	struct path v;
	struct inode *dir;
	int err;

	vfs_lock();
	err = prepare_remove(&nd, dirfd, name, &v);
	if (err == 1)
		err = nd.last_type == LAST_DOT ? -EINVAL
		      : nd.last_type == LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
	if (err)
		goto out;
	if (v.mnt != nd.cur.mnt) {
		err = -EBUSY;
		goto out;
	}
	if (!S_ISDIR(v.dentry->inode->mode)) {
		err = -ENOTDIR;
		goto out;
	}
	err = may_delete(&nd, v.dentry);
	if (err)
		goto out;
	if (!dir_is_empty(v.dentry)) {
		err = -ENOTEMPTY;
		goto out;
	}
	dir = nd.cur.dentry->inode;
	err = dir->i_op && dir->i_op->rmdir
	      ? dir->i_op->rmdir(dir, v.dentry) : -EPERM;
	if (!err)
		d_delete_notify(dir, v.dentry);
out:
	vfs_unlock();
	return err;
}

static bool is_ancestor(struct dentry *anc, struct dentry *d)
{
	for (;;) {
		if (d == anc)
			return true;
		if (d->parent == d)
			return false;
		d = d->parent;
	}
}

/* Checks of rename(2) once both ends are resolved (vfs_lock held). */
static int rename_checks(struct nameidata *o, struct dentry *od,
			 struct nameidata *n, struct dentry *nd, unsigned flags)
{
	bool odir = S_ISDIR(od->inode->mode);
	int err;

	if (flags & RENAME_EXCHANGE) {
		if (!nd)
			return -ENOENT;
	} else if (nd && (flags & RENAME_NOREPLACE)) {
		return -EEXIST;
	}
	if (!odir && (o->trailing_slash ||
		      (n->trailing_slash && !(nd && S_ISDIR(nd->inode->mode)))))
		return -ENOTDIR;
	if (nd && !(flags & RENAME_EXCHANGE)) {
		if (odir && !S_ISDIR(nd->inode->mode))
			return -ENOTDIR;
		if (!odir && S_ISDIR(nd->inode->mode))
			return -EISDIR;
	}
	if (odir && is_ancestor(od, n->cur.dentry))
		return -EINVAL;
	if (nd && (flags & RENAME_EXCHANGE) && S_ISDIR(nd->inode->mode) &&
	    is_ancestor(nd, o->cur.dentry))
		return -EINVAL;
	err = may_delete(o, od);
	if (err)
		return err;
	err = nd ? may_delete(n, nd) : vfs_may_create(n);
	if (err)
		return err;
	if (odir && o->cur.dentry != n->cur.dentry) {
		err = inode_permission(od->inode, MAY_WRITE);
		if (err)
			return err;
	}
	if (nd && (flags & RENAME_EXCHANGE) && S_ISDIR(nd->inode->mode) &&
	    o->cur.dentry != n->cur.dentry) {
		err = inode_permission(nd->inode, MAY_WRITE);
		if (err)
			return err;
	}
	if (nd && !(flags & RENAME_EXCHANGE) && odir && !dir_is_empty(nd))
		return -ENOTEMPTY;
	return 0;
}

int vfs_rename(int olddirfd, const char *oldname, int newdirfd,
	       const char *newname, unsigned flags)
{
	struct nameidata o, n;
	struct path op, np;
	struct dentry *nd = NULL;
	struct inode *odir, *ndir;
	char *name1 = NULL, *name2 = NULL;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;         /* overlayfs only */
	vfs_lock();
	err = prepare_remove(&o, olddirfd, oldname, &op);
	if (err == 1)
		err = -EBUSY;
	if (err)
		goto out;
	err = namei_start(&n, newdirfd, newname, 0);
	if (!err)
		err = namei_walk_parent(&n, newname);
	if (err)
		goto out;
	if (n.last_type != LAST_NORM) {
		err = -EBUSY;
		goto out;
	}
	if (o.cur.mnt != n.cur.mnt) {
		err = -EXDEV;
		goto out;
	}
	if (op.mnt != o.cur.mnt) {
		err = -EBUSY;
		goto out;
	}
	err = namei_lookup_one(&n, n.last, n.last_len, &np);
	if (err && err != -ENOENT)
		goto out;
	if (!err) {
		if (np.mnt != n.cur.mnt) {
			err = -EBUSY;
			goto out;
		}
		nd = np.dentry;
	}
	if (nd && nd->inode == op.dentry->inode) {
		err = (flags & RENAME_NOREPLACE) ? -EEXIST : 0;
		goto out;               /* same file: nothing to do */
	}
	err = rename_checks(&o, op.dentry, &n, nd, flags);
	if (err)
		goto out;
	name1 = vfs_name_dup(n.last, n.last_len);
	name2 = vfs_name_dup(o.last, o.last_len);
	if (!name1 || !name2) {
		err = -ENOMEM;
		goto out;
	}
	odir = o.cur.dentry->inode;
	ndir = n.cur.dentry->inode;
	err = odir->i_op && odir->i_op->rename
	      ? odir->i_op->rename(odir, op.dentry, ndir, n.last,
					   n.last_len, nd, flags) : -EPERM;
	if (err)
		goto out;
	if (nd)
		dget(nd);       /* a replaced target dies after the events */
	if (nd && (flags & RENAME_EXCHANGE)) {
		d_move(nd, o.cur.dentry, name2, o.last_len);
		name2 = NULL;
	} else if (nd) {
		d_drop(nd);
	}
	d_move(op.dentry, n.cur.dentry, name1, n.last_len);
	name1 = NULL;
	fsnotify_move(odir, o.last, o.last_len, ndir, n.last, n.last_len,
		      op.dentry->inode,
		      (nd && !(flags & RENAME_EXCHANGE)) ? nd->inode : NULL);
	if (nd && (flags & RENAME_EXCHANGE))
		fsnotify_move(ndir, n.last, n.last_len, odir, o.last,
			      o.last_len, nd->inode, NULL);
	if (nd)
		dput(nd);
out:
	vfs_unlock();
	kfree(name1);
	kfree(name2);
	return err;
}

long vfs_readlink(int dirfd, const char *name, char *buf, size_t size)
{
	struct nameidata nd;
	struct inode *inode;
	const char *target;
	size_t len;
	long ret;

	vfs_lock();
	ret = namei_start(&nd, dirfd, name, LOOKUP_EMPTY);
	if (!ret)
		ret = namei_walk(&nd, name);
	if (ret)
		goto out;
	inode = nd.cur.dentry->inode;
	if (!S_ISLNK(inode->mode) || !inode->i_op || !inode->i_op->get_link) {
		ret = -EINVAL;
		goto out;
	}
	target = inode->i_op->get_link(inode);
	if (IS_ERR_OR_NULL(target)) {
		ret = target ? PTR_ERR(target) : -EINVAL;
		goto out;
	}
	len = strlen(target);
	if (len > size)
		len = size;
	memcpy(buf, target, len);
	ret = (long)len;
out:
	vfs_unlock();
	return ret;
}
