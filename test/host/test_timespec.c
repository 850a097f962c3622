/*
 * Host tests for time/timespec.c: validity rules, saturating conversion to
 * nanoseconds, normalization of negative values, clock_t ticks; and
 * process/cputime.c and process/rlimit.c (pure CPU-time and limit rules).
 */
#include <string.h>
#include "test/host/host_test.h"
#include "time/timespec.h"
#include "process/resource.h"
#include "include/errno.h"

static void timespec_cases(void)
{
	static const struct {
		const char *name;
		struct __kernel_timespec ts;
		bool valid, settod;
		int64_t ns;
	} cases[] = {
		{ "zero", { 0, 0 }, true, true, 0 },
		{ "max nsec", { 1, 999999999 }, true, true, 1999999999 },
		{ "nsec 1e9 invalid", { 1, 1000000000 }, false, false, -1 },
		{ "negative nsec invalid", { 1, -1 }, false, false, -1 },
		{ "negative sec invalid", { -1, 0 }, false, false, -1 },
		{ "year 2038+", { 4102444800LL, 5 }, true, true, 4102444800000000005LL },
		{ "sec at KTIME_SEC_MAX saturates", { TIME_SEC_MAX, 0 }, true, false,
		  TIME_NS_MAX },
		{ "huge sec saturates", { INT64_MAX, 999999999 }, true, false,
		  TIME_NS_MAX },
		{ "just under saturation", { TIME_SEC_MAX - 1, 0 }, true, false,
		  (TIME_SEC_MAX - 1) * NSEC_PER_SEC },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char n[128];

		snprintf(n, sizeof(n), "timespec %s: valid", cases[i].name);
		CHECK(n, timespec_valid(&cases[i].ts) == cases[i].valid);
		snprintf(n, sizeof(n), "timespec %s: valid_settod", cases[i].name);
		CHECK(n, timespec_valid_settod(&cases[i].ts) == cases[i].settod);
		if (cases[i].valid) {
			snprintf(n, sizeof(n), "timespec %s: to ns", cases[i].name);
			CHECK(n, timespec_to_ns(&cases[i].ts) == cases[i].ns);
		}
	}
}

static void conversion_cases(void)
{
	struct __kernel_timespec ts;
	struct __kernel_old_timeval tv;

	ts = ns_to_timespec(1500000000);
	CHECK("ns_to_timespec positive", ts.tv_sec == 1 && ts.tv_nsec == 500000000);
	ts = ns_to_timespec(-1);
	CHECK("ns_to_timespec -1 normalizes", ts.tv_sec == -1 && ts.tv_nsec == 999999999);
	ts = ns_to_timespec(-2000000000);
	CHECK("ns_to_timespec whole negative", ts.tv_sec == -2 && ts.tv_nsec == 0);
	ts = ns_to_timespec(TIME_NS_MAX);
	CHECK("ns_to_timespec max", ts.tv_sec == TIME_SEC_MAX &&
	      ts.tv_nsec == TIME_NS_MAX % NSEC_PER_SEC);
	tv = ns_to_timeval(1234567899);
	CHECK("ns_to_timeval rounds down", tv.tv_sec == 1 && tv.tv_usec == 234567);
	tv = ns_to_timeval(-1);
	CHECK("ns_to_timeval negative", tv.tv_sec == -1 && tv.tv_usec == 999999);
	CHECK("clock_t 0", ns_to_clock_t(0) == 0);
	CHECK("clock_t 9.99ms is 0 ticks", ns_to_clock_t(9999999) == 0);
	CHECK("clock_t 1s is USER_HZ", ns_to_clock_t(1000000000) == USER_HZ);
	CHECK("add_sat normal", time_ns_add_sat(1, 2) == 3);
	CHECK("add_sat saturates", time_ns_add_sat(TIME_NS_MAX - 1, 5) == TIME_NS_MAX);
}

static void cputime_cases(void)
{
	uint64_t u, s;
	struct rusage ru;

	cputime_split(1000, 0, 0, &u, &s);
	CHECK("split no ticks: all user", u == 1000 && s == 0);
	cputime_split(1000, 3, 0, &u, &s);
	CHECK("split user ticks only", u == 1000 && s == 0);
	cputime_split(1000, 0, 7, &u, &s);
	CHECK("split system ticks only", u == 0 && s == 1000);
	cputime_split(1000, 1, 3, &u, &s);
	CHECK("split proportional", u == 250 && s == 750);
	cputime_split(UINT64_MAX / 2, UINT64_MAX / 4, UINT64_MAX / 4, &u, &s);
	CHECK("split no overflow", u + s == UINT64_MAX / 2 && s == UINT64_MAX / 4);
	rusage_from_times(&ru, 1500000, 2000000000);
	CHECK("rusage times", ru.ru_utime.tv_sec == 0 && ru.ru_utime.tv_usec == 1500 &&
	      ru.ru_stime.tv_sec == 2 && ru.ru_stime.tv_usec == 0 &&
	      ru.ru_maxrss == 0 && ru.ru_nivcsw == 0);
}

static void rlimit_cases(void)
{
	struct rlimit64 l[RLIMIT_COUNT], n;
	uint64_t pages_512m = 512ULL * 1024 * 1024 / 4096;

	rlimit_init_defaults(l, pages_512m);
	CHECK("default stack 8 MiB / infinity",
	      l[RLIMIT_STACK].cur == 8 << 20 && l[RLIMIT_STACK].max == RLIM_INFINITY);
	CHECK("default nofile 1024/4096",
	      l[RLIMIT_NOFILE].cur == 1024 && l[RLIMIT_NOFILE].max == 4096);
	CHECK("default core 0/infinity",
	      l[RLIMIT_CORE].cur == 0 && l[RLIMIT_CORE].max == RLIM_INFINITY);
	/* 512 MiB / (8 * 16 KiB) = 4096 threads; half of that. */
	CHECK("default nproc from memory",
	      l[RLIMIT_NPROC].cur == 2048 && l[RLIMIT_NPROC].max == 2048);
	CHECK("default sigpending = nproc", l[RLIMIT_SIGPENDING].cur == 2048);
	CHECK("default cpu infinity", l[RLIMIT_CPU].cur == RLIM_INFINITY);
	CHECK("default nice 0/0", l[RLIMIT_NICE].cur == 0 && l[RLIMIT_NICE].max == 0);
	CHECK("default memlock 8 MiB", l[RLIMIT_MEMLOCK].max == 8 << 20);
	rlimit_init_defaults(l, 1);
	CHECK("nproc has a floor (MIN_THREADS/2)", l[RLIMIT_NPROC].cur == 10);

	rlimit_init_defaults(l, pages_512m);
	n = (struct rlimit64){ 10, 5 };
	CHECK("cur > max is EINVAL",
	      rlimit_check_change(RLIMIT_CPU, &l[RLIMIT_CPU], &n, true) == -EINVAL);
	n = (struct rlimit64){ 100, 8192 };
	CHECK("raising hard limit unprivileged is EPERM",
	      rlimit_check_change(RLIMIT_NOFILE, &l[RLIMIT_NOFILE], &n, false) == -EPERM);
	CHECK("raising hard limit as root is fine",
	      rlimit_check_change(RLIMIT_NOFILE, &l[RLIMIT_NOFILE], &n, true) == 0);
	n = (struct rlimit64){ 100, 2048 };
	CHECK("lowering hard limit unprivileged is fine",
	      rlimit_check_change(RLIMIT_NOFILE, &l[RLIMIT_NOFILE], &n, false) == 0);
	n = (struct rlimit64){ 4096, 4096 };
	CHECK("raising soft up to hard is fine",
	      rlimit_check_change(RLIMIT_NOFILE, &l[RLIMIT_NOFILE], &n, false) == 0);
	n = (struct rlimit64){ 1024, SYSCTL_NR_OPEN + 1 };
	CHECK("nofile above nr_open is EPERM even for root",
	      rlimit_check_change(RLIMIT_NOFILE, &l[RLIMIT_NOFILE], &n, true) == -EPERM);
}

int main(void)
{
	timespec_cases();
	conversion_cases();
	cputime_cases();
	rlimit_cases();
	return host_test_finish();
}
