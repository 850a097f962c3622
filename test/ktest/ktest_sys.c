/*
 * In-kernel tests of the sys branch's kernel-level pieces: the settable
 * wall clock and timezone, CPU-time accounting in the scheduler and its
 * user/system split, the thread count, default limits from the real
 * memory size, and the credential rules as linked into the kernel.
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "process/cred.h"
#include "process/resource.h"
#include "sched/sched.h"
#include "time/clock.h"
#include "time/timespec.h"

#define MS 1000000LL

static void spin_ns(uint64_t ns)
{
	uint64_t end = clock_uptime_ns() + ns;

	while (clock_uptime_ns() < end)
		;
}

KTEST(sys_realtime_starts_at_rtc)
{
	int64_t rt = clock_realtime_ns() / NSEC_PER_SEC;
	int64_t expect = clock_boot_epoch_seconds() +
			 (int64_t)(clock_uptime_ns() / NSEC_PER_SEC);

	KEXPECT(rt >= expect - 1 && rt <= expect + 1);
	KEXPECT(rt > 1600000000);       /* the RTC said something after 2020 */
}

KTEST(sys_realtime_set_and_restore)
{
	int64_t before = clock_realtime_ns(), after;
	struct __kernel_timespec ts = ns_to_timespec(before + 1000 * NSEC_PER_SEC);
	struct __kernel_timespec bad = { 5, 0 };

	KEXPECT_EQ(clock_realtime_set(&ts), 0);
	after = clock_realtime_ns();
	KEXPECT(after - before >= 1000 * NSEC_PER_SEC &&
		after - before < 1001 * NSEC_PER_SEC);
	/* Earlier than the monotonic clock: refused, clock unchanged. */
	bad.tv_sec = 0;
	bad.tv_nsec = 0;
	KEXPECT_EQ(clock_realtime_set(&bad), -EINVAL);
	bad = (struct __kernel_timespec){ 1, NSEC_PER_SEC };
	KEXPECT_EQ(clock_realtime_set(&bad), -EINVAL);
	KEXPECT(clock_realtime_ns() >= after);
	ts = ns_to_timespec(clock_realtime_ns() - 1000 * NSEC_PER_SEC);
	KEXPECT_EQ(clock_realtime_set(&ts), 0);
	after = clock_realtime_ns();
	KEXPECT(after >= before && after - before < 1 * NSEC_PER_SEC);
}

KTEST(sys_timezone_range)
{
	struct timezone tz = { -120, 0 }, out;

	KEXPECT_EQ(clock_timezone_set(&tz), 0);
	clock_timezone_get(&out);
	KEXPECT_EQ(out.tz_minuteswest, -120);
	tz.tz_minuteswest = 15 * 60 + 1;
	KEXPECT_EQ(clock_timezone_set(&tz), -EINVAL);
	clock_timezone_get(&out);
	KEXPECT_EQ(out.tz_minuteswest, -120);
	tz = (struct timezone){ 0, 0 };
	KEXPECT_EQ(clock_timezone_set(&tz), 0);
}

KTEST(sys_runtime_counts_spinning_not_sleeping)
{
	struct thread_cputime a, b, c;

	sched_thread_cputime(thread_current(), &a);
	spin_ns(40 * MS);
	sched_thread_cputime(thread_current(), &b);
	sched_sleep_ns(40 * MS);
	sched_thread_cputime(thread_current(), &c);
	/* Spinning: nearly all of the 40 ms (other threads may run a bit). */
	KEXPECT(b.runtime_ns - a.runtime_ns >= 20 * MS);
	/* Sleeping: far less than the 40 ms. */
	KEXPECT(c.runtime_ns - b.runtime_ns < 20 * MS);
	/* Kernel-mode spinning is sampled as system time. */
	KEXPECT(c.system_ticks > a.system_ticks);
	KEXPECT_EQ(c.user_ticks, a.user_ticks);
}

KTEST(sys_thread_times_split_sums_to_runtime)
{
	uint64_t u, s;
	struct thread_cputime t;

	spin_ns(20 * MS);
	sched_thread_cputime(thread_current(), &t);
	cputime_split(t.runtime_ns, t.user_ticks, t.system_ticks, &u, &s);
	KEXPECT_EQ(u + s, t.runtime_ns);
	KEXPECT(t.user_ticks != 0 || u == 0 || t.system_ticks == 0);
	cputime_split(1000, 1, 3, &u, &s);
	KEXPECT_EQ(s, 750);
}

static struct wait_queue count_wq = WAIT_QUEUE_INIT(count_wq);
static volatile bool count_release;

static void wait_for_release(void *arg)
{
	wait_event_timeout(&count_wq, count_release, 5000 * MS);
}

KTEST(sys_thread_count_follows_spawn_and_exit)
{
	int before = sched_thread_count();
	uint64_t deadline;

	count_release = false;
	KEXPECT(thread_spawn("ktest-count", wait_for_release, NULL) != NULL);
	KEXPECT_EQ(sched_thread_count(), before + 1);
	count_release = true;
	sched_wake_all(&count_wq);
	deadline = clock_uptime_ns() + 5000 * MS;
	while (sched_thread_count() != before && clock_uptime_ns() < deadline)
		sched_sleep_ns(1 * MS);
	KEXPECT_EQ(sched_thread_count(), before);
}

KTEST(sys_rlimit_defaults_from_memory)
{
	struct rlimit64 l[RLIMIT_COUNT];
	uint64_t expect = pmm_total_page_count() * PAGE_SIZE / (8 * 16384) / 2;

	rlimit_init_defaults(l, pmm_total_page_count());
	KEXPECT_EQ(l[RLIMIT_NPROC].cur, expect < 10 ? 10 : expect);
	KEXPECT_EQ(l[RLIMIT_STACK].cur, 8 << 20);
	KEXPECT_EQ(l[RLIMIT_NOFILE].max, 4096);
}

KTEST(sys_cred_rules_linked)
{
	struct cred root, user, out;

	cred_init_root(&root);
	KEXPECT_EQ(cred_setresuid(&user, &root, 1000, 1000, 1000), 0);
	KEXPECT_EQ(cred_setuid(&out, &user, 0), -EPERM);
	KEXPECT_EQ(cred_setresuid(&out, &user, 1000, 1000, 1000), 0);
	KEXPECT_EQ(cred_setgroups(&out, &user, NULL, 0), -EPERM);
	KEXPECT(!cred_is_privileged(&user));
}
