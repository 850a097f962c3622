/* WNOWAIT leaves the child waitable; WNOHANG with nothing ready zeroes si_pid. */
#include "contract.h"

int main(void)
{
	siginfo_t si;
	int p[2];
	char c;

	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(4);
	}
	close(p[0]);
	memset(&si, 0x5a, sizeof(si));
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED | WNOHANG), 0);
	CHECK_EQ(si.si_pid, 0);
	close(p[1]);
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_status, 4);
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EXITED(contract_wait(pid), 4);
	return 0;
}
