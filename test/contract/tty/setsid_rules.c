/* setsid makes a new session without a controlling terminal; setpgid can only join groups in the same session. */
#include "pty.h"

int main(void)
{
	int sync[2];
	char c;

	CHECK_OK(pipe(sync));
	pid_t a = CHECK_OK(fork());
	if (a == 0) {
		if (setsid() != getpid())
			_exit(1);
		/* No controlling tty in a new session. */
		if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
			_exit(2);
		write(sync[1], "r", 1);
		pause();
		_exit(0);
	}
	CHECK_EQ(read(sync[0], &c, 1), 1);
	CHECK_EQ(getsid(a), a);
	CHECK_EQ(getpgid(a), a);
	/* Joining a process group of another session: EPERM. */
	pid_t b = CHECK_OK(fork());
	if (b == 0) {
		errno = 0;
		_exit(setpgid(0, a) == -1 && errno == EPERM ? 0 : 1);
	}
	CHECK_EXITED(contract_wait(b), 0);
	kill(a, SIGKILL);
	contract_wait(a);
	return 0;
}
