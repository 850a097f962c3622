/* A process that blocks and ignores everything it can still dies from SIGKILL. */
#include "contract.h"

int main(void)
{
	int p[2];
	char c;

	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		for (int s = 1; s < 32; s++)
			signal(s, SIG_IGN);
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_OK(kill(pid, SIGTERM));
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_SIGNALED(contract_wait(pid), SIGKILL);
	return 0;
}
