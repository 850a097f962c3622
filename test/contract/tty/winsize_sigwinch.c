/* TIOCSWINSZ stores the size (TIOCGWINSZ on either side) and sends SIGWINCH to the foreground group. */
#include "pty.h"

static volatile int winch;

static void handler(int sig)
{
	winch++;
}

int main(void)
{
	int m, sync[2];
	char name[64], c;
	struct winsize ws = { .ws_row = 33, .ws_col = 101 }, got;

	pty_open(&m, NULL, name, sizeof(name));
	CHECK_OK(pipe(sync));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		sigset_t none;
		signal(SIGWINCH, handler);
		int s = pty_become_ctty(name);
		if (s < 0)
			_exit(90);
		write(sync[1], "r", 1);
		sigemptyset(&none);
		while (!winch)
			sigsuspend(&none);
		struct winsize w;
		if (ioctl(s, TIOCGWINSZ, &w) || w.ws_row != 33 || w.ws_col != 101)
			_exit(1);
		_exit(0);
	}
	CHECK_EQ(read(sync[0], &c, 1), 1);
	CHECK_OK(ioctl(m, TIOCSWINSZ, &ws));
	CHECK_OK(ioctl(m, TIOCGWINSZ, &got));
	CHECK_EQ(got.ws_row, 33);
	CHECK_EQ(got.ws_col, 101);
	CHECK_EXITED(contract_wait(pid), 0);
	int fd = CHECK_OK(open("/dev/null", O_RDONLY));
	CHECK_ERRNO(ioctl(fd, TIOCGWINSZ, &got), ENOTTY);
	return 0;
}
