/*
 * Shared between the files of process/ only.
 */
#ifndef PROCESS_INTERNAL_H
#define PROCESS_INTERNAL_H

#include "process/process.h"
#include "sched/spinlock.h"

struct trap_frame;

/* Protects the process tree: parent/children links, pgid/sid, states. */
extern struct spinlock process_tree_lock;
extern struct list_node all_processes;  /* [T] */
extern struct process *init_process;    /* [T] pid 1 */

/* fpu.c */
void fpu_init(void);
void *fpu_area_alloc(void);
void fpu_area_free(void *area);
void fpu_init_state(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);
void fpu_sanitize(void *area);
uint32_t fpu_state_size(void);
bool fpu_uses_xsave(void);
uint64_t fpu_xfeatures(void);

/* The user trap frame at the top of @t's kernel stack. */
struct trap_frame *thread_user_frame(struct thread *t);
/* Leave the kernel for user mode with the registers in @tf (on this
 * thread's stack). */
void user_enter(struct trap_frame *tf) __noreturn;

/* signal.c */
struct sighand *sighand_create(void);
struct sighand *sighand_clone(struct sighand *sh);
struct sighand *sighand_get(struct sighand *sh);
void sighand_put(struct sighand *sh);
/* execve: handled signals go back to SIG_DFL, ignored stay ignored. */
void sighand_reset_for_exec(struct sighand *sh);
/* Signal sets of @p and thread @t (may be NULL) for /proc; [T] held. */
void sighand_snapshot(struct sighand *sh, struct process *p,
		      struct user_thread *t, struct process_info *info);
bool sighand_ignores_chld(struct sighand *sh, bool *nocldwait);
bool sighand_nocldstop(struct sighand *sh);
void sigpending_init(struct sigpending *p);
void sigpending_flush(struct sigpending *p);
/* Deliver pending signals before returning to user mode with @tf. */
void signal_deliver(struct trap_frame *tf);
/* The si_status of a SIGCHLD/waitid siginfo for a CLD_* @code. */
int chld_status_field(int code, int status);
/* The SIGCHLD siginfo about @child (signal @sig, CLD_* @code). */
struct ksiginfo chld_siginfo(struct process *child, int sig, int code,
			     int status);
/* Send SIGCHLD-style notification to @parent about @child. */
void signal_notify_parent(struct process *child, int code, int status);
/* The same with process_tree_lock held, to the process. */
int signal_send_info_locked(struct process *p, int sig,
			    const struct ksiginfo *info);
int signal_send_info(struct process *p, struct user_thread *t, int sig,
		     const struct ksiginfo *info);
/* Send @sig to the current thread and make sure it acts: unblocked, and
 * SIG_IGN undone (a fault in user mode, or an exec that failed late). */
void signal_force_fault(int sig, int code, uaddr_t addr);
/* The same with process_tree_lock already held. */
int signal_send_process_locked(struct process *p, int sig);

/* CLD_* code for a wait status word. */
#define WIFSIGNALED_CODE(status) \
	(((status) & 0x7f) == 0 ? CLD_EXITED \
	 : ((status) & 0x80) ? CLD_DUMPED : CLD_KILLED)

/* process.c */
void user_thread_free(struct user_thread *ut);
void process_vfork_release(struct user_thread *ut);

/* sched_syscalls.c: a new thread's attributes from its creator's (the
 * defaults for the first thread: @parent NULL). */
void sched_attrs_inherit(struct sched_attrs *child,
			 const struct sched_attrs *parent);

/* exit.c: execve's de_thread: the other threads exit and the caller
 * becomes the only thread, with the process's pid as its tid.  0, or
 * -EAGAIN if the process is exiting anyway. */
int process_exec_kill_other_threads(void);

/* futex.c */
void futex_init(void);
/* Wake up to @n waiters on the futex word at @addr (a shared or private
 * key); the number woken or -EFAULT/-EINVAL. */
int futex_wake_user(uaddr_t addr, bool shared, int n);
/* The thread @tid is exiting: release the robust futexes it holds
 * (set_robust_list's list at @head). */
void futex_exit_robust_list(uaddr_t head, uint32_t tid);

/* ---- exec (exec.c builds the process, exec_elf.c loads ELF files) ---- */

struct file;

/* The parts of an ELF64 file exec reads (System V gABI, ELF header and
 * program header). */
struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
STATIC_ASSERT(sizeof(struct elf64_ehdr) == 64, "ELF64 header");

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};
STATIC_ASSERT(sizeof(struct elf64_phdr) == 56, "ELF64 program header");

/* A new program image while it is built, before it replaces the old one. */
struct exec_image {
	struct mm *mm;
	int randomize;                  /* randomize_va_space for this exec */
	uaddr_t stack_top;              /* above argv/envp strings */
	uaddr_t entry;                  /* first instruction: interpreter's or
					 * the program's */
	uaddr_t prog_entry;             /* AT_ENTRY */
	uaddr_t phdr_addr;              /* AT_PHDR */
	uint16_t phnum;                 /* AT_PHNUM */
	uaddr_t interp_base;            /* AT_BASE, 0 without interpreter */
	uaddr_t vdso_base;              /* AT_SYSINFO_EHDR, 0 if not mapped */
	bool exec_stack;                /* PT_GNU_STACK asks for PF_X */
	bool fatal;                     /* failed after the point of no
					 * return: the process gets SIGSEGV */
	uaddr_t start_code, end_code, start_data, end_data, brk;
};

/*
 * Load the ELF file @f (header @eh already read) into img->mm with its
 * interpreter and the vDSO, choosing the layout (stack top, mmap base,
 * load addresses, brk) per img->randomize.  Errors before the point of no
 * return come back as Linux's errno (ENOEXEC, ELIBBAD, EIO, the
 * interpreter's open error); later failures set img->fatal and return 0.
 */
int exec_load_elf(struct exec_image *img, struct file *f,
		  const struct elf64_ehdr *eh, const struct rlimit64 *stack_rlim);

/* itimer.c */
void process_itimers_release(struct process *p);

/* exit.c / wait */
void process_release(struct process *p);

/* exec.c */
int process_execve(const char *path, char *const kargv[], char *const kenvp[],
		   struct trap_frame *tf);

#endif
