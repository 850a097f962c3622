/* FIONREAD counts bytes waiting on either side; TCFLSH/tcflush discards them. */
#include "pty.h"

int main(void)
{
	int m, s, n;
	char buf[16];
	struct termios t;

	pty_open(&m, &s, NULL, 0);
	CHECK_OK(tcgetattr(s, &t));
	cfmakeraw(&t);
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "12345", 5), 5);
	pty_wait_bytes(s, 5);
	CHECK_OK(ioctl(s, FIONREAD, &n));
	CHECK_EQ(n, 5);
	CHECK_EQ(read(s, buf, 2), 2);
	CHECK_OK(ioctl(s, FIONREAD, &n));
	CHECK_EQ(n, 3);
	CHECK_OK(ioctl(s, TCFLSH, TCIFLUSH));
	CHECK_OK(ioctl(s, FIONREAD, &n));
	CHECK_EQ(n, 0);
	CHECK_EQ(write(s, "out", 3), 3);
	pty_wait_bytes(m, 3);
	CHECK_OK(ioctl(m, FIONREAD, &n));
	CHECK_EQ(n, 3);
	CHECK_OK(tcflush(s, TCIOFLUSH));
	CHECK_ERRNO(ioctl(s, TCFLSH, 7), EINVAL);
	return 0;
}
