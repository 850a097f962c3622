/*
 * The root file system from a block device (kernel command line root=,
 * rootfstype=, rootflags=, ro/rw; Linux's Documentation of the kernel
 * parameters and init/do_mounts.c's behaviour).
 *
 * Model: the initial tmpfs (rootfs) stays at the bottom of the tree, as
 * on Linux.  devtmpfs is mounted on its /dev so that root=/dev/vda1 names
 * a block special file; the device is mounted on /root in rootfs with the
 * first type of rootfstype= (a comma-separated list; default: every
 * registered device-backed type) that accepts it, retried read-only when
 * the device refuses writes (EACCES), and then moved onto rootfs's "/"
 * and made the root of the namespace (what later processes start in).
 * devtmpfs is mounted on the new root's /dev if that directory exists.
 *
 * Locking: runs in the boot thread before init exists; each step takes
 * vfs_lock through the ordinary VFS calls.
 */
#include "vfs/internal.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"

#define ROOT_MOUNTPOINT "/root"

/* Mount @dev on /root with one of @fstypes: 0 or the last error. */
static int try_types(const char *dev, const char *fstypes,
		     unsigned long flags, const char *data)
{
	char name[32];
	int err = -ENODEV;

	if (fstypes) {
		const char *p = fstypes;

		while (*p) {
			size_t n = 0;

			while (p[n] && p[n] != ',')
				n++;

			if (n < sizeof(name)) {
				memcpy(name, p, n);
				name[n] = 0;
				err = vfs_mount(dev, AT_FDCWD, ROOT_MOUNTPOINT, name,
						flags, data);
				if (err == 0)
					return 0;
			}
			p += n + (p[n] == ',');
		}
		return err;
	}
	for (unsigned i = 0; ; i++) {
		const struct fs_type *t = fs_type_nth(i);

		if (!t)
			break;
		if (!t->mount_dev)
			continue;
		err = vfs_mount(dev, AT_FDCWD, ROOT_MOUNTPOINT, t->name, flags,
				data);
		if (err == 0)
			return 0;
	}
	return err;
}

/* Make the mount on /root the root of the namespace: it moves onto
 * rootfs's "/". */
static int switch_root_mount(void)
{
	struct path p;
	struct mount *m;
	int err = vfs_lookup(AT_FDCWD, ROOT_MOUNTPOINT,
			     LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	err = vfs_mount(ROOT_MOUNTPOINT, AT_FDCWD, "/", NULL, MS_MOVE, NULL);
	vfs_lock();
	m = p.mnt;
	if (!err)
		root_mount = m;
	path_put_locked(&p);
	vfs_unlock();
	return err;
}

int vfs_mount_root_device(const char *root, const char *fstypes,
			  unsigned long flags, const char *data)
{
	struct path dev;
	int err;

	if (strncmp(root, "/dev/", 5) != 0)
		return -EINVAL;         /* PARTUUID=, UUID=, major:minor */
	err = vfs_mkdir(AT_FDCWD, "/dev", 0755);
	if (err == 0 && vfs_lookup(AT_FDCWD, "/dev", LOOKUP_FOLLOW, &dev) == 0) {
		vfs_lock();
		err = mount_new("devtmpfs", &dev, 0, "devtmpfs", NULL);
		path_put_locked(&dev);
		vfs_unlock();
	}
	if (err && err != -EEXIST)
		return err;
	/* The device first (rootwait waits for it), then the types. */
	err = vfs_lookup(AT_FDCWD, root, LOOKUP_FOLLOW, &dev);
	if (err)
		return err;
	path_put(&dev);
	err = vfs_mkdir(AT_FDCWD, ROOT_MOUNTPOINT, 0700);
	if (err && err != -EEXIST)
		return err;
	err = try_types(root, fstypes, flags, data);
	if (err == -EACCES && !(flags & MS_RDONLY)) {
		pr_warn("vfs: %s is write-protected, mounting read-only\n", root);
		err = try_types(root, fstypes, flags | MS_RDONLY, data);
	}
	if (err)
		return err;
	err = switch_root_mount();
	if (err)
		return err;
	if (vfs_lookup(AT_FDCWD, "/dev", LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
		       &dev) == 0) {
		vfs_lock();
		if (mount_new("devtmpfs", &dev, 0, "devtmpfs", NULL))
			pr_warn("vfs: cannot mount devtmpfs on /dev\n");
		path_put_locked(&dev);
		vfs_unlock();
	}
	return 0;
}
