/*
 * System-call dispatch and the return path to user mode.
 *
 * syscall_dispatch() runs on the thread's kernel stack with the user
 * registers in a trap frame (entry.asm).  It enables interrupts, records
 * the number in the frame's error_code slot (the "orig_rax" that a
 * restarted call needs), calls the handler from the generated table,
 * stores the result in RAX, and then does the work every return to user
 * mode does: reschedule if asked, deliver signals.
 *
 * Trace mode (kernel command line strace=1) prints every call as
 *   [pid] name(arg0, arg1, ...) = result
 * Missing calls return -ENOSYS and are logged once per number.
 */
#include "syscall/syscall.h"
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/cmdline.h"
#include "lib/printk.h"
#include "process/process.h"
#include "sched/sched.h"

void signal_deliver(struct trap_frame *tf);

static bool trace_enabled;
static uint64_t missing_logged[8];      /* bit per number below 512 */

extern char syscall_entry[];

void syscall_init(void)
{
	/* STAR: SYSRET CS = 0x10 + 16 | 3, SS = 0x10 + 8 | 3; SYSCALL CS 0x08. */
	wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Clear IF, TF, DF, AC and NT on entry. */
	wrmsr(MSR_SFMASK, 0x47700);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	trace_enabled = cmdline_get_long(&boot_cmdline, "strace", 0) > 0;
}

static void log_missing(uint64_t nr)
{
	const char *name = nr < syscall_table_size && syscall_table[nr].name
				   ? syscall_table[nr].name : "?";
	struct process *p = current_process();

	if (nr < 512) {
		if (missing_logged[nr / 64] & (1ULL << (nr % 64)))
			return;
		missing_logged[nr / 64] |= 1ULL << (nr % 64);
	}
	pr_warn("syscall %llu (%s) not implemented, called by pid %d (%s)\n",
		(unsigned long long)nr, name, p ? p->pid : 0, p ? p->comm : "?");
}

/* Work before any return to user mode (syscalls, interrupts, faults). */
void user_return_work(struct trap_frame *tf)
{
	for (int round = 0; round < 16; round++) {
		irq_enable();
		if (this_cpu()->need_resched)
			schedule();
		signal_deliver(tf);
		if (!this_cpu()->need_resched)
			break;
	}
	irq_disable();
}

void syscall_dispatch(struct trap_frame *tf)
{
	uint64_t nr = tf->rax;
	long ret;

	irq_enable();
	tf->error_code = nr;            /* orig_rax for restarts */
	if (nr < syscall_table_size && syscall_table[nr].fn) {
		ret = syscall_table[nr].fn(tf->rdi, tf->rsi, tf->rdx, tf->r10,
					   tf->r8, tf->r9);
	} else {
		log_missing(nr);
		ret = -ENOSYS;
	}
	if (trace_enabled) {
		struct process *p = current_process();
		const char *name = nr < syscall_table_size && syscall_table[nr].name
					   ? syscall_table[nr].name : "?";
		printk(KERN_INFO "[%d] %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n",
		       p ? p->pid : 0, name, (long)tf->rdi, (long)tf->rsi,
		       (long)tf->rdx, (long)tf->r10, (long)tf->r8, (long)tf->r9,
		       ret);
	}
	tf->rax = ret;
	user_return_work(tf);
}
