/*
 * execve resets caught signals to SIG_DFL, keeps ignored ones ignored, and
 * keeps the signal mask and pending signals.
 */
#include "contract.h"

static void handler(int sig)
{
}

int main(int argc, char **argv)
{
	struct sigaction cur;
	sigset_t mask, pend;

	if (argc > 1) {
		sigaction(SIGUSR1, NULL, &cur);
		if (cur.sa_handler != SIG_DFL)
			return 1;
		sigaction(SIGUSR2, NULL, &cur);
		if (cur.sa_handler != SIG_IGN)
			return 2;
		sigprocmask(SIG_BLOCK, NULL, &mask);
		if (!sigismember(&mask, SIGTERM))
			return 3;
		sigpending(&pend);
		if (!sigismember(&pend, SIGTERM))
			return 4;
		return 0;
	}
	signal(SIGUSR1, handler);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	CHECK_OK(sigprocmask(SIG_BLOCK, &mask, NULL));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char *cargv[] = { "/proc/self/exe", "--child", NULL };
		char *cenvp[] = { NULL };
		raise(SIGTERM);
		execve("/proc/self/exe", cargv, cenvp);
		_exit(99);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
