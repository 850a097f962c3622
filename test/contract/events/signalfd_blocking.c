/* signalfd: a blocking read sleeps until a signal of the mask arrives from
 * another process; a handled signal outside the mask interrupts it (EINTR). */
#include "contract.h"
#include <sys/signalfd.h>

static volatile sig_atomic_t got;

static void on_alarm(int sig)
{
	(void)sig;
	got = 1;
}

int main(void)
{
	struct signalfd_siginfo si;
	struct sigaction sa = { 0 };
	sigset_t mask;
	pid_t pid, parent = getpid();
	int fd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &mask, NULL));
	fd = CHECK_OK(signalfd(-1, &mask, 0));

	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(parent);
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	}
	CHECK_EQ(read(fd, &si, sizeof(si)), sizeof(si));
	CHECK_EQ(si.ssi_signo, SIGUSR1);
	CHECK_EQ(si.ssi_code, SI_USER);
	CHECK_EQ(si.ssi_pid, pid);
	CHECK_EXITED(contract_wait(pid), 0);

	/* A handler for another signal ends the wait (no SA_RESTART). */
	sa.sa_handler = on_alarm;
	CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(parent);
		_exit(kill(parent, SIGUSR2) == 0 ? 0 : 1);
	}
	CHECK_ERRNO(read(fd, &si, sizeof(si)), EINTR);
	CHECK(got);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
