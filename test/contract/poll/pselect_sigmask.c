/* pselect6 and ppoll atomically install a signal mask: a blocked pending signal interrupts them (EINTR). */
#include "contract.h"
#include <poll.h>
#include <sys/select.h>

static volatile int hits;

static void handler(int sig)
{
	hits++;
}

int main(void)
{
	sigset_t block, empty;
	struct timespec ts = { 2, 0 };
	int p[2];
	fd_set r;

	CHECK_OK(pipe(p));
	signal(SIGUSR1, handler);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, NULL));
	raise(SIGUSR1);
	CHECK_EQ(hits, 0);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	long long t0 = contract_now_ns();
	CHECK_ERRNO(pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty), EINTR);
	CHECK_EQ(hits, 1);
	raise(SIGUSR1);
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	CHECK_ERRNO(ppoll(&pfd, 1, &ts, &empty), EINTR);
	CHECK_EQ(hits, 2);
	CHECK(contract_now_ns() - t0 < 1900000000LL);	/* no 2 s timeout hit */
	/* The original mask is back. */
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1));
	/* Timeout with the signal still blocked. */
	ts = (struct timespec){ 0, 30000000 };
	CHECK_EQ(ppoll(&pfd, 1, &ts, NULL), 0);
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO(ppoll(&pfd, 1, &ts, NULL), EINVAL);
	return 0;
}
