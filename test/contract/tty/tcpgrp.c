/* TIOCGPGRP/TIOCSPGRP: the session's foreground group can be changed within the session only. */
#include "pty.h"

static int child(void *arg)
{
	const char *name = arg;
	int s = pty_become_ctty(name);

	if (s < 0)
		return 90;
	if (tcgetpgrp(s) != getpid())
		return 1;
	signal(SIGTTOU, SIG_IGN);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(pid, pid);
	if (tcsetpgrp(s, pid) != 0)
		return 2;
	pid_t pg;
	if (ioctl(s, TIOCGPGRP, &pg) || pg != pid)
		return 3;
	/* A group that does not exist in this session: EPERM. */
	errno = 0;
	if (tcsetpgrp(s, 1) != -1 || errno != EPERM)
		return 4;
	errno = 0;
	pg = -5;
	if (ioctl(s, TIOCSPGRP, &pg) != -1 || errno != EINVAL)
		return 5;
	if (tcsetpgrp(s, getpid()) != 0)
		return 6;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

int main(void)
{
	int m, s;
	char name[64];

	pty_open(&m, &s, name, sizeof(name));
	CHECK_EXITED(contract_run_child(child, name), 0);
	/* Not our controlling terminal: ENOTTY. */
	CHECK_ERRNO(tcgetpgrp(s), ENOTTY);
	return 0;
}
