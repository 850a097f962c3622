/*
 * Time values shared with user space (x86_64 Linux ABI: include/uapi/
 * linux/time.h and time_types.h) and the pure arithmetic on them.
 *
 * Inside the kernel a point in time or a duration is an int64_t count of
 * nanoseconds ("ns"), like Linux's ktime_t: it covers +-292 years, and
 * conversions from user values saturate at TIME_NS_MAX instead of
 * overflowing.  The functions here have no state and no locks, so they are
 * compiled into the host unit tests as well.
 */
#ifndef TIME_TIMESPEC_H
#define TIME_TIMESPEC_H

#include "include/compiler.h"

#define NSEC_PER_SEC 1000000000LL
#define NSEC_PER_USEC 1000LL
#define USEC_PER_SEC 1000000LL
#define USER_HZ 100             /* clock_t ticks per second (times(2)) */
#define TIME_NS_MAX INT64_MAX   /* KTIME_MAX */
#define TIME_SEC_MAX (TIME_NS_MAX / NSEC_PER_SEC)   /* KTIME_SEC_MAX */

/* Linux's names for the 64-bit user forms (also keeps them apart from
 * the C library's in host tests). */
struct __kernel_timespec {
	int64_t tv_sec;
	long tv_nsec;
};

struct __kernel_old_timeval {
	int64_t tv_sec;
	long tv_usec;
};

struct timezone {
	int tz_minuteswest;     /* minutes west of Greenwich */
	int tz_dsttime;         /* type of DST correction */
};

struct __kernel_old_itimerval {
	struct __kernel_old_timeval it_interval;
	struct __kernel_old_timeval it_value;
};

STATIC_ASSERT(sizeof(struct __kernel_timespec) == 16, "timespec ABI");
STATIC_ASSERT(offsetof(struct __kernel_timespec, tv_nsec) == 8, "timespec ABI");
STATIC_ASSERT(sizeof(struct __kernel_old_timeval) == 16, "timeval ABI");
STATIC_ASSERT(offsetof(struct __kernel_old_timeval, tv_usec) == 8, "timeval ABI");
STATIC_ASSERT(sizeof(struct timezone) == 8, "timezone ABI");
STATIC_ASSERT(sizeof(struct __kernel_old_itimerval) == 32, "itimerval ABI");

/* timespec64_valid(): tv_sec >= 0 and 0 <= tv_nsec < 1e9. */
bool timespec_valid(const struct __kernel_timespec *ts);
/*
 * timespec64_valid_settod(): valid, and far enough below TIME_SEC_MAX
 * that the clock can run for 30 more years without overflowing.
 */
bool timespec_valid_settod(const struct __kernel_timespec *ts);
/* A valid timespec as nanoseconds, saturating at TIME_NS_MAX. */
int64_t timespec_to_ns(const struct __kernel_timespec *ts);
/* Nanoseconds (possibly negative) as a normalized timespec
 * (0 <= tv_nsec < 1e9, tv_sec rounded towards minus infinity). */
struct __kernel_timespec ns_to_timespec(int64_t ns);
/* Nanoseconds as a timeval, microseconds rounded down. */
struct __kernel_old_timeval ns_to_timeval(int64_t ns);
/* Non-negative nanoseconds as clock_t ticks at USER_HZ, rounded down. */
long ns_to_clock_t(uint64_t ns);
/* a + b for non-negative values, saturating at TIME_NS_MAX. */
int64_t time_ns_add_sat(int64_t a, int64_t b);

#endif
