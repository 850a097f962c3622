/* Output processing: OPOST|ONLCR turns NL into CR NL; without OPOST bytes pass unchanged. */
#include "pty.h"

int main(void)
{
	int m, s;
	char buf[16];
	struct termios t;

	pty_open(&m, &s, NULL, 0);
	CHECK_EQ(write(s, "a\nb", 3), 3);
	CHECK_EQ(pty_read(m, buf, 4, 1000), 4);
	CHECK(memcmp(buf, "a\r\nb", 4) == 0);
	CHECK_OK(tcgetattr(s, &t));
	t.c_oflag &= ~OPOST;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(s, "c\nd", 3), 3);
	CHECK_EQ(pty_read(m, buf, sizeof(buf), 200), 3);
	CHECK(memcmp(buf, "c\nd", 3) == 0);
	/* cfmakeraw turns everything off: raw bytes both ways. */
	cfmakeraw(&t);
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "\003\r", 2), 2);
	CHECK_EQ(pty_read(s, buf, 2, 1000), 2);
	CHECK(memcmp(buf, "\003\r", 2) == 0);
	return 0;
}
