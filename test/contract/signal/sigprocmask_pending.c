/* A blocked signal stays pending (sigpending) and is delivered when unblocked. */
#include "contract.h"

static volatile int hits;

static void handler(int sig)
{
	hits++;
}

int main(void)
{
	sigset_t set, old, pend;

	signal(SIGUSR1, handler);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	CHECK(!sigismember(&old, SIGUSR1));
	raise(SIGUSR1);
	CHECK_EQ(hits, 0);
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR1));
	CHECK(!sigismember(&pend, SIGUSR2));
	/* Delivered before sigprocmask returns. */
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	CHECK_EQ(hits, 1);
	CHECK_OK(sigpending(&pend));
	CHECK(!sigismember(&pend, SIGUSR1));
	/* SIG_SETMASK replaces; bad how is EINVAL. */
	CHECK_OK(sigprocmask(SIG_SETMASK, &set, NULL));
	CHECK_OK(sigprocmask(SIG_SETMASK, NULL, &old));
	CHECK(sigismember(&old, SIGUSR1));
	CHECK_ERRNO(sigprocmask(99, &set, NULL), EINVAL);
	/* A pending blocked signal ignored by SIG_IGN is discarded. */
	raise(SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	CHECK_OK(sigpending(&pend));
	CHECK(!sigismember(&pend, SIGUSR1));
	return 0;
}
