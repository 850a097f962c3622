/* waitid(P_PID, WEXITED) fills siginfo: SIGCHLD, CLD_EXITED, pid, status, uid. */
#include "contract.h"

int main(void)
{
	siginfo_t si;
	pid_t pid = CHECK_OK(fork());

	if (pid == 0)
		_exit(33);
	memset(&si, 0xff, sizeof(si));
	CHECK_EQ(waitid(P_PID, pid, &si, WEXITED), 0);
	CHECK_EQ(si.si_signo, SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_status, 33);
	CHECK_EQ(si.si_uid, getuid());

	pid = CHECK_OK(fork());
	if (pid == 0) {
		raise(SIGTERM);
		_exit(1);
	}
	CHECK_EQ(waitid(P_ALL, 0, &si, WEXITED), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_code, CLD_KILLED);
	CHECK_EQ(si.si_status, SIGTERM);
	CHECK_ERRNO(waitid(P_ALL, 0, &si, WEXITED), ECHILD);
	CHECK_ERRNO(waitid(P_ALL, 0, &si, 0), EINVAL);
	return 0;
}
