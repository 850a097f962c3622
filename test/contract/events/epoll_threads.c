/* Several threads in epoll_wait on one epoll set share the events of an
 * EFD_SEMAPHORE eventfd: every token written is taken exactly once, and
 * closing a watched descriptor while others wait is harmless. */
#include "contract.h"
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#define THREADS 4
#define TOKENS 400

static int ep, efd;
static int taken[THREADS];
static volatile int stop;

static void *consumer(void *arg)
{
	int id = (int)(intptr_t)arg;
	struct epoll_event ev;
	uint64_t v;

	while (!stop) {
		int n = epoll_wait(ep, &ev, 1, 100);

		if (n < 0 && errno != EINTR)
			return (void *)1;
		if (n == 1 && read(efd, &v, 8) == 8)
			taken[id] += (int)v;
	}
	return NULL;
}

int main(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_t th[THREADS];
	uint64_t one = 1;
	int total = 0;

	ep = CHECK_OK(epoll_create1(0));
	efd = CHECK_OK(eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK));
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_create(&th[i], NULL, consumer, (void *)(intptr_t)i) == 0);
	for (int i = 0; i < TOKENS; i++) {
		CHECK_EQ(write(efd, &one, 8), 8);
		if (i % 50 == 0) {
			/* Churn: a pipe added and closed while threads wait. */
			int p[2];
			CHECK_OK(pipe(p));
			CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev));
			CHECK_OK(close(p[1]));
			CHECK_OK(close(p[0]));
		}
	}
	/* Wait until every token is taken (5 s at most). */
	long long end = contract_now_ns() + 5000000000LL;
	uint64_t left;
	while (contract_now_ns() < end) {
		struct epoll_event e;
		if (epoll_wait(ep, &e, 1, 0) == 0)
			break;
		contract_msleep(5);
	}
	stop = 1;
	for (int i = 0; i < THREADS; i++) {
		void *ret;
		CHECK(pthread_join(th[i], &ret) == 0);
		CHECK(ret == NULL);
		total += taken[i];
	}
	errno = 0;
	CHECK(read(efd, &left, 8) < 0 && errno == EAGAIN);
	CHECK_EQ(total, TOKENS);
	return 0;
}
