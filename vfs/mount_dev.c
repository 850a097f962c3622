/*
 * Device-backed mounts: the generic rules between mount(2)'s source
 * argument and a file system type with ->mount_dev (ext4).
 *
 * Model (Linux's get_tree_bdev and lookup_bdev): the source is a path to
 * a block special file (ENOENT if missing, ENOTBLK if not a block device,
 * EACCES if it lies on a nodev mount); its device number names the block
 * device (ENXIO if no such device is registered).  One super block per
 * device: mounting a device that is mounted already shares its super
 * block when the type and the read-only-ness agree, else EBUSY.  A
 * read-only device can only be mounted read-only (EACCES otherwise, on
 * which mount(8) retries with MS_RDONLY).
 *
 * Locking: called with vfs_lock held (it protects the mount list that
 * the device's existing super block is found in).
 */
#include "vfs/internal.h"
#include "block/block.h"
#include "include/errno.h"
#include "lib/string.h"

/* The super block of a mounted device @dev, or NULL. */
static struct super_block *sb_of_device(kdev_t dev)
{
	struct list_node *pos;

	list_for_each(pos, &mount_list) {
		struct mount *m = list_entry(pos, struct mount, node);

		if (m->sb->bdev && m->sb->dev == dev)
			return m->sb;
	}
	return NULL;
}

/* Resolve @source to a block device number: 0 or -errno. */
static int source_devt(const char *source, kdev_t *dev)
{
	struct nameidata nd;
	struct inode *inode;
	int err;

	if (!source)
		return -EINVAL;         /* "no source specified" */
	err = namei_start(&nd, AT_FDCWD, source, LOOKUP_FOLLOW);
	if (!err)
		err = namei_walk(&nd, source);
	if (err)
		return err;
	inode = nd.cur.dentry->inode;
	if (!S_ISBLK(inode->mode))
		return -ENOTBLK;
	if (nd.cur.mnt->flags & MS_NODEV)
		return -EACCES;
	*dev = inode->rdev;
	return 0;
}

struct super_block *mount_dev_super(const struct fs_type *type,
				    unsigned long flags, const char *source,
				    const char *data)
{
	struct block_device *bdev;
	struct super_block *sb;
	kdev_t dev;
	int err = source_devt(source, &dev);

	if (err)
		return ERR_PTR(err);
	sb = sb_of_device(dev);
	if (sb) {
		if (sb->type != type ||
		    ((flags ^ sb->flags) & MS_RDONLY))
			return ERR_PTR(-EBUSY);
		return sb;
	}
	bdev = block_get_by_devt(MAJOR(dev), MINOR(dev));
	if (IS_ERR(bdev))
		return ERR_PTR(PTR_ERR(bdev));
	if (!(flags & MS_RDONLY) && block_read_only(bdev)) {
		block_put(bdev);
		return ERR_PTR(-EACCES);
	}
	sb = type->mount_dev(type, bdev, flags, data);
	if (IS_ERR(sb)) {
		block_put(bdev);
		return sb;
	}
	sb->bdev = bdev;
	sb->dev = dev;
	sb->flags = (flags & SB_FLAGS_MASK) | (sb->flags & MS_RDONLY);
	return sb;
}
