/* EPOLLEXCLUSIVE items report like others; with no thread waiting every
 * epoll watching the object gets the event (exclusivity only limits how
 * many sleeping waiters one wakeup wakes). */
#include "contract.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>

int main(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE }, out[2];
	uint64_t v = 1;
	int a, b, efd;
	pid_t pid, parent = getpid();

	efd = CHECK_OK(eventfd(0, 0));
	a = CHECK_OK(epoll_create1(0));
	b = CHECK_OK(epoll_create1(0));
	ev.data.u64 = 1;
	CHECK_OK(epoll_ctl(a, EPOLL_CTL_ADD, efd, &ev));
	ev.data.u64 = 2;
	CHECK_OK(epoll_ctl(b, EPOLL_CTL_ADD, efd, &ev));
	CHECK_EQ(epoll_wait(a, out, 2, 0), 0);
	CHECK_EQ(write(efd, &v, 8), 8);
	CHECK_EQ(epoll_wait(a, out, 2, 0), 1);
	CHECK_EQ(out[0].events, EPOLLIN);
	CHECK_EQ(out[0].data.u64, 1);
	CHECK_EQ(epoll_wait(b, out, 2, 0), 1);
	CHECK_EQ(out[0].data.u64, 2);
	CHECK_EQ(read(efd, &v, 8), 8);

	/* A sleeper is woken through an exclusive item. */
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(parent);
		_exit(write(efd, &v, 8) == 8 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(b, out, 2, -1), 1);
	CHECK_EQ(out[0].data.u64, 2);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
