/* ECHO sends input back to the master (with ONLCR), ECHOCTL shows controls as ^X, no ECHO is silent. */
#include "pty.h"

int main(void)
{
	int m, s;
	char buf[64];
	struct termios t;

	pty_open(&m, &s, NULL, 0);
	CHECK_OK(tcgetattr(s, &t));
	t.c_lflag |= ECHO | ECHOCTL | ICANON;
	t.c_lflag &= ~ISIG;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "hi\n", 3), 3);
	CHECK_EQ(pty_read(m, buf, 4, 1000), 4);
	CHECK(memcmp(buf, "hi\r\n", 4) == 0);
	CHECK_EQ(write(m, "\001\n", 2), 2);
	CHECK_EQ(pty_read(m, buf, 4, 1000), 4);
	CHECK(memcmp(buf, "^A\r\n", 4) == 0);
	/* Erase with ECHOE echoes backspace-space-backspace. */
	t.c_lflag |= ECHOE;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "a\177", 2), 2);
	CHECK_EQ(pty_read(m, buf, 4, 1000), 4);
	CHECK(memcmp(buf, "a\b \b", 4) == 0);
	CHECK_EQ(write(m, "\n", 1), 1);
	CHECK_EQ(pty_read(m, buf, 2, 1000), 2);
	/* ECHO off: nothing comes back. */
	t.c_lflag &= ~ECHO;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "quiet\n", 6), 6);
	CHECK_EQ(pty_read(m, buf, sizeof(buf), 100), 0);
	CHECK_EQ(pty_read(s, buf, 6, 1000), 6);
	return 0;
}
