/* ITIMER_REAL fires after at least the interval, reloads from it_interval, and getitimer counts down. */
#include "contract.h"

static volatile int fires;

static void handler(int sig)
{
	fires++;
}

int main(void)
{
	struct itimerval it = { { 0, 20000 }, { 0, 50000 } }, cur, old;

	signal(SIGALRM, handler);
	long long t0 = contract_now_ns();
	CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
	CHECK_OK(getitimer(ITIMER_REAL, &cur));
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec <= 50000 && cur.it_value.tv_usec > 0);
	CHECK_EQ(cur.it_interval.tv_usec, 20000);
	while (fires < 3)
		pause();
	/* 50 ms + 2 * 20 ms at least. */
	CHECK(contract_now_ns() - t0 >= 90000000LL);
	memset(&it, 0, sizeof(it));
	CHECK_OK(setitimer(ITIMER_REAL, &it, &old));
	CHECK_EQ(old.it_interval.tv_usec, 20000);
	CHECK_OK(getitimer(ITIMER_REAL, &cur));
	CHECK_EQ(cur.it_value.tv_sec + cur.it_value.tv_usec, 0);
	it.it_value.tv_usec = 1000000;
	CHECK_ERRNO(setitimer(ITIMER_REAL, &it, NULL), EINVAL);
	CHECK_ERRNO(setitimer(99, &it, NULL), EINVAL);
	return 0;
}
