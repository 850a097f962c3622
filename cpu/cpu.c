/*
 * Descriptor tables for the boot CPU (SDM vol. 3, chapters 3, 6 and 8):
 * a flat GDT whose order is what SYSCALL/SYSRET require, a 64-bit TSS with
 * IST stacks for double fault, NMI and machine check (so these run on a
 * known-good stack even after a kernel stack overflow), and an IDT whose
 * 256 gates point at the stubs in trap_entry.asm.  Also loads
 * IA32_TSC_AUX with the CPU number, which the vDSO's getcpu reads with
 * RDTSCP or RDPID (Linux's encoding: node << 12 | cpu, one node here).
 */
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "lib/string.h"

#define IST_STACK_SIZE 16384
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;
STATIC_ASSERT(sizeof(struct tss) == 104, "TSS is 104 bytes (SDM 8.7)");

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
STATIC_ASSERT(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

struct table_pointer {
	uint16_t limit;
	uint64_t base;
} __packed;

extern const uint64_t trap_stub_table[256];

static uint64_t gdt[7] __aligned(16);
static struct tss boot_tss __aligned(16);
static struct idt_gate idt[256] __aligned(16);
static uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);

static void gdt_setup(void)
{
	uint64_t base = (uint64_t)&boot_tss;
	uint64_t limit = sizeof(boot_tss) - 1;

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL;  /* 0x08 kernel code: L, P, DPL0 */
	gdt[2] = 0x00cf92000000ffffULL;  /* 0x10 kernel data */
	gdt[3] = 0x00cff2000000ffffULL;  /* 0x18 user data, DPL3 */
	gdt[4] = 0x00affa000000ffffULL;  /* 0x20 user code, L, DPL3 */
	/* 0x28: 16-byte available 64-bit TSS descriptor (type 9). */
	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
}

static void gdt_load(void)
{
	struct table_pointer gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movw %%ax, %%fs\n\t"
		"ltr %w3"
		:
		: "m"(gdtr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA),
		  "r"(GDT_TSS)
		: "rax", "memory");
	/* Loading %gs would clear the GS base: it was never touched above. */
}

static void idt_set_gate(unsigned vector, uint64_t handler, unsigned ist,
			 unsigned dpl)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = handler & 0xffff;
	g->selector = GDT_KERNEL_CODE;
	g->ist = ist;
	g->type_attr = 0x80 | (dpl << 5) | 0xe;  /* present, interrupt gate */
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->reserved = 0;
}

static void idt_setup(void)
{
	for (unsigned v = 0; v < 256; v++)
		idt_set_gate(v, trap_stub_table[v], 0, 0);
	idt_set_gate(1, trap_stub_table[1], 0, 3);   /* int1 */
	idt_set_gate(3, trap_stub_table[3], 0, 3);   /* int3 from user */
	idt_set_gate(2, trap_stub_table[2], IST_NMI, 0);
	idt_set_gate(8, trap_stub_table[8], IST_DOUBLE_FAULT, 0);
	idt_set_gate(18, trap_stub_table[18], IST_MACHINE_CHECK, 0);
}

static void fpu_enable_for_user(void)
{
	/* CR0: MP=1, EM=0, TS=0; CR4: OSFXSR, OSXMMEXCPT (SDM vol. 3, 13.1). */
	write_cr0((read_cr0() | 2) & ~(uint64_t)(4 | 8));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ __volatile__("fninit");
}

/* IA32_TSC_AUX = node << 12 | cpu, if RDTSCP or RDPID can read it. */
static void tsc_aux_setup(void)
{
	uint32_t a, b, c, d;
	bool has = false;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		has = (c & CPUID_7_ECX_RDPID) != 0;
	}
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		has |= (d & CPUID_80000001_EDX_RDTSCP) != 0;
	}
	if (has)
		wrmsr(MSR_TSC_AUX, this_cpu()->cpu_id & 0xfff);
}

void cpu_init(void)
{
	struct table_pointer idtr = { sizeof(idt) - 1, (uint64_t)idt };

	memset(&boot_tss, 0, sizeof(boot_tss));
	boot_tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)&ist_stacks[0][IST_STACK_SIZE];
	boot_tss.ist[IST_NMI - 1] = (uint64_t)&ist_stacks[1][IST_STACK_SIZE];
	boot_tss.ist[IST_MACHINE_CHECK - 1] = (uint64_t)&ist_stacks[2][IST_STACK_SIZE];
	boot_tss.iomap_base = sizeof(boot_tss);   /* no I/O bitmap */
	gdt_setup();
	gdt_load();
	idt_setup();
	__asm__ __volatile__("lidt %0" : : "m"(idtr));
	fpu_enable_for_user();
	tsc_aux_setup();
}

/* Stack used on entry from user mode (TSS.RSP0); set on context switch. */
void cpu_set_kernel_stack(uint64_t rsp0)
{
	boot_tss.rsp[0] = rsp0;
	this_cpu()->kernel_rsp = rsp0;
}
