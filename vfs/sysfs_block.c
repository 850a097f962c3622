/*
 * /sys/block: one directory per disk with Linux's basic attributes (dev,
 * size in 512-byte sectors, ro, removable, range, queue/ block sizes) and
 * a subdirectory per partition (dev, size, start, partition, ro).  The
 * directories are generated from the block layer's registry; an inode
 * names its device by number (proc_inode.obj), looked up again at every
 * read, so a partition removed by a rescan reads as ENODEV.
 */
#include "vfs/procfs_internal.h"
#include "block/block.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

#define MAX_LISTED 64

static struct block_device *obj_bdev(const struct proc_inode *pi)
{
	struct block_device *b = block_get_by_devt(pi->obj >> 20,
						   pi->obj & 0xfffff);

	return IS_ERR(b) ? NULL : b;
}

static uint32_t bdev_obj(struct block_device *b)
{
	return block_major(b) << 20 | block_minor(b);
}

/* Print one attribute of the device behind @pi. */
#define BDEV_ATTR(fname, fmt, ...)                                         \
	static int fname(struct proc_buf *buf, const struct proc_inode *pi) \
	{                                                                   \
		struct block_device *b = obj_bdev(pi);                      \
		if (!b)                                                     \
			return -ENODEV;                                     \
		proc_printf(buf, fmt "\n", __VA_ARGS__);                           \
		block_put(b);                                               \
		return 0;                                                   \
	}

BDEV_ATTR(show_dev, "%u:%u", (unsigned)block_major(b),
	  (unsigned)block_minor(b))
BDEV_ATTR(show_size, "%llu", (unsigned long long)block_nr_sectors(b))
BDEV_ATTR(show_ro, "%d", (int)block_read_only(b))
BDEV_ATTR(show_removable, "%d", 0)
BDEV_ATTR(show_range, "%d", 16)
BDEV_ATTR(show_start, "%llu", (unsigned long long)block_start_sector(b))
BDEV_ATTR(show_partition, "%u", block_partno(b))
BDEV_ATTR(show_lbs, "%u", block_logical_size(b))
BDEV_ATTR(show_pbs, "%u", block_physical_size(b))

#define ATTR(n, fn) { .name = n, .mode = S_IFREG | 0444, .show = fn }

static const struct proc_entry queue_entries[] = {
	ATTR("hw_sector_size", show_lbs),
	ATTR("logical_block_size", show_lbs),
	ATTR("physical_block_size", show_pbs),
};

static const struct proc_dir queue_dir = {
	queue_entries, ARRAY_SIZE(queue_entries), NULL, NULL,
};

static const struct proc_entry part_entries[] = {
	ATTR("dev", show_dev),
	ATTR("size", show_size),
	ATTR("start", show_start),
	ATTR("partition", show_partition),
	ATTR("ro", show_ro),
};

static const struct proc_dir part_dir = {
	part_entries, ARRAY_SIZE(part_entries), NULL, NULL,
};

static const struct proc_entry part_entry = {
	.name = "part", .mode = S_IFDIR | 0555, .dir = &part_dir,
};

/* Is @b listed under @disk's directory (a partition of it), or under
 * /sys/block itself (@disk NULL: a whole disk)? */
static bool listed_under(struct block_device *b, struct block_device *disk)
{
	return disk ? block_whole_disk(b) == disk && block_partno(b)
		    : block_partno(b) == 0;
}

/* Names of the disks (@disk NULL) or of @disk's partitions, in registry
 * order. */
struct listing {
	struct block_device *disk;
	unsigned count;
	char names[MAX_LISTED][32];
};

static int list_one(struct block_device *b, void *arg)
{
	struct listing *l = arg;

	if (!listed_under(b, l->disk) || l->count == MAX_LISTED)
		return 0;
	strlcpy(l->names[l->count++], block_name(b), sizeof(l->names[0]));
	return 0;
}

/* readdir of /sys/block (@disk NULL) or of @disk's directory. */
static int iterate_under(struct block_device *disk, struct dir_context *ctx)
{
	struct listing *l = kzalloc(sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->disk = disk;
	block_for_each(list_one, l);
	for (unsigned i = (unsigned)(ctx->pos - PROC_DYN_POS); i < l->count; i++)
		if (!proc_emit(ctx, PROC_DYN_POS + i, l->names[i], S_IFDIR))
			break;
	kfree(l);
	return 0;
}

/* lookup of @name in /sys/block (@disk NULL) or in @disk's directory:
 * the device's number in @pi, or false. */
static bool lookup_under(struct block_device *disk, const char *name,
			 size_t len, struct proc_inode *pi)
{
	struct block_device *b;
	char n[32];
	bool found;

	if (len >= sizeof(n))
		return false;
	memcpy(n, name, len);
	n[len] = 0;
	b = block_get_by_name(n);
	if (IS_ERR(b))
		return false;
	found = listed_under(b, disk);
	if (found)
		pi->obj = bdev_obj(b);
	block_put(b);
	return found;
}

/* ---- /sys/block/<disk> ---- */

static const struct proc_entry *disk_lookup(const struct proc_inode *dir,
					    const char *name, size_t len,
					    struct proc_inode *pi)
{
	struct block_device *disk = obj_bdev(dir);
	bool found = disk && lookup_under(disk, name, len, pi);

	block_put(disk);
	return found ? &part_entry : NULL;
}

static int disk_iterate(const struct proc_inode *dir, struct dir_context *ctx)
{
	struct block_device *disk = obj_bdev(dir);
	int err;

	if (!disk)
		return 0;
	err = iterate_under(disk, ctx);
	block_put(disk);
	return err;
}

static const struct proc_entry disk_entries[] = {
	ATTR("dev", show_dev),
	ATTR("size", show_size),
	ATTR("ro", show_ro),
	ATTR("removable", show_removable),
	ATTR("range", show_range),
	{ .name = "queue", .mode = S_IFDIR | 0555, .dir = &queue_dir },
};

static const struct proc_dir disk_dir = {
	disk_entries, ARRAY_SIZE(disk_entries), disk_lookup, disk_iterate,
};

static const struct proc_entry disk_entry = {
	.name = "disk", .mode = S_IFDIR | 0555, .dir = &disk_dir,
};

/* ---- /sys/block ---- */

static const struct proc_entry *block_lookup(const struct proc_inode *dir,
					     const char *name, size_t len,
					     struct proc_inode *pi)
{
	return lookup_under(NULL, name, len, pi) ? &disk_entry : NULL;
}

static int block_iterate(const struct proc_inode *dir, struct dir_context *ctx)
{
	return iterate_under(NULL, ctx);
}

const struct proc_dir sysfs_block_dir = {
	NULL, 0, block_lookup, block_iterate,
};
