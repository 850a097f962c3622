/* epoll on a FIFO (EPOLLIN, then EPOLLHUP when the writer goes, edge-
 * triggered) and on both sides of a pseudo-terminal (a line typed on the
 * master makes the slave readable, output of the slave the master). */
#include "contract.h"
#include "../tty/pty.h"
#include <sys/epoll.h>

/* Wait (up to 5 s) until the item @key reports; its events. */
static uint32_t wait_for(int ep, uint64_t key)
{
	struct epoll_event out[4];
	long long end = contract_now_ns() + 5000000000LL;

	while (contract_now_ns() < end) {
		int n = CHECK_OK(epoll_wait(ep, out, 4, 1000));

		for (int i = 0; i < n; i++)
			if (out[i].data.u64 == key)
				return out[i].events;
	}
	CONTRACT_FAIL("item %llu never became ready", (unsigned long long)key);
}

int main(void)
{
	struct epoll_event ev;
	const char *fifo = contract_path("fifo");
	char buf[64];
	int ep, rd, wr, master, slave;

	ep = CHECK_OK(epoll_create1(0));
	CHECK_OK(mkfifo(fifo, 0600));
	rd = CHECK_OK(open(fifo, O_RDONLY | O_NONBLOCK));
	wr = CHECK_OK(open(fifo, O_WRONLY));
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 1 };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, rd, &ev));
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_EQ(write(wr, "ab", 2), 2);
	CHECK_EQ(wait_for(ep, 1), EPOLLIN);
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_OK(close(wr));
	CHECK_EQ(wait_for(ep, 1), EPOLLIN | EPOLLHUP);
	CHECK_EQ(read(rd, buf, sizeof(buf)), 2);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, rd, NULL));

	pty_open(&master, &slave, NULL, 0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 2 };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, master, &ev));
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 3 };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, slave, &ev));
	ev = (struct epoll_event){ .events = EPOLLOUT, .data.u64 = 4 };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, dup(slave), &ev));
	CHECK_EQ(wait_for(ep, 4), EPOLLOUT);
	CHECK_EQ(write(master, "hi\n", 3), 3);
	CHECK_EQ(wait_for(ep, 3), EPOLLIN);
	CHECK_EQ(read(slave, buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "hi\n", 3) == 0);
	tcflush(master, TCIFLUSH);              /* the echo */
	CHECK_EQ(write(slave, "out", 3), 3);
	CHECK_EQ(wait_for(ep, 2), EPOLLIN);
	return 0;
}
