/*
 * Kernel timers: a list sorted by deadline, checked on every tick.
 *
 * Locking: timer_lock (irq-safe) protects the list and each timer's
 * deadline and armed flag.  A callback runs without the lock held, so it
 * may re-arm its own timer.
 */
#include "time/timer.h"
#include "sched/spinlock.h"
#include "time/clock.h"

static struct spinlock timer_lock = SPINLOCK_INIT("ktimer");
static struct list_node timers = LIST_HEAD_INIT(timers);    /* [timer_lock] */

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *t))
{
	t->fn = fn;
	t->armed = false;
	list_init(&t->node);
}

void ktimer_arm(struct ktimer *t, uint64_t deadline_ns)
{
	unsigned long irq = spin_lock_irqsave(&timer_lock);
	struct list_node *pos;

	if (t->armed)
		list_del(&t->node);
	t->deadline_ns = deadline_ns;
	t->armed = true;
	list_for_each(pos, &timers)
		if (list_entry(pos, struct ktimer, node)->deadline_ns > deadline_ns)
			break;
	list_add_tail(&t->node, pos);
	spin_unlock_irqrestore(&timer_lock, irq);
}

uint64_t ktimer_cancel(struct ktimer *t)
{
	unsigned long irq = spin_lock_irqsave(&timer_lock);
	uint64_t left = 0, now = clock_uptime_ns();

	if (t->armed) {
		list_del(&t->node);
		t->armed = false;
		left = t->deadline_ns > now ? t->deadline_ns - now : 1;
	}
	spin_unlock_irqrestore(&timer_lock, irq);
	return left;
}

void ktimer_run_expired(void)
{
	uint64_t now = clock_uptime_ns();

	for (;;) {
		unsigned long irq = spin_lock_irqsave(&timer_lock);
		struct ktimer *t = NULL;

		if (!list_empty(&timers)) {
			t = list_first_entry(&timers, struct ktimer, node);
			if (t->deadline_ns > now) {
				t = NULL;
			} else {
				list_del(&t->node);
				t->armed = false;
			}
		}
		spin_unlock_irqrestore(&timer_lock, irq);
		if (!t)
			return;
		t->fn(t);
	}
}
