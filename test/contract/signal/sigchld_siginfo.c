/* SIGCHLD to the parent carries the child's pid, status and CLD_EXITED / CLD_KILLED. */
#include "contract.h"

static volatile siginfo_t got;
static volatile int hits;

static void handler(int sig, siginfo_t *si, void *uc)
{
	got = *si;
	hits++;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	sigset_t block, none;

	CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&none);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(23);
	while (!hits)
		sigsuspend(&none);
	CHECK_EQ(got.si_signo, SIGCHLD);
	CHECK_EQ(got.si_code, CLD_EXITED);
	CHECK_EQ(got.si_pid, pid);
	CHECK_EQ(got.si_status, 23);
	contract_wait(pid);

	hits = 0;
	pid = CHECK_OK(fork());
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGKILL);
	while (!hits)
		sigsuspend(&none);
	CHECK_EQ(got.si_code, CLD_KILLED);
	CHECK_EQ(got.si_status, SIGKILL);
	contract_wait(pid);
	return 0;
}
