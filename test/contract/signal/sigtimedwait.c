/* sigtimedwait takes a pending blocked signal with its siginfo, or times out with EAGAIN. */
#include "contract.h"

int main(void)
{
	sigset_t set;
	siginfo_t si;
	struct timespec ts = { 0, 50 * 1000000 };

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	long long t0 = contract_now_ns();
	CHECK_ERRNO(sigtimedwait(&set, &si, &ts), EAGAIN);
	CHECK(contract_now_ns() - t0 >= 50000000LL);

	pid_t parent = getpid();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		kill(parent, SIGUSR2);
		_exit(0);
	}
	ts.tv_sec = 5;
	CHECK_EQ(sigtimedwait(&set, &si, &ts), SIGUSR2);
	CHECK_EQ(si.si_signo, SIGUSR2);
	CHECK_EQ(si.si_code, SI_USER);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_uid, getuid());
	contract_wait(pid);
	/* Consumed: not pending any more. */
	sigset_t pend;
	sigpending(&pend);
	CHECK(!sigismember(&pend, SIGUSR2));
	ts.tv_sec = 0;
	ts.tv_nsec = 2000000000L;
	CHECK_ERRNO(sigtimedwait(&set, &si, &ts), EINVAL);
	return 0;
}
