/* nanosleep interrupted by a handler returns EINTR with the remaining time filled in. */
#include "contract.h"

static void handler(int sig)
{
}

int main(void)
{
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	/* SA_RESTART does not apply to nanosleep. */
	CHECK_OK(sigaction(SIGALRM, &sa, NULL));
	pid_t parent = getpid();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(parent);
		contract_msleep(50);
		kill(parent, SIGALRM);
		_exit(0);
	}
	CHECK_ERRNO(nanosleep(&req, &rem), EINTR);
	contract_wait(pid);
	CHECK(rem.tv_sec >= 1 && rem.tv_sec <= 2);
	CHECK(rem.tv_sec < 2 || rem.tv_nsec == 0);
	return 0;
}
