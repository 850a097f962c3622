/*
 * Fatal errors and stack traces.  panic() prints the message and a
 * symbolized backtrace, then halts, or reboots after panic=N seconds
 * (Linux's panic= parameter; QEMU's -no-reboot turns that into an exit).
 */
#ifndef LIB_PANIC_H
#define LIB_PANIC_H

#include "include/compiler.h"

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/* Panic without a backtrace of the caller (the report already has one). */
void panic_after_report(const char *fmt, ...) __printf(1, 2) __noreturn;

/* Print the frames reachable from frame pointer @rbp, newest first. */
void backtrace_print(uint64_t rip, uint64_t rbp);

/*
 * Look up the function containing @addr in the kernel symbol table.
 * Returns its name and stores the offset into *offset, or NULL.
 */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

/* Set the panic= timeout in seconds (0: halt forever, <0: reboot now). */
void panic_set_timeout(long seconds);

#endif
