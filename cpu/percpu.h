/*
 * Per-CPU data, reached through the GS base in kernel mode.  Each CPU owns
 * one struct percpu; only that CPU writes its fields (except where noted),
 * so no lock protects them, but code must not migrate while using them
 * (interrupts or preemption off).
 */
#ifndef CPU_PERCPU_H
#define CPU_PERCPU_H

#include "include/compiler.h"

struct thread;

struct percpu {
	struct percpu *self;        /* [I] must stay first: read via %gs:0 */
	uint32_t cpu_id;            /* [I] */
	uint32_t apic_id;           /* [I] */
	struct thread *current;     /* [c] this CPU */
	struct thread *idle_thread; /* [I] after sched_init */
	uint64_t kernel_rsp;        /* [c] top of current kernel stack */
	uint64_t user_rsp_scratch;  /* [c] syscall entry saves the user rsp */
	int preempt_count;          /* [c] >0: no preemption */
	bool need_resched;          /* [c] set by the tick, checked on return */
	int irq_depth;              /* [c] nesting of interrupt handlers */
	uint64_t ticks;             /* [c] timer interrupts on this CPU */
};

#define MAX_CPUS 64

/* Offsets used by assembly (syscall/entry.asm). */
#define PERCPU_KERNEL_RSP 32
#define PERCPU_USER_RSP_SCRATCH 40
STATIC_ASSERT(offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP,
	      "percpu layout");
STATIC_ASSERT(offsetof(struct percpu, user_rsp_scratch) ==
	      PERCPU_USER_RSP_SCRATCH, "percpu layout");

extern struct percpu percpu_area[MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}

/* Point GS at @cpu's area; call once on each CPU before anything else. */
void percpu_init_cpu(uint32_t cpu_id);

#endif
