/*
 * Scheduling attributes: sched_{get,set}scheduler, sched_{get,set}param,
 * sched_get_priority_{min,max}, sched_rr_get_interval,
 * sched_{get,set}affinity and {get,set}priority.
 *
 * Model: every thread carries a struct sched_attrs (policy, real-time
 * priority, nice value, CPU mask), inherited by threads and children it
 * creates (SCHED_RESET_ON_FORK resets it in children), and checked and
 * reported exactly as Linux does: the same policies and ranges, the same
 * permission rules (the owner may lower its priority; raising it, or
 * real-time policies, needs root or RLIMIT_NICE/RLIMIT_RTPRIO).  The run
 * queue is one round-robin list on one CPU, so the attributes do not yet
 * change who runs.
 *
 * Locking: the attributes are [T] (process_tree_lock), like the thread
 * lists the lookups walk.
 */
#include "process/internal.h"
#include "process/resource.h"
#include "include/errno.h"
#include "lib/string.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000
#define MAX_RT_PRIO 99
#define RR_TIMESLICE_NS 100000000ULL    /* Linux: 100 ms */
#define FAIR_SLICE_NS 3000000ULL        /* Linux's sched_base_slice, 3 ms */

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

#define NR_CPUS_MASK_BYTES 8            /* sizeof(cpumask_t) with one word */
#define ONLINE_CPUS 1ULL                /* one CPU */

struct sched_param {
	int sched_priority;
};

void sched_attrs_inherit(struct sched_attrs *child,
			 const struct sched_attrs *parent)
{
	if (!parent) {
		memset(child, 0, sizeof(*child));
		child->policy = SCHED_OTHER;
		child->affinity = ONLINE_CPUS;
		return;
	}
	*child = *parent;
	if (parent->reset_on_fork) {
		if (child->policy == SCHED_FIFO || child->policy == SCHED_RR) {
			child->policy = SCHED_OTHER;
			child->rt_priority = 0;
		}
		if (child->nice < 0)
			child->nice = 0;
		child->reset_on_fork = false;
	}
}

/* The thread @tid (0: the caller), [T] held; NULL if none. */
static struct user_thread *find_thread_locked(int tid)
{
	return tid == 0 ? current_user_thread() : process_find_thread(tid);
}

/* Linux's check_same_owner / set_one_prio_perm: root, or the caller's
 * euid is the target's uid or euid. */
static bool may_change(const struct user_thread *t)
{
	const struct cred *c = current_cred();
	const struct cred *tc = &t->process->cred;

	return cred_is_privileged(c) || c->euid == tc->uid ||
	       c->euid == tc->euid;
}

static bool is_rt(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool valid_policy(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_FIFO ||
	       policy == SCHED_RR || policy == SCHED_BATCH ||
	       policy == SCHED_IDLE;
}

/* Apply @policy/@prio to thread @pid: sched_setscheduler and, with
 * @policy -1 (keep), sched_setparam. */
static long set_scheduler(int pid, int policy, uaddr_t uparam)
{
	struct sched_param param;
	struct user_thread *t;
	unsigned long irq;
	bool reset = false, keep = policy < 0;
	long err = 0;

	if (pid < 0 || !uparam)
		return -EINVAL;
	if (copy_from_user(&param, uparam, sizeof(param)))
		return -EFAULT;
	if (policy >= 0) {
		reset = policy & SCHED_RESET_ON_FORK;
		policy &= ~SCHED_RESET_ON_FORK;
		if (!valid_policy(policy))
			return -EINVAL;
	}
	irq = spin_lock_irqsave(&process_tree_lock);
	t = find_thread_locked(pid);
	if (!t) {
		err = -ESRCH;
		goto out;
	}
	if (keep) {
		policy = t->sched.policy;
		reset = t->sched.reset_on_fork;
	}
	if (param.sched_priority < 0 ||
	    param.sched_priority > MAX_RT_PRIO ||
	    is_rt(policy) != (param.sched_priority != 0)) {
		err = -EINVAL;
		goto out;
	}
	if (!cred_is_privileged(current_cred())) {
		/* Linux's order: real-time limits, leaving SCHED_IDLE, the
		 * owner, then SCHED_RESET_ON_FORK. */
		struct rlimit64 *rl = t->process->rlimits;
		uint64_t rtprio = rl[RLIMIT_RTPRIO].cur;
		if (is_rt(policy) &&
		    ((policy != t->sched.policy && !rtprio) ||
		     ((uint64_t)param.sched_priority > (uint64_t)t->sched.rt_priority &&
		      (uint64_t)param.sched_priority > rtprio))) {
			err = -EPERM;
			goto out;
		}
		if (t->sched.policy == SCHED_IDLE && policy != SCHED_IDLE &&
		    (uint64_t)(20 - t->sched.nice) > rl[RLIMIT_NICE].cur) {
			err = -EPERM;
			goto out;
		}
		if (!may_change(t)) {
			err = -EPERM;
			goto out;
		}
		if (!keep && t->sched.reset_on_fork && !reset) {
			err = -EPERM;   /* only root may clear the flag */
			goto out;
		}
	}
	t->sched.policy = policy;
	t->sched.rt_priority = param.sched_priority;
	t->sched.reset_on_fork = reset;
out:
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return err;
}

SYSCALL_DEFINE3(sched_setscheduler, int, pid, int, policy, uaddr_t, uparam)
{
	if (policy < 0)
		return -EINVAL;
	return set_scheduler(pid, policy, uparam);
}

SYSCALL_DEFINE2(sched_setparam, int, pid, uaddr_t, uparam)
{
	return set_scheduler(pid, -1, uparam);
}

SYSCALL_DEFINE1(sched_getscheduler, int, pid)
{
	struct user_thread *t;
	unsigned long irq;
	long ret;

	if (pid < 0)
		return -EINVAL;
	irq = spin_lock_irqsave(&process_tree_lock);
	t = find_thread_locked(pid);
	ret = !t ? -ESRCH : t->sched.policy |
		(t->sched.reset_on_fork ? SCHED_RESET_ON_FORK : 0);
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ret;
}

SYSCALL_DEFINE2(sched_getparam, int, pid, uaddr_t, uparam)
{
	struct sched_param param = { 0 };
	struct user_thread *t;
	unsigned long irq;

	if (pid < 0 || !uparam)
		return -EINVAL;
	irq = spin_lock_irqsave(&process_tree_lock);
	t = find_thread_locked(pid);
	if (t)
		param.sched_priority = t->sched.rt_priority;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	if (!t)
		return -ESRCH;
	return copy_to_user(uparam, &param, sizeof(param)) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (is_rt(policy))
		return MAX_RT_PRIO;
	return valid_policy(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (is_rt(policy))
		return 1;
	return valid_policy(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

SYSCALL_DEFINE2(sched_rr_get_interval, int, pid, uaddr_t, uts)
{
	struct __kernel_timespec ts = { 0, 0 };
	struct user_thread *t;
	unsigned long irq;
	uint64_t ns = 0;

	if (pid < 0)
		return -EINVAL;
	irq = spin_lock_irqsave(&process_tree_lock);
	t = find_thread_locked(pid);
	if (t)
		ns = t->sched.policy == SCHED_RR ? RR_TIMESLICE_NS :
		     t->sched.policy == SCHED_FIFO ? 0 : FAIR_SLICE_NS;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	if (!t)
		return -ESRCH;
	ts.tv_sec = (int64_t)(ns / 1000000000ULL);
	ts.tv_nsec = (int64_t)(ns % 1000000000ULL);
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned, len, uaddr_t, umask)
{
	uint8_t bytes[NR_CPUS_MASK_BYTES] = { 0 };
	struct user_thread *t;
	unsigned long irq;
	uint64_t mask;
	long err = 0;

	/* Bytes beyond our mask size name CPUs that do not exist. */
	if (copy_from_user(bytes, umask, MIN(len, (unsigned)sizeof(bytes))))
		return -EFAULT;
	memcpy(&mask, bytes, sizeof(mask));
	irq = spin_lock_irqsave(&process_tree_lock);
	t = find_thread_locked(pid);
	if (!t)
		err = -ESRCH;
	else if (!may_change(t))
		err = -EPERM;
	else if (!(mask & ONLINE_CPUS))
		err = -EINVAL;
	else
		t->sched.affinity = mask & ONLINE_CPUS;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return err;
}

SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned, len, uaddr_t, umask)
{
	uint8_t bytes[NR_CPUS_MASK_BYTES];
	struct user_thread *t;
	unsigned long irq;
	uint64_t mask = 0;

	if (len * 8 < 1 || (len & (sizeof(long) - 1)))
		return -EINVAL;
	irq = spin_lock_irqsave(&process_tree_lock);
	t = find_thread_locked(pid);
	if (t)
		mask = t->sched.affinity;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	if (!t)
		return -ESRCH;
	memcpy(bytes, &mask, sizeof(bytes));
	len = MIN(len, (unsigned)sizeof(bytes));
	return copy_to_user(umask, bytes, len) ? -EFAULT : (long)len;
}

/* ---- nice values: getpriority/setpriority ---- */

struct prio_walk {
	int which, who;
	int best;               /* getpriority: highest 20 - nice seen */
	int nice;               /* setpriority: the value to set */
	bool set, found;
	long err;
};

static bool prio_matches(const struct prio_walk *w, struct process *p,
			 struct user_thread *t)
{
	switch (w->which) {
	case PRIO_PROCESS:
		return t->thread->tid == w->who;
	case PRIO_PGRP:
		return p->pgid == w->who;
	default:
		return p->cred.uid == (uint32_t)w->who;
	}
}

static void prio_visit(struct prio_walk *w, struct user_thread *t)
{
	w->found = true;
	if (!w->set) {
		if (20 - t->sched.nice > w->best)
			w->best = 20 - t->sched.nice;
		return;
	}
	if (!may_change(t)) {
		w->err = -EPERM;
		return;
	}
	/* Lowering the nice value needs root or RLIMIT_NICE. */
	if (w->nice < t->sched.nice && !cred_is_privileged(current_cred()) &&
	    (uint64_t)(20 - w->nice) >
	    t->process->rlimits[RLIMIT_NICE].cur) {
		w->err = -EACCES;
		return;
	}
	t->sched.nice = w->nice;
}

static long prio_walk(struct prio_walk *w)
{
	struct list_node *pos, *tpos;
	unsigned long irq;

	if (w->which < PRIO_PROCESS || w->which > PRIO_USER)
		return -EINVAL;
	if (w->who == 0) {
		if (w->which == PRIO_PROCESS)
			w->who = thread_current()->tid;
		else if (w->which == PRIO_PGRP)
			w->who = current_process()->pgid;
		else
			w->who = (int)current_cred()->uid;
	}
	irq = spin_lock_irqsave(&process_tree_lock);
	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->state != PROCESS_ALIVE)
			continue;
		list_for_each(tpos, &p->threads) {
			struct user_thread *t = list_entry(tpos, struct user_thread,
							   node);
			/* PGRP and USER act on each process's threads; Linux
			 * treats the thread group leader as the process. */
			if (prio_matches(w, p, t))
				prio_visit(w, t);
		}
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	if (!w->found)
		return -ESRCH;
	return w->err;
}

/* The raw system call returns 20 - nice (1..40); libc converts. */
SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	struct prio_walk w = { .which = which, .who = who, .best = 0 };
	long err = prio_walk(&w);

	return err ? err : w.best;
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	struct prio_walk w = { .which = which, .who = who, .set = true };

	w.nice = niceval < -20 ? -20 : niceval > 19 ? 19 : niceval;
	return prio_walk(&w);
}
