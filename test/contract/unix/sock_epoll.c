/* epoll and magic links with AF_UNIX sockets: a socket becomes readable
 * in epoll when its peer writes (edge and level), EPOLLRDHUP/EPOLLHUP on
 * peer shutdown/close, a listening socket is readable when a connection
 * is pending; opening /proc/self/fd/N of a socket fails with ENXIO. */
#include "contract.h"
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(void)
{
	int sv[2], ep;
	struct epoll_event ev, out[4];
	char buf[16], path[64];

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ep = CHECK_OK(epoll_create1(EPOLL_CLOEXEC));
	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
	ev.data.u32 = 7;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_EQ(write(sv[1], "ab", 2), 2);
	CHECK_EQ(epoll_wait(ep, out, 4, 1000), 1);
	CHECK_EQ(out[0].data.u32, 7u);
	CHECK_EQ(out[0].events, (unsigned)EPOLLIN);
	/* Edge-triggered: no new event until new data arrives. */
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_EQ(read(sv[0], buf, 1), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_OK(shutdown(sv[1], SHUT_WR));
	CHECK_EQ(epoll_wait(ep, out, 4, 1000), 1);
	CHECK_EQ(out[0].events, (unsigned)(EPOLLIN | EPOLLRDHUP));
	close(sv[1]);
	ev.events = EPOLLIN | EPOLLRDHUP;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, sv[0], &ev));
	CHECK_EQ(epoll_wait(ep, out, 4, 1000), 1);
	CHECK_EQ(out[0].events, (unsigned)(EPOLLIN | EPOLLRDHUP | EPOLLHUP));

	/* A listening socket: readable once a client connects. */
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", contract_path("sock"));
	int l = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(l, (struct sockaddr *)&a, sizeof(a)));
	CHECK_OK(listen(l, 4));
	ev.events = EPOLLIN;
	ev.data.u32 = 9;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);     /* sv[0] still hung up */
	int c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	CHECK_EQ(epoll_wait(ep, out, 4, 1000), 2);
	CHECK(out[0].data.u32 == 9 || out[1].data.u32 == 9);

	snprintf(path, sizeof(path), "/proc/self/fd/%d", c);
	CHECK_ERRNO(open(path, O_RDWR), ENXIO);
	return 0;
}
