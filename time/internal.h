/*
 * Private interface of time/: the reference timers used to calibrate the
 * TSC (HPET main counter, PIT channel 2) and the periodic tick.
 */
#ifndef TIME_INTERNAL_H
#define TIME_INTERNAL_H

#include "include/compiler.h"

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
