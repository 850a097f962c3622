/* timerfd: a periodic timer counts every expiration, also those that pass
 * between reads (reads return the count since the last read); gettime reports
 * the interval and the time to the next expiration. */
#include "contract.h"
#include <sys/timerfd.h>

#define MS 1000000L

int main(void)
{
	struct itimerspec its = { 0 }, cur;
	long long start, elapsed;
	uint64_t n, total;
	int fd;

	fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	its.it_value.tv_nsec = 10 * MS;
	its.it_interval.tv_nsec = 10 * MS;
	start = contract_now_ns();
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK_EQ(cur.it_interval.tv_sec, 0);
	CHECK_EQ(cur.it_interval.tv_nsec, 10 * MS);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 10 * MS);

	/* Several periods pass unread: one read returns them all. */
	contract_msleep(100);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	elapsed = contract_now_ns() - start;
	CHECK(n >= 10);
	CHECK(n <= (uint64_t)(elapsed / (10 * MS)));
	total = n;

	/* The next read waits for the next period and gets (usually) 1. */
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 1);
	total += n;
	elapsed = contract_now_ns() - start;
	CHECK(total <= (uint64_t)(elapsed / (10 * MS)));
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 10 * MS);
	CHECK_EQ(cur.it_interval.tv_nsec, 10 * MS);
	return 0;
}
