/* poll is interrupted by a caught signal with EINTR, even with SA_RESTART. */
#include "contract.h"
#include <poll.h>

static void handler(int sig)
{
}

int main(void)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	int p[2];

	CHECK_OK(pipe(p));
	CHECK_OK(sigaction(SIGALRM, &sa, NULL));
	pid_t parent = getpid();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(parent);
		kill(parent, SIGALRM);
		_exit(0);
	}
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	CHECK_ERRNO(poll(&pfd, 1, 5000), EINTR);
	contract_wait(pid);
	return 0;
}
