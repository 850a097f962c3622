/* setpgid on a child works before it execs and fails with EACCES after. */
#include "contract.h"

int main(int argc, char **argv)
{
	int p[2];
	char c;

	if (argc > 1) {
		write(3, "x", 1);
		pause();
		return 0;
	}
	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char *cargv[] = { "/proc/self/exe", "--child", NULL };
		char *cenvp[] = { NULL };
		dup2(p[1], 3);
		execve("/proc/self/exe", cargv, cenvp);
		_exit(99);
	}
	close(p[1]);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_ERRNO(setpgid(pid, pid), EACCES);
	kill(pid, SIGKILL);
	CHECK_SIGNALED(contract_wait(pid), SIGKILL);
	/* Not our child at all: ESRCH. */
	CHECK_ERRNO(setpgid(pid, pid), ESRCH);
	return 0;
}
