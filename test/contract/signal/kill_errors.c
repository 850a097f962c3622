/* kill: signal 0 probes existence; ESRCH for no such process or group; EINVAL for bad signals. */
#include "contract.h"

int main(void)
{
	CHECK_OK(kill(getpid(), 0));
	CHECK_OK(kill(0, 0));
	CHECK_OK(kill(-getpgrp(), 0));
	CHECK_ERRNO(kill(0x3fffffff, 0), ESRCH);
	CHECK_ERRNO(kill(-0x3fffffff, SIGTERM), ESRCH);
	CHECK_ERRNO(kill(getpid(), 65), EINVAL);
	CHECK_ERRNO(kill(getpid(), -1), EINVAL);
	/* A zombie still exists for kill until it is reaped. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(0);
	siginfo_t si;
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));	/* now a zombie */
	CHECK_OK(kill(pid, 0));
	CHECK_OK(kill(pid, SIGKILL));	/* no effect on a zombie */
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_ERRNO(kill(pid, 0), ESRCH);
	return 0;
}
