/* clock_getres: fine clocks report 1 ns, coarse clocks a tick (<= 10 ms); EINVAL for bad ids. */
#include "contract.h"

int main(void)
{
	struct timespec r;

	CHECK_OK(clock_getres(CLOCK_REALTIME, &r));
	CHECK_EQ(r.tv_sec, 0);
	CHECK_EQ(r.tv_nsec, 1);
	CHECK_OK(clock_getres(CLOCK_MONOTONIC, &r));
	CHECK_EQ(r.tv_nsec, 1);
	CHECK_OK(clock_getres(CLOCK_BOOTTIME, &r));
	CHECK_EQ(r.tv_nsec, 1);
	CHECK_OK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &r));
	CHECK_EQ(r.tv_nsec, 1);
	CHECK_OK(clock_getres(CLOCK_MONOTONIC_COARSE, &r));
	CHECK(r.tv_sec == 0 && r.tv_nsec >= 1000000 && r.tv_nsec <= 10000000);
	CHECK_OK(clock_getres(CLOCK_REALTIME_COARSE, &r));
	CHECK(r.tv_nsec >= 1000000 && r.tv_nsec <= 10000000);
	CHECK_OK(clock_getres(CLOCK_MONOTONIC, NULL));
	CHECK_ERRNO(clock_getres((clockid_t)12345, &r), EINVAL);
	return 0;
}
