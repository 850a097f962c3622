/*
 * Time keeping: a monotonic clock (TSC calibrated against HPET or PIT),
 * the boot-time wall clock from the CMOS RTC, busy waits, and the
 * periodic tick (HZ per second, from the local APIC timer).
 */
#ifndef TIME_CLOCK_H
#define TIME_CLOCK_H

#include "include/types.h"

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

#endif
