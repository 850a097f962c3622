/* sigqueue/rt_sigqueueinfo deliver si_value with SI_QUEUE to an SA_SIGINFO handler. */
#include "contract.h"

static volatile int got_val, got_code, got_pid;

static void handler(int sig, siginfo_t *si, void *uc)
{
	got_val = si->si_value.sival_int;
	got_code = si->si_code;
	got_pid = si->si_pid;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	union sigval v = { .sival_int = 0x5eed };

	CHECK_OK(sigaction(SIGRTMIN + 2, &sa, NULL));
	CHECK_OK(sigqueue(getpid(), SIGRTMIN + 2, v));
	CHECK_EQ(got_val, 0x5eed);
	CHECK_EQ(got_code, SI_QUEUE);
	CHECK_EQ(got_pid, getpid());

	/* Raw rt_sigqueueinfo with our own negative si_code is allowed to self. */
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGRTMIN + 2;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = 77;
	CHECK_OK(syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN + 2, &si));
	CHECK_EQ(got_val, 77);
	return 0;
}
