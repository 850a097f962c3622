/*
 * Real-time signals queue: every instance is delivered, in order, with its
 * value, lowest signal number first.  Standard signals coalesce into one.
 */
#include "contract.h"

static int order[16], values[16], n;

static void handler(int sig, siginfo_t *si, void *uc)
{
	if (n < 16) {
		order[n] = sig;
		values[n] = si->si_value.sival_int;
		n++;
	}
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	sigset_t set;
	int lo = SIGRTMIN + 1, hi = SIGRTMIN + 4;

	sigemptyset(&set);
	sigaddset(&set, lo);
	sigaddset(&set, hi);
	sigaddset(&set, SIGUSR1);
	/* Handlers block the others so they run one after another, not nested. */
	sa.sa_mask = set;
	CHECK_OK(sigaction(lo, &sa, NULL));
	CHECK_OK(sigaction(hi, &sa, NULL));
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	for (int i = 0; i < 3; i++) {
		union sigval v = { .sival_int = 100 + i };
		CHECK_OK(sigqueue(getpid(), hi, v));
		v.sival_int = 200 + i;
		CHECK_OK(sigqueue(getpid(), lo, v));
		raise(SIGUSR1);
	}
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	CHECK_EQ(n, 7);
	/* Standard signals are delivered before real-time ones. */
	CHECK_EQ(order[0], SIGUSR1);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(order[1 + i], lo);
		CHECK_EQ(values[1 + i], 200 + i);
		CHECK_EQ(order[4 + i], hi);
		CHECK_EQ(values[4 + i], 100 + i);
	}
	return 0;
}
