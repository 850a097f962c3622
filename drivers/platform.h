/*
 * Platform bring-up: ACPI tables, interrupt controllers (local APIC,
 * IOAPIC, legacy PIC masked), clocks (HPET/PIT calibration of the TSC and
 * the local APIC timer), the CMOS RTC and ACPI power control.
 */
#ifndef DRIVERS_PLATFORM_H
#define DRIVERS_PLATFORM_H

struct boot_info;

/* Discover and initialize the platform; starts the periodic timer tick
 * (HZ per second, calling sched_tick()).  Interrupts stay disabled. */
void platform_init(const struct boot_info *bi);

#endif
