/*
 * ioctl_tty(2) and tty_ioctl(4): copy arguments in and out of user
 * memory, then call the core (tty_core.c) or job-control (tty_jobctl.c)
 * functions.  On a pty master, the termios, window-size and job-control
 * requests act on the slave, as on Linux (tty_pair_get_tty).
 * Unknown requests fail with ENOTTY; on a hung-up file everything fails
 * with EIO except TIOCSPGRP (ENOTTY), as Linux's hung_up_tty_ioctl.
 */
#include "tty/tty.h"
#include "include/errno.h"
#include "process/process.h"
#include "syscall/uaccess.h"

/* The tty that settings requests on @tty act on. */
static struct tty *settings_tty(struct tty *tty)
{
	return tty->pty_master ? tty->link : tty;
}

enum { SET_NOW, SET_DRAIN, SET_FLUSH };

/* TCSETS*, TCSETS2*: Linux set_termios(). */
static long set_termios(struct tty *tty, uaddr_t arg, bool v2, int when)
{
	struct termios2 t;
	long err = tty_check_job_control(tty, SIGTTOU);

	if (err)
		return err;
	if (v2) {
		if (copy_from_user(&t, arg, sizeof(t)))
			return -EFAULT;
	} else {
		if (copy_from_user(&t, arg, sizeof(struct termios)))
			return -EFAULT;
		t.c_ispeed = t.c_ospeed = 0;
	}
	if (when == SET_FLUSH)
		tty_flush_input(tty);
	/* output is written synchronously, so it has drained already */
	if (when != SET_NOW && signal_pending())
		return -ERESTARTSYS;
	tty_set_termios(tty, &t);
	return 0;
}

static long get_termios(struct tty *tty, uaddr_t arg, bool v2)
{
	struct termios2 t;

	tty_get_termios(tty, &t);
	if (copy_to_user(arg, &t, v2 ? sizeof(t) : sizeof(struct termios)))
		return -EFAULT;
	return 0;
}

static long flush(struct tty *tty, long arg)
{
	long err = tty_check_job_control(tty, SIGTTOU);

	if (err)
		return err;
	switch (arg) {
	case TCIFLUSH:
	case TCIOFLUSH:
		tty_flush_input(tty);
		return 0;
	case TCOFLUSH:
		return 0;       /* output is never queued */
	default:
		return -EINVAL;
	}
}

/* TCXONC: suspend or resume output, or send STOP/START. */
static long xonc(struct tty *tty, long arg)
{
	long err = tty_check_job_control(tty, SIGTTOU);
	uint64_t flags;
	uint8_t c;

	if (err)
		return err;
	switch (arg) {
	case TCOOFF:
	case TCOON:
		flags = spin_lock_irqsave(&tty->lock);
		tty->ldisc.stopped = arg == TCOOFF;
		spin_unlock_irqrestore(&tty->lock, flags);
		sched_wake_all(&tty->write_wait);
		return 0;
	case TCIOFF:
	case TCION:
		flags = spin_lock_irqsave(&tty->lock);
		c = tty->ldisc.termios.c_cc[arg == TCIOFF ? VSTOP : VSTART];
		spin_unlock_irqrestore(&tty->lock, flags);
		if (c != POSIX_VDISABLE)
			tty->ops->write(tty, &c, 1);
		return 0;
	default:
		return -EINVAL;
	}
}

static long winsize_ioctl(struct tty *tty, unsigned cmd, uaddr_t arg)
{
	struct winsize ws;

	if (cmd == TIOCGWINSZ) {
		tty_get_winsize(tty, &ws);
		return copy_to_user(arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	tty_set_winsize(tty, &ws);
	return 0;
}

/* TIOCSTI: push a byte into the input queue (Linux tiocsti). */
static long sti(struct tty *tty, uaddr_t arg)
{
	uint8_t c;

	if (tty_current_ctty() != tty && current_cred()->euid != 0)
		return -EPERM;
	if (get_user(c, arg))
		return -EFAULT;
	tty_receive(tty, &c, 1);
	return 0;
}

/* Job-control requests; -ENOIOCTLCMD-like 1 if @cmd is not one. */
static long jobctl_ioctl(struct tty_file *tf, unsigned cmd, uaddr_t arg)
{
	struct tty *tty = tf->tty, *real = settings_tty(tty);
	int val, err;

	switch (cmd) {
	case TIOCSCTTY:
		return tty_ioctl_sctty(real, tf, (long)arg);
	case TIOCNOTTY:
		return tty_ioctl_notty(tty);
	case TIOCGPGRP:
		err = tty_ioctl_gpgrp(real, tty != real, &val);
		return err ? err : put_user(val, (int *)arg);
	case TIOCSPGRP: {
		int pgrp;

		if (get_user(pgrp, (int *)arg))
			return -EFAULT;
		return tty_ioctl_spgrp(real, pgrp);
	}
	case TIOCGSID:
		err = tty_ioctl_gsid(real, tty != real, &val);
		return err ? err : put_user(val, (int *)arg);
	}
	return 1;
}

long tty_ioctl(struct tty_file *tf, struct file *f, unsigned cmd, uaddr_t arg)
{
	struct tty *tty = tf->tty, *real = settings_tty(tty);
	long ret;

	if (tty_file_hung_up(tf))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	if (tty->ops->ioctl) {
		ret = tty->ops->ioctl(tty, f, cmd, arg);
		if (ret != -ENOTTY)
			return ret;
	}
	ret = jobctl_ioctl(tf, cmd, arg);
	if (ret != 1)
		return ret;
	switch (cmd) {
	case TCGETS:
		return get_termios(real, arg, false);
	case TCGETS2:
		return get_termios(real, arg, true);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(real, arg, false, cmd - TCSETS);
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
		return set_termios(real, arg, true, cmd - TCSETS2);
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return winsize_ioctl(real, cmd, arg);
	case FIONREAD: {
		uint64_t flags = spin_lock_irqsave(&tty->lock);
		int n = (int)ldisc_inq(&tty->ldisc);

		spin_unlock_irqrestore(&tty->lock, flags);
		return put_user(n, (int *)arg);
	}
	case TIOCOUTQ:
		return put_user(0, (int *)arg);
	case TCFLSH:
		return flush(tty, (long)arg);
	case TCXONC:
		return xonc(tty, (long)arg);
	case TCSBRK:
	case TCSBRKP:
		return 0;       /* tcdrain/tcsendbreak: output is synchronous */
	case TIOCGETD:
		return put_user(N_TTY, (int *)arg);
	case TIOCSETD: {
		int ld;

		if (get_user(ld, (int *)arg))
			return -EFAULT;
		return ld == N_TTY ? 0 : -EINVAL;
	}
	case TIOCGDEV: {
		unsigned dev = (real->minor & 0xff) | (real->major << 8) |
			       ((real->minor & ~0xffu) << 12);

		return put_user(dev, (unsigned *)arg);
	}
	case TIOCEXCL:
	case TIOCNXCL:
		return 0;
	case TIOCSTI:
		return sti(tty, arg);
	case TIOCVHANGUP:
		if (current_cred()->euid != 0)
			return -EPERM;
		tty_hangup(tty, false);
		return 0;
	}
	return -ENOTTY;
}
