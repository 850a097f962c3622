/*
 * Time keeping: a monotonic clock (TSC calibrated against HPET or PIT),
 * the boot-time wall clock from the CMOS RTC, busy waits, and the
 * periodic tick (HZ per second, from the local APIC timer).
 */
#ifndef TIME_CLOCK_H
#define TIME_CLOCK_H

#include "include/types.h"

struct __kernel_timespec;
struct timezone;
struct wait_queue;

/* Nanoseconds since the clock was calibrated (0 before that). */
uint64_t clock_uptime_ns(void);
/* Spin for at least @ns nanoseconds (works before calibration, roughly). */
void clock_busy_wait_ns(uint64_t ns);
/* TSC ticks per second, 0 before calibration. */
uint64_t clock_tsc_hz(void);
/* Seconds since the Unix epoch at boot, from the RTC. */
int64_t clock_boot_epoch_seconds(void);
/* Calibrate the TSC against HPET (or PIT) and read the RTC. */
void clock_init(void);

/* Timer interrupts since clock_tick_init() (HZ per second). */
uint64_t clock_jiffies(void);
/*
 * Calibrate this CPU's local APIC timer against the TSC and start it
 * periodically at HZ on VECTOR_LAPIC_TIMER; each tick advances jiffies
 * and calls sched_tick().  Needs lapic_init() and clock_init() first;
 * leaves interrupts as they were.  0, or -EIO if calibration fails.
 */
int clock_tick_init(void);

/* ---- wall clock (time/realtime.c) ---- */

/* CLOCK_REALTIME in ns since the epoch: the RTC at boot plus the uptime,
 * moved by clock_realtime_set(). */
int64_t clock_realtime_ns(void);
/*
 * Set CLOCK_REALTIME (do_settimeofday64): -EINVAL unless @ts is a valid
 * settimeofday value not earlier than the monotonic clock.  Wakes the
 * sleepers on clock_realtime_change_queue().  No permission check.
 */
int clock_realtime_set(const struct __kernel_timespec *ts);
/* Woken whenever CLOCK_REALTIME is set (absolute REALTIME sleeps wait
 * here so that they notice the jump, as Linux's clock_was_set does). */
struct wait_queue *clock_realtime_change_queue(void);
/* The kernel's timezone (gettimeofday's second argument). */
void clock_timezone_get(struct timezone *tz);
/* -EINVAL if tz_minuteswest is beyond +-15 hours. */
int clock_timezone_set(const struct timezone *tz);

/* ---- POSIX clocks and sleeps (time/posix_clock.c, time/sleep.c) ---- */

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11
#define TIMER_ABSTIME 0x01

/* Read clock @id (Linux clockid_t, including the negative CPU-clock ids of
 * the caller itself): 0 or -EINVAL. */
int posix_clock_get(int id, int64_t *ns);
/* Resolution of clock @id: 0 or -EINVAL. */
int posix_clock_getres(int id, int64_t *ns);
/* clock_settime: -EINVAL for clocks that cannot be set, -EPERM for CPU
 * clocks, else clock_realtime_set()'s result.  No permission check. */
int posix_clock_set(int id, const struct __kernel_timespec *ts);
/* Can clock @id be slept on at all?  0, -EINVAL (no such clock) or
 * -EOPNOTSUPP (checked before the request is copied, as in Linux). */
int posix_clock_nanosleep_check(int id);
/*
 * clock_nanosleep without the user copies: sleep until clock @id reaches
 * *@req (TIMER_ABSTIME in @flags) or for *@req.  0 when done; -EINTR when
 * a signal is pending, with the time left in *@rem for relative sleeps;
 * -EINVAL / -EOPNOTSUPP for clocks that cannot be slept on (as Linux).
 * *@req must already be valid (timespec_valid).
 */
int posix_clock_nanosleep(int id, int flags, const struct __kernel_timespec *req,
			  struct __kernel_timespec *rem);

#endif
