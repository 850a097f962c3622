/* pause returns -1/EINTR after a caught signal; an ignored signal does not wake it. */
#include "contract.h"

static volatile int hits;

static void handler(int sig)
{
	hits++;
}

int main(void)
{
	signal(SIGUSR1, handler);
	signal(SIGUSR2, SIG_IGN);
	pid_t parent = getpid();
	long long t0 = contract_now_ns();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(parent);	/* in pause() */
		contract_msleep(30);
		kill(parent, SIGUSR2);
		contract_msleep(30);
		contract_wait_sleeping(parent);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK_ERRNO(pause(), EINTR);
	CHECK_EQ(hits, 1);
	CHECK(contract_now_ns() - t0 >= 50000000LL);
	contract_wait(pid);
	return 0;
}
