/*
 * Interval timers: alarm, setitimer and getitimer (getitimer(2)).
 * ITIMER_REAL counts wall time and sends SIGALRM to the process; it is a
 * kernel timer that re-arms itself for the interval.  ITIMER_VIRTUAL
 * (user time, SIGVTALRM) and ITIMER_PROF (user and system time, SIGPROF)
 * count down by one tick whenever the timer tick finds one of the
 * process's threads on the CPU, as Linux's tick-based accounting does.
 */
#include "process/internal.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "time/clock.h"
#include "time/timer.h"
#include "time/timespec.h"

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define NS 1000000000ULL

struct process_itimers {
	struct ktimer real;
	struct process *owner;
	uint64_t real_interval_ns;      /* [itimer_lock] */
	/* VIRTUAL and PROF: [itimer_lock]; value 0 = disarmed. */
	uint64_t cpu_value_ns[2], cpu_interval_ns[2];
};

static struct spinlock itimer_lock = SPINLOCK_INIT("itimer");

static void real_expired(struct ktimer *t)
{
	struct process_itimers *it = container_of(t, struct process_itimers, real);
	unsigned long irq;
	uint64_t interval;

	signal_send_process(it->owner, SIGALRM);
	irq = spin_lock_irqsave(&itimer_lock);
	interval = it->real_interval_ns;
	spin_unlock_irqrestore(&itimer_lock, irq);
	if (interval)
		ktimer_arm(t, clock_uptime_ns() + interval);
}

static struct process_itimers *itimers_of(struct process *p)
{
	if (!p->itimers) {
		struct process_itimers *it = kzalloc(sizeof(*it));
		if (!it)
			return NULL;
		ktimer_init(&it->real, real_expired);
		it->owner = p;
		p->itimers = it;
	}
	return p->itimers;
}

void process_itimers_release(struct process *p)
{
	struct process_itimers *it = p->itimers;

	if (it) {
		/* Unpublish first: the tick reads p->itimers. */
		WRITE_ONCE(p->itimers, NULL);
		barrier();
		ktimer_cancel(&it->real);
		kfree(it);
	}
}

static uint64_t tv_to_ns(const struct __kernel_old_timeval *tv)
{
	return tv->tv_sec * NS + tv->tv_usec * 1000;
}

static struct __kernel_old_timeval ns_to_tv(uint64_t ns)
{
	/* Round up so that a running timer never reads as 0. */
	uint64_t us = (ns + 999) / 1000;
	return (struct __kernel_old_timeval){ us / 1000000, us % 1000000 };
}

static bool tv_valid(const struct __kernel_old_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static int do_getitimer(int which, struct __kernel_old_itimerval *out)
{
	struct process_itimers *it = itimers_of(current_process());
	unsigned long irq;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (!it)
		return -ENOMEM;
	irq = spin_lock_irqsave(&itimer_lock);
	if (which != ITIMER_REAL) {
		out->it_interval = ns_to_tv(it->cpu_interval_ns[which - 1]);
		out->it_value = ns_to_tv(it->cpu_value_ns[which - 1]);
		spin_unlock_irqrestore(&itimer_lock, irq);
		return 0;
	}
	out->it_interval = ns_to_tv(it->real_interval_ns);
	spin_unlock_irqrestore(&itimer_lock, irq);
	out->it_value = (struct __kernel_old_timeval){ 0, 0 };
	if (it->real.armed) {
		uint64_t now = clock_uptime_ns(), d = it->real.deadline_ns;
		out->it_value = ns_to_tv(d > now ? d - now : 1);
	}
	return 0;
}

static int do_setitimer(int which, const struct __kernel_old_itimerval *nv,
			struct __kernel_old_itimerval *old)
{
	struct process_itimers *it = itimers_of(current_process());
	unsigned long irq;
	int err;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (!tv_valid(&nv->it_value) || !tv_valid(&nv->it_interval))
		return -EINVAL;
	if ((err = do_getitimer(which, old)))
		return err;
	if (which != ITIMER_REAL) {
		irq = spin_lock_irqsave(&itimer_lock);
		it->cpu_value_ns[which - 1] = tv_to_ns(&nv->it_value);
		it->cpu_interval_ns[which - 1] = tv_to_ns(&nv->it_interval);
		spin_unlock_irqrestore(&itimer_lock, irq);
		return 0;
	}
	ktimer_cancel(&it->real);
	irq = spin_lock_irqsave(&itimer_lock);
	it->real_interval_ns = tv_to_ns(&nv->it_interval);
	spin_unlock_irqrestore(&itimer_lock, irq);
	if (nv->it_value.tv_sec || nv->it_value.tv_usec)
		ktimer_arm(&it->real, clock_uptime_ns() + tv_to_ns(&nv->it_value));
	return 0;
}

SYSCALL_DEFINE2(getitimer, int, which, uaddr_t, uval)
{
	struct __kernel_old_itimerval v;
	int err = do_getitimer(which, &v);

	if (err)
		return err;
	return copy_to_user(uval, &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(setitimer, int, which, uaddr_t, unew, uaddr_t, uold)
{
	struct __kernel_old_itimerval nv = { 0 }, old;
	int err;

	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	err = do_setitimer(which, &nv, &old);
	if (err)
		return err;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct __kernel_old_itimerval nv = { { 0, 0 }, { seconds, 0 } }, old;

	if (do_setitimer(ITIMER_REAL, &nv, &old))
		return 0;
	/* Remaining seconds, rounded to nearest, at least 1 if pending. */
	if (!old.it_value.tv_sec && !old.it_value.tv_usec)
		return 0;
	return old.it_value.tv_sec + (old.it_value.tv_usec >= 500000) ?: 1;
}

#define TICK_NS (NS / HZ)

void process_itimers_tick(struct thread *t, bool user_mode)
{
	struct process *p = t->user->process;
	struct process_itimers *it = READ_ONCE(p->itimers);
	int fire[2] = { 0, 0 };
	unsigned long irq;

	if (!it)
		return;
	irq = spin_lock_irqsave(&itimer_lock);
	for (int i = 0; i < 2; i++) {
		uint64_t *v = &it->cpu_value_ns[i];
		if (!*v || (i == 0 && !user_mode))
			continue;
		if (*v > TICK_NS) {
			*v -= TICK_NS;
			continue;
		}
		*v = it->cpu_interval_ns[i];
		fire[i] = 1;
	}
	spin_unlock_irqrestore(&itimer_lock, irq);
	if (fire[0])
		signal_send_process(p, SIGVTALRM);
	if (fire[1])
		signal_send_process(p, SIGPROF);
}
