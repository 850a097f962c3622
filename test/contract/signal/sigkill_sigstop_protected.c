/* SIGKILL/SIGSTOP cannot be caught or ignored (EINVAL) nor blocked (silently dropped from the mask). */
#include "contract.h"

static void handler(int sig)
{
}

int main(void)
{
	struct sigaction sa = { .sa_handler = handler }, old;
	sigset_t all, cur;

	CHECK_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_IGN;
	CHECK_ERRNO(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERRNO(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	/* Reading the disposition is allowed. */
	CHECK_OK(sigaction(SIGKILL, NULL, &old));
	CHECK(old.sa_handler == SIG_DFL);
	CHECK_ERRNO(sigaction(0, &sa, NULL), EINVAL);
	CHECK_ERRNO(syscall(SYS_rt_sigaction, 65, NULL, &old, 8), EINVAL);
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4), EINVAL);
	sigfillset(&all);
	CHECK_OK(sigprocmask(SIG_BLOCK, &all, NULL));
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &cur));
	CHECK(!sigismember(&cur, SIGKILL));
	CHECK(!sigismember(&cur, SIGSTOP));
	CHECK(sigismember(&cur, SIGUSR1));
	return 0;
}
