/*
 * POSIX clocks: what each Linux clockid_t reads, its resolution, and
 * whether it can be set (kernel/time/posix-timers.c, posix-cpu-timers.c).
 *
 *   REALTIME, TAI, REALTIME_ALARM   the wall clock (time/realtime.c); TAI
 *                                   has a zero offset (no leap seconds)
 *   MONOTONIC, MONOTONIC_RAW,       the TSC uptime; no suspend and no NTP
 *   BOOTTIME, BOOTTIME_ALARM        slewing, so all four are the same
 *   *_COARSE                        the same, rounded down to the last tick
 *   PROCESS/THREAD_CPUTIME_ID       CPU time of the caller (process/rusage.c)
 *   negative ids                    CPU clocks by pid (make_process_cpuclock):
 *                                   ~pid << 3 | perthread << 2 | which; only
 *                                   the caller's own pid/tid (or 0) exists
 *                                   here; ids with which == 3 are fd clocks
 *                                   (none exist, so -EINVAL)
 *
 * No state and no locks of its own.
 */
#include "time/clock.h"
#include "time/internal.h"
#include "time/timespec.h"
#include "include/errno.h"
#include "process/process.h"
#include "process/resource.h"
#include "sched/sched.h"

#define CPU_TICK_RES ((NSEC_PER_SEC + HZ - 1) / HZ)

#define CPUCLOCK_PROF 0         /* user + system */
#define CPUCLOCK_VIRT 1         /* user */
#define CPUCLOCK_SCHED 2        /* exact runtime */
#define CPUCLOCK_FD 3           /* dynamic (fd) clock, not a CPU clock */
#define CPUCLOCK_PERTHREAD 4

/* A negative clock id decoded; false if it names no clock we have. */
struct cpu_clock {
	bool thread;
	int which;
};

static bool cpu_clock_decode(int id, struct cpu_clock *c)
{
	struct process *self = current_process();
	int pid = ~(id >> 3);

	c->which = id & 3;
	c->thread = (id & CPUCLOCK_PERTHREAD) != 0;
	if (c->which == CPUCLOCK_FD)
		return false;
	if (pid == 0)
		return true;
	/* Assumes user tids are scheduler tids (process.pid = first tid). */
	if (c->thread)
		return pid == thread_current()->tid;
	return self && pid == self->pid;
}

static int64_t cpu_clock_read(const struct cpu_clock *c)
{
	struct process *self = current_process();
	uint64_t utime, stime;

	if (c->thread || !self)
		thread_cpu_times(thread_current(), &utime, &stime);
	else
		process_cpu_times(self, &utime, &stime);
	return (int64_t)(c->which == CPUCLOCK_VIRT ? utime : utime + stime);
}

static int64_t coarse(int64_t ns)
{
	return ns - ns % TICK_NSEC;
}

/* Computed from one TSC reading exactly as the vDSO does (vdso/vdso.c),
 * so that both give the same values. */
int posix_clock_get(int id, int64_t *ns)
{
	int64_t mono = (int64_t)clock_uptime_ns();
	struct cpu_clock c;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*ns = mono + clock_realtime_offset_ns();
		return 0;
	case CLOCK_REALTIME_COARSE:
		*ns = coarse(mono) + clock_realtime_offset_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*ns = mono;
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		*ns = coarse(mono);
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		c = (struct cpu_clock){ id == CLOCK_THREAD_CPUTIME_ID,
					CPUCLOCK_SCHED };
		*ns = cpu_clock_read(&c);
		return 0;
	}
	if (id >= 0 || !cpu_clock_decode(id, &c))
		return -EINVAL;
	*ns = cpu_clock_read(&c);
	return 0;
}

int posix_clock_getres(int id, int64_t *ns)
{
	struct cpu_clock c;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = 1;        /* high resolution (TSC) */
		return 0;
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		*ns = TICK_NSEC;
		return 0;
	}
	if (id >= 0 || !cpu_clock_decode(id, &c))
		return -EINVAL;
	*ns = c.which == CPUCLOCK_SCHED ? 1 : CPU_TICK_RES;
	return 0;
}

int posix_clock_set(int id, const struct __kernel_timespec *ts)
{
	struct cpu_clock c;

	if (id == CLOCK_REALTIME)
		return clock_realtime_set(ts);
	if (id >= 0 || !cpu_clock_decode(id, &c))
		return -EINVAL;
	return -EPERM;          /* a CPU clock can never be set */
}
