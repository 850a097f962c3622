/* A background process reading its terminal is stopped by SIGTTIN; with SIGTTIN ignored, read fails with EIO. */
#include "pty.h"

static int bg_read(int s, int ignore)
{
	pid_t pid = fork();

	if (pid == 0) {
		char c;
		setpgid(0, 0);
		if (ignore)
			signal(SIGTTIN, SIG_IGN);
		errno = 0;
		_exit(read(s, &c, 1) == -1 && errno == EIO ? 7 : 8);
	}
	setpgid(pid, pid);
	int st;
	waitpid(pid, &st, WUNTRACED);
	if (WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return st;
}

static int child(void *arg)
{
	int s = pty_become_ctty(arg);

	if (s < 0)
		return 90;
	int st = bg_read(s, 0);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTIN)
		return 1;
	st = bg_read(s, 1);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
		return 2;
	return 0;
}

int main(void)
{
	int m;
	char name[64];

	pty_open(&m, NULL, name, sizeof(name));
	CHECK_EXITED(contract_run_child(child, name), 0);
	return 0;
}
