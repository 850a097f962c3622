/*
 * Machine power control: ACPI S5 power off and ACPI reset register, with
 * the legacy fallbacks (keyboard controller pulse, triple fault).
 */
#ifndef DRIVERS_POWER_H
#define DRIVERS_POWER_H

#include "include/compiler.h"

void power_off(void) __noreturn;
void power_reboot(void) __noreturn;

#endif
