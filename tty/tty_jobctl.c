/*
 * Controlling terminals and job control (POSIX XBD 11.1.2-11.1.4,
 * credentials(7), setsid(2), ioctl_tty(2); Linux tty_jobctrl.c semantics).
 *
 * A tty records the session it controls and its foreground process group
 * (tty->session, tty->pgrp under tty->lock); a process records its
 * controlling terminal (process->ctty, under the process tree lock, set
 * through process_set_ctty).  Invariant: a process's ctty, if any, is a
 * tty whose session is the process's session; whoever clears a tty's
 * session also clears the ctty of the session's processes.
 *
 * Nothing here holds tty->lock while calling into the process layer.
 */
#include "tty/tty.h"
#include "include/errno.h"
#include "process/process.h"

static void ctrl_get(struct tty *tty, int *session, int *pgrp)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	*session = tty->session;
	*pgrp = tty->pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
}

static void ctrl_set(struct tty *tty, int session, int pgrp)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);

	tty->session = session;
	tty->pgrp = pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
}

struct tty *tty_current_ctty(void)
{
	struct process *p = current_process();

	return p ? READ_ONCE(p->ctty) : NULL;
}

/* Linux __tty_check_change. */
int tty_check_job_control(struct tty *tty, int sig)
{
	struct process *p = current_process();
	int session, tty_pgrp, pgid;

	if (!p || READ_ONCE(p->ctty) != tty)
		return 0;
	ctrl_get(tty, &session, &tty_pgrp);
	pgid = READ_ONCE(p->pgid);
	if (!tty_pgrp || pgid == tty_pgrp)
		return 0;
	if (signal_ignored_or_blocked(sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (process_pgrp_orphaned(pgid))
		return -EIO;
	signal_send_pgrp(pgid, sig);
	return -ERESTARTSYS;
}

void tty_set_ctty(struct tty *tty)
{
	struct process *p = current_process();

	if (!p)
		return;
	ctrl_set(tty, READ_ONCE(p->sid), READ_ONCE(p->pgid));
	process_set_ctty(p, tty);
}

static bool caller_is_root(void)
{
	return current_cred()->euid == 0;
}

/* TIOCSCTTY (Linux tiocsctty): @arg 1 lets root steal the terminal. */
int tty_ioctl_sctty(struct tty *tty, struct tty_file *tf, long arg)
{
	struct process *p = current_process();
	int session, pgrp, sid;

	if (!p)
		return -EPERM;
	sid = READ_ONCE(p->sid);
	ctrl_get(tty, &session, &pgrp);
	if (p->pid == sid && session == sid)
		return 0;               /* already ours */
	if (p->pid != sid || READ_ONCE(p->ctty))
		return -EPERM;
	if (session) {
		if (arg != 1 || !caller_is_root())
			return -EPERM;
		process_session_clear_ctty(session, tty);
	}
	if ((tf->flags & TTY_O_ACCMODE) == TTY_O_WRONLY && !caller_is_root())
		return -EPERM;
	tty_set_ctty(tty);
	return 0;
}

/* Linux disassociate_ctty(): the session leader gives up its terminal. */
static void disassociate(struct process *p, bool on_exit)
{
	struct tty *tty = READ_ONCE(p->ctty);
	int sid = READ_ONCE(p->sid);

	if (tty) {
		int session, pgrp;

		if (on_exit && !tty->link) {
			tty_hangup(tty, true);
		} else {
			ctrl_get(tty, &session, &pgrp);
			if (pgrp > 0) {
				signal_send_pgrp(pgrp, SIGHUP);
				if (!on_exit)
					signal_send_pgrp(pgrp, SIGCONT);
			}
		}
		ctrl_set(tty, 0, 0);
	}
	process_session_clear_ctty(sid, NULL);
}

/* TIOCNOTTY on @tty (the terminal the file is open on). */
int tty_ioctl_notty(struct tty *tty)
{
	struct process *p = current_process();

	if (!p || READ_ONCE(p->ctty) != tty)
		return -ENOTTY;
	if (p->pid == READ_ONCE(p->sid))
		disassociate(p, false);
	process_set_ctty(p, NULL);
	return 0;
}

void tty_session_leader_exit(struct process *p)
{
	disassociate(p, true);
}

/* TIOCSPGRP (Linux tiocspgrp). */
int tty_ioctl_spgrp(struct tty *tty, int pgrp)
{
	struct process *p = current_process();
	int err = tty_check_job_control(tty, SIGTTOU);
	int session, old, sid, group_sid;

	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	if (pgrp < 0)
		return -EINVAL;
	if (!p)
		return -ENOTTY;
	sid = READ_ONCE(p->sid);
	ctrl_get(tty, &session, &old);
	if (READ_ONCE(p->ctty) != tty || session != sid)
		return -ENOTTY;
	group_sid = process_pgrp_session(pgrp);
	if (group_sid < 0)
		return -ESRCH;
	if (group_sid != sid)
		return -EPERM;
	ctrl_set(tty, session, pgrp);
	return 0;
}

/* TIOCGPGRP: @is_peer when asked through the pty master, which may. */
int tty_ioctl_gpgrp(struct tty *tty, bool is_peer, int *pgrp)
{
	int session;

	if (!is_peer && tty_current_ctty() != tty)
		return -ENOTTY;
	ctrl_get(tty, &session, pgrp);
	return 0;
}

int tty_ioctl_gsid(struct tty *tty, bool is_peer, int *sid)
{
	int pgrp;

	if (!is_peer && tty_current_ctty() != tty)
		return -ENOTTY;
	ctrl_get(tty, sid, &pgrp);
	return *sid ? 0 : -ENOTTY;
}

void tty_hangup(struct tty *tty, bool exit_session)
{
	uint64_t flags = spin_lock_irqsave(&tty->lock);
	int session = tty->session, pgrp = tty->pgrp;

	tty->hangup_gen++;
	tty->session = tty->pgrp = 0;
	ldisc_flush_input(&tty->ldisc);
	spin_unlock_irqrestore(&tty->lock, flags);
	/* Linux tty_signal_session_leader: the session forgets the tty,
	 * its leader gets SIGHUP and SIGCONT. */
	if (session) {
		process_session_clear_ctty(session, tty);
		signal_send_session_leader(session, SIGHUP);
		signal_send_session_leader(session, SIGCONT);
		if (exit_session && pgrp > 0)
			signal_send_pgrp(pgrp, SIGHUP);
	}
	sched_wake_all(&tty->read_wait);
	sched_wake_all(&tty->write_wait);
}
