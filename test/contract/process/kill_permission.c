/* An unprivileged process may not signal a process of another user (EPERM). */
#include "contract.h"

static pid_t victim;

static int child(void *arg)
{
	contract_drop_privs();
	errno = 0;
	if (kill(victim, SIGTERM) != -1 || errno != EPERM)
		return 1;
	errno = 0;
	if (kill(victim, 0) != -1 || errno != EPERM)
		return 2;
	/* Signalling itself is fine. */
	if (kill(getpid(), 0) != 0)
		return 3;
	return 0;
}

int main(void)
{
	contract_need_root();
	victim = CHECK_OK(fork());
	if (victim == 0) {
		pause();
		_exit(0);
	}
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	CHECK_OK(kill(victim, SIGKILL));
	CHECK_SIGNALED(contract_wait(victim), SIGKILL);
	return 0;
}
