/*
 * Process and user-thread lifecycle: the first process, clone/fork/vfork,
 * entering user mode, and the context-switch hook that swaps address
 * space, FPU state and TLS bases between user threads.
 *
 * Locking: process_tree_lock (irq-safe spinlock) protects the tree of
 * processes, their state, pgid/sid and each process's thread list.  It is
 * taken after sched_lock never, and before the sighand lock.
 */
#include "process/internal.h"
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "time/clock.h"
#include "ipc/ipc.h"
#include "vfs/vfs.h"

struct spinlock process_tree_lock = SPINLOCK_INIT("process_tree");
struct list_node all_processes = LIST_HEAD_INIT(all_processes);
struct process *init_process;

struct vfork_done {
	struct wait_queue wq;
	bool done;
};

const struct cred process_root_cred;   /* all ids 0 */

struct process *process_find(int pid)
{
	struct list_node *pos;

	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->pid == pid && p->state != PROCESS_DEAD)
			return p;
	}
	return NULL;
}

struct user_thread *process_find_thread(int tid)
{
	struct list_node *pos, *tpos;

	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->state != PROCESS_ALIVE)
			continue;
		list_for_each(tpos, &p->threads) {
			struct user_thread *t = list_entry(tpos, struct user_thread,
							   node);
			if (t->thread->tid == tid)
				return t;
		}
	}
	return NULL;
}

struct trap_frame *thread_user_frame(struct thread *t)
{
	return (struct trap_frame *)(t->stack_top - sizeof(struct trap_frame));
}

struct trap_frame *syscall_user_frame(void)
{
	return thread_user_frame(thread_current());
}

void sched_arch_switch(struct thread *prev, struct thread *next)
{
	struct user_thread *pu = prev->user, *nu = next->user;

	if (pu) {
		fpu_save(pu->fpu);
		pu->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	}
	if (nu) {
		fpu_restore(nu->fpu);
		wrmsr(MSR_FS_BASE, nu->fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, nu->gs_base);
		mm_activate(nu->process->mm);
	} else {
		mm_activate(NULL);
	}
}

void user_enter(struct trap_frame *tf)
{
	extern char trap_return[];

	irq_disable();
	__asm__ __volatile__("movq %0, %%rsp\n\t"
			     "jmp *%1"
			     : : "r"(tf), "r"(trap_return) : "memory");
	__builtin_unreachable();
}

static struct user_thread *user_thread_alloc(struct process *p)
{
	struct user_thread *ut = kzalloc(sizeof(*ut));

	if (!ut)
		return NULL;
	ut->fpu = fpu_area_alloc();
	if (!ut->fpu) {
		kfree(ut);
		return NULL;
	}
	ut->process = p;
	sigpending_init(&ut->pending);
	sched_attrs_inherit(&ut->sched, NULL);
	return ut;
}

void user_thread_free(struct user_thread *ut)
{
	sigpending_flush(&ut->pending);
	fpu_area_free(ut->fpu);
	kfree(ut);
}

static struct process *process_alloc(void)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	list_init(&p->children);
	list_init(&p->threads);
	wait_queue_init(&p->child_wait);
	wait_queue_init(&p->stop_wait);
	wait_queue_init(&p->thread_exit_wait);
	sigpending_init(&p->shared);
	p->start_ns = clock_uptime_ns();
	p->exit_signal = SIGCHLD;
	p->dumpable = 1;
	return p;
}

/* First code of a new user thread: finish clone, then enter user mode. */
static void user_thread_entry(void *arg)
{
	struct user_thread *ut = arg;

	if (ut->set_child_tid) {
		int32_t tid = ut->thread->tid;
		put_user(tid, (int32_t *)ut->set_child_tid);
	}
	user_enter(thread_user_frame(ut->thread));
}

/* The body of the init thread: become pid 1 and exec. */
struct init_args {
	const char *path;
	char *const *argv;
	char *const *envp;
};

/* fds 0, 1 and 2 of init are /dev/console, as Linux sets them up. */
static void open_initial_console(void)
{
	struct file *con = file_open_kernel("/dev/console", 2 /* O_RDWR */, 0);

	if (IS_ERR(con)) {
		pr_warn("Warning: unable to open an initial console.\n");
		return;
	}
	fd_install(con, false);
	fd_install(file_get(con), false);
	fd_install(file_get(con), false);
}

int process_run_init(const char *path, char *const argv[], char *const envp[])
{
	struct thread *self = thread_current();
	struct process *p = process_alloc();
	struct user_thread *ut;
	unsigned long irq;
	int err;

	if (!p)
		return -ENOMEM;
	ut = user_thread_alloc(p);
	if (!ut) {
		kfree(p);
		return -ENOMEM;
	}
	p->pid = self->tid;
	p->pgid = p->sid = 0;   /* as on Linux: init starts in session 0 */
	strlcpy(p->comm, "init", sizeof(p->comm));
	process_rlimit_default(p->rlimits);
	p->sighand = sighand_create();
	p->files = fdtable_create();
	p->fs = fs_struct_create_root();
	p->mm = mm_create();
	if (!p->sighand || !p->files || !p->fs || !p->mm)
		return -ENOMEM;
	ut->thread = self;
	irq = spin_lock_irqsave(&process_tree_lock);
	list_add_tail(&ut->node, &p->threads);
	p->thread_count = 1;
	list_add_tail(&p->all_node, &all_processes);
	if (p->pid == 1)
		init_process = p;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	self->user = ut;
	mm_activate(p->mm);
	open_initial_console();

	/* The trap frame lives at the top of this thread's stack; the caller
	 * (a kernel thread created with that space reserved) does not use it. */
	err = process_execve(path, argv, envp, thread_user_frame(self));
	if (err)
		return err;
	user_enter(thread_user_frame(self));
}

/* Validate clone flags as Linux does (clone(2), ERRORS). */
static int clone_flags_valid(uint64_t flags)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	if ((flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
		      CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
		      CLONE_NEWCGROUP)))
		return -EINVAL;     /* namespaces are not supported */
	return 0;
}

static int clone_process_state(struct process *child, struct process *parent,
			       uint64_t flags)
{
	child->cred = parent->cred;
	memcpy(child->rlimits, parent->rlimits, sizeof(child->rlimits));
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	memcpy(child->exe_path, parent->exe_path, sizeof(child->exe_path));
	child->dumpable = parent->dumpable;
	child->no_new_privs = parent->no_new_privs;
	child->sighand = (flags & CLONE_SIGHAND) ? sighand_get(parent->sighand)
						 : sighand_clone(parent->sighand);
	child->files = (flags & CLONE_FILES) ? fdtable_get(parent->files)
					     : fdtable_clone(parent->files);
	child->fs = (flags & CLONE_FS) ? fs_struct_get(parent->fs)
				       : fs_struct_clone(parent->fs);
	child->mm = (flags & CLONE_VM) ? mm_get(parent->mm) : mm_clone(parent->mm);
	if (!child->sighand || !child->files || !child->fs || !child->mm)
		return -ENOMEM;
	if (flags & CLONE_SYSVSEM)
		return sem_share_undo(parent, child);
	return 0;
}

static void process_free_partial(struct process *p)
{
	if (p->sighand)
		sighand_put(p->sighand);
	if (p->files)
		fdtable_put(p->files);
	if (p->fs)
		fs_struct_put(p->fs);
	if (p->mm)
		mm_put(p->mm);
	if (p->sysvsem)
		sem_exit(p);            /* a CLONE_SYSVSEM share */
	kfree(p);
}

long process_clone(uint64_t flags, uaddr_t newsp, uaddr_t parent_tid,
		   uaddr_t child_tid, uaddr_t tls)
{
	struct user_thread *cur = current_user_thread();
	struct process *parent = cur->process, *p;
	struct user_thread *ut;
	struct thread *t;
	struct trap_frame *tf;
	struct vfork_done vfork;
	unsigned long irq;
	int err = clone_flags_valid(flags), tid;

	if (err)
		return err;
	if (flags & CLONE_THREAD) {
		p = parent;
	} else {
		p = process_alloc();
		if (!p)
			return -ENOMEM;
		err = clone_process_state(p, parent, flags);
		if (err) {
			process_free_partial(p);
			return err;
		}
		p->exit_signal = flags & 0xff;
	}
	ut = user_thread_alloc(p);
	t = ut ? thread_create(p->comm, user_thread_entry, ut,
			       sizeof(struct trap_frame)) : NULL;
	if (!t) {
		if (ut)
			user_thread_free(ut);
		if (p != parent)
			process_free_partial(p);
		return -ENOMEM;
	}
	ut->thread = t;
	t->user = ut;
	tid = t->tid;

	/* Registers: the parent's, with rax = 0 and the new stack and TLS. */
	tf = thread_user_frame(t);
	*tf = *syscall_user_frame();
	tf->rax = 0;
	if (newsp)
		tf->rsp = newsp;
	fpu_save(ut->fpu);              /* the parent's live FPU state */
	ut->fs_base = (flags & CLONE_SETTLS) ? tls : cur->fs_base;
	ut->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	ut->blocked = cur->blocked;
	sched_attrs_inherit(&ut->sched, &cur->sched);
	ut->altstack = (flags & CLONE_VM) && !(flags & CLONE_VFORK)
			       ? (struct user_stack){ 0, SS_DISABLE, 0, 0 }
			       : cur->altstack;
	if (flags & CLONE_CHILD_SETTID)
		ut->set_child_tid = child_tid;
	if (flags & CLONE_CHILD_CLEARTID)
		ut->clear_child_tid = child_tid;
	if (flags & CLONE_PARENT_SETTID) {
		err = put_user((int32_t)tid, (int32_t *)parent_tid);
		if (err) {
			/* Linux ignores a bad parent_tid pointer here too late
			 * to matter; we fail cleanly before the child runs. */
		}
	}
	if (flags & CLONE_VFORK) {
		wait_queue_init(&vfork.wq);
		vfork.done = false;
		ut->vfork = &vfork;
	}

	irq = spin_lock_irqsave(&process_tree_lock);
	if (p != parent) {
		p->pid = tid;
		p->pgid = parent->pgid;
		p->sid = parent->sid;
		p->ctty = parent->ctty;
		p->parent = (flags & CLONE_PARENT) && parent->parent
				    ? parent->parent : parent;
		list_add_tail(&p->sibling, &p->parent->children);
		list_add_tail(&p->all_node, &all_processes);
	}
	list_add_tail(&ut->node, &p->threads);
	p->thread_count++;
	spin_unlock_irqrestore(&process_tree_lock, irq);

	thread_start(t);
	if (flags & CLONE_VFORK)
		wait_event_timeout(&vfork.wq, READ_ONCE(vfork.done), 0);
	return tid;
}

/* A vfork child has exec'd or exited: release its parent. */
void process_vfork_release(struct user_thread *ut)
{
	struct vfork_done *v = ut->vfork;

	if (!v)
		return;
	ut->vfork = NULL;
	WRITE_ONCE(v->done, true);
	sched_wake_all(&v->wq);
}

void signal_init(void);

void process_init(void)
{
	fpu_init();
	signal_init();
	futex_init();
	syscall_init();
}

/* ---- system calls ---- */

SYSCALL_DEFINE0(fork)
{
	return process_clone(SIGCHLD, 0, 0, 0, 0);
}

SYSCALL_DEFINE0(vfork)
{
	return process_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/* x86_64 argument order: flags, newsp, parent_tid, child_tid, tls. */
SYSCALL_DEFINE5(clone, uint64_t, flags, uaddr_t, newsp, uaddr_t, parent_tid,
		uaddr_t, child_tid, uaddr_t, tls)
{
	return process_clone(flags, newsp, parent_tid, child_tid, tls);
}

struct clone_args_abi {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

SYSCALL_DEFINE2(clone3, uaddr_t, uargs, size_t, size)
{
	struct clone_args_abi a = { 0 };

	if (size < 64 || size > PAGE_SIZE)
		return -EINVAL;
	if (copy_from_user(&a, uargs, MIN(size, sizeof(a))))
		return -EFAULT;
	if ((a.flags & 0xff) || a.exit_signal > NSIG || a.set_tid_size ||
	    (a.flags & CLONE_PIDFD))
		return -EINVAL;
	if ((a.stack == 0) != (a.stack_size == 0))
		return -EINVAL;
	return process_clone(a.flags | a.exit_signal,
			     a.stack ? a.stack + a.stack_size : 0,
			     a.parent_tid, a.child_tid, a.tls);
}

SYSCALL_DEFINE1(set_tid_address, uaddr_t, tidptr)
{
	current_user_thread()->clear_child_tid = tidptr;
	return thread_current()->tid;
}

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

SYSCALL_DEFINE2(arch_prctl, int, code, uint64_t, addr)
{
	struct user_thread *ut = current_user_thread();

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		ut->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_SET_GS:
		if (addr >= USER_TOP)
			return -EPERM;
		ut->gs_base = addr;
		wrmsr(MSR_KERNEL_GS_BASE, addr);  /* swapped in on return */
		return 0;
	case ARCH_GET_FS:
		return put_user(ut->fs_base, (uint64_t *)addr);
	case ARCH_GET_GS:
		return put_user((uint64_t)rdmsr(MSR_KERNEL_GS_BASE), (uint64_t *)addr);
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE2(set_robust_list, uaddr_t, head, size_t, len)
{
	if (len != 24)          /* sizeof(struct robust_list_head) */
		return -EINVAL;
	current_user_thread()->robust_list = head;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, uaddr_t, uhead, uaddr_t, ulen)
{
	uint64_t head, len = 24;

	if (pid != 0 && pid != thread_current()->tid)
		return -ESRCH;  /* other threads: with ptrace permission checks */
	head = current_user_thread()->robust_list;
	if (put_user(head, (uint64_t *)uhead) || put_user(len, (uint64_t *)ulen))
		return -EFAULT;
	return 0;
}

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3,
		unsigned long, arg4, unsigned long, arg5)
{
	struct process *p = current_process();
	char name[COMM_LEN];

	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg2 > NSIG)
			return -EINVAL;
		p->pdeath_signal = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user((int32_t)p->pdeath_signal, (int32_t *)arg2);
	case PR_GET_DUMPABLE:
		return p->dumpable;
	case PR_SET_DUMPABLE:
		if (arg2 > 1)
			return -EINVAL;
		p->dumpable = (int)arg2;
		return 0;
	case PR_SET_NAME:
		if (strncpy_from_user(name, arg2, sizeof(name)) == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		strlcpy(p->comm, name, sizeof(p->comm));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(arg2, p->comm, sizeof(p->comm)) ? -EFAULT : 0;
	case PR_SET_CHILD_SUBREAPER:
		p->child_subreaper = arg2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user((int32_t)p->child_subreaper, (int32_t *)arg2);
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		p->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return p->no_new_privs;
	default:
		return -EINVAL;
	}
}
