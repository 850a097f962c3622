/*
 * Fast user-space mutexes (futex(2)): WAIT, WAKE, REQUEUE, CMP_REQUEUE,
 * WAKE_OP and the BITSET forms; robust lists at thread exit.
 *
 * A waiter is keyed by what its futex word *is*, not by where it is seen:
 * a private futex (FUTEX_PRIVATE_FLAG) by (address space, address); a
 * shared one by the shared memory object and the offset in it when the
 * word lies in a MAP_SHARED mapping (mm_futex_key), so processes mapping
 * the same memory at different addresses meet.  Keys hold no reference
 * on their object: if it is freed while a waiter sleeps and a new object
 * reuses its address, the worst outcome is a spurious wakeup, which every
 * futex user must tolerate anyway.
 *
 * Waiters hash into buckets by key.  A waiter queues itself before it
 * reads the futex word, so a wake that follows a change of the word can
 * never be missed: either the reader sees the new value (EAGAIN) or the
 * waker finds it queued.  A wake or requeue unlinks the waiter and wakes
 * its private wait queue while still holding the bucket lock, so the
 * waiter (whose record lives on its stack) cannot leave before the waker
 * is done with it.  CMP_REQUEUE reads the word before it takes the bucket
 * locks (reading user memory may fault and sleep); it behaves as if the
 * whole operation happened at that read.
 *
 * Locking: each bucket's lock protects its waiter list and, for the
 * waiters on it, their key, bucket pointer and woken flag.  Two buckets
 * are locked in address order.
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
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffffU
#define FUTEX_BUCKETS 64

/* FUTEX_WAKE_OP encoding: op:4 cmp:4 oparg:12 cmparg:12. */
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5

/* Robust futex words (include/uapi/linux/futex.h). */
#define FUTEX_WAITERS 0x80000000U
#define FUTEX_OWNER_DIED 0x40000000U
#define FUTEX_TID_MASK 0x3fffffffU
#define ROBUST_LIST_LIMIT 2048

struct futex_bucket;

struct futex_waiter {
	struct list_node node;          /* [bucket lock] */
	struct futex_key key;           /* [bucket lock] changes on requeue */
	struct futex_bucket *bucket;    /* [bucket lock] the one it is on */
	uint32_t bitset;                /* [I] */
	bool woken;                     /* [bucket lock] */
	struct wait_queue wq;           /* only this waiter sleeps here */
};

struct futex_bucket {
	struct spinlock lock;
	struct list_node waiters;       /* [lock] struct futex_waiter.node */
};

static struct futex_bucket buckets[FUTEX_BUCKETS];

static bool key_equal(const struct futex_key *a, const struct futex_key *b)
{
	return a->object == b->object && a->offset == b->offset;
}

static struct futex_bucket *bucket_of(const struct futex_key *key)
{
	uint64_t h = ((uint64_t)(uintptr_t)key->object >> 6) ^
		(key->offset >> 2);

	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	return &buckets[(h >> 32) % FUTEX_BUCKETS];
}

void futex_init(void)
{
	for (int i = 0; i < FUTEX_BUCKETS; i++) {
		spin_lock_init(&buckets[i].lock, "futex");
		list_init(&buckets[i].waiters);
	}
}

/* The key of the futex word at @addr: 0 or -EFAULT (-EINVAL if not
 * 4-byte aligned). */
static int get_key(uaddr_t addr, bool shared, struct futex_key *key)
{
	struct mm *mm = current_process()->mm;

	if (addr & 3)
		return -EINVAL;
	if (!user_range_ok(addr, sizeof(uint32_t)))
		return -EFAULT;
	if (shared)
		return mm_futex_key(mm, addr, key);
	key->object = mm;
	key->offset = addr;
	return 0;
}

/* Lock two buckets (or one) in address order; returns irq state. */
static unsigned long lock_pair(struct futex_bucket *a, struct futex_bucket *b)
{
	unsigned long irq;

	if (a == b)
		return spin_lock_irqsave(&a->lock);
	if (a > b) {
		struct futex_bucket *t = a;
		a = b;
		b = t;
	}
	irq = spin_lock_irqsave(&a->lock);
	spin_lock(&b->lock);
	return irq;
}

static void unlock_pair(struct futex_bucket *a, struct futex_bucket *b,
			unsigned long irq)
{
	if (a != b)
		spin_unlock(&(a > b ? a : b)->lock);
	spin_unlock_irqrestore(&(a > b ? b : a)->lock, irq);
}

/* Bucket lock held: unlink @w and make it runnable. */
static void wake_waiter(struct futex_waiter *w)
{
	list_del(&w->node);
	w->woken = true;
	sched_wake_all(&w->wq);
}

/* Bucket lock held: wake up to @n waiters on @key matching @bitset. */
static int wake_locked(struct futex_bucket *b, const struct futex_key *key,
		       int n, uint32_t bitset)
{
	struct list_node *pos, *next;
	int woken = 0;

	for (pos = b->waiters.next; pos != &b->waiters && woken < n;
	     pos = next) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter,
						    node);
		next = pos->next;
		if (key_equal(&w->key, key) && (w->bitset & bitset)) {
			wake_waiter(w);
			woken++;
		}
	}
	return woken;
}

static int wake_key(const struct futex_key *key, int n, uint32_t bitset)
{
	struct futex_bucket *b = bucket_of(key);
	unsigned long irq = spin_lock_irqsave(&b->lock);
	int woken = wake_locked(b, key, n, bitset);

	spin_unlock_irqrestore(&b->lock, irq);
	return woken;
}

int futex_wake_user(uaddr_t addr, bool shared, int n)
{
	struct futex_key key;
	int err = get_key(addr, shared, &key);

	return err ? err : wake_key(&key, n, FUTEX_BITSET_MATCH_ANY);
}

/* Lock the bucket @w is on now (a requeue may move it meanwhile). */
static struct futex_bucket *lock_waiter_bucket(struct futex_waiter *w,
					       unsigned long *irq)
{
	for (;;) {
		struct futex_bucket *b = READ_ONCE(w->bucket);
		*irq = spin_lock_irqsave(&b->lock);
		if (w->bucket == b)
			return b;
		spin_unlock_irqrestore(&b->lock, *irq);
	}
}

static long futex_wait(uaddr_t addr, bool shared, uint32_t val,
		       uint64_t deadline_ns, uint32_t bitset)
{
	struct futex_waiter w = { .bitset = bitset };
	struct futex_bucket *b;
	unsigned long irq;
	uint32_t cur;
	long ret;

	ret = get_key(addr, shared, &w.key);
	if (ret)
		return ret;
	wait_queue_init(&w.wq);
	b = w.bucket = bucket_of(&w.key);
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
		ret = wait_event_interruptible_timeout(&w.wq, READ_ONCE(w.woken),
			deadline_ns ? deadline_ns - clock_uptime_ns() : 0);

	b = lock_waiter_bucket(&w, &irq);
	if (w.woken)
		ret = 0;                /* a wake beats a timeout or signal */
	else
		list_del(&w.node);
	spin_unlock_irqrestore(&b->lock, irq);
	return ret;
}

/* Wake @nr_wake waiters on @addr, move up to @nr_requeue more to @addr2.
 * With @cmp, first check that *@addr still holds @cmpval (-EAGAIN). */
static long futex_requeue(uaddr_t addr, uaddr_t addr2, bool shared,
			  int nr_wake, int nr_requeue, bool cmp,
			  uint32_t cmpval)
{
	struct futex_key key1, key2;
	struct futex_bucket *b1, *b2;
	struct list_node *pos, *next;
	unsigned long irq;
	int done = 0, moved = 0;
	long err;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	err = get_key(addr, shared, &key1);
	if (!err)
		err = get_key(addr2, shared, &key2);
	if (err)
		return err;
	if (cmp) {
		uint32_t cur;
		if (copy_from_user(&cur, addr, sizeof(cur)))
			return -EFAULT;
		if (cur != cmpval)
			return -EAGAIN;
	}
	b1 = bucket_of(&key1);
	b2 = bucket_of(&key2);
	irq = lock_pair(b1, b2);
	for (pos = b1->waiters.next; pos != &b1->waiters; pos = next) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter,
						    node);
		next = pos->next;
		if (!key_equal(&w->key, &key1))
			continue;
		if (done < nr_wake) {
			wake_waiter(w);
			done++;
		} else if (moved < nr_requeue) {
			list_del(&w->node);
			w->key = key2;
			w->bucket = b2;
			list_add_tail(&w->node, &b2->waiters);
			moved++;
		} else {
			break;
		}
	}
	unlock_pair(b1, b2, irq);
	/* Both forms return the waiters woken plus those requeued (the man
	 * page says FUTEX_REQUEUE counts only the woken; Linux does not). */
	return done + moved;
}

/* Atomically apply a FUTEX_WAKE_OP operation to the word at @addr;
 * the old value in *@old.  0, -EFAULT or -ENOSYS. */
static int atomic_op(uaddr_t addr, unsigned op, uint32_t oparg,
		     uint32_t *old)
{
	uint32_t cur, next;
	int err;

	if (op > FUTEX_OP_XOR)
		return -ENOSYS;
	if (copy_from_user(&cur, addr, sizeof(cur)))
		return -EFAULT;
	for (;;) {
		uint32_t seen;
		switch (op) {
		case FUTEX_OP_SET: next = oparg; break;
		case FUTEX_OP_ADD: next = cur + oparg; break;
		case FUTEX_OP_OR: next = cur | oparg; break;
		case FUTEX_OP_ANDN: next = cur & ~oparg; break;
		default: next = cur ^ oparg; break;
		}
		err = cmpxchg_user_u32(addr, cur, next, &seen);
		if (err)
			return err;
		if (seen == cur)
			break;
		cur = seen;
	}
	*old = cur;
	return 0;
}

static long futex_wake_op(uaddr_t addr, uaddr_t addr2, bool shared,
			  int nr_wake, int nr_wake2, uint32_t encoded)
{
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int32_t oparg = (int32_t)(encoded << 8) >> 20;
	int32_t cmparg = (int32_t)(encoded << 20) >> 20;
	struct futex_key key1, key2;
	uint32_t old;
	bool hit;
	long err, woken;

	err = get_key(addr, shared, &key1);
	if (!err)
		err = get_key(addr2, shared, &key2);
	if (err)
		return err;
	if ((encoded >> 28) & FUTEX_OP_OPARG_SHIFT)
		oparg = 1 << (oparg & 31);
	if (cmp > FUTEX_OP_CMP_GE)
		return -ENOSYS;
	err = atomic_op(addr2, op, (uint32_t)oparg, &old);
	if (err)
		return err;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: hit = (int32_t)old == cmparg; break;
	case FUTEX_OP_CMP_NE: hit = (int32_t)old != cmparg; break;
	case FUTEX_OP_CMP_LT: hit = (int32_t)old < cmparg; break;
	case FUTEX_OP_CMP_LE: hit = (int32_t)old <= cmparg; break;
	case FUTEX_OP_CMP_GT: hit = (int32_t)old > cmparg; break;
	default: hit = (int32_t)old >= cmparg; break;
	}
	woken = wake_key(&key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (hit)
		woken += wake_key(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	return woken;
}

static long wait_deadline(int op, int cmd, uaddr_t utime, uint64_t *deadline)
{
	struct __kernel_timespec ts;
	int64_t ns;

	*deadline = 0;
	if (!utime)
		return 0;
	if (copy_from_user(&ts, utime, sizeof(ts)))
		return -EFAULT;
	if (!timespec_valid(&ts))
		return -EINVAL;
	ns = timespec_to_ns(&ts);
	if (cmd == FUTEX_WAIT) {
		*deadline = clock_uptime_ns() + ns;     /* relative */
	} else if (op & FUTEX_CLOCK_REALTIME) {
		int64_t now = clock_realtime_ns();
		*deadline = clock_uptime_ns() + (ns > now ? ns - now : 0);
	} else {
		*deadline = ns;         /* absolute CLOCK_MONOTONIC */
	}
	if (!*deadline)
		*deadline = 1;
	return 0;
}

SYSCALL_DEFINE6(futex, uaddr_t, uaddr, int, op, uint32_t, val, uaddr_t, utime,
		uaddr_t, uaddr2, uint32_t, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	/* The requeue and WAKE_OP calls pass a second count in the
	 * timeout argument's place. */
	int val2 = (int)(uint32_t)utime;
	uint64_t deadline;
	long err;

	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (cmd == FUTEX_WAIT_BITSET && val3 == 0)
			return -EINVAL;
		err = wait_deadline(op, cmd, utime, &deadline);
		if (err)
			return err;
		return futex_wait(uaddr, shared, val, deadline,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		struct futex_key key;
		if (cmd == FUTEX_WAKE_BITSET && val3 == 0)
			return -EINVAL;
		err = get_key(uaddr, shared, &key);
		if (err)
			return err;
		return wake_key(&key, (int)MIN(val, (uint32_t)INT32_MAX),
				cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY : val3);
	}
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val, val2,
				     cmd == FUTEX_CMP_REQUEUE, val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, shared,
				     (int)MIN(val, (uint32_t)INT32_MAX),
				     val2 < 0 ? 0 : val2, val3);
	default:
		return -ENOSYS;
	}
}

/* ---- robust lists ---- */

/* The owner @tid died holding the robust futex at @addr: mark it
 * OWNER_DIED and wake one waiter.  @pending: the entry was only about
 * to be taken or released (list_op_pending). */
static void robust_futex_died(uaddr_t addr, uint32_t tid, bool pending)
{
	uint32_t cur, seen;

	if ((addr & 3) || copy_from_user(&cur, addr, sizeof(cur)))
		return;
	for (;;) {
		if (pending && cur == 0) {
			/* Released (or never taken) by the dying thread in
			 * the middle of the operation: a waiter it may have
			 * been about to wake gets the wakeup. */
			futex_wake_user(addr, true, 1);
			return;
		}
		if ((cur & FUTEX_TID_MASK) != tid)
			return;
		if (cmpxchg_user_u32(addr, cur,
				     (cur & FUTEX_WAITERS) | FUTEX_OWNER_DIED,
				     &seen))
			return;
		if (seen == cur)
			break;
		cur = seen;
	}
	if (cur & FUTEX_WAITERS)
		futex_wake_user(addr, true, 1);
}

/* struct robust_list_head: next, futex_offset, list_op_pending. */
void futex_exit_robust_list(uaddr_t head, uint32_t tid)
{
	uint64_t words[3], entry, pending;
	int64_t offset;

	if (!head || copy_from_user(words, head, sizeof(words)))
		return;
	entry = words[0];
	offset = (int64_t)words[1];
	pending = words[2] & ~1UL;
	for (int n = 0; entry != head && n < ROBUST_LIST_LIMIT; n++) {
		uint64_t next;
		uaddr_t e = entry & ~1UL;
		if (copy_from_user(&next, e, sizeof(next)))
			return;
		if (e != pending)
			robust_futex_died(e + offset, tid, false);
		entry = next;
	}
	if (pending)
		robust_futex_died(pending + offset, tid, true);
}
