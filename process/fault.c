/*
 * CPU exceptions that concern user memory: faults raised by user code
 * become signals (SIGSEGV with SEGV_MAPERR/SEGV_ACCERR, SIGBUS for file
 * pages past EOF, SIGILL, SIGFPE, SIGTRAP), page faults are first offered
 * to the address space (demand paging, copy-on-write, file pages), and
 * kernel faults on user addresses inside the user-access primitives turn
 * into -EFAULT.
 */
#include "process/internal.h"
#include "cpu/cpu.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "mm/mm.h"
#include "syscall/uaccess.h"

#define VEC_DE 0
#define VEC_DB 1
#define VEC_BP 3
#define VEC_OF 4
#define VEC_BR 5
#define VEC_UD 6
#define VEC_NM 7
#define VEC_GP 13
#define VEC_PF 14
#define VEC_MF 16
#define VEC_AC 17
#define VEC_XM 19

static int user_page_fault(struct trap_frame *tf, uaddr_t addr)
{
	struct process *p = current_process();

	if (!p || !p->mm || addr >= USER_TOP)
		return -EFAULT;
	return mm_handle_fault(p->mm, addr, tf->error_code);
}

void trap_user_exception(struct trap_frame *tf)
{
	uint64_t cr2 = read_cr2();
	int err;

	irq_enable();
	switch (tf->vector) {
	case VEC_PF:
		err = user_page_fault(tf, cr2);
		if (err == 0)
			return;
		if (err == -ENOMEM) {
			pr_err("out of memory: killing pid %d (%s)\n",
			       current_process()->pid, current_process()->comm);
			signal_force_fault(SIGKILL, SI_KERNEL, 0);
			return;
		}
		if (err == -EIO) {      /* a file page past EOF */
			signal_force_fault(SIGBUS, BUS_ADRERR, cr2);
			return;
		}
		signal_force_fault(SIGSEGV, err == -EACCES ? SEGV_ACCERR
							  : SEGV_MAPERR, cr2);
		return;
	case VEC_DE:
		signal_force_fault(SIGFPE, FPE_INTDIV, tf->rip);
		return;
	case VEC_MF:
	case VEC_XM:
		signal_force_fault(SIGFPE, 0, tf->rip);
		return;
	case VEC_DB:
	case VEC_BP:
		signal_force_fault(SIGTRAP, TRAP_BRKPT, tf->rip);
		return;
	case VEC_UD:
		signal_force_fault(SIGILL, ILL_ILLOPN, tf->rip);
		return;
	case VEC_AC:
		signal_force_fault(SIGBUS, BUS_ADRERR, tf->rip);
		return;
	default:        /* #GP, #OF, #BR, #NM, ... */
		signal_force_fault(SIGSEGV, SI_KERNEL, 0);
		return;
	}
}

bool trap_kernel_fixup(struct trap_frame *tf)
{
	uint64_t cr2 = read_cr2();

	if (tf->vector == VEC_PF && cr2 < USER_TOP && (tf->rflags & RFLAGS_IF)) {
		int err;
		irq_enable();
		err = user_page_fault(tf, cr2);
		irq_disable();
		if (err == 0)
			return true;
	}
	return uaccess_fixup(tf);
}
