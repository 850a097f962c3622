/* select and poll work with descriptor numbers above 64 (multi-word fd sets). */
#include "contract.h"
#include <poll.h>
#include <sys/select.h>

int main(void)
{
	int p[2];
	fd_set r;
	struct timeval tv = { 0, 0 };

	CHECK_OK(pipe(p));
	CHECK_EQ(dup2(p[0], 200), 200);
	CHECK_EQ(dup2(p[1], 201), 201);
	CHECK_EQ(write(201, "x", 1), 1);
	FD_ZERO(&r);
	FD_SET(200, &r);
	CHECK_EQ(select(201, &r, NULL, NULL, &tv), 1);
	CHECK(FD_ISSET(200, &r));
	struct pollfd pfd[3] = { { .fd = 0, .events = 0 }, { .fd = 201, .events = POLLOUT },
				 { .fd = 200, .events = POLLIN } };
	CHECK_EQ(poll(pfd, 3, 0), 2);
	CHECK_EQ(pfd[2].revents, POLLIN);
	return 0;
}
