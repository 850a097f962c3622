/*
 * Conversions between user-space time values and kernel nanoseconds.
 * Pure functions (see timespec.h); the validity rules are Linux's
 * (include/linux/time64.h).
 */
#include "time/timespec.h"

/* Seconds of uptime a settod value must leave room for (TIME_UPTIME_SEC_MAX). */
#define TIME_UPTIME_SEC_MAX (30LL * 365 * 24 * 3600)
#define TIME_SETTOD_SEC_MAX (TIME_SEC_MAX - TIME_UPTIME_SEC_MAX)

bool timespec_valid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC_PER_SEC;
}

bool timespec_valid_settod(const struct __kernel_timespec *ts)
{
	return timespec_valid(ts) && ts->tv_sec <= TIME_SETTOD_SEC_MAX;
}

int64_t timespec_to_ns(const struct __kernel_timespec *ts)
{
	if (ts->tv_sec >= TIME_SEC_MAX)
		return TIME_NS_MAX;
	return time_ns_add_sat(ts->tv_sec * NSEC_PER_SEC, ts->tv_nsec);
}

struct __kernel_timespec ns_to_timespec(int64_t ns)
{
	struct __kernel_timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_nsec = (long)(ns % NSEC_PER_SEC),
	};

	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

struct __kernel_old_timeval ns_to_timeval(int64_t ns)
{
	struct __kernel_timespec ts = ns_to_timespec(ns);

	return (struct __kernel_old_timeval){
		.tv_sec = ts.tv_sec,
		.tv_usec = ts.tv_nsec / NSEC_PER_USEC,
	};
}

long ns_to_clock_t(uint64_t ns)
{
	return (long)(ns / (NSEC_PER_SEC / USER_HZ));
}

int64_t time_ns_add_sat(int64_t a, int64_t b)
{
	if (a > TIME_NS_MAX - b)
		return TIME_NS_MAX;
	return a + b;
}
