/*
 * Scheduler placeholder: counts ticks.
 */
#include "sched/sched.h"
#include "cpu/percpu.h"

void sched_tick(void)
{
	this_cpu()->ticks++;
}
