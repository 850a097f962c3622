/*
 * Scheduler API: kernel threads, preemptive round-robin scheduling driven
 * by the timer tick, wait queues, sleeping with timeouts, and mutexes.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include "include/compiler.h"

#define HZ 100          /* timer interrupts per second */

/* Called from the timer interrupt on every tick (interrupts disabled). */
void sched_tick(void);

#endif
