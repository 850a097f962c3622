/*
 * Weak stand-ins for the process layer's credential and signal calls, so
 * that the VFS links and runs its in-kernel tests before process/ lands.
 * They describe a kernel thread: no process, root credentials, no signals.
 * The process layer's (strong) definitions replace them at link time;
 * delete this file once process/ is merged.
 */
#include "process/process.h"

static const struct cred root_cred;     /* all ids 0, no groups */

__weak struct process *current_process(void)
{
	return NULL;
}

__weak const struct cred *current_cred(void)
{
	return &root_cred;
}

__weak bool signal_pending(void)
{
	return false;
}

__weak void signal_raise_current(int sig)
{
}
