/* SIGCHLD set to SIG_IGN: children do not become zombies. */
#include "contract.h"

int main(void)
{
	int st;

	signal(SIGCHLD, SIG_IGN);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(5);
	CHECK_ERRNO(waitpid(pid, &st, 0), ECHILD);
	/* Linux's waitpid can return ECHILD while the exiting child is
	 * being released on another CPU (already past its notification,
	 * pid not yet freed): it must vanish without being waited for. */
	int tries = 0;
	while (kill(pid, 0) == 0 && tries++ < 1000)
		contract_msleep(1);
	CHECK_ERRNO(kill(pid, 0), ESRCH);
	/* Back to default: zombies again. */
	signal(SIGCHLD, SIG_DFL);
	pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(6);
	contract_msleep(20);
	CHECK_OK(kill(pid, 0));	/* zombie still exists */
	CHECK_EXITED(contract_wait(pid), 6);
	return 0;
}
