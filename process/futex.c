/*
 * Fast user-space mutexes (futex(2)): FUTEX_WAIT/WAKE and their BITSET
 * forms.  A waiter is keyed by (address space, user address); waiters
 * hash into buckets.  The waiter queues itself before it reads the futex
 * word, so a FUTEX_WAKE that follows a change of the word can never be
 * missed: either the reader sees the new value (EAGAIN) or the waker
 * finds it queued.
 *
 * Keys are per address space, which covers threads (private futexes);
 * futexes shared between processes through MAP_SHARED memory are keyed
 * the same way for now and so only work within one address space.
 *
 * Locking: each bucket's lock protects its waiter list and the waiters'
 * woken flags.
 */
#include "process/internal.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "time/clock.h"
#include "time/timespec.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffffU
#define FUTEX_BUCKETS 64

struct futex_waiter {
	struct list_node node;          /* [bucket lock] */
	struct mm *mm;
	uaddr_t addr;
	uint32_t bitset;
	bool woken;                     /* [bucket lock] */
};

struct futex_bucket {
	struct spinlock lock;
	struct list_node waiters;
	struct wait_queue wq;
};

static struct futex_bucket buckets[FUTEX_BUCKETS];

static struct futex_bucket *bucket_of(struct mm *mm, uaddr_t addr)
{
	uint64_t h = ((uint64_t)mm >> 6) ^ (addr >> 2);

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return &buckets[(h >> 32) % FUTEX_BUCKETS];
}

void futex_init(void)
{
	for (int i = 0; i < FUTEX_BUCKETS; i++) {
		spin_lock_init(&buckets[i].lock, "futex");
		list_init(&buckets[i].waiters);
		wait_queue_init(&buckets[i].wq);
	}
}

/* Wake up to @n waiters on (@mm, @addr) whose bitset meets @bitset. */
int futex_wake(struct mm *mm, uaddr_t addr, int n, uint32_t bitset)
{
	struct futex_bucket *b = bucket_of(mm, addr);
	struct list_node *pos;
	unsigned long irq;
	int woken = 0;

	irq = spin_lock_irqsave(&b->lock);
	list_for_each(pos, &b->waiters) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, node);
		if (woken >= n)
			break;
		if (w->mm == mm && w->addr == addr && !w->woken &&
		    (w->bitset & bitset)) {
			w->woken = true;
			woken++;
		}
	}
	spin_unlock_irqrestore(&b->lock, irq);
	if (woken)
		sched_wake_all(&b->wq);
	return woken;
}

static long futex_wait(struct mm *mm, uaddr_t addr, uint32_t val,
		       uint64_t deadline_ns, uint32_t bitset)
{
	struct futex_bucket *b = bucket_of(mm, addr);
	struct futex_waiter w = { .mm = mm, .addr = addr, .bitset = bitset };
	unsigned long irq;
	uint32_t cur;
	long ret;

	irq = spin_lock_irqsave(&b->lock);
	list_add_tail(&w.node, &b->waiters);
	spin_unlock_irqrestore(&b->lock, irq);

	if (copy_from_user(&cur, addr, sizeof(cur)))
		ret = -EFAULT;
	else if (cur != val)
		ret = -EAGAIN;
	else if (deadline_ns && clock_uptime_ns() >= deadline_ns)
		ret = -ETIMEDOUT;
	else
		ret = wait_event_interruptible_timeout(&b->wq, READ_ONCE(w.woken),
			deadline_ns ? deadline_ns - clock_uptime_ns() : 0);

	irq = spin_lock_irqsave(&b->lock);
	list_del(&w.node);
	if (w.woken)
		ret = 0;                /* a wake beats a timeout or signal */
	spin_unlock_irqrestore(&b->lock, irq);
	return ret;
}

SYSCALL_DEFINE6(futex, uaddr_t, uaddr, int, op, uint32_t, val, uaddr_t, utime,
		uaddr_t, uaddr2, uint32_t, val3)
{
	struct mm *mm = current_process()->mm;
	int cmd = op & FUTEX_CMD_MASK;
	uint64_t deadline = 0;

	if (uaddr & 3)
		return -EINVAL;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (cmd == FUTEX_WAIT_BITSET && val3 == 0)
			return -EINVAL;
		if (utime) {
			struct __kernel_timespec ts;
			int64_t ns;
			if (copy_from_user(&ts, utime, sizeof(ts)))
				return -EFAULT;
			if (!timespec_valid(&ts))
				return -EINVAL;
			ns = timespec_to_ns(&ts);
			if (cmd == FUTEX_WAIT) {
				deadline = clock_uptime_ns() + ns;
			} else if (op & FUTEX_CLOCK_REALTIME) {
				int64_t now = clock_realtime_ns();
				deadline = clock_uptime_ns() + (ns > now ? ns - now : 0);
			} else {
				deadline = ns;  /* absolute CLOCK_MONOTONIC */
			}
			if (!deadline)
				deadline = 1;
		}
		return futex_wait(mm, uaddr, val, deadline,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (cmd == FUTEX_WAKE_BITSET && val3 == 0)
			return -EINVAL;
		return futex_wake(mm, uaddr, (int)MIN(val, (uint32_t)INT32_MAX),
				  cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3);
	default:
		return -ENOSYS;
	}
}
