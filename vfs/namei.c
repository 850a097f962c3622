/*
 * Path resolution (path_resolution(7)).
 *
 * A walk starts at the process root (absolute paths), the cwd or a
 * directory descriptor, and consumes one component at a time: search
 * permission on each directory, "." stays, ".." goes to the parent but
 * never above the process root and leaves a mount at its root for the
 * mount point, a name is looked up in the dentry cache (then the file
 * system) and the walk enters any mount on top of it.  Symlinks in the
 * middle are always followed, a final one only with LOOKUP_FOLLOW or a
 * trailing slash; at most MAXSYMLINKS per lookup (ELOOP).  Following a
 * magic link (/proc/<pid>/fd/N, ->jump_link) continues from the object
 * the descriptor refers to, not from its name.  Components
 * longer than NAME_MAX give ENAMETOOLONG, a non-directory in the middle
 * ENOTDIR.
 *
 * Locking: the whole walk runs under vfs_lock and takes no references;
 * callers that keep the result take them (path_get_locked) before
 * unlocking.
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "process/process.h"

void namei_current_root(struct path *root)
{
	struct process *p = current_process();

	if (p && p->fs) {
		*root = p->fs->root;
	} else {
		root->mnt = root_mount;
		root->dentry = root_mount->root;
	}
}

void namei_current_cwd(struct path *cwd)
{
	struct process *p = current_process();

	if (p && p->fs)
		*cwd = p->fs->cwd;
	else
		namei_current_root(cwd);
}

int namei_fd_path(int dirfd, struct path *out, bool any)
{
	struct file *f;
	int err = 0;

	ASSERT(vfs_lock_held());
	if (dirfd == AT_FDCWD) {
		namei_current_cwd(out);
		return 0;
	}
	f = fd_get(dirfd);
	if (!f)
		return -EBADF;
	if (!f->path.mnt)
		err = any ? -ENOENT : -ENOTDIR;         /* a file without one */
	else if (!any && !S_ISDIR(f->inode->mode))
		err = -ENOTDIR;
	else
		*out = f->path;
	file_put_locked(f);     /* the table still holds it, or not: *out is
				 * then pinned by vfs_lock until the caller
				 * takes its own references */
	return err;
}

int namei_start(struct nameidata *nd, int dirfd, const char *name,
		unsigned flags)
{
	ASSERT(vfs_lock_held());
	memset(nd, 0, sizeof(*nd));
	nd->flags = flags;
	if (!root_mount)
		return -ENOENT;
	namei_current_root(&nd->root);
	if (strnlen(name, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (name[0] == '/') {
		nd->cur = nd->root;
		return 0;
	}
	if (name[0] == '\0') {
		if (!(flags & LOOKUP_EMPTY))
			return -ENOENT;
		return namei_fd_path(dirfd, &nd->cur, true);
	}
	return namei_fd_path(dirfd, &nd->cur, false);
}

static bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/* Enter the mounts stacked on @p. */
void namei_cross_mounts(struct path *p)
{
	struct mount *m;

	while ((m = mount_lookup(p->mnt, p->dentry)) != NULL) {
		p->mnt = m;
		p->dentry = m->root;
	}
}

static void go_up(struct nameidata *nd)
{
	for (;;) {
		if (path_equal(&nd->cur, &nd->root))
			return;
		if (nd->cur.dentry != nd->cur.mnt->root) {
			nd->cur.dentry = nd->cur.dentry->parent;
			break;
		}
		if (nd->cur.mnt->parent == nd->cur.mnt)
			return;                 /* the top of everything */
		nd->cur.dentry = nd->cur.mnt->mountpoint;
		nd->cur.mnt = nd->cur.mnt->parent;
	}
	namei_cross_mounts(&nd->cur);
}

int namei_lookup_one(struct nameidata *nd, const char *name, size_t len,
		     struct path *out)
{
	struct dentry *dir = nd->cur.dentry, *d;
	int err;

	if (!S_ISDIR(dir->inode->mode))
		return -ENOTDIR;
	err = inode_permission(dir->inode, MAY_EXEC);
	if (err)
		return err;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	d = d_lookup(dir, name, len);
	if (d && d->inode && d->sb->ops && d->sb->ops->revalidate &&
	    !d->sb->ops->revalidate(d)) {
		d_drop(d);
		d = NULL;
	}
	if (!d && dir->inode->i_op && dir->inode->i_op->lookup) {
		struct inode *inode = dir->inode->i_op->lookup(dir->inode, name,
							       len);
		if (IS_ERR(inode))
			return (int)PTR_ERR(inode);
		if (!inode)
			return -ENOENT;
		d = d_alloc(dir, name, len);
		if (!d) {
			inode_put(inode);
			return -ENOMEM;
		}
		d_instantiate(d, inode);
		d_add(d);
		dput(d);                /* the tree keeps it */
	}
	if (!d || !d->inode)
		return -ENOENT;
	out->mnt = nd->cur.mnt;
	out->dentry = d;
	namei_cross_mounts(out);
	return 0;
}

static enum last_type classify(const char *s, size_t len)
{
	if (len == 1 && s[0] == '.')
		return LAST_DOT;
	if (len == 2 && s[0] == '.' && s[1] == '.')
		return LAST_DOTDOT;
	return LAST_NORM;
}

static int walk(struct nameidata *nd, const char *s, bool parent_mode);

int namei_follow(struct nameidata *nd, struct dentry *link)
{
	struct inode *inode = link->inode;
	const char *target;
	unsigned saved = nd->flags;
	int err;

	if (++nd->links > MAXSYMLINKS)
		return -ELOOP;
	if (nd->cur.mnt->flags & MS_NOSYMFOLLOW)
		return -ELOOP;
	if (inode->i_op && inode->i_op->jump_link)
		return inode->i_op->jump_link(inode, &nd->cur);
	target = inode->i_op && inode->i_op->get_link
		 ? inode->i_op->get_link(inode) : NULL;
	if (IS_ERR_OR_NULL(target))
		return target ? (int)PTR_ERR(target) : -EINVAL;
	if (target[0] == '\0')
		return -ENOENT;
	nd->flags = LOOKUP_FOLLOW;
	err = walk(nd, target, false);
	nd->flags = saved;
	return err;
}

/*
 * Walk @s from nd->cur.  In parent mode stop before the last component
 * and describe it in nd->last*.
 */
static int walk(struct nameidata *nd, const char *s, bool parent_mode)
{
	if (*s == '/') {
		nd->cur = nd->root;
		while (*s == '/')
			s++;
		if (*s == '\0') {
			nd->last = s;
			nd->last_len = 0;
			nd->last_type = LAST_ROOT;
			return 0;
		}
	}
	for (;;) {
		const char *comp = s, *next;
		size_t len = 0;
		bool slash, last;
		enum last_type type;
		struct path child;
		int err;

		while (s[len] && s[len] != '/')
			len++;
		next = comp + len;
		slash = *next == '/';
		while (*next == '/')
			next++;
		last = *next == '\0';
		type = classify(comp, len);
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (last && parent_mode) {
			if (!S_ISDIR(nd->cur.dentry->inode->mode))
				return -ENOTDIR;
			nd->last = comp;
			nd->last_len = len;
			nd->last_type = type;
			nd->trailing_slash = slash;
			return 0;
		}
		if (!S_ISDIR(nd->cur.dentry->inode->mode))
			return -ENOTDIR;
		err = inode_permission(nd->cur.dentry->inode, MAY_EXEC);
		if (err)
			return err;
		if (type == LAST_DOTDOT) {
			go_up(nd);
		} else if (type == LAST_NORM) {
			err = namei_lookup_one(nd, comp, len, &child);
			if (err)
				return err;
			if (S_ISLNK(child.dentry->inode->mode) &&
			    (!last || slash || (nd->flags & LOOKUP_FOLLOW))) {
				err = namei_follow(nd, child.dentry);
				if (err)
					return err;
			} else {
				nd->cur = child;
			}
		}
		if (last) {
			if ((slash || (nd->flags & LOOKUP_DIRECTORY)) &&
			    !S_ISDIR(nd->cur.dentry->inode->mode))
				return -ENOTDIR;
			return 0;
		}
		s = next;
	}
}

int namei_walk(struct nameidata *nd, const char *name)
{
	ASSERT(vfs_lock_held());
	if (name[0] == '\0') {
		if ((nd->flags & LOOKUP_DIRECTORY) &&
		    !S_ISDIR(nd->cur.dentry->inode->mode))
			return -ENOTDIR;
		return 0;               /* LOOKUP_EMPTY: the start itself */
	}
	return walk(nd, name, false);
}

int namei_walk_parent(struct nameidata *nd, const char *name)
{
	ASSERT(vfs_lock_held());
	if (name[0] == '\0')
		return -ENOENT;
	return walk(nd, name, true);
}

int vfs_lookup(int dirfd, const char *name, unsigned flags, struct path *out)
{
	struct nameidata nd;
	int err;

	vfs_lock();
	err = namei_start(&nd, dirfd, name, flags);
	if (!err)
		err = namei_walk(&nd, name);
	if (!err) {
		*out = nd.cur;
		path_get_locked(out);
	}
	vfs_unlock();
	return err;
}

long d_path(const struct path *p, const struct path *root, char *buf,
	    size_t size)
{
	struct path cur = *p;
	size_t end = size;

	ASSERT(vfs_lock_held());
	if (size < 2)
		return -ERANGE;
	if (p->mnt->internal) {         /* "pipe:[ino]", "anon_inode:[...]" */
		if (p->dentry->name_len >= size)
			return -ENAMETOOLONG;
		memcpy(buf, p->dentry->name, p->dentry->name_len + 1);
		return (long)p->dentry->name_len;
	}
	buf[--end] = '\0';
	while (!path_equal(&cur, root)) {
		struct dentry *d = cur.dentry;

		if (d == cur.mnt->root) {
			if (cur.mnt->parent == cur.mnt)
				break;
			cur.dentry = cur.mnt->mountpoint;
			cur.mnt = cur.mnt->parent;
			continue;
		}
		if (d->name_len + 1 > end)
			return -ENAMETOOLONG;
		end -= d->name_len;
		memcpy(buf + end, d->name, d->name_len);
		buf[--end] = '/';
		cur.dentry = d->parent;
	}
	if (end == size - 1)
		buf[--end] = '/';
	memmove(buf, buf + end, size - end);
	return (long)(size - end - 1);
}

long vfs_path_name(const struct path *p, char *buf, size_t size)
{
	struct path root;
	long n;

	vfs_lock();
	namei_current_root(&root);
	n = d_path(p, &root, buf, size);
	vfs_unlock();
	return n;
}
