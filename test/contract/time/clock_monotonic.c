/* Every clock can be read; MONOTONIC, BOOTTIME and the CPU clocks never go backwards. */
#include "contract.h"

static long long ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		CONTRACT_FAIL("clock_gettime(%d)", (int)c);
	if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		CONTRACT_FAIL("clock %d: tv_nsec %ld out of range", (int)c, ts.tv_nsec);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	clockid_t mono[] = { CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
			     CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
			     CLOCK_MONOTONIC_COARSE };
	long long prev[6];

	for (int i = 0; i < 6; i++)
		prev[i] = ns(mono[i]);
	for (int round = 0; round < 1000; round++)
		for (int i = 0; i < 6; i++) {
			long long now = ns(mono[i]);
			if (now < prev[i])
				CONTRACT_FAIL("clock %d went back by %lld ns", (int)mono[i], prev[i] - now);
			prev[i] = now;
		}
	CHECK(ns(CLOCK_REALTIME) > 1500000000LL * 1000000000LL);
	CHECK(ns(CLOCK_REALTIME_COARSE) > 1500000000LL * 1000000000LL);
	/* BOOTTIME includes suspend, so it is never behind MONOTONIC. */
	long long m = ns(CLOCK_MONOTONIC);
	CHECK(ns(CLOCK_BOOTTIME) >= m - 1000000LL);
	/* The coarse clock lags the fine one by at most a few ticks. */
	long long fine = ns(CLOCK_MONOTONIC);
	long long coarse = ns(CLOCK_MONOTONIC_COARSE);
	CHECK(coarse <= fine + 1000 && fine - coarse < 100000000LL);
	struct timespec ts;
	CHECK_ERRNO(clock_gettime((clockid_t)12345, &ts), EINVAL);
	return 0;
}
