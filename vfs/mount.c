/*
 * File system types, super blocks and the mount table.
 *
 * Model: a mount attaches the root dentry of a super block at a dentry
 * (the mount point) of a parent mount.  The path walk crosses into the
 * newest mount on a dentry (mount_lookup) and back out through ".." at a
 * mount root.  A mount is pinned by struct path holders (refcount): a
 * plain umount fails with EBUSY while any exist; MNT_DETACH takes it out
 * of the namespace at once and frees it only if unused.
 *
 * Locking: the type list, mount list and all mount fields are [V].
 */
#include "vfs/internal.h"
#include "block/block.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#define snprintf format_snprintf
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"

#define FS_TYPES_MAX 16

static const struct fs_type *fs_types[FS_TYPES_MAX] = {  /* [V] */
	&tmpfs_type, &devtmpfs_type,
};
static unsigned anon_dev_next = 1;                      /* [V] */
struct list_node mount_list = LIST_HEAD_INIT(mount_list);
struct mount *root_mount;

int fs_type_register(const struct fs_type *type)
{
	int ret = -ENOSPC;

	vfs_lock();
	for (unsigned i = 0; i < FS_TYPES_MAX; i++) {
		if (fs_types[i] == type || (fs_types[i] &&
		    strcmp(fs_types[i]->name, type->name) == 0)) {
			ret = -EBUSY;
			break;
		}
		if (!fs_types[i]) {
			fs_types[i] = type;
			ret = 0;
			break;
		}
	}
	vfs_unlock();
	return ret;
}

const struct fs_type *fs_type_find(const char *name)
{
	for (unsigned i = 0; i < FS_TYPES_MAX && fs_types[i]; i++)
		if (strcmp(fs_types[i]->name, name) == 0)
			return fs_types[i];
	return NULL;
}

size_t fs_type_list_text(char *buf, size_t size)
{
	size_t n = 0;

	vfs_lock();
	for (unsigned i = 0; i < FS_TYPES_MAX && fs_types[i]; i++)
		n += snprintf(buf + MIN(n, size), size - MIN(n, size), "%s\t%s\n",
			      fs_types[i]->nodev ? "nodev" : "",
			      fs_types[i]->name);
	vfs_unlock();
	return MIN(n, size);
}

struct super_block *sb_alloc(const struct fs_type *type,
			     const struct super_operations *ops, uint64_t magic)
{
	struct super_block *sb = kzalloc(sizeof(*sb));

	ASSERT(vfs_lock_held());
	if (!sb)
		return NULL;
	sb->type = type;
	sb->ops = ops;
	sb->magic = magic;
	sb->dev = MKDEV(0, anon_dev_next++);
	sb->next_ino = 1;
	return sb;
}

struct mount *mount_lookup(struct mount *mnt, struct dentry *d)
{
	struct list_node *pos;
	struct mount *found = NULL;

	ASSERT(vfs_lock_held());
	if (!d->mounted)
		return NULL;
	list_for_each(pos, &mount_list) {       /* newest last: keep the last */
		struct mount *m = list_entry(pos, struct mount, node);

		if (m->parent == mnt && m->mountpoint == d && m != mnt)
			found = m;
	}
	return found;
}

struct mount *mount_attach(struct super_block *sb, const struct path *where,
			   unsigned long flags, const char *source)
{
	struct mount *m = kzalloc(sizeof(*m));
	size_t len = strlen(source);

	ASSERT(vfs_lock_held());
	if (!m)
		return NULL;
	m->source = kmalloc(len + 1);
	if (!m->source) {
		kfree(m);
		return NULL;
	}
	memcpy(m->source, source, len + 1);
	m->sb = sb;
	m->root = sb->root;
	dget(m->root);
	m->flags = flags;
	if (where) {
		m->parent = where->mnt;
		m->mountpoint = where->dentry;
		dget(m->mountpoint);
		m->mountpoint->mounted++;
	} else {
		m->parent = m;
		m->mountpoint = m->root;
		dget(m->mountpoint);
	}
	sb->mounts++;
	list_add_tail(&m->node, &mount_list);
	return m;
}

/* Take @m out of the namespace; free it (and maybe its sb) if unused. */
static void mount_detach(struct mount *m)
{
	struct super_block *sb = m->sb;

	list_del(&m->node);
	if (m->parent != m)
		m->mountpoint->mounted--;
	if (m->refcount > 0)
		return;         /* still in use after MNT_DETACH: kept (leak) */
	dput(m->mountpoint);
	dput(m->root);
	kfree(m->source);
	kfree(m);
	if (--sb->mounts == 0 && sb->ops && sb->ops->kill) {
		fsnotify_unmount(sb);
		sb->ops->kill(sb);
	}
}

/*
 * A device-backed type's super block: @source must name a block-special
 * file (ENOTBLK otherwise, ENXIO if no such device is registered); the
 * type's mount_dev gets the device with a reference (vfs_lock held).
 */
static struct super_block *mount_dev_sb(const struct fs_type *type,
					const char *source,
					unsigned long *flags, const char *data)
{
	struct nameidata nd;
	struct block_device *bdev;
	struct super_block *sb;
	struct inode *inode;
	int err;

	if (!source || !*source)
		return ERR_PTR(source ? -ENOENT : -EINVAL);
	err = namei_start(&nd, AT_FDCWD, source, LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, source);
	if (err)
		return ERR_PTR(err);
	inode = nd.cur.dentry->inode;
	if (!S_ISBLK(inode->mode))
		return ERR_PTR(-ENOTBLK);
	if (nd.cur.mnt && (nd.cur.mnt->flags & MS_NODEV))
		return ERR_PTR(-EACCES);
	bdev = block_get_by_devt(MAJOR(inode->rdev), MINOR(inode->rdev));
	if (IS_ERR(bdev))
		return ERR_PTR(-ENXIO);
	sb = type->mount_dev(type, bdev, flags, data);
	if (IS_ERR(sb))
		block_put(bdev);
	return sb;
}

int mount_new(const char *fstype, const struct path *where,
	      unsigned long flags, const char *source, const char *data)
{
	const struct fs_type *type = fs_type_find(fstype);
	struct super_block *sb;
	struct mount *m;

	if (!type)
		return -ENODEV;
	if (type->mount_dev)
		sb = mount_dev_sb(type, source, &flags, data);
	else
		sb = type->mount(type, flags, data);
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	m = mount_attach(sb, where, flags & (MS_RDONLY | MS_NOSUID | MS_NODEV |
					    MS_NOEXEC | MS_NOATIME |
					    MS_NODIRATIME | MS_RELATIME),
			 source ? source : fstype);
	if (!m) {
		if (sb->ops && sb->ops->kill)
			sb->ops->kill(sb);
		return -ENOMEM;
	}
	if (!where)
		root_mount = m;
	return 0;
}

static bool mount_has_children(struct mount *m)
{
	struct list_node *pos;

	list_for_each(pos, &mount_list) {
		struct mount *c = list_entry(pos, struct mount, node);

		if (c->parent == m && c != m)
			return true;
	}
	return false;
}

#define MS_PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define MS_PER_MOUNT (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
		      MS_NOATIME | MS_NODIRATIME | MS_RELATIME)

static int do_bind(const char *source, const struct path *where,
		   unsigned long flags)
{
	struct nameidata nd;
	struct mount *m;
	int err;

	err = namei_start(&nd, AT_FDCWD, source, LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, source);
	if (err)
		return err;
	m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->source = kmalloc(strlen(source) + 1);
	if (!m->source) {
		kfree(m);
		return -ENOMEM;
	}
	strlcpy(m->source, source, strlen(source) + 1);
	m->sb = nd.cur.mnt->sb;
	m->root = nd.cur.dentry;
	dget(m->root);
	m->flags = nd.cur.mnt->flags;
	m->parent = where->mnt;
	m->mountpoint = where->dentry;
	dget(m->mountpoint);
	m->mountpoint->mounted++;
	m->sb->mounts++;
	list_add_tail(&m->node, &mount_list);
	return 0;
}

int vfs_mount(const char *source, int dirfd, const char *target,
	      const char *fstype, unsigned long flags, const char *data)
{
	struct nameidata nd;
	struct path where;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (current_cred()->euid != 0)
		return -EPERM;
	vfs_lock();
	err = namei_start(&nd, dirfd, target, LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, target);
	if (err)
		goto out;
	where = nd.cur;
	if (flags & MS_REMOUNT) {
		if (where.dentry != where.mnt->root) {
			err = -EINVAL;
			goto out;
		}
		where.mnt->flags = (where.mnt->flags & ~MS_PER_MOUNT) |
				   (flags & MS_PER_MOUNT);
	} else if (flags & MS_PROPAGATION) {
		/* One namespace, no propagation: nothing to change. */
		if (flags & ~(MS_PROPAGATION | MS_REC | MS_SILENT))
			err = -EINVAL;
	} else if (flags & MS_MOVE) {
		err = -EINVAL;          /* TODO: MS_MOVE */
	} else if (!S_ISDIR(where.dentry->inode->mode)) {
		err = -ENOTDIR;
	} else if (flags & MS_BIND) {
		err = source ? do_bind(source, &where, flags) : -EINVAL;
	} else if (!fstype) {
		err = -EINVAL;
	} else {
		err = mount_new(fstype, &where, flags, source, data);
	}
out:
	vfs_unlock();
	return err;
}

int vfs_umount(int dirfd, const char *target, int flags)
{
	struct nameidata nd;
	struct mount *m;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (current_cred()->euid != 0)
		return -EPERM;
	vfs_lock();
	err = namei_start(&nd, dirfd, target,
			  (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, target);
	if (err)
		goto out;
	m = nd.cur.mnt;
	if (nd.cur.dentry != m->root) {
		err = -EINVAL;
	} else if (m == root_mount || m->parent == m) {
		err = -EBUSY;
	} else if (flags & MNT_EXPIRE) {
		err = -EAGAIN;
	} else if (!(flags & MNT_DETACH) &&
		   (m->refcount > 0 || mount_has_children(m))) {
		err = -EBUSY;
	} else if (mount_has_children(m)) {
		err = -EBUSY;   /* TODO: recursive MNT_DETACH */
	} else {
		mount_detach(m);
	}
out:
	vfs_unlock();
	return err;
}

static size_t mount_flags_text(char *buf, size_t size, unsigned long f)
{
	return snprintf(buf, size, "%s%s%s%s%s", (f & MS_RDONLY) ? "ro" : "rw",
			(f & MS_NOSUID) ? ",nosuid" : "",
			(f & MS_NODEV) ? ",nodev" : "",
			(f & MS_NOEXEC) ? ",noexec" : "",
			(f & MS_NOATIME) ? ",noatime" : ",relatime");
}

size_t mount_list_text(char *buf, size_t size)
{
	struct list_node *pos;
	char *path = kmalloc(PATH_MAX);
	size_t n = 0;

	if (!path)
		return 0;
	vfs_lock();
	list_for_each(pos, &mount_list) {
		struct mount *m = list_entry(pos, struct mount, node);
		struct path p = { m, m->root }, root;
		size_t at;

		namei_current_root(&root);
		if (d_path(&p, &root, path, PATH_MAX) < 0)
			continue;
		at = MIN(n, size);
		n += snprintf(buf + at, size - at, "%s %s %s ", m->source, path,
			      m->sb->type->name);
		at = MIN(n, size);
		n += mount_flags_text(buf + at, size - at, m->flags);
		at = MIN(n, size);
		n += snprintf(buf + at, size - at, " 0 0\n");
	}
	vfs_unlock();
	kfree(path);
	return MIN(n, size);
}
