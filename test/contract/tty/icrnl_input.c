/* ICRNL maps CR to NL on input; without it CR is passed through; INLCR/IGNCR variants. */
#include "pty.h"

int main(void)
{
	int m, s;
	char buf[16];
	struct termios t;

	pty_open(&m, &s, NULL, 0);
	pty_set_lflag(s, ICANON, ECHO);
	CHECK_EQ(write(m, "a\r", 2), 2);
	CHECK_EQ(pty_read(s, buf, 2, 1000), 2);
	CHECK(memcmp(buf, "a\n", 2) == 0);
	CHECK_OK(tcgetattr(s, &t));
	t.c_iflag &= ~ICRNL;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "b\r\n", 3), 3);
	CHECK_EQ(pty_read(s, buf, 3, 1000), 3);
	CHECK(memcmp(buf, "b\r\n", 3) == 0);
	t.c_iflag |= IGNCR;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "c\r\n", 3), 3);
	CHECK_EQ(pty_read(s, buf, 2, 1000), 2);
	CHECK(memcmp(buf, "c\n", 2) == 0);
	return 0;
}
