/* A background process writing to its terminal: allowed without TOSTOP, stopped by SIGTTOU with it. */
#include "pty.h"

static int bg_write(int s)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		_exit(write(s, "x", 1) == 1 ? 0 : 1);
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
	pty_set_lflag(s, 0, TOSTOP);
	int st = bg_write(s);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 1;
	pty_set_lflag(s, TOSTOP, 0);
	st = bg_write(s);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTOU)
		return 2;
	/* tcsetattr from the background stops even without TOSTOP. */
	pty_set_lflag(s, 0, TOSTOP);
	pid_t pid = fork();
	if (pid == 0) {
		struct termios t;
		setpgid(0, 0);
		tcgetattr(s, &t);
		_exit(tcsetattr(s, TCSANOW, &t) == 0 ? 5 : 6);
	}
	setpgid(pid, pid);
	waitpid(pid, &st, WUNTRACED);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTOU)
		return 3;
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
