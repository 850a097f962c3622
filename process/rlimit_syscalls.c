/*
 * Resource-limit system calls: getrlimit, setrlimit, prlimit64, and the
 * defaults for the first process.  Rules in rlimit.c.  Only the calling
 * process can be named (prlimit64 with another pid: -ESRCH) until the
 * process layer offers a pid lookup.  Limits are recorded and reported;
 * enforcing each one belongs to its subsystem (RLIMIT_NOFILE in the VFS,
 * RLIMIT_STACK at exec, ...), which reads p->rlimits[] with READ_ONCE.
 *
 * Locking: rlimit_lock serializes changes of any process's rlimits[]
 * (prlimit64 returns the old value and sets the new one atomically).
 * Leaf lock.
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "process/cred.h"
#include "process/internal.h"
#include "process/resource.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "sched/spinlock.h"

static struct spinlock rlimit_lock = SPINLOCK_INIT("rlimit");

int process_rlimit_default(struct rlimit64 *limits)
{
	rlimit_init_defaults(limits, pmm_total_page_count());
	return 0;
}

/* do_prlimit: read and/or replace one limit of @p. */
static int do_prlimit(struct process *p, unsigned resource,
		      const struct rlimit64 *new, struct rlimit64 *old)
{
	int ret = 0;

	if (resource >= RLIMIT_COUNT)
		return -EINVAL;
	if (new && new->cur > new->max)
		return -EINVAL;
	spin_lock(&rlimit_lock);
	if (new)
		ret = rlimit_check_change((int)resource, &p->rlimits[resource], new,
					  cred_is_privileged(current_cred()));
	if (ret == 0) {
		if (old)
			*old = p->rlimits[resource];
		if (new)
			p->rlimits[resource] = *new;
	}
	spin_unlock(&rlimit_lock);
	return ret;
}

static struct process *self(void)
{
	return current_process();
}

SYSCALL_DEFINE2(getrlimit, unsigned, resource, struct rlimit __user *, urlim)
{
	struct rlimit64 old;
	struct rlimit r;
	int ret;

	if (resource >= RLIMIT_COUNT || !self())
		return -EINVAL;
	ret = do_prlimit(self(), resource, NULL, &old);
	if (ret)
		return ret;
	r = (struct rlimit){ old.cur, old.max };
	return copy_to_user((uaddr_t)urlim, &r, sizeof(r)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(setrlimit, unsigned, resource, const struct rlimit __user *, urlim)
{
	struct rlimit r;
	struct rlimit64 new;

	if (copy_from_user(&r, (uaddr_t)urlim, sizeof(r)))
		return -EFAULT;
	if (!self())
		return -EINVAL;
	new = (struct rlimit64){ r.rlim_cur, r.rlim_max };
	return do_prlimit(self(), resource, &new, NULL);
}

/* Linux copies the old limit out after setting the new one, so a bad
 * @uold gives -EFAULT with the new limit in force. */
SYSCALL_DEFINE4(prlimit64, int, pid, unsigned, resource,
		const struct rlimit64 __user *, unew, struct rlimit64 __user *, uold)
{
	struct process *p = self();
	struct rlimit64 new, old;
	int ret;

	if (unew && copy_from_user(&new, (uaddr_t)unew, sizeof(new)))
		return -EFAULT;
	if (!p)
		return -ESRCH;
	if (pid != 0 && pid != p->pid) {
		const struct cred *c = current_cred();
		unsigned long irq = spin_lock_irqsave(&process_tree_lock);
		struct process *t = process_find(pid);
		bool allowed;

		if (!t || t->state != PROCESS_ALIVE) {
			spin_unlock_irqrestore(&process_tree_lock, irq);
			return -ESRCH;
		}
		/* Linux: the caller's real, effective and saved ids must match
		 * the target's, or the caller needs CAP_SYS_RESOURCE. */
		allowed = c->euid == 0 ||
			  (c->uid == t->cred.uid && c->uid == t->cred.euid &&
			   c->uid == t->cred.suid && c->gid == t->cred.gid &&
			   c->gid == t->cred.egid && c->gid == t->cred.sgid);
		spin_unlock_irqrestore(&process_tree_lock, irq);
		if (!allowed)
			return -EPERM;
		p = t;
	}
	ret = do_prlimit(p, resource, unew ? &new : NULL, uold ? &old : NULL);
	if (ret == 0 && uold && copy_to_user((uaddr_t)uold, &old, sizeof(old)))
		ret = -EFAULT;
	return ret;
}
