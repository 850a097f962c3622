/*
 * nanosleep/clock_nanosleep without the user copies.  A sleep is a loop
 * of scheduler waits with an uptime deadline (precision: the HZ tick),
 * each ended early by a pending signal:
 *
 *   - relative sleeps on any wall or monotonic clock wait until
 *     uptime + req (Linux: relative timers ignore clock_settime);
 *   - absolute MONOTONIC/BOOTTIME sleeps wait until uptime == req;
 *   - absolute REALTIME/TAI sleeps wait on the realtime-change queue, so
 *     that clock_settime wakes them to recompute their deadline;
 *   - the caller's process CPU clock is polled once per tick (its time
 *     only advances while other threads of the process run).
 *
 * A signal ends the sleep with -EINTR and, for relative sleeps, the time
 * left (Linux returns -ERESTART_RESTARTBLOCK; a handled signal turns that
 * into EINTR, which is what user space sees).  No locks of its own.
 */
#include "time/clock.h"
#include "time/timespec.h"
#include "include/errno.h"
#include "process/process.h"
#include "sched/sched.h"

#define TICK_NS (NSEC_PER_SEC / HZ)

enum sleep_base { BASE_MONO, BASE_REALTIME, BASE_CPU };

/*
 * Wait until @deadline (uptime ns) or a wakeup on @wq (may be NULL).
 * -EINTR if a signal is pending (before or after the wait), else 0.
 */
static int wait_once(struct wait_queue *wq, uint64_t deadline)
{
	sched_prepare_wait(wq, deadline ? deadline : 1);
	if (signal_pending()) {
		sched_finish_wait(wq);
		return -EINTR;
	}
	schedule();
	sched_finish_wait(wq);
	return signal_pending() ? -EINTR : 0;
}

static int64_t read_base(enum sleep_base base, int id)
{
	int64_t ns = 0;

	if (base == BASE_MONO)
		return (int64_t)clock_uptime_ns();
	if (base == BASE_REALTIME)
		return clock_realtime_ns();
	posix_clock_get(id, &ns);
	return ns;
}

/* Which clock a sleep follows: 0, or the errno Linux gives after copying
 * the request (thread CPU clocks and other processes' clocks: -EINVAL). */
static int sleep_base(int id, enum sleep_base *base)
{
	int64_t dummy;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*base = BASE_REALTIME;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*base = BASE_MONO;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*base = BASE_CPU;
		return 0;
	}
	if (id >= 0)
		return -EOPNOTSUPP;
	/* Negative: only our own process's CPU clocks can be slept on. */
	if ((id & 4) || posix_clock_get(id, &dummy) < 0)
		return -EINVAL;
	*base = BASE_CPU;
	return 0;
}

int posix_clock_nanosleep_check(int id)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_PROCESS_CPUTIME_ID:
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	}
	if (id >= 0)
		return -EINVAL;
	return (id & 7) == 3 ? -EOPNOTSUPP : 0;    /* fd clocks cannot sleep */
}

int posix_clock_nanosleep(int id, int flags, const struct __kernel_timespec *req,
			  struct __kernel_timespec *rem)
{
	bool abs = flags & TIMER_ABSTIME;
	int64_t target, now, left;
	enum sleep_base base;
	int ret;

	ret = sleep_base(id, &base);
	if (ret)
		return ret;
	/* Relative wall-clock sleeps run on the monotonic clock. */
	if (!abs && base == BASE_REALTIME)
		base = BASE_MONO;
	now = read_base(base, id);
	target = abs ? timespec_to_ns(req) : time_ns_add_sat(now, timespec_to_ns(req));
	for (;;) {
		uint64_t deadline;

		now = read_base(base, id);
		if (now >= target)
			return 0;
		left = target - now;
		if (base == BASE_CPU && left > TICK_NS)
			left = TICK_NS;
		deadline = clock_uptime_ns() + (uint64_t)left;
		ret = wait_once(base == BASE_REALTIME ?
				clock_realtime_change_queue() : NULL, deadline);
		if (ret == -EINTR)
			break;
	}
	now = read_base(base, id);
	if (now >= target)
		return 0;       /* the time was up anyway */
	if (!abs && rem)
		*rem = ns_to_timespec(target - now);
	return -EINTR;
}
