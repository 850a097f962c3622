/*
 * CPU time of threads and processes, and the times(2) and getrusage(2)
 * system calls.  Model in resource.h: exact runtime from the scheduler,
 * split into user/system by tick samples (cputime.c); exited threads and
 * reaped children are folded into struct process fields.
 *
 * Locking: p->utime_ns/stime_ns and children_*_ns change under
 * process_tree_lock (thread exit, reaping); process_cpu_times reads them
 * with the thread list under it.  Other readers take snapshots without
 * locks: 64-bit loads cannot tear.
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "process/process.h"
#include "process/internal.h"
#include "process/resource.h"
#include "mm/mm.h"
#include "include/errno.h"
#include "sched/sched.h"
#include "time/clock.h"

uint64_t thread_cpu_time_ns(struct thread *t)
{
	struct thread_cputime c;

	sched_thread_cputime(t, &c);
	return c.runtime_ns;
}

void thread_cpu_times(struct thread *t, uint64_t *utime_ns, uint64_t *stime_ns)
{
	struct thread_cputime c;

	sched_thread_cputime(t, &c);
	cputime_split(c.runtime_ns, c.user_ticks, c.system_ticks, utime_ns, stime_ns);
}

/* Exited threads plus live ones (p->threads under process_tree_lock;
 * sched_lock, taken inside, is a leaf). */
void process_cpu_times(struct process *p, uint64_t *utime_ns, uint64_t *stime_ns)
{
	uint64_t u, s, irq;
	struct list_node *pos;

	irq = spin_lock_irqsave(&process_tree_lock);
	u = p->utime_ns;
	s = p->stime_ns;
	list_for_each(pos, &p->threads) {
		struct user_thread *ut = list_entry(pos, struct user_thread, node);
		uint64_t tu, ts;

		thread_cpu_times(ut->thread, &tu, &ts);
		u += tu;
		s += ts;
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	*utime_ns = u;
	*stime_ns = s;
}

uint64_t process_cpu_time_ns(struct process *p)
{
	uint64_t u, s;

	process_cpu_times(p, &u, &s);
	return u + s;
}

/* Caller holds process_tree_lock and has just taken @t off p->threads,
 * so process_cpu_times counts it exactly once. */
void process_account_thread_exit(struct process *p, struct thread *t)
{
	uint64_t u, s;

	thread_cpu_times(t, &u, &s);
	p->utime_ns += u;
	p->stime_ns += s;
}

/* Caller holds process_tree_lock ([T]); @child is a zombie. */
void process_account_reap(struct process *parent, struct process *child)
{
	parent->children_utime_ns += child->utime_ns + child->children_utime_ns;
	parent->children_stime_ns += child->stime_ns + child->children_stime_ns;
}

void process_rusage_of_zombie(struct process *child, struct rusage *ru)
{
	rusage_from_times(ru, child->utime_ns + child->children_utime_ns,
			  child->stime_ns + child->children_stime_ns);
}

SYSCALL_DEFINE1(times, struct tms __user *, ubuf)
{
	struct process *p = current_process();

	if (ubuf) {
		struct tms t = { 0 };
		uint64_t u, s;

		if (p) {
			process_cpu_times(p, &u, &s);
			t.tms_utime = ns_to_clock_t(u);
			t.tms_stime = ns_to_clock_t(s);
			t.tms_cutime = ns_to_clock_t(READ_ONCE(p->children_utime_ns));
			t.tms_cstime = ns_to_clock_t(READ_ONCE(p->children_stime_ns));
		}
		if (copy_to_user((uaddr_t)ubuf, &t, sizeof(t)))
			return -EFAULT;
	}
	/* Ticks since boot (Linux starts jiffies 5 minutes before wrap;
	 * only differences are meaningful). */
	return ns_to_clock_t(clock_uptime_ns());
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, uru)
{
	struct process *p = current_process();
	struct rusage ru;
	uint64_t u = 0, s = 0, maxrss = 0;

	switch (who) {
	case RUSAGE_SELF:
	case RUSAGE_THREAD:
		if (who == RUSAGE_SELF && p)
			process_cpu_times(p, &u, &s);
		else
			thread_cpu_times(thread_current(), &u, &s);
		if (p && p->mm)
			maxrss = MAX(READ_ONCE(p->maxrss_kb),
				     mm_hiwater_rss_kb(p->mm));
		break;
	case RUSAGE_CHILDREN:
		if (p) {
			u = READ_ONCE(p->children_utime_ns);
			s = READ_ONCE(p->children_stime_ns);
			maxrss = READ_ONCE(p->children_maxrss_kb);
		}
		break;
	default:
		return -EINVAL;
	}
	rusage_from_times(&ru, u, s);
	ru.ru_maxrss = (long)maxrss;
	if (copy_to_user((uaddr_t)uru, &ru, sizeof(ru)))
		return -EFAULT;
	return 0;
}
