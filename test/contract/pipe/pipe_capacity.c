/* A pipe holds 65536 bytes by default; a non-blocking writer then gets EAGAIN; reading frees room. */
#include "contract.h"
#include <sys/ioctl.h>

#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ 1032
#define F_SETPIPE_SZ 1031
#endif

int main(void)
{
	int p[2];
	static char buf[8192];
	long total = 0;
	ssize_t n;

	CHECK_OK(pipe2(p, O_NONBLOCK));
	CHECK_EQ(fcntl(p[1], F_GETPIPE_SZ), 65536);
	memset(buf, 'p', sizeof(buf));
	while ((n = write(p[1], buf, sizeof(buf))) > 0)
		total += n;
	CHECK_EQ(n, -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(total, 65536);
	/* A write of at most PIPE_BUF bytes is all or nothing. */
	CHECK_EQ(read(p[0], buf, 100), 100);
	CHECK_ERRNO(write(p[1], buf, 200), EAGAIN);
	CHECK_EQ(read(p[0], buf, 4096), 4096);
	/* Once a page is free the small write fits. */
	CHECK_EQ(write(p[1], buf, 200), 200);
	int avail;
	CHECK_OK(ioctl(p[0], FIONREAD, &avail));
	CHECK_EQ(avail, 65536 - 4196 + 200);
	return 0;
}
