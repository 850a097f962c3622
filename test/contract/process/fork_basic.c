/* fork: 0 in the child, the child's pid in the parent; getppid links them. */
#include "contract.h"

int main(void)
{
	pid_t parent = getpid(), pid;
	int p[2];

	CHECK_OK(pipe(p));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		pid_t me = getpid();
		if (getppid() != parent || me == parent)
			_exit(1);
		if (write(p[1], &me, sizeof(me)) != sizeof(me))
			_exit(2);
		_exit(42);
	}
	pid_t reported;
	CHECK_EQ(read(p[0], &reported, sizeof(reported)), sizeof(reported));
	CHECK_EQ(reported, pid);
	CHECK(pid != parent);
	CHECK_EXITED(contract_wait(pid), 42);
	CHECK_ERRNO(waitpid(pid, NULL, 0), ECHILD);
	return 0;
}
