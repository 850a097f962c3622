/*
 * The wall clock (CLOCK_REALTIME).  Model: realtime = monotonic uptime +
 * an offset.  The offset starts as the RTC's epoch seconds read at clock
 * calibration (when uptime was 0) and changes only when the clock is set
 * (clock_settime, settimeofday); there is no NTP slewing (adjtimex).
 * Also keeps the kernel timezone that gettimeofday reports.
 *
 * Locking: realtime_lock serializes writers of realtime_adjust_ns and
 * sys_tz.  Readers of the offset use one aligned 64-bit load (READ_ONCE),
 * which cannot tear, so reading the clock takes no lock.  Leaf lock,
 * never taken in interrupt handlers.
 */
#include "time/clock.h"
#include "time/timespec.h"
#include "include/errno.h"
#include "sched/sched.h"
#include "sched/spinlock.h"

#define TZ_MINUTES_MAX (15 * 60)

static struct spinlock realtime_lock = SPINLOCK_INIT("realtime");
/* realtime - (boot epoch + uptime), in ns */
static int64_t realtime_adjust_ns;              /* [r] realtime_lock to write */
static struct timezone sys_tz;                  /* [r] */
static struct wait_queue realtime_changed = WAIT_QUEUE_INIT(realtime_changed);

static int64_t boot_epoch_ns(void)
{
	return clock_boot_epoch_seconds() * NSEC_PER_SEC;
}

int64_t clock_realtime_ns(void)
{
	return boot_epoch_ns() + (int64_t)clock_uptime_ns() +
	       READ_ONCE(realtime_adjust_ns);
}

int clock_realtime_set(const struct __kernel_timespec *ts)
{
	int64_t new_ns, mono;

	if (!timespec_valid_settod(ts))
		return -EINVAL;
	new_ns = timespec_to_ns(ts);
	spin_lock(&realtime_lock);
	mono = (int64_t)clock_uptime_ns();
	/* Linux refuses a wall clock before the monotonic clock
	 * (wall_to_monotonic would turn positive). */
	if (new_ns < mono) {
		spin_unlock(&realtime_lock);
		return -EINVAL;
	}
	WRITE_ONCE(realtime_adjust_ns, new_ns - mono - boot_epoch_ns());
	spin_unlock(&realtime_lock);
	sched_wake_all(&realtime_changed);
	return 0;
}

struct wait_queue *clock_realtime_change_queue(void)
{
	return &realtime_changed;
}

void clock_timezone_get(struct timezone *tz)
{
	spin_lock(&realtime_lock);

	*tz = sys_tz;
	spin_unlock(&realtime_lock);
}

int clock_timezone_set(const struct timezone *tz)
{
	if (tz->tz_minuteswest > TZ_MINUTES_MAX ||
	    tz->tz_minuteswest < -TZ_MINUTES_MAX)
		return -EINVAL;
	spin_lock(&realtime_lock);
	sys_tz = *tz;
	spin_unlock(&realtime_lock);
	return 0;
}
