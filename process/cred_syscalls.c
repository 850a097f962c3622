/*
 * Identity system calls: get/set of real, effective, saved and file-system
 * user and group ids and the supplementary groups.  The rules are the pure
 * functions of cred.c; this file copies arguments, applies a result to the
 * calling process, and keeps concurrent changes consistent.
 *
 * Credentials are per process here (POSIX; glibc's setxid broadcast gives
 * the same result on Linux, where they are per thread).
 *
 * Locking: cred_lock serializes every change of a process's struct cred
 * (read-modify-write under the lock) and every read of another process's
 * credentials (cred_snapshot).  A thread may read its own process's ids
 * without it: a single aligned 32-bit load cannot tear.  Leaf lock.
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "process/cred.h"
#include "process/process.h"
#include "include/assert.h"
#include "include/errno.h"
#include "sched/spinlock.h"

static struct spinlock cred_lock = SPINLOCK_INIT("cred");

void cred_snapshot(struct process *p, struct cred *out)
{
	spin_lock(&cred_lock);
	*out = p->cred;
	spin_unlock(&cred_lock);
}

/* The calling process; set*id are only reached from user mode. */
static struct process *self(void)
{
	struct process *p = current_process();

	ASSERT(p);
	return p;
}

typedef int (*cred_rule_t)(struct cred *new, const struct cred *old,
			   uint32_t a, uint32_t b, uint32_t c);

/* Apply one rule to the caller's credentials atomically. */
static long cred_change(cred_rule_t rule, uint32_t a, uint32_t b, uint32_t c)
{
	struct process *p = self();
	struct cred new;
	int ret;

	spin_lock(&cred_lock);
	ret = rule(&new, &p->cred, a, b, c);
	if (ret == 0)
		p->cred = new;
	spin_unlock(&cred_lock);
	return ret;
}

static int rule_setuid(struct cred *n, const struct cred *o, uint32_t a, uint32_t b, uint32_t c)
{
	return cred_setuid(n, o, a);
}

static int rule_setgid(struct cred *n, const struct cred *o, uint32_t a, uint32_t b, uint32_t c)
{
	return cred_setgid(n, o, a);
}

static int rule_setreuid(struct cred *n, const struct cred *o, uint32_t a, uint32_t b, uint32_t c)
{
	return cred_setreuid(n, o, a, b);
}

static int rule_setregid(struct cred *n, const struct cred *o, uint32_t a, uint32_t b, uint32_t c)
{
	return cred_setregid(n, o, a, b);
}

SYSCALL_DEFINE0(getuid) { return current_cred()->uid; }
SYSCALL_DEFINE0(geteuid) { return current_cred()->euid; }
SYSCALL_DEFINE0(getgid) { return current_cred()->gid; }
SYSCALL_DEFINE0(getegid) { return current_cred()->egid; }

SYSCALL_DEFINE1(setuid, uint32_t, uid)
{
	return cred_change(rule_setuid, uid, 0, 0);
}

SYSCALL_DEFINE1(setgid, uint32_t, gid)
{
	return cred_change(rule_setgid, gid, 0, 0);
}

SYSCALL_DEFINE2(setreuid, uint32_t, ruid, uint32_t, euid)
{
	return cred_change(rule_setreuid, ruid, euid, 0);
}

SYSCALL_DEFINE2(setregid, uint32_t, rgid, uint32_t, egid)
{
	return cred_change(rule_setregid, rgid, egid, 0);
}

SYSCALL_DEFINE3(setresuid, uint32_t, ruid, uint32_t, euid, uint32_t, suid)
{
	return cred_change(cred_setresuid, ruid, euid, suid);
}

SYSCALL_DEFINE3(setresgid, uint32_t, rgid, uint32_t, egid, uint32_t, sgid)
{
	return cred_change(cred_setresgid, rgid, egid, sgid);
}

SYSCALL_DEFINE1(setfsuid, uint32_t, fsuid)
{
	struct process *p = self();
	struct cred new;
	uint32_t old;

	spin_lock(&cred_lock);
	old = cred_setfsuid(&new, &p->cred, fsuid);      /* never fails */
	p->cred = new;
	spin_unlock(&cred_lock);
	return old;
}

SYSCALL_DEFINE1(setfsgid, uint32_t, fsgid)
{
	struct process *p = self();
	struct cred new;
	uint32_t old;

	spin_lock(&cred_lock);
	old = cred_setfsgid(&new, &p->cred, fsgid);      /* never fails */
	p->cred = new;
	spin_unlock(&cred_lock);
	return old;
}

/* put_user of three ids in order, stopping at the first fault (Linux). */
static long put_three(uint32_t a, uint32_t __user *pa, uint32_t b,
		      uint32_t __user *pb, uint32_t c, uint32_t __user *pc)
{
	if (put_user(a, pa) || put_user(b, pb) || put_user(c, pc))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, uint32_t __user *, ruid, uint32_t __user *, euid,
		uint32_t __user *, suid)
{
	struct cred c;

	cred_snapshot(self(), &c);
	return put_three(c.uid, ruid, c.euid, euid, c.suid, suid);
}

SYSCALL_DEFINE3(getresgid, uint32_t __user *, rgid, uint32_t __user *, egid,
		uint32_t __user *, sgid)
{
	struct cred c;

	cred_snapshot(self(), &c);
	return put_three(c.gid, rgid, c.egid, egid, c.sgid, sgid);
}

SYSCALL_DEFINE2(getgroups, int, size, uint32_t __user *, list)
{
	struct cred c;

	if (size < 0)
		return -EINVAL;
	cred_snapshot(self(), &c);
	if (size == 0)
		return c.ngroups;
	if ((uint32_t)size < c.ngroups)
		return -EINVAL;
	if (copy_to_user((uaddr_t)list, c.groups, c.ngroups * sizeof(uint32_t)))
		return -EFAULT;
	return c.ngroups;
}

/* setgroups(2): EPERM before EINVAL before EFAULT, as in Linux. */
SYSCALL_DEFINE2(setgroups, int, size, const uint32_t __user *, list)
{
	struct process *p = self();
	uint32_t groups[CRED_MAX_GROUPS];
	struct cred new;
	int ret;

	if (!cred_is_privileged(current_cred()))
		return -EPERM;
	if ((unsigned)size > NGROUPS_MAX)
		return -EINVAL;
	if ((unsigned)size > CRED_MAX_GROUPS)
		return -EINVAL;         /* Linux would accept up to NGROUPS_MAX */
	if (copy_from_user(groups, (uaddr_t)list, (size_t)size * sizeof(uint32_t)))
		return -EFAULT;
	spin_lock(&cred_lock);
	ret = cred_setgroups(&new, &p->cred, groups, (size_t)size);
	if (ret == 0)
		p->cred = new;
	spin_unlock(&cred_lock);
	return ret;
}
