/*
 * The vDSO's data page ([vvar]): what the kernel publishes so that the
 * vDSO (vdso/vdso.c, user mode) can read the clocks without a system call.
 * Shared by both sides; the vDSO sees it read-only one page below its own
 * image (symbol vvar_page in vdso/vdso.lds).
 *
 * Model: the clocks are functions of the TSC,
 *   CLOCK_MONOTONIC = ((tsc - tsc_base) * ns_mult) >> 32      (ns)
 *   CLOCK_REALTIME  = CLOCK_MONOTONIC + realtime_offset_ns
 * exactly as time/clock.c and time/realtime.c compute them, so the vDSO
 * and the system calls agree to the nanosecond.  Coarse clocks are the
 * same values rounded down to a multiple of tick_ns.
 *
 * Locking: a sequence count.  The kernel (time/realtime.c, under its
 * realtime_lock) makes seq odd, updates the fields, makes it even again;
 * a reader retries while seq is odd or changed under it.  x86 keeps
 * stores in order and loads in order, so compiler barriers suffice.
 */
#ifndef VDSO_VVAR_H
#define VDSO_VVAR_H

#include "include/compiler.h"

/* clock_mode: can user mode compute the clocks? */
#define VVAR_CLOCK_NONE 0       /* not calibrated: use the system calls */
#define VVAR_CLOCK_TSC 1

/* getcpu_mode: how user mode learns its CPU (IA32_TSC_AUX holds
 * node << 12 | cpu on every CPU when either instruction exists). */
#define VVAR_GETCPU_SYSCALL 0
#define VVAR_GETCPU_RDTSCP 1
#define VVAR_GETCPU_RDPID 2

struct vvar_data {
	uint32_t seq;                   /* odd while the kernel writes */
	uint32_t clock_mode;            /* VVAR_CLOCK_* */
	uint64_t tsc_base;              /* TSC value at uptime 0 */
	uint64_t ns_mult;               /* ns per TSC tick, 32.32 fixed point */
	int64_t realtime_offset_ns;     /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	int64_t tick_ns;                /* coarse clocks' step and resolution */
	int32_t tz_minuteswest;         /* gettimeofday's struct timezone */
	int32_t tz_dsttime;
	uint32_t getcpu_mode;           /* VVAR_GETCPU_*, [I] after boot */
	uint32_t pad;
};
STATIC_ASSERT(sizeof(struct vvar_data) == 56, "vvar layout");
STATIC_ASSERT(offsetof(struct vvar_data, tsc_base) == 8, "vvar layout");

#endif
