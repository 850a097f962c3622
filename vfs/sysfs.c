/*
 * sysfs: the top-level directories that OpenRC and mdev look for (no
 * kobjects), and /sys/block with the basic attributes of each disk and
 * partition (sysfs_block.c).  Built on the procfs
 * entry tables (procfs_core.c).
 */
#include "vfs/procfs_internal.h"

#define EMPTY_DIR(n) { .name = n, .mode = S_IFDIR | 0755, .dir = &empty_dir }

static const struct proc_dir empty_dir = { NULL, 0, NULL, NULL };

static const struct proc_entry sysfs_entries[] = {
	{ .name = "block", .mode = S_IFDIR | 0755, .dir = &sysfs_block_dir },
	EMPTY_DIR("bus"),
	EMPTY_DIR("class"),
	EMPTY_DIR("dev"),
	EMPTY_DIR("devices"),
	EMPTY_DIR("firmware"),
	EMPTY_DIR("fs"),
	EMPTY_DIR("kernel"),
	EMPTY_DIR("module"),
	EMPTY_DIR("power"),
};

static const struct proc_dir sysfs_root_dir = {
	sysfs_entries, ARRAY_SIZE(sysfs_entries), NULL, NULL,
};

static const struct proc_entry sysfs_root = {
	.name = "/", .mode = S_IFDIR | 0555, .dir = &sysfs_root_dir,
};

static struct super_block *sysfs_mount(const struct fs_type *type,
				       unsigned long flags, const char *data)
{
	return proc_sb_new(type, &sysfs_root, SYSFS_MAGIC);
}

const struct fs_type sysfs_type = {
	.name = "sysfs",
	.mount = sysfs_mount,
	.nodev = true,
};
