/*
 * Sleeping mutexes.
 *
 * Model: m->owner is the owning thread, or 0 when free, with bit 0
 * (MUTEX_WAITERS) set when a thread may be asleep on m->waiters.  The
 * uncontended paths are one atomic operation each: lock swaps 0 for the
 * caller, unlock swaps the owner for 0 and wakes a waiter only if the
 * bit was set.  A thread that cannot get the mutex queues itself on the
 * wait queue (under sched_lock), then sets the bit on the current owner,
 * so that owner's unlock must wake it; if the mutex was freed in
 * between, it retries at once instead of sleeping.  A thread that got
 * the mutex after sleeping takes it with the bit set, since others may
 * still be queued (at worst one needless wakeup later).  No hand-off: a
 * running thread may take the mutex before a woken waiter (fine for a
 * single run queue).  Taking a mutex the caller already owns panics, as
 * does unlocking one it does not own.
 *
 * Locking: owner is changed only by atomic operations; waiters is
 * protected by sched_lock (sched_prepare_wait / sched_wake_one).
 */
#include "sched/sched.h"
#include "sched/internal.h"
#include "include/assert.h"
#include "lib/panic.h"

#define MUTEX_WAITERS 1UL

static struct thread *owner_of(uintptr_t word)
{
	return (struct thread *)(word & ~MUTEX_WAITERS);
}

void mutex_init(struct mutex *m, const char *name)
{
	m->owner = 0;
	wait_queue_init(&m->waiters);
	m->name = name;
}

/* Try to swap 0 for @self | @bits: true if the mutex is now ours. */
static bool take(struct mutex *m, struct thread *self, uintptr_t bits)
{
	uintptr_t expected = 0;

	if (__atomic_compare_exchange_n(&m->owner, &expected,
					(uintptr_t)self | bits, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return true;
	if (owner_of(expected) == self)
		panic("mutex %s: recursive lock by %s", m->name, self->name);
	return false;
}

bool mutex_trylock(struct mutex *m)
{
	return take(m, thread_current(), 0);
}

/* Mark @m as having waiters if it is still owned: false if it is free
 * (the caller must retry instead of sleeping). */
static bool mark_waiters(struct mutex *m)
{
	uintptr_t old = __atomic_load_n(&m->owner, __ATOMIC_RELAXED);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&m->owner, &old,
					      old | MUTEX_WAITERS, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return true;
}

void mutex_lock(struct mutex *m)
{
	struct thread *self = thread_current();

	if (take(m, self, 0))
		return;
	for (;;) {
		sched_prepare_wait(&m->waiters, 0);
		if (mark_waiters(m))
			schedule();
		sched_finish_wait(&m->waiters);
		if (take(m, self, MUTEX_WAITERS))
			return;
	}
}

void mutex_unlock(struct mutex *m)
{
	struct thread *self = thread_current();
	uintptr_t old;

	if (owner_of(__atomic_load_n(&m->owner, __ATOMIC_RELAXED)) != self)
		panic("mutex %s: unlocked by %s, not its owner", m->name,
		      self->name);
	old = __atomic_exchange_n(&m->owner, 0, __ATOMIC_RELEASE);
	if (old & MUTEX_WAITERS)
		sched_wake_one(&m->waiters);
}

bool mutex_is_held(const struct mutex *m)
{
	return owner_of(READ_ONCE(m->owner)) == thread_current();
}
