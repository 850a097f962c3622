/*
 * Interrupt and exception dispatch.  trap_dispatch() is called by
 * trap_common with interrupts disabled.  Device and APIC vectors go to the
 * handler installed with irq_set_handler(); CPU exceptions in kernel mode
 * first try the fixup table (copy_from_user and friends), and otherwise
 * print a report with registers and a symbolized backtrace and panic.
 *
 * Locking: the handler table is written during boot only, before the
 * vector can fire, so it needs no lock; vector_lock protects the
 * allocation of dynamic vectors.
 */
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "include/errno.h"
#include "sched/spinlock.h"

struct irq_slot {
	irq_handler_t handler;
	void *arg;
};

static struct irq_slot irq_table[256];
static struct spinlock vector_lock = SPINLOCK_INIT("vector");
static unsigned next_dyn_vector = VECTOR_DYN_BASE;     /* [vector_lock] */

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error",
	"alignment check", "machine check", "SIMD floating-point exception",
	"virtualization exception", "control protection exception",
};

void irq_set_handler(uint8_t vector, irq_handler_t handler, void *arg)
{
	irq_table[vector].arg = arg;
	irq_table[vector].handler = handler;
}

int irq_vector_alloc(void)
{
	uint64_t irq = spin_lock_irqsave(&vector_lock);
	int v = next_dyn_vector <= VECTOR_IRQ_LAST ? (int)next_dyn_vector++
						   : -ENOSPC;

	spin_unlock_irqrestore(&vector_lock, irq);
	return v;
}

__weak void irq_exit_hook(struct trap_frame *tf)
{
}

/*
 * Kernel exception fixups: code that may fault on purpose (user copies)
 * registers a handler here; returns true if the fault was fixed up.
 */
__weak bool trap_kernel_fixup(struct trap_frame *tf)
{
	return false;
}

/* Exceptions raised by user code; the process layer overrides this. */
__weak void trap_user_exception(struct trap_frame *tf)
{
	panic("exception %lu from user mode with no process layer",
	      (unsigned long)tf->vector);
}

void trap_frame_print(const struct trap_frame *tf)
{
	uint64_t off = 0;
	const char *sym = ksym_lookup(tf->rip, &off);

	printk(KERN_EMERG "RIP: %04llx:%016llx %s+0x%llx\n",
	       (unsigned long long)tf->cs, (unsigned long long)tf->rip,
	       sym ? sym : "?", (unsigned long long)off);
	printk(KERN_EMERG "RSP: %04llx:%016llx EFLAGS: %08llx\n",
	       (unsigned long long)tf->ss, (unsigned long long)tf->rsp,
	       (unsigned long long)tf->rflags);
	printk(KERN_EMERG "RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)tf->rax, (unsigned long long)tf->rbx,
	       (unsigned long long)tf->rcx);
	printk(KERN_EMERG "RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)tf->rdx, (unsigned long long)tf->rsi,
	       (unsigned long long)tf->rdi);
	printk(KERN_EMERG "RBP: %016llx R08: %016llx R09: %016llx\n",
	       (unsigned long long)tf->rbp, (unsigned long long)tf->r8,
	       (unsigned long long)tf->r9);
	printk(KERN_EMERG "R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)tf->r10, (unsigned long long)tf->r11,
	       (unsigned long long)tf->r12);
	printk(KERN_EMERG "R13: %016llx R14: %016llx R15: %016llx\n",
	       (unsigned long long)tf->r13, (unsigned long long)tf->r14,
	       (unsigned long long)tf->r15);
	printk(KERN_EMERG "CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n",
	       (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
	       (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

static void report_kernel_exception(struct trap_frame *tf)
{
	const char *name = tf->vector < 32 && exception_names[tf->vector]
				   ? exception_names[tf->vector]
				   : "reserved exception";

	printk_enter_panic_mode();
	if (tf->vector == 14) {
		uint64_t ec = tf->error_code;
		printk(KERN_EMERG "BUG: unable to handle page fault for address: "
		       "%016llx\n", (unsigned long long)read_cr2());
		printk(KERN_EMERG "#PF: %s %s in %s mode (error code 0x%llx)\n",
		       ec & 16 ? "instruction fetch" : ec & 2 ? "write" : "read",
		       ec & 1 ? "protection violation" : "not-present page",
		       ec & 4 ? "user" : "kernel", (unsigned long long)ec);
	} else {
		printk(KERN_EMERG "BUG: %s (vector %llu, error code 0x%llx)\n",
		       name, (unsigned long long)tf->vector,
		       (unsigned long long)tf->error_code);
	}
	trap_frame_print(tf);
	backtrace_print(tf->rip, tf->rbp);
	panic_after_report("Fatal exception: %s", name);
}

/* Work before returning to user mode: signals, rescheduling.  The
 * process layer overrides this. */
__weak void user_return_work(struct trap_frame *tf)
{
}

void trap_dispatch(struct trap_frame *tf)
{
	struct percpu *cpu = this_cpu();
	uint64_t vector = tf->vector;

	if (vector < 32) {
		/* Exceptions run in the context of the interrupted thread and
		 * may sleep (page faults take the address-space lock). */
		if (tf->cs & 3)
			trap_user_exception(tf);
		else if (!trap_kernel_fixup(tf))
			report_kernel_exception(tf);
	} else {
		cpu->irq_depth++;
		if (irq_table[vector].handler) {
			irq_table[vector].handler(tf, irq_table[vector].arg);
		} else if (vector >= VECTOR_PIC_BASE && vector < VECTOR_IRQ_BASE) {
			/* Spurious interrupt from the masked 8259. */
		} else {
			pr_warn("trap: unexpected interrupt vector %llu\n",
				(unsigned long long)vector);
		}
		cpu->irq_depth--;
	}
	if (tf->cs & 3)
		user_return_work(tf);
	else if (vector >= 32)
		irq_exit_hook(tf);
}
