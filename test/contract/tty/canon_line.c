/* Canonical mode: read returns one line at a time, only when complete; ^D ends a line without \n or gives EOF. */
#include "pty.h"

int main(void)
{
	int m, s;
	char buf[64];

	pty_open(&m, &s, NULL, 0);
	pty_set_lflag(s, ICANON, ECHO);
	CHECK_OK(fcntl(s, F_SETFL, O_NONBLOCK));
	CHECK_EQ(write(m, "par", 3), 3);
	contract_msleep(10);
	CHECK_ERRNO(read(s, buf, sizeof(buf)), EAGAIN);
	CHECK_EQ(write(m, "tial\nnext\n", 10), 10);
	pty_wait_readable(s);
	CHECK_EQ(read(s, buf, sizeof(buf)), 8);
	CHECK(memcmp(buf, "partial\n", 8) == 0);
	/* A short buffer gets the line piecewise. */
	CHECK_EQ(read(s, buf, 2), 2);
	CHECK_EQ(read(s, buf + 2, sizeof(buf) - 2), 3);
	CHECK(memcmp(buf, "next\n", 5) == 0);
	/* ^D: pushes "abc" without newline; then alone, EOF (0). */
	CHECK_EQ(write(m, "abc\004", 4), 4);
	pty_wait_readable(s);
	CHECK_EQ(read(s, buf, sizeof(buf)), 3);
	CHECK_EQ(write(m, "\004", 1), 1);
	pty_wait_readable(s);
	CHECK_EQ(read(s, buf, sizeof(buf)), 0);
	return 0;
}
