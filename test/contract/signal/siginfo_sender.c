/* kill from another process: si_code SI_USER, si_pid and si_uid of the sender. */
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

	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pid_t parent = getpid();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		kill(parent, SIGUSR1);
		_exit(0);
	}
	sigemptyset(&none);
	while (!hits)
		sigsuspend(&none);
	CHECK_EQ(got.si_signo, SIGUSR1);
	CHECK_EQ(got.si_code, SI_USER);
	CHECK_EQ(got.si_pid, pid);
	CHECK_EQ(got.si_uid, getuid());
	contract_wait(pid);
	/* tgkill to self gives SI_TKILL. */
	CHECK_OK(syscall(SYS_tgkill, getpid(), contract_gettid(), SIGUSR1));
	sigsuspend(&none);
	CHECK_EQ(got.si_code, SI_TKILL);
	CHECK_EQ(got.si_pid, getpid());
	return 0;
}
