/* setpgid/getpgid/setsid/getsid basic rules and errors. */
#include "contract.h"

int main(void)
{
	pid_t me = getpid();
	int st;

	CHECK_EQ(getpgid(0), getpgrp());
	CHECK_EQ(getsid(0), getsid(me));
	CHECK_ERRNO(getpgid(0x3fffffff), ESRCH);
	CHECK_ERRNO(getsid(0x3fffffff), ESRCH);
	CHECK_ERRNO(setpgid(0, -1), EINVAL);
	CHECK_ERRNO(setpgid(0x3fffffff, 0), ESRCH);

	/* A process group leader cannot call setsid. */
	CHECK_OK(setpgid(0, 0));
	CHECK_EQ(getpgrp(), me);
	CHECK_ERRNO(setsid(), EPERM);

	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		if (getpgrp() != me)
			_exit(1);
		pid_t s = setsid();
		if (s != getpid() || getsid(0) != s || getpgrp() != s)
			_exit(2);
		/* A session leader cannot change its process group. */
		errno = 0;
		if (setpgid(0, 0) != -1 || errno != EPERM)
			_exit(3);
		_exit(0);
	}
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EXITED(st, 0);

	/* A child in another session cannot be moved: EPERM. */
	int p[2];
	char c;
	CHECK_OK(pipe(p));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		setsid();
		write(p[1], "x", 1);
		pause();
		_exit(0);
	}
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_ERRNO(setpgid(pid, pid), EPERM);
	CHECK_EQ(getsid(pid), pid);
	kill(pid, SIGKILL);
	contract_wait(pid);
	return 0;
}
