/* WUNTRACED reports a stop, WCONTINUED a continue; waitid reports CLD_STOPPED/CLD_CONTINUED. */
#include "contract.h"

int main(void)
{
	int st, p[2];
	siginfo_t si;
	char c;

	/* The children wait for our word after continuing, so that the
	 * continue is reported before the exit. */
	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		close(p[1]);
		raise(SIGSTOP);
		read(p[0], &c, 1);
		_exit(8);
	}
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st));
	CHECK_EQ(WSTOPSIG(st), SIGSTOP);
	/* The stop was consumed: no second report. */
	CHECK_EQ(waitpid(pid, &st, WUNTRACED | WNOHANG), 0);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
	CHECK(WIFCONTINUED(st));
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EXITED(contract_wait(pid), 8);

	pid = CHECK_OK(fork());
	if (pid == 0) {
		close(p[1]);
		raise(SIGTSTP);
		read(p[0], &c, 1);
		_exit(9);
	}
	CHECK_EQ(waitid(P_PID, pid, &si, WSTOPPED), 0);
	CHECK_EQ(si.si_code, CLD_STOPPED);
	CHECK_EQ(si.si_status, SIGTSTP);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitid(P_PID, pid, &si, WCONTINUED), 0);
	CHECK_EQ(si.si_code, CLD_CONTINUED);
	CHECK_EQ(si.si_status, SIGCONT);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EXITED(contract_wait(pid), 9);
	return 0;
}
