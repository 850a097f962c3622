/*
 * The wall clock (CLOCK_REALTIME).  Model: realtime = monotonic uptime +
 * an offset.  The offset starts as the RTC's epoch seconds read at clock
 * calibration (when uptime was 0) and changes only when the clock is set
 * (clock_settime, settimeofday); there is no NTP slewing (adjtimex).
 * Also keeps the kernel timezone that gettimeofday reports, and
 * publishes all of it (with the TSC conversion) in the vDSO's data page,
 * so that user mode computes the same clocks (vdso/vvar.h).
 *
 * Locking: realtime_lock serializes writers of realtime_adjust_ns, sys_tz
 * and the vDSO data page (whose readers use its sequence count).  Readers
 * of the offset use one aligned 64-bit load (READ_ONCE), which cannot
 * tear, so reading the clock takes no lock.  Leaf lock, never taken in
 * interrupt handlers.
 */
#include "time/clock.h"
#include "time/internal.h"
#include "time/timespec.h"
#include "include/errno.h"
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "vdso/vdso.h"

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

int64_t clock_realtime_offset_ns(void)
{
	return boot_epoch_ns() + READ_ONCE(realtime_adjust_ns);
}

int64_t clock_realtime_ns(void)
{
	return (int64_t)clock_uptime_ns() + clock_realtime_offset_ns();
}

/* Rewrite the vDSO data page under its sequence count ([realtime_lock]). */
static void vvar_publish_locked(void)
{
	struct vvar_data *d = vdso_vvar();
	uint64_t base, mult;

	if (!d)
		return;
	clock_tsc_params(&base, &mult);
	WRITE_ONCE(d->seq, d->seq + 1);         /* odd: readers wait */
	barrier();
	d->clock_mode = mult ? VVAR_CLOCK_TSC : VVAR_CLOCK_NONE;
	d->tsc_base = base;
	d->ns_mult = mult;
	d->realtime_offset_ns = clock_realtime_offset_ns();
	d->tick_ns = TICK_NSEC;
	d->tz_minuteswest = sys_tz.tz_minuteswest;
	d->tz_dsttime = sys_tz.tz_dsttime;
	barrier();
	WRITE_ONCE(d->seq, d->seq + 1);
}

void clock_vvar_update(void)
{
	spin_lock(&realtime_lock);
	vvar_publish_locked();
	spin_unlock(&realtime_lock);
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
	vvar_publish_locked();
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
	vvar_publish_locked();
	spin_unlock(&realtime_lock);
	return 0;
}
