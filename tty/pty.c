/*
 * Unix 98 pseudo-terminals (pty(7)): opening /dev/ptmx allocates a pair
 * and returns the master; the slave is /dev/pts/N (major 136, minor N).
 * Bytes written to the master are the slave's input (through the slave's
 * line discipline); the slave's output (after OPOST) is what the master
 * reads.  The master's own ldisc stays raw: termios requests on the
 * master act on the slave (tty_ioctl.c), as on Linux.
 *
 * Lifecycle of a pair: allocated locked (TIOCSPTLCK 0 = unlockpt unlocks);
 * the slave can be opened while the master is open and the pair is
 * unlocked.  When every slave file closes the master sees "other closed"
 * (read: EIO once the data is drained, poll: POLLHUP); a new slave open
 * clears it.  Closing the master hangs the slave up.  When neither side
 * has files, the pair's slot is free for reuse; its memory is kept (see
 * tty.h on lifetime).
 *
 * Locking: pty_lock (a mutex) protects the table, in_use, locked and
 * the open counts' transitions through 0; each tty's own lock its data.
 * Order: pty_lock -> tty->lock; pty_lock -> process tree lock (hangup).
 */
#include "tty/tty.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/uaccess.h"
#include "vfs/vfs.h"

#define PTY_MAX 256             /* Linux: /proc/sys/kernel/pty/max */
#define PTY_SLAVE_MAJOR 136     /* UNIX98_PTY_SLAVE_MAJOR */
#define PTY_MASTER_MAJOR 128    /* UNIX98_PTY_MASTER_MAJOR */

struct pty_pair {
	struct tty master, slave;
	unsigned index;                 /* [I] */
	bool in_use;                    /* [pty_lock] */
	bool locked;                    /* [pty_lock] TIOCSPTLCK */
};

static struct mutex pty_lock = MUTEX_INIT(pty_lock, "pty");
static struct pty_pair *pty_table[PTY_MAX];     /* [pty_lock] */

static struct pty_pair *pair_of(struct tty *tty)
{
	return tty->driver_data;
}

static int tty_count(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	int n = tty->count;

	spin_unlock_irqrestore(&tty->lock, flags);
	return n;
}

static void set_other_closed(struct tty *tty, bool closed)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	tty->other_closed = closed;
	spin_unlock_irqrestore(&tty->lock, flags);
	sched_wake_all(&tty->read_wait);
	sched_wake_all(&tty->write_wait);
}

/* ---- data path ---- */

static size_t pty_write(struct tty *tty, const uint8_t *buf, size_t n)
{
	return tty_receive(tty->link, buf, n);
}

static size_t pty_write_room(struct tty *tty)
{
	return tty_receive_room(tty->link);
}

/* This side's reader made room: the peer's writers may go on. */
static void pty_input_consumed(struct tty *tty)
{
	sched_wake_all_key(&tty->link->write_wait, POLLOUT | POLLWRNORM);
}

/* ---- open and close ---- */

static int pty_master_open(struct tty *tty)
{
	return 0;
}

/* Linux pty_open for the slave: refused while locked or masterless. */
static int pty_slave_open(struct tty *tty)
{
	struct pty_pair *pair = pair_of(tty);
	int err = 0;

	mutex_lock(&pty_lock);
	if (!pair->in_use || pair->locked || tty_count(&pair->master) == 0)
		err = -EIO;
	else
		set_other_closed(&pair->master, false);
	mutex_unlock(&pty_lock);
	return err;
}

/* Called with pty_lock: free the slot once neither side is open. */
static void pair_maybe_free(struct pty_pair *pair)
{
	if (tty_count(&pair->master) == 0 && tty_count(&pair->slave) == 0)
		pair->in_use = false;
}

static void pty_master_close(struct tty *tty)
{
	struct pty_pair *pair = pair_of(tty);

	mutex_lock(&pty_lock);
	if (tty_count(tty) == 0) {
		set_other_closed(&pair->slave, true);
		tty_hangup(&pair->slave, false);
		pair_maybe_free(pair);
	}
	mutex_unlock(&pty_lock);
}

static void pty_slave_close(struct tty *tty)
{
	struct pty_pair *pair = pair_of(tty);

	mutex_lock(&pty_lock);
	if (tty_count(tty) == 0) {
		set_other_closed(&pair->master, true);
		pair_maybe_free(pair);
	}
	mutex_unlock(&pty_lock);
}

void pty_set_locked(struct tty *master, bool locked)
{
	mutex_lock(&pty_lock);
	pair_of(master)->locked = locked;
	mutex_unlock(&pty_lock);
}

/* ---- master ioctls: TIOCGPTN, TIOCSPTLCK, TIOCGPTLCK ---- */

static long pty_master_ioctl(struct tty *tty, struct file *f, unsigned cmd,
			     uaddr_t arg)
{
	struct pty_pair *pair = pair_of(tty);
	int val;

	switch (cmd) {
	case TIOCGPTN:
		return put_user(pair->index, (unsigned *)arg);
	case TIOCSPTLCK:
		if (get_user(val, (int *)arg))
			return -EFAULT;
		pty_set_locked(tty, val != 0);
		return 0;
	case TIOCGPTLCK:
		mutex_lock(&pty_lock);
		val = pair->locked;
		mutex_unlock(&pty_lock);
		return put_user(val, (int *)arg);
	}
	return -ENOTTY;
}

static const struct tty_driver_ops pty_master_ops = {
	.write = pty_write,
	.write_room = pty_write_room,
	.input_consumed = pty_input_consumed,
	.open = pty_master_open,
	.close = pty_master_close,
	.ioctl = pty_master_ioctl,
};

static const struct tty_driver_ops pty_slave_ops = {
	.write = pty_write,
	.write_room = pty_write_room,
	.input_consumed = pty_input_consumed,
	.open = pty_slave_open,
	.close = pty_slave_close,
};

/* ---- allocation ---- */

/* (Re)initialize both sides of @pair for a new user. */
static void pair_setup(struct pty_pair *pair)
{
	struct termios t;
	char name[16];

	ldisc_default_termios(&t);
	t.c_cflag = B38400 | CS8 | CREAD;
	format_snprintf(name, sizeof(name), "pts/%u", pair->index);
	tty_init(&pair->slave, name, &pty_slave_ops, &t);
	t.c_iflag = t.c_oflag = t.c_lflag = 0;
	format_snprintf(name, sizeof(name), "ptm%u", pair->index);
	tty_init(&pair->master, name, &pty_master_ops, &t);
	pair->master.link = &pair->slave;
	pair->slave.link = &pair->master;
	pair->master.pty_master = true;
	pair->master.driver_data = pair->slave.driver_data = pair;
	pair->master.major = PTY_MASTER_MAJOR;
	pair->slave.major = PTY_SLAVE_MAJOR;
	pair->master.minor = pair->slave.minor = pair->index;
	pair->in_use = true;
	pair->locked = true;            /* until unlockpt(3) */
}

struct tty *pty_alloc(void)
{
	struct tty *master = ERR_PTR(-ENOSPC);

	mutex_lock(&pty_lock);
	for (unsigned i = 0; i < PTY_MAX; i++) {
		struct pty_pair *pair = pty_table[i];

		if (pair && pair->in_use)
			continue;
		if (!pair) {
			pair = kzalloc(sizeof(*pair));
			if (!pair) {
				master = ERR_PTR(-ENOMEM);
				break;
			}
			pair->index = i;
			pty_table[i] = pair;
		}
		pair_setup(pair);
		master = &pair->master;
		break;
	}
	mutex_unlock(&pty_lock);
	return master;
}

struct tty *pty_slave_lookup(unsigned index)
{
	struct tty *slave = ERR_PTR(-EIO);

	if (index >= PTY_MAX)
		return ERR_PTR(-ENXIO);
	mutex_lock(&pty_lock);
	if (pty_table[index] && pty_table[index]->in_use)
		slave = &pty_table[index]->slave;
	mutex_unlock(&pty_lock);
	return slave;
}

unsigned pty_index(struct tty *tty)
{
	return pair_of(tty)->index;
}
