/*
 * Private interface of time/: the reference timers used to calibrate the
 * TSC (HPET main counter, PIT channel 2) and the periodic tick.
 */
#ifndef TIME_INTERNAL_H
#define TIME_INTERNAL_H

#include "include/compiler.h"
#include "sched/sched.h"            /* HZ */
#include "time/timespec.h"          /* NSEC_PER_SEC */

/* Length of a tick: the step of the coarse clocks and their resolution. */
#define TICK_NSEC ((NSEC_PER_SEC + HZ / 2) / HZ)

/* clock.c: the TSC-to-nanoseconds conversion (uptime = ((tsc - base) *
 * mult) >> 32), for the vDSO data page.  Zeros before calibration. */
void clock_tsc_params(uint64_t *base, uint64_t *mult);

/* realtime.c: CLOCK_REALTIME minus the uptime (the RTC at boot plus every
 * clock_settime since). */
int64_t clock_realtime_offset_ns(void);
/* realtime.c: publish what the vDSO reads into its data page (vdso/vvar.h):
 * after calibration and whenever the wall clock or timezone changes. */
void clock_vvar_update(void);

/* Map and start the HPET main counter found in the ACPI tables.
 * 0, or -ENODEV if there is no usable HPET. */
int hpet_init(void);
/* Main counter value (wraps at hpet_counter_mask()). */
uint64_t hpet_read(void);
uint64_t hpet_counter_mask(void);
/* Main counter frequency in Hz. */
uint64_t hpet_hz(void);

#define PIT_HZ 1193182u

/* Run PIT channel 2 for @pit_ticks (<= 65535) and return how many TSC
 * ticks elapsed, or 0 if the PIT did not finish within @tsc_limit. */
uint64_t pit_measure_tsc(uint16_t pit_ticks, uint64_t tsc_limit);

#endif
