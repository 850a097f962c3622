/*
 * One-shot kernel timers on the monotonic clock, with tick resolution.
 * Callbacks run from the timer interrupt (interrupts disabled): they may
 * only take irq-safe locks and must not sleep.
 */
#ifndef TIME_TIMER_H
#define TIME_TIMER_H

#include "include/list.h"

struct ktimer {
	uint64_t deadline_ns;           /* [timer_lock] uptime */
	void (*fn)(struct ktimer *t);   /* [I] */
	struct list_node node;          /* [timer_lock] */
	bool armed;                     /* [timer_lock] */
};

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t));
/* (Re)arm @t to fire at uptime @deadline_ns. */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns);
/* Disarm; returns the remaining ns if it was armed, else 0. */
uint64_t ktimer_cancel(struct ktimer *t);
/* Run expired timers; called from the tick. */
void ktimer_run_expired(void);

#endif
