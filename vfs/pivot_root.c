/*
 * pivot_root(2) (man 2 pivot_root): the mount of new_root takes the place
 * of the current root's mount, which goes onto put_old, and every
 * process whose root or cwd was the old root gets the new one (Linux's
 * chroot_fs_refs).  The checks and their order are Linux's: ENOTDIR,
 * ENOENT for a removed new_root, EBUSY when either path is on the
 * current root's mount, EINVAL when the root or new_root is no mount
 * point (rootfs, or a chroot into a directory) or put_old is not below
 * new_root.  put_old may be new_root itself (pivot_root(".", ".")): the
 * old root is then stacked on the new one.
 *
 * Locking: the mount tree under vfs_lock; the processes' fs_structs are
 * collected under process_tree_lock (references only) and changed under
 * vfs_lock afterwards.
 */
#include "vfs/internal.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "process/process.h"

#define PIVOT_FS_MAX 256

struct pivot_fs_list {
	struct fs_struct *fs[PIVOT_FS_MAX];
	int n;
};

static int pivot_collect_fs(struct process *p, void *arg)
{
	struct pivot_fs_list *l = arg;

	if (p->fs && l->n < PIVOT_FS_MAX)
		l->fs[l->n++] = fs_struct_get(p->fs);
	return 0;
}

/* Every process whose root or cwd is @old gets @new instead (Linux's
 * chroot_fs_refs).  Called without vfs_lock. */
static void pivot_move_refs(const struct path *old, const struct path *new)
{
	struct pivot_fs_list *l = kzalloc(sizeof(*l));
	int pids[64], n, after = 0;

	if (!l)
		return;
	while ((n = process_list_pids(after, pids, 64)) > 0) {
		for (int i = 0; i < n; i++)
			process_call_locked(pids[i], pivot_collect_fs, l);
		after = pids[n - 1];
	}
	vfs_lock();
	for (int i = 0; i < l->n; i++) {
		struct path *ps[2] = { &l->fs[i]->root, &l->fs[i]->cwd };

		for (int j = 0; j < 2; j++) {
			if (ps[j]->mnt != old->mnt || ps[j]->dentry != old->dentry)
				continue;
			path_get_locked(new);
			path_put_locked(ps[j]);
			*ps[j] = *new;
		}
	}
	vfs_unlock();
	for (int i = 0; i < l->n; i++)
		fs_struct_put(l->fs[i]);
	kfree(l);
}

static int pivot_checks(const struct path *newp, const struct path *oldp,
			const struct path *root)
{
	struct mount *nm = newp->mnt, *om = oldp->mnt, *rm = root->mnt;

	if (!S_ISDIR(newp->dentry->inode->mode) ||
	    !S_ISDIR(oldp->dentry->inode->mode))
		return -ENOTDIR;
	if (!newp->dentry->linked && newp->dentry != nm->root)
		return -ENOENT;
	if (nm == rm || om == rm)
		return -EBUSY;
	if (root->dentry != rm->root || rm->parent == rm)
		return -EINVAL;         /* root not a mount point, or rootfs */
	if (newp->dentry != nm->root || nm->parent == nm)
		return -EINVAL;         /* new_root not a mount point */
	if (!mount_path_reachable(om, oldp->dentry, newp))
		return -EINVAL;         /* put_old not below new_root */
	if (!mount_path_reachable(nm, newp->dentry, root))
		return -EINVAL;
	return 0;
}

int vfs_pivot_root(const char *new_root, const char *put_old)
{
	struct nameidata nd;
	struct path newp, oldp, root, root_at;
	struct mount *rm, *nm;
	int err;

	vfs_lock();
	err = namei_start(&nd, AT_FDCWD, new_root,
			  LOOKUP_FOLLOW | LOOKUP_DIRECTORY);
	if (!err)
		err = namei_walk(&nd, new_root);
	if (err)
		goto out;
	newp = nd.cur;
	err = namei_start(&nd, AT_FDCWD, put_old,
			  LOOKUP_FOLLOW | LOOKUP_DIRECTORY);
	if (!err)
		err = namei_walk(&nd, put_old);
	if (err)
		goto out;
	oldp = nd.cur;
	namei_cross_mounts(&oldp);      /* the old root goes on top */
	if (current_cred()->euid != 0) {
		err = -EPERM;
		goto out;
	}
	namei_current_root(&root);
	err = pivot_checks(&newp, &oldp, &root);
	if (err)
		goto out;
	rm = root.mnt;
	nm = newp.mnt;
	/* The new root takes the old root's place; the old root goes on
	 * put_old (which may be inside the new root: pivot_root(".", ".")). */
	root_at.mnt = rm->parent;
	root_at.dentry = rm->mountpoint;
	dget(root_at.dentry);
	mount_ungraft(nm);
	mount_ungraft(rm);
	mount_graft(nm, &root_at);
	mount_graft(rm, &oldp);
	dput(root_at.dentry);
	if (root_mount == rm)
		root_mount = nm;        /* kernel threads' root follows */
	root = (struct path){ rm, rm->root };
	newp = (struct path){ nm, nm->root };
	path_get_locked(&root);         /* pinned across the unlock */
	path_get_locked(&newp);
	vfs_unlock();
	pivot_move_refs(&root, &newp);
	path_put(&newp);
	path_put(&root);
	return 0;
out:
	vfs_unlock();
	return err;
}
