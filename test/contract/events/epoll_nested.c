/* Nested epoll: an epoll fd inside another reports EPOLLIN when one of its
 * items is ready (and poll() on it too); waking the inner object wakes a
 * thread sleeping in the outer epoll_wait. */
#include "contract.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

int main(void)
{
	struct epoll_event ev, out[4];
	struct pollfd pfd;
	uint64_t v = 1;
	int inner, outer, efd;
	pid_t pid, parent = getpid();

	inner = CHECK_OK(epoll_create1(0));
	outer = CHECK_OK(epoll_create1(0));
	efd = CHECK_OK(eventfd(0, 0));
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 7 };
	CHECK_OK(epoll_ctl(inner, EPOLL_CTL_ADD, efd, &ev));
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 8 };
	CHECK_OK(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev));
	CHECK_EQ(epoll_wait(outer, out, 4, 0), 0);
	pfd = (struct pollfd){ .fd = inner, .events = POLLIN };
	CHECK_EQ(poll(&pfd, 1, 0), 0);

	CHECK_EQ(write(efd, &v, 8), 8);
	CHECK_EQ(poll(&pfd, 1, 0), 1);
	CHECK_EQ(pfd.revents, POLLIN);
	CHECK_EQ(epoll_wait(outer, out, 4, 0), 1);
	CHECK_EQ(out[0].events, EPOLLIN);
	CHECK_EQ(out[0].data.u64, 8);
	/* Looking at the outer set consumed nothing of the inner one. */
	CHECK_EQ(epoll_wait(inner, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u64, 7);
	CHECK_EQ(read(efd, &v, 8), 8);
	CHECK_EQ(epoll_wait(outer, out, 4, 0), 0);
	CHECK_EQ(poll(&pfd, 1, 0), 0);

	/* A sleeper in the outer set is woken through the inner one. */
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(parent);
		v = 3;
		_exit(write(efd, &v, 8) == 8 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(outer, out, 4, -1), 1);
	CHECK_EQ(out[0].data.u64, 8);
	CHECK_EXITED(contract_wait(pid), 0);

	/* Closing the inner epoll takes it out of the outer set. */
	CHECK_OK(close(inner));
	CHECK_EQ(epoll_wait(outer, out, 4, 0), 0);
	return 0;
}
