/* timerfd: TFD_TIMER_ABSTIME on CLOCK_MONOTONIC, CLOCK_BOOTTIME and
 * CLOCK_REALTIME fires when the clock reaches the value; an absolute time in
 * the past counts every period already elapsed. */
#include "contract.h"
#include <sys/timerfd.h>

#define MS 1000000L

static struct timespec add_ns(struct timespec t, long long ns)
{
	long long v = t.tv_sec * 1000000000LL + t.tv_nsec + ns;

	t.tv_sec = v / 1000000000LL;
	t.tv_nsec = v % 1000000000LL;
	return t;
}

static long long ts_ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fires_at(clockid_t clk, int flags)
{
	struct itimerspec its = { 0 };
	struct timespec now;
	uint64_t n;
	int fd = CHECK_OK(timerfd_create(clk, 0));

	CHECK_OK(clock_gettime(clk, &now));
	its.it_value = add_ns(now, 30 * MS);
	CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME | flags, &its, NULL));
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK_EQ(n, 1);
	CHECK_OK(clock_gettime(clk, &now));
	CHECK(ts_ns(now) >= ts_ns(its.it_value));
	close(fd);
}

int main(void)
{
	struct itimerspec its = { 0 }, cur;
	struct timespec now;
	uint64_t n;
	int fd;

	fires_at(CLOCK_MONOTONIC, 0);
	fires_at(CLOCK_BOOTTIME, 0);
	fires_at(CLOCK_REALTIME, 0);
	fires_at(CLOCK_REALTIME, TFD_TIMER_CANCEL_ON_SET);

	/* 95 ms in the past with a 10 ms period: 10 expirations are due. */
	fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &now));
	its.it_value = add_ns(now, -95 * MS);
	its.it_interval.tv_nsec = 10 * MS;
	CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 10 && n < 20);
	CHECK_OK(timerfd_gettime(fd, &cur));    /* gettime is relative */
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 10 * MS);

	/* A one-shot in the past fires at once. */
	its.it_interval.tv_nsec = 0;
	CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	CHECK_OK(fcntl(fd, F_SETFL, 0));
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK_EQ(n, 1);
	return 0;
}
