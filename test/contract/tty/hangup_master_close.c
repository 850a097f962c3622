/* Closing the master hangs up the slave: the controlling process gets SIGHUP, writes fail with EIO, reads see EOF. */
#include "pty.h"

static volatile int hup;

static void handler(int sig)
{
	hup++;
}

int main(void)
{
	int m, sync[2], res[2];
	char name[64], c;

	pty_open(&m, NULL, name, sizeof(name));
	CHECK_OK(pipe(sync));
	CHECK_OK(pipe(res));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		sigset_t block, none;
		close(m);	/* the parent's close must be the last one */
		struct sigaction sa = { .sa_handler = handler };
		sigaction(SIGHUP, &sa, NULL);
		sigemptyset(&block);
		sigaddset(&block, SIGHUP);
		sigprocmask(SIG_BLOCK, &block, NULL);
		int s = pty_become_ctty(name);
		if (s < 0)
			_exit(90);
		write(sync[1], "r", 1);
		sigemptyset(&none);
		while (!hup)
			sigsuspend(&none);
		char r[3] = { 'h', 0, 0 };
		errno = 0;
		r[1] = write(s, "x", 1) == -1 && errno == EIO ? 'E' : 'w';
		r[2] = read(s, &c, 1) == 0 ? '0' : 'r';
		write(res[1], r, 3);
		_exit(0);
	}
	CHECK_EQ(read(sync[0], &c, 1), 1);
	CHECK_OK(close(m));
	char r[3];
	CHECK_EQ(read(res[0], r, 3), 3);
	CHECK_EQ(r[0], 'h');
	CHECK_EQ(r[1], 'E');
	CHECK_EQ(r[2], '0');
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
