/*
 * CPU-time arithmetic (pure): splitting a thread's exact runtime into
 * user and system time from tick samples, as Linux's cputime_adjust()
 * does (kernel/sched/cputime.c), and filling struct rusage.
 */
#include "process/resource.h"

/* a * b / c with a 128-bit intermediate (mul_u64_u64_div_u64); the
 * quotient must fit in 64 bits, which b <= c guarantees.  One MUL and one
 * DIV, so the kernel needs no libgcc for the 128-bit division. */
static uint64_t mul_div(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t q, r;

	__asm__("mulq %2\n\tdivq %3"
		: "=a"(q), "=&d"(r)
		: "r"(b), "r"(c), "0"(a)
		: "cc");
	return q;
}

void cputime_split(uint64_t runtime_ns, uint64_t user_ticks,
		   uint64_t system_ticks, uint64_t *utime_ns, uint64_t *stime_ns)
{
	uint64_t stime;

	if (system_ticks == 0)
		stime = 0;
	else if (user_ticks == 0)
		stime = runtime_ns;
	else
		stime = system_ticks + user_ticks < system_ticks
			? runtime_ns / 2        /* both near 2^64: overflowed */
			: mul_div(runtime_ns, system_ticks, system_ticks + user_ticks);
	*stime_ns = stime;
	*utime_ns = runtime_ns - stime;
}

void rusage_from_times(struct rusage *ru, uint64_t utime_ns, uint64_t stime_ns)
{
	*ru = (struct rusage){
		.ru_utime = ns_to_timeval((int64_t)utime_ns),
		.ru_stime = ns_to_timeval((int64_t)stime_ns),
	};
}
