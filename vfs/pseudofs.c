/*
 * Internal file systems and anonymous inodes.
 *
 * Model (Linux's pipefs and anon_inodefs): objects that have no name in
 * the namespace (pipes, eventfds, epoll instances, ...) still get a real
 * struct path, so that every open file has one: each internal file system
 * has one super block and one internal mount that is attached nowhere and
 * not listed in /proc/mounts.  Each object gets its own unlinked dentry
 * whose name is what /proc/<pid>/fd shows for it ("pipe:[1234]",
 * "anon_inode:[eventfd]"); d_path prints that name for paths of internal
 * mounts.  Such paths are reachable only through the descriptor itself or
 * its /proc/<pid>/fd magic link.
 *
 * Anonymous inodes: like Linux, all anon files share one inode (mode 0600
 * without a file type, owned by root), so fstat shows the same st_ino for
 * every eventfd, timerfd, signalfd and epoll descriptor.  The inode cannot
 * be opened (ENXIO through /proc/<pid>/fd); the file's own operations come
 * from its creator.
 *
 * Locking: the mounts and the anon inode are created once, on first use,
 * under vfs_lock ([V]); afterwards they are immutable.
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"

#define ANON_INODE_FS_MAGIC 0x09041934

struct mount *pseudofs_mount(const struct fs_type *type,
			     const struct super_operations *ops, uint64_t magic)
{
	struct super_block *sb;
	struct inode *root;
	struct mount *m;

	ASSERT(vfs_lock_held());
	sb = sb_alloc(type, ops, magic);
	m = kzalloc(sizeof(*m));
	root = sb ? inode_alloc(sb, S_IFDIR | 0700) : NULL;
	if (!root)
		goto fail;
	root->uid = root->gid = 0;
	sb->root = d_alloc_root(sb, root);
	if (!sb->root || !m)
		goto fail_root;
	m->source = vfs_name_dup(type->name, strlen(type->name));
	if (!m->source)
		goto fail_root;
	m->sb = sb;
	m->root = sb->root;
	dget(m->root);
	m->parent = m;
	m->mountpoint = m->root;
	dget(m->mountpoint);
	m->internal = true;
	list_init(&m->node);
	sb->mounts = 1;
	return m;
fail_root:
	if (sb->root)
		dput(sb->root);         /* drops the root inode too */
	else
		inode_put(root);
fail:
	kfree(m);
	kfree(sb);
	return NULL;
}

int pseudofs_path(struct mount *m, struct inode *inode, const char *name,
		  struct path *out)
{
	struct dentry *d;

	ASSERT(vfs_lock_held());
	d = d_alloc(m->root, name, strlen(name));
	if (!d)
		return -ENOMEM;
	d_instantiate(d, inode);
	out->mnt = m;
	out->dentry = d;
	m->refcount++;
	return 0;
}

/* ---- anonymous inodes ---- */

static struct mount *anon_mnt;          /* [V] */
static struct inode *anon_inode;        /* [V] */

/* The anon inode itself cannot be opened (Linux's no_open). */
static int anon_no_open(struct inode *inode, struct file *f)
{
	return -ENXIO;
}

static const struct file_operations anon_inode_fops = {
	.open = anon_no_open,
};

static const struct fs_type anon_inodefs_type = {
	.name = "anon_inodefs",
	.nodev = true,
};

/* The shared inode (vfs_lock held); NULL if out of memory. */
static struct inode *anon_inode_locked(void)
{
	ASSERT(vfs_lock_held());
	if (!anon_mnt)
		anon_mnt = pseudofs_mount(&anon_inodefs_type, NULL,
					  ANON_INODE_FS_MAGIC);
	if (anon_mnt && !anon_inode) {
		anon_inode = inode_alloc(anon_mnt->sb, 0600);
		if (anon_inode) {
			anon_inode->uid = anon_inode->gid = 0;
			anon_inode->f_op = &anon_inode_fops;
		}
	}
	return anon_inode;
}

struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, unsigned flags)
{
	char dname[48];
	struct inode *inode;
	struct path path;
	struct file *f;
	int acc = flags & O_ACCMODE;
	int err = -ENOMEM;

	format_snprintf(dname, sizeof(dname), "anon_inode:%s", name);
	vfs_lock();
	inode = anon_inode_locked();
	if (inode) {
		inode_get(inode);
		err = pseudofs_path(anon_mnt, inode, dname, &path);
		if (err)
			inode_put(inode);
	}
	vfs_unlock();
	if (err)
		return ERR_PTR(err);
	f = file_alloc(&path, inode, flags, fops);
	if (!f) {
		path_put(&path);
		return ERR_PTR(-ENOMEM);
	}
	if (acc == O_RDONLY || acc == O_RDWR)
		f->fmode |= FMODE_READ;
	if (acc == O_WRONLY || acc == O_RDWR)
		f->fmode |= FMODE_WRITE;
	f->private = priv;
	return f;
}

int anon_inode_getfd(const char *name, const struct file_operations *fops,
		     void *priv, unsigned flags)
{
	struct file *f = anon_inode_getfile(name, fops, priv, flags);
	int fd;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	fd = fd_install(f, flags & O_CLOEXEC);
	if (fd < 0) {
		f->private = NULL;      /* the caller still owns @priv */
		f->ops = NULL;          /* never handed out: no ->release */
		file_put(f);
	}
	return fd;
}
