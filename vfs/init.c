/*
 * VFS bring-up: the root tmpfs, the initramfs, character devices, and
 * devtmpfs on /dev (as Linux with CONFIG_DEVTMPFS_MOUNT).  Other file
 * systems (/proc, /tmp, ...) are left to init, as on Linux.
 */
#include "vfs/procfs_internal.h"
#include "include/errno.h"
#include "lib/printk.h"

int vfs_init(const void *initramfs, size_t initramfs_len)
{
	struct path dev;
	int err;

	vfs_lock();
	err = mount_new("tmpfs", NULL, 0, "rootfs", "mode=0755");
	vfs_unlock();
	if (err) {
		pr_err("vfs: cannot create the root file system (%d)\n", err);
		return err;
	}
	if (initramfs && initramfs_len) {
		const uint8_t *p = initramfs;

		if (initramfs_len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
			pr_warn("initramfs: gzip-compressed archives are not "
				"supported yet\n");
		else
			initramfs_unpack(initramfs, initramfs_len);
	}
	/* Mountable by init (mount -t proc proc /proc), never mounted here. */
	if (fs_type_register(&proc_type) || fs_type_register(&sysfs_type))
		pr_warn("vfs: cannot register proc and sysfs\n");
	random_init();
	mem_devices_init();
	if (vfs_lookup(AT_FDCWD, "/dev", LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
		       &dev) == 0) {
		vfs_lock();
		err = mount_new("devtmpfs", &dev, 0, "devtmpfs", NULL);
		path_put_locked(&dev);
		vfs_unlock();
		if (err)
			pr_warn("vfs: cannot mount devtmpfs on /dev (%d)\n", err);
	}
	pr_info("vfs: root tmpfs ready\n");
	return 0;
}
