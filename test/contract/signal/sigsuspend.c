/* sigsuspend atomically unblocks, waits for a handler, returns EINTR and restores the mask. */
#include "contract.h"

static volatile int hits;

static void handler(int sig)
{
	hits++;
}

int main(void)
{
	sigset_t block, waitmask, cur;

	signal(SIGUSR1, handler);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, NULL));
	pid_t parent = getpid();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_msleep(50);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	sigfillset(&waitmask);
	sigdelset(&waitmask, SIGUSR1);
	CHECK_ERRNO(sigsuspend(&waitmask), EINTR);
	CHECK_EQ(hits, 1);
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &cur));
	CHECK(sigismember(&cur, SIGUSR1));
	CHECK(sigismember(&cur, SIGUSR2));
	CHECK(!sigismember(&cur, SIGTERM));
	contract_wait(pid);
	/* An already pending signal makes sigsuspend return at once. */
	raise(SIGUSR1);
	CHECK_ERRNO(sigsuspend(&waitmask), EINTR);
	CHECK_EQ(hits, 2);
	return 0;
}
