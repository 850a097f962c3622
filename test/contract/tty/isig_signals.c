/* With ISIG, ^C ^\ ^Z typed on the master signal the foreground process group (SIGINT/SIGQUIT/SIGTSTP). */
#include "pty.h"

static int run(const char *name, int m, char key)
{
	int sync[2];
	char c;

	if (pipe(sync))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(sync[0]);
		if (pty_become_ctty(name) < 0)
			_exit(90);
		write(sync[1], "r", 1);
		for (;;)
			pause();
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) != 1)
		return -1;
	close(sync[0]);
	write(m, &key, 1);
	int st;
	waitpid(pid, &st, WUNTRACED);
	if (WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return st;
}

/*
 * ^Z: stop signals aimed at an orphaned process group are discarded, and a
 * session leader's own group is orphaned.  So the leader moves a child into
 * its own foreground group and reports how that child fared.
 */
static int run_tstp(const char *name, int m)
{
	int sync[2];
	char c;

	if (pipe(sync))
		return -1;
	pid_t leader = fork();
	if (leader == 0) {
		int s = pty_become_ctty(name);
		if (s < 0)
			_exit(90);
		pid_t g = fork();
		if (g == 0) {
			setpgid(0, 0);
			for (;;)
				pause();
		}
		setpgid(g, g);
		if (tcsetpgrp(s, g))
			_exit(91);
		write(sync[1], "r", 1);
		int st;
		waitpid(g, &st, WUNTRACED);
		kill(g, SIGKILL);
		_exit(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP ? 0 : 1);
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) != 1)
		return -1;
	close(sync[0]);
	write(m, "\032", 1);
	return contract_wait(leader);
}

int main(void)
{
	int m;
	char name[64];
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	pty_open(&m, NULL, name, sizeof(name));
	CHECK_SIGNALED(run(name, m, 3), SIGINT);
	CHECK_SIGNALED(run(name, m, 034), SIGQUIT);
	CHECK_EXITED(run_tstp(name, m), 0);
	return 0;
}
