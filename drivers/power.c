/*
 * Power off and reboot.  Placeholder until ACPI lands: reboot pulses the
 * keyboard controller reset line, then triple-faults; power off halts.
 */
#include "drivers/power.h"
#include "cpu/x86.h"
#include "lib/printk.h"

void power_reboot(void)
{
	irq_disable();
	for (int i = 0; i < 10000 && (inb(0x64) & 2); i++)
		io_wait();
	outb(0x64, 0xfe);
	for (;;)
		cpu_halt();
}

void power_off(void)
{
	irq_disable();
	pr_emerg("power: no way to power off, halting\n");
	for (;;)
		cpu_halt();
}
