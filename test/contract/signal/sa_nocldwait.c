/* SA_NOCLDWAIT: exited children are reaped at once; wait blocks until all are gone, then ECHILD. */
#include "contract.h"

int main(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };
	int st;

	CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
	pid_t a = CHECK_OK(fork());
	if (a == 0)
		_exit(1);
	long long t0 = contract_now_ns();
	pid_t b = CHECK_OK(fork());
	if (b == 0) {
		contract_msleep(50);
		_exit(2);
	}
	CHECK_ERRNO(waitpid(-1, &st, 0), ECHILD);
	CHECK(contract_now_ns() - t0 >= 30000000LL);	/* waited for b */
	/* Both are gone: no zombie for either. */
	CHECK_ERRNO(kill(a, 0), ESRCH);
	CHECK_ERRNO(kill(b, 0), ESRCH);
	return 0;
}
