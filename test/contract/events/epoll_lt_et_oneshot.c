/* epoll: level-triggered items are reported while ready; EPOLLET items once
 * per new event (a partial read brings nothing new); EPOLLONESHOT items once,
 * until EPOLL_CTL_MOD re-arms them; data comes back as given. */
#include "contract.h"
#include <sys/epoll.h>

static int wait0(int ep, struct epoll_event *out)
{
	return epoll_wait(ep, out, 8, 0);
}

int main(void)
{
	struct epoll_event ev, out[8];
	int ep, lt[2], et[2], one[2];
	char buf[8];

	ep = CHECK_OK(epoll_create1(0));
	CHECK_OK(pipe(lt));
	CHECK_OK(pipe(et));
	CHECK_OK(pipe(one));
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 0x1111222233334444ULL };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, lt[0], &ev));
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 2 };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, et[0], &ev));
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 3 };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, one[0], &ev));
	CHECK_EQ(wait0(ep, out), 0);

	/* Level-triggered: reported on every call while data is there. */
	CHECK_EQ(write(lt[1], "ab", 2), 2);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(wait0(ep, out), 1);
		CHECK_EQ(out[0].events, EPOLLIN);
		CHECK_EQ(out[0].data.u64, 0x1111222233334444ULL);
	}
	CHECK_EQ(read(lt[0], buf, 1), 1);
	CHECK_EQ(wait0(ep, out), 1);
	CHECK_EQ(read(lt[0], buf, 1), 1);
	CHECK_EQ(wait0(ep, out), 0);

	/* Edge-triggered: once per write, not again after a partial read. */
	CHECK_EQ(write(et[1], "abc", 3), 3);
	CHECK_EQ(wait0(ep, out), 1);
	CHECK_EQ(out[0].data.u64, 2);
	CHECK_EQ(wait0(ep, out), 0);
	CHECK_EQ(read(et[0], buf, 1), 1);
	CHECK_EQ(wait0(ep, out), 0);
	CHECK_EQ(write(et[1], "d", 1), 1);      /* a new event */
	CHECK_EQ(wait0(ep, out), 1);
	CHECK_EQ(out[0].data.u64, 2);
	CHECK_EQ(wait0(ep, out), 0);
	CHECK_EQ(read(et[0], buf, sizeof(buf)), 3);

	/* One-shot: once, then disabled even for new data, until MOD. */
	CHECK_EQ(write(one[1], "x", 1), 1);
	CHECK_EQ(wait0(ep, out), 1);
	CHECK_EQ(out[0].data.u64, 3);
	CHECK_EQ(wait0(ep, out), 0);
	CHECK_EQ(write(one[1], "y", 1), 1);
	CHECK_EQ(wait0(ep, out), 0);
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 4 };
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, one[0], &ev));
	CHECK_EQ(wait0(ep, out), 1);
	CHECK_EQ(out[0].data.u64, 4);
	CHECK_EQ(wait0(ep, out), 0);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, one[0], &ev), EEXIST);

	/* maxevents limits one call; the rest come next time. */
	CHECK_EQ(write(lt[1], "1", 1), 1);
	CHECK_EQ(write(et[1], "2", 1), 1);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, one[0], &ev));
	CHECK_EQ(epoll_wait(ep, out, 1, 0), 1);
	CHECK_EQ(epoll_wait(ep, out, 8, 0), 3);
	return 0;
}
