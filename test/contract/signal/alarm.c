/* alarm returns the seconds left on the previous alarm; alarm(0) cancels; SIGALRM kills by default. */
#include "contract.h"

static int child(void *arg)
{
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };

	setitimer(ITIMER_REAL, &it, NULL);
	for (;;)
		pause();
	return 0;
}

int main(void)
{
	CHECK_EQ(alarm(10), 0);
	unsigned left = alarm(5);
	CHECK(left == 10 || left == 9);
	left = alarm(0);
	CHECK(left == 5 || left == 4);
	CHECK_EQ(alarm(0), 0);
	CHECK_SIGNALED(contract_run_child(child, NULL), SIGALRM);
	/* Pending alarms are not inherited by a forked child. */
	alarm(100);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(alarm(0) == 0 ? 0 : 1);
	CHECK_EXITED(contract_wait(pid), 0);
	alarm(0);
	return 0;
}
