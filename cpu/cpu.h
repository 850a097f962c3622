/*
 * CPU setup and interrupt dispatch: GDT with TSS (IST stacks for double
 * fault and NMI), IDT with a stub for each of the 256 vectors, exception
 * reporting, and a table of interrupt handlers indexed by vector.
 *
 * Vector plan:
 *   0x00-0x1f  CPU exceptions
 *   0x20-0x2f  legacy 8259 PIC (remapped here and masked; spurious only)
 *   0x30-0x3f  ISA IRQs routed through the IOAPIC (0x30 + irq)
 *   0x40-0xdf  other device interrupts (irq_vector_alloc: MSI, MSI-X, PCI INTx)
 *   0xf0       local APIC timer
 *   0xfe       local APIC error
 *   0xff       local APIC spurious
 */
#ifndef CPU_CPU_H
#define CPU_CPU_H

#include "include/compiler.h"

#define VECTOR_PIC_BASE 0x20
#define VECTOR_IRQ_BASE 0x30
#define VECTOR_DYN_BASE 0x40
#define VECTOR_IRQ_LAST 0xdf
#define VECTOR_LAPIC_TIMER 0xf0
#define VECTOR_LAPIC_ERROR 0xfe
#define VECTOR_LAPIC_SPURIOUS 0xff

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA 0x1b      /* 0x18 | RPL 3 (SYSRET wants data first) */
#define GDT_USER_CODE 0x23      /* 0x20 | RPL 3 */
#define GDT_TSS 0x28

/* Register state pushed by the interrupt stubs (cpu/trap_entry.asm). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;    /* 0 for vectors without one */
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};
STATIC_ASSERT(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout");

typedef void (*irq_handler_t)(struct trap_frame *tf, void *arg);

/* Load GDT, TSS and IDT on the boot CPU and enable SSE for user code. */
void cpu_init(void);

/*
 * Install @handler for @vector (0x20-0xff).  Handlers run with interrupts
 * disabled; the caller's handler must acknowledge the interrupt (EOI).
 */
void irq_set_handler(uint8_t vector, irq_handler_t handler, void *arg);

/*
 * A free vector for a device interrupt (MSI, MSI-X or a PCI INTx line):
 * 0x40-0xdf, never handed out twice; 0x30-0x3f stay with the ISA IRQs
 * (0x30 + irq).  Returns the vector or -ENOSPC.
 */
int irq_vector_alloc(void);

/* Set the stack the CPU switches to on entry from user mode (TSS.RSP0). */
void cpu_set_kernel_stack(uint64_t rsp0);

/* Print the registers of @tf (used by exception reports and panics). */
void trap_frame_print(const struct trap_frame *tf);

/*
 * Called at the end of every interrupt that returns to kernel code with
 * interrupts enabled; the scheduler preempts from here.  Weak hook.
 */
void irq_exit_hook(struct trap_frame *tf);

#endif
