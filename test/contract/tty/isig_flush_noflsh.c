/* ^C also discards pending input (unless NOFLSH); with ISIG off it is an ordinary byte. */
#include "pty.h"

static void handler(int sig)
{
}

int main(void)
{
	int m;
	char name[64];
	int sync[2];

	pty_open(&m, NULL, name, sizeof(name));
	CHECK_OK(pipe(sync));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char buf[16];
		int s = pty_become_ctty(name);
		if (s < 0)
			_exit(90);
		signal(SIGINT, handler);
		pty_set_lflag(s, ICANON | ISIG, ECHO);
		write(sync[1], "1", 1);
		/* Parent types "lost" then ^C then "kept\n". */
		ssize_t n = read(s, buf, sizeof(buf));
		if (n != -1 && !(n == 5 && !memcmp(buf, "kept\n", 5)))
			_exit(1);
		if (n == -1) {
			n = read(s, buf, sizeof(buf));
			if (n != 5 || memcmp(buf, "kept\n", 5))
				_exit(2);
		}
		pty_set_lflag(s, 0, ISIG);
		write(sync[1], "2", 1);
		n = read(s, buf, sizeof(buf));
		if (n != 2 || buf[0] != 3)
			_exit(3);
		_exit(0);
	}
	char c;
	CHECK_EQ(read(sync[0], &c, 1), 1);
	CHECK_EQ(write(m, "lost", 4), 4);
	contract_msleep(20);
	CHECK_EQ(write(m, "\003", 1), 1);
	contract_msleep(20);
	CHECK_EQ(write(m, "kept\n", 5), 5);
	CHECK_EQ(read(sync[0], &c, 1), 1);
	CHECK_EQ(write(m, "\003\n", 2), 2);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
