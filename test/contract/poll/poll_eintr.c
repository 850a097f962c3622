/* poll is interrupted by a caught signal with EINTR, even with SA_RESTART. */
#include "contract.h"
#include <poll.h>

static void handler(int sig)
{
}

int main(void)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 0 }, { 0, 30000 } };
	int p[2];

	CHECK_OK(pipe(p));
	CHECK_OK(sigaction(SIGALRM, &sa, NULL));
	CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	CHECK_ERRNO(poll(&pfd, 1, 3000), EINTR);
	return 0;
}
