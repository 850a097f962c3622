/*
 * TEMPORARY weak fallbacks for what the tty layer needs from the process
 * layer (process/process.h, the "needed from the process layer" part of
 * tty/tty.h) and from the VFS (iobuf copies), so that the tty code links
 * and its kernel-thread tests run before those layers exist.  They
 * describe a system with no processes: every caller is a kernel thread
 * with root credentials and no controlling terminal.
 *
 * Any strong definition elsewhere replaces the weak one at link time.
 * Delete this file once process/ and vfs/ define all of these.
 */
#include "tty/tty.h"
#include "include/errno.h"
#include "lib/string.h"
#include "process/process.h"
#include "syscall/uaccess.h"
#include "vfs/vfs.h"

__weak struct process *current_process(void)
{
	return NULL;
}

__weak const struct cred *current_cred(void)
{
	static const struct cred root;

	return &root;
}

__weak bool signal_pending(void)
{
	return false;
}

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

__weak int iobuf_copy_out(struct iobuf *b, size_t offset, const void *src,
			  size_t n)
{
	if (offset > b->len || n > b->len - offset)
		return -EFAULT;
	if (b->user)
		return copy_to_user(b->ubuf + offset, src, n);
	memcpy((char *)b->kbuf + offset, src, n);
	return 0;
}

__weak int iobuf_copy_in(void *dst, const struct iobuf *b, size_t offset,
			 size_t n)
{
	if (offset > b->len || n > b->len - offset)
		return -EFAULT;
	if (b->user)
		return copy_from_user(dst, b->ubuf + offset, n);
	memcpy(dst, (const char *)b->kbuf + offset, n);
	return 0;
}
