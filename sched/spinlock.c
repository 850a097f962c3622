/*
 * Spinlock implementation: test-and-test-and-set on one word, with owner
 * bookkeeping for recursion and misuse detection.
 */
#include "sched/spinlock.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "include/assert.h"

void spin_lock_init(struct spinlock *lock, const char *name)
{
	lock->locked = 0;
	lock->owner_cpu = -1;
	lock->owner_pc = 0;
	lock->name = name;
}

/*
 * The paths below read the per-CPU area once and pass it to these, which
 * are always inlined (spin_lock and spin_unlock are on every hot path).
 */
static __always_inline void preempt_off(struct percpu *cpu)
{
	cpu->preempt_count++;
	barrier();
}

static __always_inline void preempt_on(struct percpu *cpu)
{
	barrier();
	ASSERT(cpu->preempt_count > 0);
	cpu->preempt_count--;
}

static __always_inline bool held_by(const struct spinlock *lock,
				    const struct percpu *cpu)
{
	return lock->locked && lock->owner_cpu == (int32_t)cpu->cpu_id;
}

void preempt_disable(void)
{
	preempt_off(this_cpu());
}

void preempt_enable(void)
{
	preempt_on(this_cpu());
}

bool spin_is_held(const struct spinlock *lock)
{
	return held_by(lock, this_cpu());
}

/* Disable preemption on @cpu (this CPU) and take @lock, recording @pc. */
static __always_inline void take(struct spinlock *lock, struct percpu *cpu,
				 uint64_t pc)
{
	preempt_off(cpu);
	if (unlikely(held_by(lock, cpu)))
		panic("spinlock recursion on %s (taken at %p, again at %p)",
		      lock->name, (void *)lock->owner_pc, (void *)pc);
	while (unlikely(__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)))
		while (READ_ONCE(lock->locked))
			cpu_relax();
	lock->owner_cpu = (int32_t)cpu->cpu_id;
	lock->owner_pc = pc;
}

/* Release @lock held by @cpu (this CPU), then enable preemption there. */
static __always_inline void release(struct spinlock *lock, struct percpu *cpu)
{
	if (unlikely(!held_by(lock, cpu)))
		panic("spin_unlock of %s not held by this CPU", lock->name);
	lock->owner_cpu = -1;
	lock->owner_pc = 0;
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	preempt_on(cpu);
}

void spin_lock(struct spinlock *lock)
{
	take(lock, this_cpu(), (uint64_t)__builtin_return_address(0));
}

bool spin_trylock(struct spinlock *lock)
{
	struct percpu *cpu = this_cpu();

	preempt_off(cpu);
	if (!held_by(lock, cpu) &&
	    !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) {
		lock->owner_cpu = (int32_t)cpu->cpu_id;
		lock->owner_pc = (uint64_t)__builtin_return_address(0);
		return true;
	}
	preempt_on(cpu);
	return false;
}

void spin_unlock(struct spinlock *lock)
{
	release(lock, this_cpu());
}

uint64_t spin_lock_irqsave(struct spinlock *lock)
{
	uint64_t flags = irq_save();

	take(lock, this_cpu(), (uint64_t)__builtin_return_address(0));
	return flags;
}

void spin_unlock_irqrestore(struct spinlock *lock, uint64_t flags)
{
	release(lock, this_cpu());
	irq_restore(flags);
}
