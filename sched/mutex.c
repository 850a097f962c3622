/*
 * Sleeping mutexes.  The owner field is protected by sched_lock; waiters
 * sleep on the mutex's wait queue and retry when woken (no hand-off, so a
 * running thread may take the mutex before a woken waiter: fine for a
 * single run queue).  Taking a mutex the caller already owns panics.
 */
#include "sched/sched.h"
#include "sched/internal.h"
#include "include/assert.h"
#include "lib/panic.h"

void mutex_init(struct mutex *m, const char *name)
{
	m->owner = NULL;
	wait_queue_init(&m->waiters);
	m->name = name;
}

bool mutex_trylock(struct mutex *m)
{
	struct thread *self = thread_current();
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	bool got = false;

	if (m->owner == self)
		panic("mutex %s: recursive lock by %s", m->name, self->name);
	if (!m->owner) {
		m->owner = self;
		got = true;
	}
	spin_unlock_irqrestore(&sched_lock, flags);
	return got;
}

void mutex_lock(struct mutex *m)
{
	while (!mutex_trylock(m)) {
		sched_prepare_wait(&m->waiters, 0);
		if (READ_ONCE(m->owner) != NULL)
			schedule();
		sched_finish_wait(&m->waiters);
	}
}

void mutex_unlock(struct mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	if (m->owner != thread_current())
		panic("mutex %s: unlocked by %s, not its owner", m->name,
		      thread_current()->name);
	m->owner = NULL;
	spin_unlock_irqrestore(&sched_lock, flags);
	sched_wake_one(&m->waiters);
}

bool mutex_is_held(const struct mutex *m)
{
	return READ_ONCE(m->owner) == thread_current();
}
