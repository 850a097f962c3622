/* nanosleep interrupted by a handler returns EINTR with the remaining time filled in. */
#include "contract.h"

static void handler(int sig)
{
}

int main(void)
{
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };

	/* SA_RESTART does not apply to nanosleep. */
	CHECK_OK(sigaction(SIGALRM, &sa, NULL));
	CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
	CHECK_ERRNO(nanosleep(&req, &rem), EINTR);
	CHECK(rem.tv_sec >= 1 && rem.tv_sec <= 2);
	CHECK(rem.tv_sec < 2 || rem.tv_nsec == 0);
	return 0;
}
