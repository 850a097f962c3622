/*
 * Machine power control: ACPI S5 power off and ACPI reset register, with
 * the legacy fallbacks (keyboard controller pulse, triple fault).
 */
#ifndef DRIVERS_POWER_H
#define DRIVERS_POWER_H

#include "include/compiler.h"

/* Map the ACPI power registers that live in memory space (after
 * acpi_init(); before it only port I/O forms and fallbacks work). */
void power_init(void);
/* Enter ACPI S5 (soft off); fallbacks: emulator ports, then halt. */
void power_off(void) __noreturn;
/* Reset: ACPI reset register, 8042 pulse, then a triple fault. */
void power_reboot(void) __noreturn;

#endif
