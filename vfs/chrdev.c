/*
 * Character device registry.  A device node's inode carries its device
 * number; opening it finds the driver registered for that major and minor
 * range and hands the file over to the driver's operations.  Block
 * device nodes go to the block layer (block/blkdev_file.c).
 *
 * Locking: the table is written at registration and read at open under
 * chrdev_lock (a leaf spinlock); entries are never removed.
 */
#include "vfs/internal.h"
#include "block/block.h"
#include "include/errno.h"
#include "lib/string.h"

#define CHRDEV_MAX 64

struct chrdev {
	unsigned major, minor_first, count;
	const char *name;
	const struct file_operations *fops;
};

static struct spinlock chrdev_lock = SPINLOCK_INIT("chrdev");
static struct chrdev chrdevs[CHRDEV_MAX];      /* [chrdev_lock] */
static unsigned chrdev_count;                  /* [chrdev_lock] */

int chrdev_register(unsigned major, unsigned minor_first, unsigned count,
		    const char *name, const struct file_operations *fops)
{
	uint64_t irq;
	int err = 0;

	if (count == 0 || major >= 4096 || minor_first + count > (1u << 20) ||
	    minor_first + count < minor_first)
		return -EINVAL;
	irq = spin_lock_irqsave(&chrdev_lock);
	for (unsigned i = 0; i < chrdev_count; i++) {
		struct chrdev *c = &chrdevs[i];

		if (c->major == major && minor_first < c->minor_first + c->count &&
		    c->minor_first < minor_first + count)
			err = -EBUSY;
	}
	if (!err && chrdev_count == CHRDEV_MAX)
		err = -ENOSPC;
	if (!err)
		chrdevs[chrdev_count++] = (struct chrdev){
			major, minor_first, count, name, fops };
	spin_unlock_irqrestore(&chrdev_lock, irq);
	return err;
}

static const struct file_operations *chrdev_find(kdev_t dev)
{
	const struct file_operations *fops = NULL;
	uint64_t irq = spin_lock_irqsave(&chrdev_lock);

	for (unsigned i = 0; i < chrdev_count; i++) {
		struct chrdev *c = &chrdevs[i];

		if (c->major == MAJOR(dev) && MINOR(dev) >= c->minor_first &&
		    MINOR(dev) - c->minor_first < c->count)
			fops = c->fops;
	}
	spin_unlock_irqrestore(&chrdev_lock, irq);
	return fops;
}

static int chrdev_open(struct inode *inode, struct file *f)
{
	const struct file_operations *fops = chrdev_find(inode->rdev);

	if (!fops)
		return -ENXIO;
	f->ops = fops;
	return fops->open ? fops->open(inode, f) : 0;
}

const struct file_operations chrdev_fops = {
	.open = chrdev_open,
};

static int blkdev_open(struct inode *inode, struct file *f)
{
	return block_file_open(inode, f);
}

const struct file_operations blkdev_fops = {
	.open = blkdev_open,
};
