/*
 * Local APIC (Intel SDM vol. 3A, chapter 11).
 *
 * Each CPU has its own local APIC at the same address; registers are
 * reached through MMIO (xAPIC) or, when the firmware already switched to
 * x2APIC mode (which cannot be undone without disabling the APIC), through
 * MSRs 0x800 + offset/16 (SDM 11.12.1).  lapic_init() runs on each CPU
 * before it enables interrupts.
 *
 * Locking: the registers belong to the CPU that touches them, so there is
 * no lock; callers run with interrupts or preemption off.  The mapping
 * and mode are set once by the boot CPU ([I]).
 */
#include "drivers/apic.h"
#include "drivers/acpi.h"
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "mm/mm.h"

/* Register offsets (SDM table 11-1). */
#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_ESR 0x280
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF 0x340
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_DELIVERY_NMI (4u << 8)
#define LVT_ACTIVE_LOW (1u << 13)
#define LVT_LEVEL (1u << 15)
#define LVT_TIMER_PERIODIC (1u << 17)
#define TIMER_DIVIDE_16 0x3

#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull

#define CPUID_1_EDX_APIC (1u << 9)
#define X2APIC_MSR_BASE 0x800

static volatile uint32_t *lapic_mmio;   /* [I] xAPIC registers */
static bool x2apic;                     /* [I] MSR access */

static uint32_t lapic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return lapic_mmio[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else
		lapic_mmio[reg / 4] = v;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return x2apic ? id : id >> 24;
}

static void lapic_spurious_handler(struct trap_frame *tf, void *arg)
{
	/* SDM 11.9: a spurious interrupt is not acknowledged with EOI. */
}

static void lapic_error_handler(struct trap_frame *tf, void *arg)
{
	uint32_t esr;

	lapic_write(LAPIC_ESR, 0);      /* latch the error bits */
	esr = lapic_read(LAPIC_ESR);
	pr_warn("lapic: error interrupt, ESR 0x%x\n", esr);
	lapic_eoi();
}

/* Program LINT0/LINT1: NMI where the MADT says so, otherwise masked
 * (the IOAPIC replaces the 8259 virtual wire on LINT0). */
static void lapic_setup_lint(void)
{
	const struct acpi_info *ai = acpi_get();
	uint32_t lvt[2] = { LVT_MASKED, LVT_MASKED };
	uint32_t uid = 0xffffffffu;
	uint32_t id = lapic_id();

	for (unsigned i = 0; i < ai->cpu_count; i++)
		if (ai->cpus[i].apic_id == id)
			uid = ai->cpus[i].uid;
	for (unsigned i = 0; i < ai->lapic_nmi_count; i++) {
		const struct acpi_lapic_nmi *n = &ai->lapic_nmis[i];
		if (n->lint > 1 || (n->uid != 0xffffffffu && n->uid != uid))
			continue;
		lvt[n->lint] = LVT_DELIVERY_NMI;
		if ((n->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW)
			lvt[n->lint] |= LVT_ACTIVE_LOW;
	}
	lapic_write(LAPIC_LVT_LINT0, lvt[0]);
	lapic_write(LAPIC_LVT_LINT1, lvt[1]);
}

/* Boot CPU: choose the access mode and map the registers. */
static int lapic_setup_access(void)
{
	const struct acpi_info *ai = acpi_get();
	uint32_t a, b, c, d;
	uint64_t base;
	paddr_t pa;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_APIC))
		return -ENODEV;
	base = rdmsr(MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_APIC_BASE, base);
	}
	if (base & APIC_BASE_X2APIC) {
		x2apic = true;
		return 0;
	}
	pa = base & APIC_BASE_ADDR_MASK;
	if (ai->have_madt && ai->lapic_address && ai->lapic_address != pa)
		pr_warn("lapic: MADT says 0x%llx, MSR says 0x%llx; using MSR\n",
			(unsigned long long)ai->lapic_address,
			(unsigned long long)pa);
	lapic_mmio = vmm_map_mmio(pa, PAGE_SIZE);
	return lapic_mmio ? 0 : -ENOMEM;
}

int lapic_init(void)
{
	uint32_t version;
	unsigned max_lvt;
	int err;

	if (!lapic_mmio && !x2apic) {
		err = lapic_setup_access();
		if (err)
			return err;
		irq_set_handler(VECTOR_LAPIC_SPURIOUS, lapic_spurious_handler,
				NULL);
		irq_set_handler(VECTOR_LAPIC_ERROR, lapic_error_handler, NULL);
	}
	version = lapic_read(LAPIC_VERSION);
	max_lvt = (version >> 16) & 0xff;

	lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_LAPIC_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	if (max_lvt >= 4)
		lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	if (max_lvt >= 5)
		lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	lapic_setup_lint();
	lapic_write(LAPIC_LVT_ERROR, VECTOR_LAPIC_ERROR);
	lapic_write(LAPIC_ESR, 0);      /* clear errors (SDM 11.5.3) */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_TPR, 0);
	lapic_eoi();                    /* drop anything left in service */
	this_cpu()->apic_id = lapic_id();
	pr_info("lapic: id %u, version 0x%x, %u LVT entries, %s\n",
		lapic_id(), version & 0xff, max_lvt + 1,
		x2apic ? "x2APIC" : "xAPIC");
	return 0;
}

void lapic_timer_oneshot_masked(uint32_t count)
{
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, count);
}

uint32_t lapic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CURRENT);
}

void lapic_timer_periodic(uint8_t vector, uint32_t count)
{
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | vector);
	lapic_write(LAPIC_TIMER_INITIAL, count);
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}
