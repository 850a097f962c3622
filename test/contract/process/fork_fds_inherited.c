/* A forked child inherits descriptors and the signal mask, but not pending signals. */
#include "contract.h"

int main(void)
{
	int p[2];
	sigset_t set, old;

	CHECK_OK(pipe(p));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	raise(SIGUSR1);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		sigset_t cur, pend;
		sigprocmask(SIG_BLOCK, NULL, &cur);
		sigpending(&pend);
		if (!sigismember(&cur, SIGUSR1))
			_exit(1);
		if (sigismember(&pend, SIGUSR1))
			_exit(2);
		if (write(p[1], "ok", 2) != 2)
			_exit(3);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	char buf[2];
	CHECK_EQ(read(p[0], buf, 2), 2);
	CHECK(memcmp(buf, "ok", 2) == 0);
	sigset_t pend;
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR1));
	return 0;
}
