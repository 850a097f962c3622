/*
 * Per-CPU areas.  Statically allocated; the boot CPU installs its own
 * before any other kernel code runs (spinlocks need it for the owner).
 */
#include "cpu/percpu.h"
#include "cpu/x86.h"

struct percpu percpu_area[MAX_CPUS];

void percpu_init_cpu(uint32_t cpu_id)
{
	struct percpu *p = &percpu_area[cpu_id];

	p->self = p;
	p->cpu_id = cpu_id;
	wrmsr(MSR_GS_BASE, (uint64_t)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
