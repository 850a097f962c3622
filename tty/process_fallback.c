/*
 * TEMPORARY weak fallbacks for what the tty layer needs from the process
 * layer (process/process.h, the "needed from the process layer" part of
 * tty/tty.h), so that the tty code links and its kernel-thread tests run
 * before process/ exists (vfs/process_stubs.c has current_process,
 * current_cred and signal_pending).  They
 * describe a system with no processes: every caller is a kernel thread
 * with root credentials and no controlling terminal.
 *
 * Any strong definition elsewhere replaces the weak one at link time.
 * Delete this file once process/ and vfs/ define all of these.
 */
#include "tty/tty.h"
#include "include/errno.h"
#include "process/process.h"

__weak int signal_send_pgrp(int pgid, int sig)
{
	return -ESRCH;
}

__weak int signal_send_process(struct process *p, int sig)
{
	return -ESRCH;
}

__weak bool process_pgrp_orphaned(int pgid)
{
	return true;
}

__weak int process_pgrp_session(int pgid)
{
	return -ESRCH;
}

__weak void process_set_ctty(struct process *p, struct tty *tty)
{
	WRITE_ONCE(p->ctty, tty);
}

__weak void process_session_clear_ctty(int sid, struct tty *tty)
{
}

__weak bool signal_ignored_or_blocked(int sig)
{
	return false;
}

__weak int signal_send_session_leader(int sid, int sig)
{
	return -ESRCH;
}
