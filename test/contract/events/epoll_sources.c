/* epoll on eventfd, timerfd, signalfd and both ends of a pipe: EPOLLIN and
 * EPOLLOUT as the objects say, EPOLLHUP for a reader without writers and
 * EPOLLERR for a writer without readers (always reported), and a blocking
 * epoll_wait woken by a timer. */
#include "contract.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

static uint32_t events_of(int ep, uint64_t key, int timeout)
{
	struct epoll_event out[8];
	int n = CHECK_OK(epoll_wait(ep, out, 8, timeout));
	uint32_t ev = 0;

	for (int i = 0; i < n; i++)
		if (out[i].data.u64 == key)
			ev = out[i].events;
	return ev;
}

static void add(int ep, int fd, uint32_t events, uint64_t key)
{
	struct epoll_event ev = { .events = events, .data.u64 = key };

	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
}

int main(void)
{
	struct itimerspec its = { 0 };
	sigset_t mask;
	uint64_t v = 1;
	int ep, efd, tfd, sfd, p[2];
	long long start;

	ep = CHECK_OK(epoll_create1(0));

	efd = CHECK_OK(eventfd(0, 0));
	add(ep, efd, EPOLLIN | EPOLLOUT, 1);
	CHECK_EQ(events_of(ep, 1, 0), EPOLLOUT);
	CHECK_EQ(write(efd, &v, 8), 8);
	CHECK_EQ(events_of(ep, 1, 0), EPOLLIN | EPOLLOUT);
	CHECK_EQ(read(efd, &v, 8), 8);
	CHECK_EQ(events_of(ep, 1, 0), EPOLLOUT);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL));

	/* Pipe: the write end is writable; HUP and ERR come unasked. */
	CHECK_OK(pipe(p));
	add(ep, p[1], EPOLLOUT, 2);
	add(ep, p[0], EPOLLIN, 3);
	CHECK_EQ(events_of(ep, 2, 0), EPOLLOUT);
	CHECK_EQ(events_of(ep, 3, 0), 0);
	CHECK_OK(close(p[0]));                  /* also leaves the set */
	CHECK_EQ(events_of(ep, 2, 0), EPOLLOUT | EPOLLERR);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	close(p[1]);
	CHECK_OK(pipe(p));
	add(ep, p[0], EPOLLIN, 3);
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_OK(close(p[1]));
	CHECK_EQ(events_of(ep, 3, 0), EPOLLIN | EPOLLHUP);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));

	/* timerfd: epoll_wait sleeps until the timer fires. */
	tfd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	add(ep, tfd, EPOLLIN, 4);
	CHECK_EQ(events_of(ep, 4, 0), 0);
	its.it_value.tv_nsec = 30000000;
	start = contract_now_ns();
	CHECK_OK(timerfd_settime(tfd, 0, &its, NULL));
	CHECK_EQ(events_of(ep, 4, 5000), EPOLLIN);
	CHECK(contract_now_ns() - start >= 30000000);
	CHECK_EQ(read(tfd, &v, 8), 8);
	CHECK_EQ(v, 1);
	CHECK_EQ(events_of(ep, 4, 0), 0);

	/* signalfd: readable while a signal of its mask is pending. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &mask, NULL));
	sfd = CHECK_OK(signalfd(-1, &mask, SFD_NONBLOCK));
	add(ep, sfd, EPOLLIN, 5);
	CHECK_EQ(events_of(ep, 5, 0), 0);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(events_of(ep, 5, 0), EPOLLIN);
	struct signalfd_siginfo si;
	CHECK_EQ(read(sfd, &si, sizeof(si)), sizeof(si));
	CHECK_EQ(events_of(ep, 5, 0), 0);
	return 0;
}
