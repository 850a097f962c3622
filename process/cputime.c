/*
 * CPU-time arithmetic (pure): splitting a thread's exact runtime into
 * user and system time from tick samples, as Linux's cputime_adjust()
 * does (kernel/sched/cputime.c), and filling struct rusage.
 */
#include "process/resource.h"

void cputime_split(uint64_t runtime_ns, uint64_t user_ticks,
		   uint64_t system_ticks, uint64_t *utime_ns, uint64_t *stime_ns)
{
	uint64_t stime;

	if (system_ticks == 0)
		stime = 0;
	else if (user_ticks == 0)
		stime = runtime_ns;
	else
		stime = (uint64_t)((unsigned __int128)runtime_ns * system_ticks /
				   ((unsigned __int128)system_ticks + user_ticks));
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
