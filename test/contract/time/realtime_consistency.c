/* gettimeofday, time() and CLOCK_REALTIME agree with each other. */
#include "contract.h"

int main(void)
{
	struct timeval tv;
	struct timespec ts;

	for (int i = 0; i < 100; i++) {
		time_t t1 = time(NULL);
		CHECK_OK(gettimeofday(&tv, NULL));
		CHECK_OK(clock_gettime(CLOCK_REALTIME, &ts));
		time_t t2 = time(NULL);
		CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
		/* Linux's time() reads the clock as of the last tick (the
		 * coarse clock), so it may trail gettimeofday by one tick:
		 * across a second boundary t2 can be one second behind. */
		CHECK(t1 <= tv.tv_sec && tv.tv_sec <= t2 + 1);
		long long a = tv.tv_sec * 1000000LL + tv.tv_usec;
		long long b = ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
		CHECK(b >= a && b - a < 1000000);
	}
	time_t t;
	CHECK_EQ(syscall(SYS_time, &t), t);
	struct timezone tz;
	CHECK_OK(gettimeofday(&tv, &tz));
	CHECK_ERRNO(syscall(SYS_gettimeofday, (void *)1, NULL), EFAULT);
	return 0;
}
