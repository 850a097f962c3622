/*
 * TTYs as character devices: the file operations behind /dev/ttyS0 (4:64),
 * /dev/tty (5:0, the caller's controlling terminal), /dev/console (5:1,
 * ttyS0, never becomes a controlling terminal on open), /dev/ptmx (5:2,
 * a new pty master per open) and /dev/pts/N (136:N).
 *
 * Each open file gets a struct tty_file as its private data; read, write,
 * ioctl and poll go to the core with the file's current O_NONBLOCK.
 * Device nodes are created in devtmpfs; a pty's /dev/pts/N node is made
 * when its master is opened and stays afterwards (opening a free pty
 * gives EIO) until devtmpfs can remove nodes.
 */
#include "tty/tty.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "mm/mm.h"
#include "vfs/vfs.h"

#define TTY_MAJOR 4
#define TTYAUX_MAJOR 5
#define PTS_MAJOR 136
#define PTS_COUNT 256           /* as PTY_MAX in pty.c */

static struct tty_file *tf_of(struct file *f)
{
	return file_private(f);
}

/* Open @tty for @f: a tty_file as the file's private data. */
static int attach(struct file *f, struct tty *tty, bool noctty)
{
	struct tty_file *tf = kzalloc(sizeof(*tf));
	int err;

	if (!tf)
		return -ENOMEM;
	err = tty_open(tty, tf, file_flags(f), noctty);
	if (err) {
		kfree(tf);
		return err;
	}
	file_set_private(f, tf);
	return 0;
}

static void tty_file_release(struct file *f)
{
	struct tty_file *tf = tf_of(f);

	tty_close(tf);
	kfree(tf);
}

static long tty_file_read(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	return tty_read(tf_of(f), buf, file_flags(f) & O_NONBLOCK);
}

static long tty_file_write(struct file *f, struct iobuf *buf, uint64_t *pos)
{
	return tty_write(tf_of(f), buf, file_flags(f) & O_NONBLOCK);
}

static unsigned tty_file_poll(struct file *f, struct poll_table *pt)
{
	struct tty_file *tf = tf_of(f);

	poll_wait(f, &tf->tty->read_wait, pt);
	poll_wait(f, &tf->tty->write_wait, pt);
	return tty_poll_events(tf);
}

/* TIOCGPTPEER: open the slave of this master, return a descriptor. */
static long open_peer(struct tty *master, unsigned long flags)
{
	char path[32];
	struct file *f;
	int fd;

	if (flags & ~(unsigned long)(O_ACCMODE | O_NOCTTY | O_NONBLOCK |
				     O_CLOEXEC))
		return -EINVAL;
	format_snprintf(path, sizeof(path), "/dev/pts/%u", pty_index(master));
	f = file_open_kernel(path, (int)flags, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install(f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static long tty_file_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct tty_file *tf = tf_of(f);

	if (cmd == TIOCGPTPEER && tf->tty->pty_master && !tty_file_hung_up(tf))
		return open_peer(tf->tty, arg);
	return tty_ioctl(tf, f, cmd, arg);
}

static long tty_file_llseek(struct file *f, long offset, int whence)
{
	return -ESPIPE;
}

#define TTY_FILE_OPS(open_fn)                                                \
	{                                                                    \
		.open = open_fn, .release = tty_file_release,                \
		.read = tty_file_read, .write = tty_file_write,              \
		.ioctl = tty_file_ioctl, .poll = tty_file_poll,              \
		.llseek = tty_file_llseek,                                   \
	}

static int serial_open(struct inode *inode, struct file *f)
{
	return attach(f, serial_tty(), false);
}

static int ptmx_open(struct file *f)
{
	struct tty *master = pty_alloc();
	char name[16];
	int err;

	if (IS_ERR(master))
		return (int)PTR_ERR(master);
	err = attach(f, master, true);
	if (err)
		return err;     /* the pair is free again: nothing is open */
	format_snprintf(name, sizeof(name), "pts/%u", pty_index(master));
	err = devtmpfs_create_node(name, S_IFCHR | 0620, PTS_MAJOR,
				   pty_index(master));
	if (err && err != -EEXIST)
		pr_warn("pty: cannot create /dev/%s (%d)\n", name, err);
	return 0;
}

static int aux_open(struct inode *inode, struct file *f)
{
	struct tty *ctty;

	switch (file_device_minor(f)) {
	case 0:         /* /dev/tty */
		ctty = tty_current_ctty();
		return ctty ? attach(f, ctty, true) : -ENXIO;
	case 1:         /* /dev/console */
		return attach(f, serial_tty(), true);
	case 2:
		return ptmx_open(f);
	}
	return -ENXIO;
}

static int pts_open(struct inode *inode, struct file *f)
{
	struct tty *slave = pty_slave_lookup(file_device_minor(f));

	if (IS_ERR(slave))
		return (int)PTR_ERR(slave);
	return attach(f, slave, false);
}

static const struct file_operations serial_fops = TTY_FILE_OPS(serial_open);
static const struct file_operations aux_fops = TTY_FILE_OPS(aux_open);
static const struct file_operations pts_fops = TTY_FILE_OPS(pts_open);

static void make_node(const char *name, unsigned mode, unsigned major,
		      unsigned minor)
{
	int err = devtmpfs_create_node(name, S_IFCHR | mode, major, minor);

	if (err && err != -EEXIST)
		pr_warn("tty: cannot create /dev/%s (%d)\n", name, err);
}

void tty_dev_init(void)
{
	if (chrdev_register(TTY_MAJOR, 64, 1, "ttyS", &serial_fops) ||
	    chrdev_register(TTYAUX_MAJOR, 0, 3, "tty", &aux_fops) ||
	    chrdev_register(PTS_MAJOR, 0, PTS_COUNT, "pts", &pts_fops)) {
		pr_err("tty: cannot register the character devices\n");
		return;
	}
	make_node("ttyS0", 0600, TTY_MAJOR, 64);
	make_node("tty", 0666, TTYAUX_MAJOR, 0);
	make_node("console", 0600, TTYAUX_MAJOR, 1);
	make_node("ptmx", 0666, TTYAUX_MAJOR, 2);
}
