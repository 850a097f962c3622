/* TIOCSCTTY makes a tty the controlling terminal (TIOCGSID, /dev/tty work); TIOCNOTTY drops it. */
#include "pty.h"

static int child(void *arg)
{
	const char *name = arg;
	pid_t sid;

	int s = open(name, O_RDWR | O_NOCTTY);
	if (s < 0)
		return 90;
	/* Not a session leader yet: EPERM. */
	errno = 0;
	if (ioctl(s, TIOCSCTTY, 0) != -1 || errno != EPERM)
		return 1;
	if (setsid() < 0)
		return 2;
	errno = 0;
	if (ioctl(s, TIOCGSID, &sid) != -1 || errno != ENOTTY)
		return 3;
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return 4;
	if (ioctl(s, TIOCSCTTY, 0) != 0)
		return 5;
	if (ioctl(s, TIOCGSID, &sid) || sid != getpid())
		return 6;
	int t = open("/dev/tty", O_RDWR);
	if (t < 0)
		return 7;
	if (tcgetpgrp(t) != getpid())
		return 8;
	/* The session leader giving up its terminal gets SIGHUP (ignored here). */
	signal(SIGHUP, SIG_IGN);
	if (ioctl(s, TIOCNOTTY) != 0)
		return 9;
	errno = 0;
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return 10;
	return 0;
}

static int steal(void *arg)
{
	int s = open(arg, O_RDWR | O_NOCTTY);

	if (s < 0 || setsid() < 0)
		return 90;
	/* Already the controlling tty of another session: EPERM without force. */
	errno = 0;
	return ioctl(s, TIOCSCTTY, 0) == -1 && errno == EPERM ? 0 : 1;
}

int main(void)
{
	int m, sync[2];
	char name[64], c;

	pty_open(&m, NULL, name, sizeof(name));
	CHECK_EXITED(contract_run_child(child, name), 0);
	CHECK_OK(pipe(sync));
	pid_t owner = CHECK_OK(fork());
	if (owner == 0) {
		if (pty_become_ctty(name) < 0)
			_exit(90);
		write(sync[1], "r", 1);
		pause();
		_exit(0);
	}
	CHECK_EQ(read(sync[0], &c, 1), 1);
	CHECK_EXITED(contract_run_child(steal, name), 0);
	kill(owner, SIGKILL);
	contract_wait(owner);
	return 0;
}
