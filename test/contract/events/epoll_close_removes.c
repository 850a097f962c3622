/* epoll: an item goes away when the last descriptor of its open file
 * description is closed, not before (a dup keeps it, reported with the data
 * it was added with); a new file at the same descriptor number is a new
 * item. */
#include "contract.h"
#include <sys/epoll.h>

int main(void)
{
	struct epoll_event ev, out[4];
	int ep, p[2], dupfd, q[2];

	ep = CHECK_OK(epoll_create1(0));
	CHECK_OK(pipe(p));
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 100 };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	CHECK_EQ(write(p[1], "x", 1), 1);
	dupfd = CHECK_OK(dup(p[0]));

	/* Closing one of two descriptors: still watched. */
	CHECK_OK(close(p[0]));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u64, 100);
	/* ...but no longer reachable by that number. */
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), EBADF);

	/* The last one: gone, even though the pipe has data and a writer. */
	CHECK_OK(close(dupfd));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);

	/* The same number for a new pipe is a new item: no EEXIST. */
	CHECK_OK(pipe(q));
	CHECK_EQ(q[0], p[0]);
	ev.data.u64 = 200;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev));
	CHECK_EQ(write(q[1], "y", 1), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u64, 200);

	/* A child's copy of the descriptor keeps the item alive too. */
	char c;
	int sync[2];
	CHECK_EQ(read(q[0], &c, 1), 1);
	CHECK_OK(pipe(sync));
	fflush(NULL);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		close(q[1]);
		/* Drain only after the parent has looked. */
		_exit(read(sync[0], &c, 1) == 1 && read(q[0], &c, 1) == 1 ? 0 : 1);
	}
	CHECK_OK(close(q[0]));
	CHECK_EQ(write(q[1], "z", 1), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u64, 200);
	CHECK_EQ(write(sync[1], "go", 1), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
