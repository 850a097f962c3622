/*
 * Spinlocks.  A spinlock records the CPU and the code address that holds
 * it; taking a lock this CPU already holds panics (recursion), as does
 * releasing one it does not hold.  Holding a spinlock disables preemption;
 * the _irqsave variants also disable interrupts and must be used for any
 * lock that an interrupt handler takes.
 */
#ifndef SCHED_SPINLOCK_H
#define SCHED_SPINLOCK_H

#include "include/compiler.h"

struct spinlock {
	volatile uint32_t locked;
	int32_t owner_cpu;          /* -1 when free */
	uint64_t owner_pc;          /* where it was taken, for debugging */
	const char *name;
};

#define SPINLOCK_INIT(n) { .locked = 0, .owner_cpu = -1, .owner_pc = 0, .name = (n) }

void spin_lock_init(struct spinlock *lock, const char *name);
void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);
bool spin_trylock(struct spinlock *lock);
uint64_t spin_lock_irqsave(struct spinlock *lock);
void spin_unlock_irqrestore(struct spinlock *lock, uint64_t flags);
/* True if the calling CPU holds @lock. */
bool spin_is_held(const struct spinlock *lock);

#define ASSERT_HELD(lock) ASSERT(spin_is_held(lock))

void preempt_disable(void);
void preempt_enable(void);

#endif
