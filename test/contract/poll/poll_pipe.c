/* poll: POLLIN when data or EOF (POLLHUP), POLLOUT when room, POLLERR for a reader-less writer, POLLNVAL for bad fds. */
#include "contract.h"
#include <poll.h>

int main(void)
{
	int p[2];
	struct pollfd fds[2];

	CHECK_OK(pipe(p));
	fds[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK_EQ(poll(fds, 2, 0), 1);
	CHECK_EQ(fds[0].revents, 0);
	CHECK_EQ(fds[1].revents, POLLOUT);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(poll(fds, 2, 0), 2);
	CHECK_EQ(fds[0].revents, POLLIN);
	close(p[1]);
	CHECK_EQ(poll(fds, 1, 0), 1);
	CHECK_EQ(fds[0].revents, POLLIN | POLLHUP);
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(poll(fds, 1, 0), 1);
	CHECK_EQ(fds[0].revents, POLLHUP);

	CHECK_OK(pipe(p));
	close(p[0]);
	fds[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK_EQ(poll(fds, 1, 0), 1);
	CHECK(fds[0].revents & POLLERR);
	fds[0] = (struct pollfd){ .fd = 999, .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 0x55 };
	CHECK_EQ(poll(fds, 2, 0), 1);
	CHECK_EQ(fds[0].revents, POLLNVAL);
	CHECK_EQ(fds[1].revents, 0);	/* negative fds are ignored */
	return 0;
}
