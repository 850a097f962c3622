/* A non-blocking write larger than PIPE_BUF writes what fits and returns the short count. */
#include "contract.h"

int main(void)
{
	int p[2];
	static char buf[65536 + 10000];

	CHECK_OK(pipe2(p, O_NONBLOCK));
	CHECK_EQ(write(p[1], buf, 1000), 1000);
	ssize_t n = write(p[1], buf, sizeof(buf));
	CHECK(n > 0 && n <= 65536 - 1000);
	CHECK_ERRNO(write(p[1], buf, 10000), EAGAIN);
	return 0;
}
