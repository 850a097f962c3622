/*
 * Platform bring-up, in dependency order: ACPI tables first (everything
 * else is described there), then the interrupt controllers (8259s
 * silenced, local APIC on, IOAPIC entries masked), then the clocks (TSC
 * calibrated against HPET or PIT, RTC read) and finally the periodic
 * tick, which needs both the local APIC and a calibrated TSC.
 *
 * Runs once on the boot CPU with interrupts disabled and leaves them so.
 */
#include "drivers/platform.h"
#include "drivers/acpi.h"
#include "drivers/apic.h"
#include "drivers/power.h"
#include "cpu/x86.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "sched/sched.h"
#include "time/clock.h"

void platform_init(const struct boot_info *bi)
{
	int err;

	acpi_init(bi);
	power_init();
	pic_disable();
	err = lapic_init();
	if (err)
		panic("platform: no usable local APIC (%d)", err);
	if (ioapic_init())
		pr_warn("platform: no IOAPIC, device interrupts unavailable\n");
	clock_init();
	err = clock_tick_init();
	if (err)
		panic("platform: cannot start the timer tick (%d)", err);
}

long platform_check_ticks(uint64_t ms)
{
	uint64_t flags = irq_save();
	uint64_t start = clock_jiffies();
	uint64_t end_ns = clock_uptime_ns() + ms * 1000000;
	long ticks;

	irq_enable();
	while (clock_uptime_ns() < end_ns)
		cpu_halt();
	irq_disable();
	ticks = (long)(clock_jiffies() - start);
	irq_restore(flags);
	pr_info("platform: %ld ticks in %llu ms (expected %llu)\n", ticks,
		(unsigned long long)ms, (unsigned long long)(ms * HZ / 1000));
	return ticks;
}
