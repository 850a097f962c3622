/*
 * TTY core: the line discipline of each tty under its lock, and the
 * blocking around it.  Drivers push input with tty_receive(); readers and
 * writers come through tty_read()/tty_write() (from tty_file.c or kernel
 * callers with kernel iobufs).
 *
 * Locking (see tty.h for the order): tty->lock is an irq-safe spinlock
 * over the ldisc and the control fields; it is never held across a
 * driver call, a user copy, a signal or a sleep.  Bytes cross those
 * boundaries in small bounce buffers.  write_mutex keeps one writer's
 * output contiguous.
 *
 * Hangup: tty->hangup_gen counts hangups; a tty_file remembers the value
 * at open, so files opened before a hangup read 0 and fail writes with
 * EIO while later opens work (Linux's hung_up_tty_fops).
 */
#include "tty/tty.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "process/process.h"
#include "time/clock.h"
#include "vfs/vfs.h"

#define LOCAL_TRACE 0
#include "lib/printk.h"

#define CHUNK 256               /* bounce buffer for reads and writes */
#define DECISECOND_NS 100000000ULL

void tty_init(struct tty *tty, const char *name, const struct tty_driver_ops *ops,
	      const struct termios *termios)
{
	struct termios def;

	memset(tty, 0, sizeof(*tty));
	strlcpy(tty->name, name, sizeof(tty->name));
	tty->ops = ops;
	spin_lock_init(&tty->lock, "tty");
	if (!termios) {
		ldisc_default_termios(&def);
		termios = &def;
	}
	ldisc_init(&tty->ldisc, termios);
	tty->ispeed = tty->ospeed = 38400;
	mutex_init(&tty->write_mutex, "tty_write");
	wait_queue_init(&tty->read_wait);
	wait_queue_init(&tty->write_wait);
}

bool tty_file_hung_up(const struct tty_file *tf)
{
	return READ_ONCE(tf->tty->hangup_gen) != tf->gen;
}

/* Send the pending echo to the device (best effort, like Linux). */
static void flush_echo(struct tty *tty)
{
	uint8_t buf[LDISC_ECHO_SIZE];
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	size_t n = ldisc_echo_take(&tty->ldisc, buf, sizeof(buf));

	spin_unlock_irqrestore(&tty->lock, flags);
	for (size_t off = 0; off < n;) {
		size_t w = tty->ops->write(tty, buf + off, n - off);

		if (w == 0)
			break;
		off += w;
	}
}

static void send_signals(struct tty *tty, unsigned signals)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	int pgrp = tty->pgrp;

	spin_unlock_irqrestore(&tty->lock, flags);
	for (int sig = 1; sig < 32; sig++)
		if ((signals & (1u << sig)) && pgrp > 0)
			signal_send_pgrp(pgrp, sig);
}

size_t tty_receive(struct tty *tty, const uint8_t *buf, size_t n)
{
	struct ldisc_events ev = { 0 };
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	size_t used = ldisc_receive(&tty->ldisc, buf, n, &ev);

	spin_unlock_irqrestore(&tty->lock, flags);
	flush_echo(tty);
	if (ev.input_ready)
		sched_wake_all_key(&tty->read_wait, POLLIN | POLLRDNORM);
	if (ev.start || ev.flushed)
		sched_wake_all_key(&tty->write_wait, POLLOUT | POLLWRNORM);
	if (ev.signals)
		send_signals(tty, ev.signals);
	return used;
}

size_t tty_receive_room(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	size_t room = ldisc_receive_room(&tty->ldisc);

	spin_unlock_irqrestore(&tty->lock, flags);
	return room;
}

/* ---- open and close ---- */

int tty_open(struct tty *tty, struct tty_file *tf, unsigned flags, bool noctty)
{
	struct process *p = current_process();
	uint64_t irq;
	bool make_ctty;
	int err;

	irq = spin_lock_irqsave(&tty->lock);
	tty->count++;
	tf->tty = tty;
	tf->gen = tty->hangup_gen;
	tf->flags = flags;
	make_ctty = tty->session == 0;
	spin_unlock_irqrestore(&tty->lock, irq);
	if (tty->ops->open) {
		err = tty->ops->open(tty);
		if (err) {
			irq = spin_lock_irqsave(&tty->lock);
			tty->count--;
			spin_unlock_irqrestore(&tty->lock, irq);
			return err;
		}
	}
	/* Linux tty_open_proc_set_tty: a session leader without a ctty
	 * opening a free terminal for reading acquires it. */
	noctty = noctty || (flags & TTY_O_NOCTTY) || tty->pty_master;
	if (!noctty && make_ctty && p && p->pid == READ_ONCE(p->sid) &&
	    !READ_ONCE(p->ctty) && (flags & TTY_O_ACCMODE) != TTY_O_WRONLY)
		tty_set_ctty(tty);
	return 0;
}

void tty_close(struct tty_file *tf)
{
	struct tty *tty = tf->tty;
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	ASSERT(tty->count > 0);
	tty->count--;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (tty->ops->close)
		tty->ops->close(tty);
}

/* ---- read ---- */

/* Is there something for a blocked reader to look at? */
static bool read_wakeup(struct tty_file *tf)
{
	struct tty *tty = tf->tty;
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	bool ready = ldisc_readable(&tty->ldisc, false) || tty->other_closed ||
		     tty->hangup_gen != tf->gen;

	spin_unlock_irqrestore(&tty->lock, flags);
	return ready;
}

/*
 * VMIN/VTIME (termios(3), Linux n_tty_read): @minimum bytes end the read;
 * @first_ns bounds the wait for the first byte (0: forever), @inter_ns
 * the wait between later bytes (0: forever).  @nowait: never sleep.
 */
struct read_rules {
	size_t minimum;
	uint64_t first_ns, inter_ns;
	bool nowait;
	bool canon;
};

static void read_rules_get(struct tty *tty, struct read_rules *r)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	const struct termios *t = &tty->ldisc.termios;
	cc_t vmin = t->c_cc[VMIN], vtime = t->c_cc[VTIME];

	memset(r, 0, sizeof(*r));
	r->canon = t->c_lflag & ICANON;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (r->canon)
		return;
	if (vmin) {
		r->minimum = vmin;
		r->inter_ns = vtime * DECISECOND_NS;
	} else {
		r->minimum = 1;
		r->first_ns = vtime * DECISECOND_NS;
		r->nowait = vtime == 0;
	}
}

long tty_read(struct tty_file *tf, struct iobuf *buf, bool nonblock)
{
	struct tty *tty = tf->tty;
	struct read_rules rules;
	uint64_t timeout;
	size_t done = 0;
	long ret = 0;

	if (tty_file_hung_up(tf))
		return 0;
	ret = tty_check_job_control(tty, SIGTTIN);
	if (ret)
		return ret;
	read_rules_get(tty, &rules);
	timeout = rules.first_ns;
	while (done < buf->len) {
		uint8_t kbuf[CHUNK];
		bool line_done, other_closed;
		uint64_t flags = spin_lock_irqsave(&tty->lock);
		size_t n;

		if (!ldisc_readable(&tty->ldisc, false)) {
			other_closed = tty->other_closed;
			spin_unlock_irqrestore(&tty->lock, flags);
			if (other_closed) {
				ret = -EIO;
				break;
			}
			if (tty_file_hung_up(tf) || rules.nowait)
				break;
			if (nonblock) {
				ret = -EAGAIN;
				break;
			}
			ret = wait_event_interruptible_timeout(&tty->read_wait,
							       read_wakeup(tf),
							       timeout);
			if (ret == -ETIMEDOUT) {
				ret = 0;
				break;
			}
			if (ret)
				break;
			continue;
		}
		n = ldisc_read(&tty->ldisc, kbuf, MIN(sizeof(kbuf), buf->len - done),
			       &line_done);
		spin_unlock_irqrestore(&tty->lock, flags);
		if (tty->ops->input_consumed)
			tty->ops->input_consumed(tty);
		if (n && iobuf_copy_out(buf, done, kbuf, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		if (rules.canon) {
			if (line_done)
				break;
			continue;
		}
		if (done >= rules.minimum)
			break;
		if (rules.inter_ns)
			timeout = rules.inter_ns;
	}
	return done ? (long)done : ret;
}

/* ---- write ---- */

/* Can output go to the device now?  Also true when it never will. */
static bool write_wakeup(struct tty_file *tf, size_t need)
{
	struct tty *tty = tf->tty;
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	bool stopped = tty->ldisc.stopped, dead = tty->hangup_gen != tf->gen;

	spin_unlock_irqrestore(&tty->lock, flags);
	if (dead || (tty->link && READ_ONCE(tty->link->count) == 0))
		return true;
	return !stopped && tty->ops->write_room(tty) >= need;
}

static bool write_dead(struct tty_file *tf)
{
	return tty_file_hung_up(tf) ||
	       (tf->tty->link && READ_ONCE(tf->tty->link->count) == 0);
}

/* Hand @n processed bytes to the driver, waiting for room.  0 or -errno. */
static int write_out(struct tty_file *tf, const uint8_t *out, size_t n)
{
	struct tty *tty = tf->tty;

	while (n) {
		size_t w = tty->ops->write(tty, out, n);

		out += w;
		n -= w;
		if (!n)
			break;
		if (write_dead(tf))
			return -EIO;
		if (w == 0)
			wait_event_timeout(&tty->write_wait, write_wakeup(tf, 1),
					   0);
	}
	return 0;
}

/*
 * Process and send one chunk of source bytes; returns the bytes consumed
 * (0: an expansion such as CR NL or a tab needs more room than the device
 * has, *@need says how much to wait for) or -errno.
 */
static long write_chunk(struct tty_file *tf, const uint8_t *src, size_t n,
			bool nonblock, size_t *need)
{
	struct tty *tty = tf->tty;
	uint8_t out[2 * CHUNK];
	size_t room, used, produced;
	uint64_t flags;
	long err;

	for (;;) {
		if (write_dead(tf))
			return -EIO;
		if (write_wakeup(tf, *need))
			break;
		if (nonblock)
			return -EAGAIN;
		err = wait_event_interruptible(&tty->write_wait,
					       write_wakeup(tf, *need));
		if (err)
			return err;
	}
	room = MIN(tty->ops->write_room(tty), sizeof(out));
	flags = spin_lock_irqsave(&tty->lock);
	used = ldisc_output(&tty->ldisc, src, n, out, room, &produced);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (used == 0) {
		*need = 8;
		return 0;
	}
	*need = 1;
	err = write_out(tf, out, produced);
	return err ? err : (long)used;
}

long tty_write(struct tty_file *tf, struct iobuf *buf, bool nonblock)
{
	struct tty *tty = tf->tty;
	size_t done = 0, need = 1;
	long ret = 0;

	if (write_dead(tf))
		return -EIO;
	if (READ_ONCE(tty->ldisc.termios.c_lflag) & TOSTOP) {
		ret = tty_check_job_control(tty, SIGTTOU);
		if (ret)
			return ret;
	}
	mutex_lock(&tty->write_mutex);
	while (done < buf->len) {
		uint8_t src[CHUNK];
		size_t n = MIN(sizeof(src), buf->len - done), off = 0;

		if (iobuf_copy_in(src, buf, done, n)) {
			ret = -EFAULT;
			break;
		}
		while (off < n) {
			ret = write_chunk(tf, src + off, n - off, nonblock, &need);
			if (ret < 0)
				goto out;
			off += (size_t)ret;
			done += (size_t)ret;
		}
		ret = 0;
	}
out:
	mutex_unlock(&tty->write_mutex);
	return done ? (long)done : ret;
}

/* ---- poll ---- */

unsigned tty_poll_events(struct tty_file *tf)
{
	struct tty *tty = tf->tty;
	unsigned mask = 0;
	uint64_t flags;
	bool stopped;

	if (tty_file_hung_up(tf))
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM |
		       POLLWRNORM;
	flags = spin_lock_irqsave(&tty->lock);
	if (ldisc_readable(&tty->ldisc, true))
		mask |= POLLIN | POLLRDNORM;
	if (tty->other_closed)
		mask |= POLLHUP;
	stopped = tty->ldisc.stopped;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (!stopped && tty->ops->write_room(tty) > 0)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* ---- settings ---- */

static const speed_t baud_table[] = {
	0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800,
	9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000,
	921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000,
	3500000, 4000000,
};

/* Speed encoded in a CBAUD field (Linux tty_termios_baud_rate). */
static speed_t cbaud_speed(tcflag_t cbaud)
{
	unsigned i = cbaud & 017;

	if (cbaud & CBAUDEX)
		i += 15;
	return i < ARRAY_SIZE(baud_table) ? baud_table[i] : 0;
}

void tty_get_termios(struct tty *tty, struct termios2 *t)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	memcpy(t, &tty->ldisc.termios, sizeof(struct termios));
	t->c_ispeed = tty->ispeed;
	t->c_ospeed = tty->ospeed;
	spin_unlock_irqrestore(&tty->lock, flags);
}

void tty_set_termios(struct tty *tty, const struct termios2 *t)
{
	struct termios nt;
	tcflag_t cbaud = t->c_cflag & CBAUD, ibaud = (t->c_cflag >> 16) & CBAUD;
	speed_t ospeed = cbaud == BOTHER ? t->c_ospeed : cbaud_speed(cbaud);
	speed_t ispeed = ibaud == BOTHER ? t->c_ispeed :
			 ibaud ? cbaud_speed(ibaud) : ospeed;
	uint64_t flags;

	memcpy(&nt, t, sizeof(nt));
	flags = spin_lock_irqsave(&tty->lock);
	ldisc_set_termios(&tty->ldisc, &nt);
	tty->ispeed = ispeed;
	tty->ospeed = ospeed;
	spin_unlock_irqrestore(&tty->lock, flags);
	/* new VMIN/VTIME/ICANON or IXON off may satisfy sleepers */
	sched_wake_all(&tty->read_wait);
	sched_wake_all(&tty->write_wait);
}

void tty_get_winsize(struct tty *tty, struct winsize *ws)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	*ws = tty->winsize;
	spin_unlock_irqrestore(&tty->lock, flags);
}

void tty_set_winsize(struct tty *tty, const struct winsize *ws)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	bool changed = memcmp(ws, &tty->winsize, sizeof(*ws)) != 0;
	int pgrp = tty->pgrp;

	tty->winsize = *ws;
	spin_unlock_irqrestore(&tty->lock, flags);
	/* Linux tty_do_resize: SIGWINCH only for a real change */
	if (changed && pgrp > 0)
		signal_send_pgrp(pgrp, SIGWINCH);
}

void tty_flush_input(struct tty *tty)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	ldisc_flush_input(&tty->ldisc);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (tty->ops->input_consumed)
		tty->ops->input_consumed(tty);
}
