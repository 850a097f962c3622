/*
 * Platform bring-up: ACPI tables, interrupt controllers (local APIC,
 * IOAPIC, legacy PIC masked), clocks (HPET/PIT calibration of the TSC and
 * the local APIC timer), the CMOS RTC and ACPI power control.
 */
#ifndef DRIVERS_PLATFORM_H
#define DRIVERS_PLATFORM_H

#include "include/compiler.h"

struct boot_info;

/* Discover and initialize the platform; starts the periodic timer tick
 * (HZ per second, calling sched_tick()).  Interrupts stay disabled. */
void platform_init(const struct boot_info *bi);

/*
 * Self-check of the tick: enable interrupts for @ms milliseconds (halting
 * in between), print and return how many ticks arrived (about ms*HZ/1000).
 * Restores the interrupt flag.  For in-kernel tests and bring-up.
 */
long platform_check_ticks(uint64_t ms);

#endif
