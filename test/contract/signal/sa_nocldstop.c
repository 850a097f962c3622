/* SA_NOCLDSTOP suppresses SIGCHLD for stopped children but not for exits. */
#include "contract.h"

static volatile int chld;
static volatile int last_code;

static void handler(int sig, siginfo_t *si, void *uc)
{
	chld++;
	last_code = si->si_code;
}

/* Fork a child that stops itself; return it once it is stopped. */
static pid_t stopped_child(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, &st, WUNTRACED);
	contract_msleep(20);	/* let a SIGCHLD arrive, if any */
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	contract_wait(pid);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };

	CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
	pid_t c = stopped_child();
	CHECK_EQ(chld, 1);
	CHECK_EQ(last_code, CLD_STOPPED);
	reap(c);

	chld = 0;
	sa.sa_flags = SA_SIGINFO | SA_NOCLDSTOP;
	CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
	c = stopped_child();
	CHECK_EQ(chld, 0);
	reap(c);
	CHECK_EQ(chld, 1);	/* the kill is reported */
	chld = 0;
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(0);
	contract_wait(pid);
	contract_msleep(20);
	CHECK_EQ(chld, 1);
	CHECK_EQ(last_code, CLD_EXITED);
	return 0;
}
