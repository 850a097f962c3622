/*
 * The memory character devices of major 1 (Linux's drivers/char/mem.c
 * numbering): null (3), zero (5), full (7), random (8), urandom (9) and
 * kmsg (11, writes go to printk; reads give end of file for now).
 * random and urandom never block: the generator is seeded at boot.
 */
#include "vfs/internal.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"

#define MEM_MAJOR 1

static const uint8_t zeros[256];

static long mem_llseek(struct file *f, long offset, int whence)
{
	f->pos = 0;
	return 0;
}

static long null_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	return 0;
}

static long sink_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	return (long)b->len;
}

static long zero_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	size_t done = 0;

	while (done < b->len) {
		size_t n = MIN(b->len - done, sizeof(zeros));
		int err = iobuf_copy_out(b, done, zeros, n);

		if (err)
			return done ? (long)done : err;
		done += n;
		if (signal_pending())
			break;
	}
	return (long)done;
}

static long full_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	return -ENOSPC;
}

static long random_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	uint8_t buf[64];
	size_t done = 0;

	while (done < b->len) {
		size_t n = MIN(b->len - done, sizeof(buf));
		int err;

		random_get_bytes(buf, n);
		err = iobuf_copy_out(b, done, buf, n);
		if (err)
			return done ? (long)done : err;
		done += n;
		if (signal_pending())
			break;
	}
	memset(buf, 0, sizeof(buf));
	return (long)done;
}

static long random_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	uint8_t buf[64];
	size_t done = 0;

	while (done < b->len) {
		size_t n = MIN(b->len - done, sizeof(buf));
		int err = iobuf_copy_in(buf, b, done, n);

		if (err)
			return done ? (long)done : err;
		random_mix(buf, n);
		done += n;
	}
	return (long)done;
}

static unsigned always_ready(struct file *f, struct poll_table *pt)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

/* /dev/kmsg: one write is one message; a leading "<N>" sets its syslog
 * priority (level N & 7, facility N >> 3, user (1) when that is 0). */
static long kmsg_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	size_t len = MIN(b->len, (size_t)1023);
	char *buf = kmalloc(len + 2);
	const char *msg;
	unsigned prio = LOGLEVEL_DEFAULT;
	int err;

	if (!buf)
		return -ENOMEM;
	err = iobuf_copy_in(buf, b, 0, len);
	if (err) {
		kfree(buf);
		return err;
	}
	if (!len || buf[len - 1] != '\n')
		buf[len++] = '\n';
	buf[len] = '\0';
	msg = buf;
	if (msg[0] == '<') {
		unsigned u = 0;
		const char *p = msg + 1;
		while (*p >= '0' && *p <= '9' && u < 100000)
			u = u * 10 + (unsigned)(*p++ - '0');
		if (*p == '>' && p > msg + 1) {
			prio = u;
			msg = p + 1;
		}
	}
	printk_emit(prio >> 3 ? (int)(prio >> 3) : 1, (int)(prio & 7), msg,
		    len - (size_t)(msg - buf));
	kfree(buf);
	return (long)b->len;
}

static const struct file_operations null_fops = {
	.read = null_read, .write = sink_write, .llseek = mem_llseek,
	.poll = always_ready,
};
/* Mapping /dev/zero gives anonymous memory (private or shared). */
static int zero_mmap(struct file *f)
{
	return VFS_MMAP_ANON;
}

static const struct file_operations zero_fops = {
	.read = zero_read, .write = sink_write, .llseek = mem_llseek,
	.mmap = zero_mmap,
	.poll = always_ready,
};
static const struct file_operations full_fops = {
	.read = zero_read, .write = full_write, .llseek = mem_llseek,
	.poll = always_ready,
};
static const struct file_operations random_fops = {
	.read = random_read, .write = random_write, .llseek = mem_llseek,
	.poll = always_ready,
};
static const struct file_operations kmsg_fops = {
	.read = null_read, .write = kmsg_write, .llseek = mem_llseek,
	.poll = always_ready,
};

static const struct {
	const char *name;
	unsigned minor, mode;
	const struct file_operations *fops;
} mem_devs[] = {
	{ "null", 3, 0666, &null_fops },
	{ "zero", 5, 0666, &zero_fops },
	{ "full", 7, 0666, &full_fops },
	{ "random", 8, 0666, &random_fops },
	{ "urandom", 9, 0666, &random_fops },
	{ "kmsg", 11, 0644, &kmsg_fops },
};

void mem_devices_init(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(mem_devs); i++) {
		int err = chrdev_register(MEM_MAJOR, mem_devs[i].minor, 1,
					  mem_devs[i].name, mem_devs[i].fops);

		if (!err)
			err = devtmpfs_create_node(mem_devs[i].name,
						   S_IFCHR | mem_devs[i].mode,
						   MEM_MAJOR, mem_devs[i].minor);
		if (err)
			pr_warn("mem: /dev/%s: error %d\n", mem_devs[i].name, err);
	}
}
