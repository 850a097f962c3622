/*
 * Signals (signal(7)): generation, queueing, delivery on the way back to
 * user mode with Linux's x86_64 rt_sigframe, default actions, job-control
 * stops, and the signal system calls.
 *
 * Model: each process has a struct sighand (the 64 actions, shared by
 * CLONE_SIGHAND) and a shared pending set for process-directed signals;
 * each user thread has its own pending set and blocked mask.  Standard
 * signals coalesce while pending; real-time signals queue with their
 * siginfo.  Delivery happens in signal_deliver(), called with the user
 * trap frame before every return to user mode.
 *
 * Locking: sighand->lock (irq-safe, signals are sent from interrupt
 * context by timers) protects actions, all pending sets and blocked
 * masks of the process's threads.  Order: process_tree_lock, then
 * sighand->lock.
 */
#include "process/internal.h"
#include "cpu/cpu.h"
#include "cpu/x86.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "time/timespec.h"

struct k_sigaction {            /* the kernel's struct sigaction (x86_64) */
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	sigset_t mask;
};
STATIC_ASSERT(sizeof(struct k_sigaction) == 32, "kernel sigaction");

struct sighand {
	int refcount;                   /* atomic */
	struct spinlock lock;
	struct k_sigaction action[NSIG]; /* [lock] index sig - 1 */
	struct wait_queue signalfd_wait; /* woken when a signal is queued */
};

struct sigqueue_entry {
	struct list_node node;
	struct ksiginfo info;
};

#define SIGBIT(sig) (1ULL << ((sig) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | \
		      SIGBIT(SIGTTOU))
#define IGNORED_BY_DEFAULT (SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | \
			    SIGBIT(SIGWINCH) | SIGBIT(SIGCONT))
#define CORE_SIGNALS (SIGBIT(SIGQUIT) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | \
		      SIGBIT(SIGABRT) | SIGBIT(SIGBUS) | SIGBIT(SIGFPE) | \
		      SIGBIT(SIGSEGV) | SIGBIT(SIGXCPU) | SIGBIT(SIGXFSZ) | \
		      SIGBIT(SIGSYS))

/* ---- sighand ---- */

struct sighand *sighand_create(void)
{
	struct sighand *sh = kzalloc(sizeof(*sh));

	if (sh) {
		sh->refcount = 1;
		spin_lock_init(&sh->lock, "sighand");
		wait_queue_init(&sh->signalfd_wait);
	}
	return sh;
}

struct sighand *sighand_clone(struct sighand *src)
{
	struct sighand *sh = sighand_create();
	unsigned long irq;

	if (sh) {
		irq = spin_lock_irqsave(&src->lock);
		memcpy(sh->action, src->action, sizeof(sh->action));
		spin_unlock_irqrestore(&src->lock, irq);
	}
	return sh;
}

struct sighand *sighand_get(struct sighand *sh)
{
	__atomic_add_fetch(&sh->refcount, 1, __ATOMIC_RELAXED);
	return sh;
}

void sighand_put(struct sighand *sh)
{
	if (sh && __atomic_sub_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		/* epoll may still watch the queue through a signalfd. */
		sched_wake_all_detach(&sh->signalfd_wait, SIGNAL_POLLFREE);
		kfree(sh);
	}
}

void sighand_reset_for_exec(struct sighand *sh)
{
	unsigned long irq = spin_lock_irqsave(&sh->lock);

	for (int i = 0; i < NSIG; i++) {
		struct k_sigaction *a = &sh->action[i];
		if (a->handler != SIG_IGN)
			*a = (struct k_sigaction){ 0 };
		a->flags &= ~(uint64_t)SA_ONSTACK;
	}
	spin_unlock_irqrestore(&sh->lock, irq);
}

static int sigqueue_length(const struct sigpending *q)
{
	struct list_node *pos;
	int n = 0;

	list_for_each(pos, &q->queue)
		n++;
	return n;
}

void sighand_snapshot(struct sighand *sh, struct process *p,
		      struct user_thread *t, struct process_info *info)
{
	unsigned long irq = spin_lock_irqsave(&sh->lock);

	for (int sig = 1; sig <= NSIG; sig++) {
		uint64_t h = sh->action[sig - 1].handler;

		if (h == SIG_IGN)
			info->sig_ignored |= SIGBIT(sig);
		else if (h != SIG_DFL)
			info->sig_caught |= SIGBIT(sig);
	}
	info->sig_shared_pending = p->shared.set;
	info->sig_queued = sigqueue_length(&p->shared);
	if (t) {
		info->sig_pending = t->pending.set;
		info->sig_blocked = t->blocked;
		info->sig_queued += sigqueue_length(&t->pending);
	}
	spin_unlock_irqrestore(&sh->lock, irq);
}

bool sighand_ignores_chld(struct sighand *sh, bool *nocldwait)
{
	struct k_sigaction *a = &sh->action[SIGCHLD - 1];

	*nocldwait = a->flags & SA_NOCLDWAIT;
	return a->handler == SIG_IGN || *nocldwait;
}

bool sighand_nocldstop(struct sighand *sh)
{
	return sh->action[SIGCHLD - 1].flags & SA_NOCLDSTOP;
}

/* ---- pending sets ---- */

void sigpending_init(struct sigpending *p)
{
	p->set = 0;
	list_init(&p->queue);
}

void sigpending_flush(struct sigpending *p)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, &p->queue) {
		list_del(pos);
		kfree(list_entry(pos, struct sigqueue_entry, node));
	}
	p->set = 0;
}

/* Remove every instance of the signals in @mask from @p. */
static void pending_discard(struct sigpending *p, sigset_t mask)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, &p->queue) {
		struct sigqueue_entry *e = list_entry(pos, struct sigqueue_entry, node);
		if (mask & SIGBIT(e->info.si_signo)) {
			list_del(pos);
			kfree(e);
		}
	}
	p->set &= ~mask;
}

static int pending_add(struct sigpending *p, int sig, const struct ksiginfo *info)
{
	struct sigqueue_entry *e;

	if (sig < SIGRTMIN && (p->set & SIGBIT(sig)))
		return 0;               /* standard signals coalesce */
	e = kmalloc(sizeof(*e));
	if (!e) {
		if (sig >= SIGRTMIN)
			return -EAGAIN;
		p->set |= SIGBIT(sig);  /* info lost, signal kept */
		return 0;
	}
	e->info = *info;
	list_add_tail(&e->node, &p->queue);
	p->set |= SIGBIT(sig);
	return 0;
}

/* Take the first instance of @sig from @p into *info. */
static void pending_take(struct sigpending *p, int sig, struct ksiginfo *info)
{
	struct list_node *pos;
	bool more = false, got = false;

	list_for_each(pos, &p->queue) {
		struct sigqueue_entry *e = list_entry(pos, struct sigqueue_entry, node);
		if (e->info.si_signo != sig)
			continue;
		if (got) {
			more = true;
			break;
		}
		*info = e->info;
		got = true;
		list_del(pos);
		kfree(e);
		break;
	}
	if (got) {
		list_for_each(pos, &p->queue)
			if (list_entry(pos, struct sigqueue_entry, node)->info.si_signo == sig)
				more = true;
	} else {
		*info = (struct ksiginfo){ .si_signo = sig, .si_code = SI_KERNEL };
	}
	if (!more)
		p->set &= ~SIGBIT(sig);
}

/* ---- generation ---- */

static bool sig_ignored(struct sighand *sh, int sig)
{
	uint64_t h = sh->action[sig - 1].handler;

	return h == SIG_IGN || (h == SIG_DFL && (IGNORED_BY_DEFAULT & SIGBIT(sig)) &&
				sig != SIGCONT);
}

/* Wake the thread that should handle a signal for process @p. */
static void wake_for_signal(struct process *p, struct user_thread *t, int sig)
{
	struct list_node *pos;

	if (t) {
		sched_wake_thread(t->thread);
		return;
	}
	list_for_each(pos, &p->threads) {
		struct user_thread *o = list_entry(pos, struct user_thread, node);
		if (!(o->blocked & SIGBIT(sig)) || (o->sigwait_set & SIGBIT(sig)) ||
		    sig == SIGKILL) {
			sched_wake_thread(o->thread);
			if (sig != SIGKILL)
				return;
		}
	}
}

static int send_locked(struct process *p, struct user_thread *t, int sig,
		       const struct ksiginfo *info);

/* Signals the kernel forces for a fault (or out of memory): the only
 * default actions that may end init. */
static bool forced_by_kernel(int sig, const struct ksiginfo *info)
{
	if (sig == SIGKILL)
		return info->si_code == SI_KERNEL;
	return info->si_code > 0 &&
	       (SIGBIT(sig) & (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) |
			       SIGBIT(SIGFPE) | SIGBIT(SIGTRAP)));
}

/* SIGCHLD for a stop or continue of @child (process_tree_lock held). */
int chld_status_field(int code, int status)
{
	switch (code) {
	case CLD_EXITED:
	case CLD_STOPPED:
		return (status >> 8) & 0xff;    /* exit code / stop signal */
	case CLD_CONTINUED:
		return SIGCONT;
	default:
		return status & 0x7f;           /* the terminating signal */
	}
}

struct ksiginfo chld_siginfo(struct process *child, int sig, int code,
			     int status)
{
	struct ksiginfo si = { .si_signo = sig, .si_code = code };

	si.chld.pid = child->pid;
	si.chld.uid = child->cred.uid;
	si.chld.status = chld_status_field(code, status);
	si.chld.utime = ns_to_clock_t(child->utime_ns);
	si.chld.stime = ns_to_clock_t(child->stime_ns);
	return si;
}

static void notify_parent_locked(struct process *child, int code, int status)
{
	struct process *parent = child->parent;

	if (!parent)
		return;
	if (!sighand_nocldstop(parent->sighand)) {
		struct ksiginfo si = chld_siginfo(child, SIGCHLD, code, status);
		send_locked(parent, NULL, SIGCHLD, &si);
	}
	sched_wake_all(&parent->child_wait);
}

void signal_notify_parent(struct process *child, int code, int status)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);

	notify_parent_locked(child, code, status);
	spin_unlock_irqrestore(&process_tree_lock, irq);
}

/* Generate @sig for @p (or thread @t).  process_tree_lock held: @p cannot
 * be reaped meanwhile. */
static int send_locked(struct process *p, struct user_thread *t, int sig,
		       const struct ksiginfo *info)
{
	struct sighand *sh = p ? p->sighand : NULL;
	unsigned long irq;
	bool blocked, continued = false;
	int err = 0;

	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (!p || !sh || p->state != PROCESS_ALIVE)
		return 0;               /* exiting: nothing to do */
	irq = spin_lock_irqsave(&sh->lock);
	if (SIGBIT(sig) & (SIGBIT(SIGCONT) | SIGBIT(SIGKILL))) {
		struct list_node *pos;
		pending_discard(&p->shared, STOP_SIGNALS);
		list_for_each(pos, &p->threads)
			pending_discard(&list_entry(pos, struct user_thread, node)->pending,
					STOP_SIGNALS);
		if (p->stopped) {
			p->stopped = false;
			if (sig == SIGCONT) {
				p->pending_continue_report = true;
				p->pending_stop_report = 0;
				continued = true;
			}
			sched_wake_all(&p->stop_wait);
		}
	} else if (SIGBIT(sig) & STOP_SIGNALS) {
		struct list_node *pos;
		pending_discard(&p->shared, SIGBIT(SIGCONT));
		list_for_each(pos, &p->threads)
			pending_discard(&list_entry(pos, struct user_thread, node)->pending,
					SIGBIT(SIGCONT));
	}
	if (t) {
		blocked = t->blocked & SIGBIT(sig);
	} else {
		/* Process-directed: blocked if every thread blocks it. */
		struct list_node *pos;
		blocked = !list_empty(&p->threads);
		list_for_each(pos, &p->threads)
			if (!(list_entry(pos, struct user_thread, node)->blocked &
			      SIGBIT(sig)))
				blocked = false;
	}
	/* Blocked signals are never ignored (the handler may change before
	 * they are unblocked); otherwise init only gets signals it handles. */
	if (!blocked && p == init_process &&
	    sh->action[sig - 1].handler == SIG_DFL &&
	    !forced_by_kernel(sig, info))
		goto out;
	if (blocked || !sig_ignored(sh, sig)) {
		err = pending_add(t ? &t->pending : &p->shared, sig, info);
		if (!err) {
			wake_for_signal(p, t, sig);
			sched_wake_all_key(&sh->signalfd_wait, SIGNAL_POLLIN);
		}
	}
out:
	spin_unlock_irqrestore(&sh->lock, irq);
	if (continued)
		notify_parent_locked(p, CLD_CONTINUED, SIGCONT);
	return err;
}

int signal_send_info(struct process *p, struct user_thread *t, int sig,
		     const struct ksiginfo *info)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	int err = send_locked(p, t, sig, info);

	spin_unlock_irqrestore(&process_tree_lock, irq);
	return err;
}

static struct ksiginfo user_info(int sig, int code)
{
	struct process *self = current_process();
	struct ksiginfo si = { .si_signo = sig, .si_code = code };

	if (self) {
		si.kill.pid = self->pid;
		si.kill.uid = self->cred.uid;
	}
	return si;
}

int signal_send_info_locked(struct process *p, int sig,
			    const struct ksiginfo *info)
{
	return send_locked(p, NULL, sig, info);
}

int signal_send_process_locked(struct process *p, int sig)
{
	struct ksiginfo si = { .si_signo = sig, .si_code = SI_KERNEL };

	return send_locked(p, NULL, sig, &si);
}

int signal_send_process(struct process *p, int sig)
{
	struct ksiginfo si = { .si_signo = sig, .si_code = SI_KERNEL };

	return signal_send_info(p, NULL, sig, &si);
}

void signal_raise_current(int sig)
{
	struct ksiginfo si = user_info(sig, SI_KERNEL);

	if (!current_process())
		return;         /* kernel threads take no signals */
	signal_send_info(current_process(), current_user_thread(), sig, &si);
}

/* May the current process send a signal to @p (kill(2) permissions)? */
static bool may_signal(struct process *p, int sig)
{
	const struct cred *c = current_cred();

	if (c->euid == 0)
		return true;
	if (sig == SIGCONT && p->sid == current_process()->sid)
		return true;
	return c->euid == p->cred.suid || c->euid == p->cred.uid ||
	       c->uid == p->cred.suid || c->uid == p->cred.uid;
}

/* process_tree_lock held. */
static int kill_one(struct process *p, int sig, const struct ksiginfo *si)
{
	if (!may_signal(p, sig))
		return -EPERM;
	return sig ? send_locked(p, NULL, sig, si) : 0;
}

/* Signal every process matching: pgid > 0 that group, or all (pgid -1). */
static int kill_many(int pgid, int sig, const struct ksiginfo *si)
{
	struct process *self = current_process();
	struct list_node *pos;
	int sent = 0, err = -ESRCH;
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);

	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->state != PROCESS_ALIVE)
			continue;
		if (pgid > 0 ? p->pgid != pgid : (p->pid == 1 || p == self))
			continue;
		err = kill_one(p, sig, si);
		if (!err)
			sent++;
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return sent ? 0 : err;
}

int signal_send_pgrp(int pgid, int sig)
{
	struct ksiginfo si = { .si_signo = sig, .si_code = SI_KERNEL };
	struct list_node *pos;
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	int n = 0;

	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->state == PROCESS_ALIVE && p->pgid == pgid) {
			send_locked(p, NULL, sig, &si);
			n++;
		}
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return n ? 0 : -ESRCH;
}

bool signal_pending(void)
{
	struct user_thread *ut = current_user_thread();
	struct process *p;
	sigset_t pending;

	if (!ut)
		return false;
	p = ut->process;
	pending = (ut->pending.set | p->shared.set) & ~ut->blocked;
	return pending || ut->exiting || p->group_exiting;
}

/* ---- delivery ---- */

struct sigcontext_abi {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};
STATIC_ASSERT(sizeof(struct sigcontext_abi) == 256, "struct sigcontext");

struct ucontext_abi {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct user_stack uc_stack;
	struct sigcontext_abi uc_mcontext;
	sigset_t uc_sigmask;
};
STATIC_ASSERT(sizeof(struct ucontext_abi) == 304, "kernel struct ucontext");

struct rt_sigframe {
	uint64_t pretcode;              /* sa_restorer: the handler's return */
	struct ucontext_abi uc;
	struct ksiginfo info;
};
STATIC_ASSERT(offsetof(struct rt_sigframe, uc) == 8, "rt_sigframe.uc");
STATIC_ASSERT(offsetof(struct rt_sigframe, info) == 312, "rt_sigframe.info");

#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U
#define RFLAGS_USER_CHANGEABLE 0x40dd5UL  /* AC OF DF TF SF ZF AF PF CF NT */
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_DF (1UL << 10)

static void *fpu_init_area;     /* state a handler starts with */

static bool on_altstack(struct user_thread *ut, uaddr_t sp)
{
	return ut->altstack.ss_size && sp > ut->altstack.ss_sp &&
	       sp - ut->altstack.ss_sp <= ut->altstack.ss_size;
}

static int save_fpu_to_user(struct user_thread *ut, uaddr_t fp)
{
	uint8_t *area = ut->fpu;
	uint32_t size = fpu_state_size();

	fpu_save(area);                 /* the live user state */
	if (fpu_uses_xsave()) {
		uint32_t sw[12] = { FP_XSTATE_MAGIC1, size + 4, 0, 0, size };
		uint64_t feat = fpu_xfeatures();
		memcpy(&sw[2], &feat, 8);
		memcpy(area + 464, sw, sizeof(sw));
		if (copy_to_user(fp + size, &(uint32_t){ FP_XSTATE_MAGIC2 }, 4))
			return -EFAULT;
	}
	return copy_to_user(fp, area, size);
}

static int setup_frame(struct user_thread *ut, int sig,
		       const struct k_sigaction *act, const struct ksiginfo *info,
		       struct trap_frame *tf)
{
	uint32_t fpsize = fpu_state_size() + 4;
	struct rt_sigframe f = { 0 };
	uaddr_t sp = tf->rsp, fp, frame;
	struct sigcontext_abi *mc = &f.uc.uc_mcontext;

	if ((act->flags & SA_ONSTACK) && ut->altstack.ss_size &&
	    !(ut->altstack.ss_flags & SS_DISABLE) && !on_altstack(ut, sp)) {
		sp = ut->altstack.ss_sp + ut->altstack.ss_size;
	} else {
		sp -= 128;              /* the red zone */
	}
	fp = ALIGN_DOWN(sp - fpsize, 64);
	frame = ALIGN_DOWN(fp - sizeof(f), 16) - 8;

	f.pretcode = act->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS |
			(fpu_uses_xsave() ? UC_FP_XSTATE : 0);
	f.uc.uc_stack = ut->altstack;
	f.uc.uc_stack.ss_flags = ut->altstack.ss_size == 0 ? SS_DISABLE
				 : on_altstack(ut, tf->rsp) ? SS_ONSTACK : 0;
	mc->r8 = tf->r8; mc->r9 = tf->r9; mc->r10 = tf->r10; mc->r11 = tf->r11;
	mc->r12 = tf->r12; mc->r13 = tf->r13; mc->r14 = tf->r14; mc->r15 = tf->r15;
	mc->rdi = tf->rdi; mc->rsi = tf->rsi; mc->rbp = tf->rbp; mc->rbx = tf->rbx;
	mc->rdx = tf->rdx; mc->rax = tf->rax; mc->rcx = tf->rcx; mc->rsp = tf->rsp;
	mc->rip = tf->rip;
	mc->eflags = tf->rflags;
	mc->cs = GDT_USER_CODE;
	mc->ss = GDT_USER_DATA;
	mc->err = tf->vector < 32 ? tf->error_code : 0;
	mc->trapno = tf->vector < 32 ? tf->vector : 0;
	mc->oldmask = ut->restore_saved_mask ? ut->saved_mask : ut->blocked;
	mc->cr2 = info->si_code > 0 && (SIGBIT(sig) & (SIGBIT(SIGSEGV) |
				SIGBIT(SIGBUS))) ? info->fault.addr : 0;
	mc->fpstate = fp;
	f.uc.uc_sigmask = mc->oldmask;
	f.info = *info;
	if (save_fpu_to_user(ut, fp) || copy_to_user(frame, &f, sizeof(f)))
		return -EFAULT;
	if (ut->altstack.ss_flags & SS_AUTODISARM)
		ut->altstack = (struct user_stack){ 0, SS_DISABLE, 0, 0 };

	tf->rdi = sig;
	tf->rsi = frame + offsetof(struct rt_sigframe, info);
	tf->rdx = frame + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rsp = frame;
	tf->rip = act->handler;
	tf->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
	tf->cs = GDT_USER_CODE;
	tf->ss = GDT_USER_DATA;
	fpu_restore(fpu_init_area);
	return 0;
}

/* The interrupted system call's fate once a signal is taken (signal(7)). */
static void restart_syscall(struct trap_frame *tf, const struct k_sigaction *act)
{
	long ret = (long)tf->rax;

	if (tf->vector != SYSCALL_VECTOR)
		return;
	switch (ret) {
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		if (act) {
			tf->rax = -EINTR;
			return;
		}
		break;
	case -ERESTARTSYS:
		if (act && !(act->flags & SA_RESTART)) {
			tf->rax = -EINTR;
			return;
		}
		break;
	case -ERESTARTNOINTR:
		break;
	default:
		return;
	}
	tf->rax = tf->error_code;       /* the original system-call number */
	tf->rip -= 2;                   /* back onto the syscall instruction */
}

/* Job-control stop: sleep until SIGCONT or SIGKILL. */
static void do_group_stop(struct process *p, int sig)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);

	p->stopped = true;
	p->pending_stop_report = (sig << 8) | 0x7f;
	p->pending_continue_report = false;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	signal_notify_parent(p, CLD_STOPPED, p->pending_stop_report);
	while (READ_ONCE(p->stopped) && !current_user_thread()->exiting) {
		sched_prepare_wait(&p->stop_wait, 0);
		if (!READ_ONCE(p->stopped) ||
		    ((current_user_thread()->pending.set | p->shared.set) &
		     SIGBIT(SIGKILL))) {
			sched_finish_wait(&p->stop_wait);
			break;
		}
		schedule();
		sched_finish_wait(&p->stop_wait);
	}
}

/* Dequeue the next deliverable signal; 0 if none. */
static int dequeue(struct user_thread *ut, struct ksiginfo *info)
{
	struct process *p = ut->process;
	sigset_t ready;
	int sig;

	ready = ut->pending.set & ~ut->blocked;
	if (ready) {
		sig = __builtin_ctzll(ready) + 1;
		/* SIGSEGV & co. first, as Linux's synchronous mask does. */
		pending_take(&ut->pending, sig, info);
		return sig;
	}
	ready = p->shared.set & ~ut->blocked;
	if (ready) {
		sig = __builtin_ctzll(ready) + 1;
		pending_take(&p->shared, sig, info);
		return sig;
	}
	return 0;
}

/* signal_deliver when something may be deliverable (or exiting, or a
 * saved mask to restore); kept out of line so that the common check stays
 * small. */
static __noinline void deliver_slow(struct trap_frame *tf,
				    struct user_thread *ut)
{
	struct process *p = ut->process;
	struct sighand *sh = p->sighand;

	for (;;) {
		struct k_sigaction act;
		struct ksiginfo info;
		unsigned long irq;
		int sig;

		if (ut->exiting || p->group_exiting)
			process_exit_thread(p->exit_status);
		irq = spin_lock_irqsave(&sh->lock);
		sig = dequeue(ut, &info);
		if (sig) {
			act = sh->action[sig - 1];
			if (act.handler > SIG_IGN && (act.flags & SA_RESETHAND))
				sh->action[sig - 1] = (struct k_sigaction){ 0 };
		}
		spin_unlock_irqrestore(&sh->lock, irq);
		if (!sig)
			break;
		if (act.handler == SIG_IGN)
			continue;
		if (act.handler == SIG_DFL) {
			if (SIGBIT(sig) & IGNORED_BY_DEFAULT)
				continue;
			if (SIGBIT(sig) & STOP_SIGNALS) {
				do_group_stop(p, sig);
				continue;
			}
			/* Terminate (no core files are written). */
			irq = spin_lock_irqsave(&process_tree_lock);
			if (!p->group_exiting) {
				p->group_exiting = true;
				p->exit_status = sig;
			}
			spin_unlock_irqrestore(&process_tree_lock, irq);
			process_exit_group(p->exit_status);
		}
		restart_syscall(tf, &act);
		if (setup_frame(ut, sig, &act, &info, tf)) {
			/* Cannot write the frame: Linux kills with SIGSEGV. */
			irq = spin_lock_irqsave(&sh->lock);
			sh->action[SIGSEGV - 1] = (struct k_sigaction){ 0 };
			spin_unlock_irqrestore(&sh->lock, irq);
			p->exit_status = SIGSEGV;
			p->group_exiting = true;
			process_exit_group(SIGSEGV);
		}
		irq = spin_lock_irqsave(&sh->lock);
		if (ut->restore_saved_mask) {
			ut->blocked = ut->saved_mask;
			ut->restore_saved_mask = false;
		}
		ut->blocked |= act.mask;
		if (!(act.flags & SA_NODEFER))
			ut->blocked |= SIGBIT(sig);
		ut->blocked &= ~UNBLOCKABLE;
		spin_unlock_irqrestore(&sh->lock, irq);
		return;
	}
	restart_syscall(tf, NULL);
	if (ut->restore_saved_mask) {
		unsigned long irq = spin_lock_irqsave(&sh->lock);
		ut->blocked = ut->saved_mask;
		ut->restore_saved_mask = false;
		spin_unlock_irqrestore(&sh->lock, irq);
	}
}

void signal_deliver(struct trap_frame *tf)
{
	struct user_thread *ut = current_user_thread();
	struct process *p;

	if (!ut)
		return;
	p = ut->process;
	ASSERT(p->sighand);
	/* Fast path on every return to user mode: nothing deliverable.  The
	 * unlocked read is safe: a signal sent meanwhile wakes or interrupts
	 * the thread, which comes back through here. */
	if (!ut->exiting && !READ_ONCE(p->group_exiting) &&
	    !ut->restore_saved_mask &&
	    !((READ_ONCE(ut->pending.set) | READ_ONCE(p->shared.set)) &
	      ~READ_ONCE(ut->blocked))) {
		restart_syscall(tf, NULL);
		return;
	}
	deliver_slow(tf, ut);
}

/* A fault in user mode: force @sig (unblock it, undo SIG_IGN). */
void signal_force_fault(int sig, int code, uaddr_t addr)
{
	struct user_thread *ut = current_user_thread();
	struct sighand *sh = ut->process->sighand;
	struct ksiginfo si = { .si_signo = sig, .si_code = code };
	unsigned long irq;

	si.fault.addr = addr;
	irq = spin_lock_irqsave(&sh->lock);
	if ((ut->blocked & SIGBIT(sig)) || sh->action[sig - 1].handler == SIG_IGN) {
		sh->action[sig - 1].handler = SIG_DFL;
		ut->blocked &= ~SIGBIT(sig);
	}
	spin_unlock_irqrestore(&sh->lock, irq);
	signal_send_info(ut->process, ut, sig, &si);
}

void signal_init(void)
{
	fpu_init_area = fpu_area_alloc();
	ASSERT(fpu_init_area);
}

/* ---- system calls ---- */

static bool valid_sig(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, uaddr_t, uact, uaddr_t, uoact,
		size_t, sigsetsize)
{
	struct sighand *sh = current_process()->sighand;
	struct k_sigaction act, old;
	unsigned long irq;

	if (sigsetsize != sizeof(sigset_t) || !valid_sig(sig))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	irq = spin_lock_irqsave(&sh->lock);
	old = sh->action[sig - 1];
	if (uact) {
		struct list_node *pos;
		act.mask &= ~UNBLOCKABLE;
		sh->action[sig - 1] = act;
		/* Setting SIG_IGN (or a default-ignore SIG_DFL) discards
		 * pending instances (POSIX). */
		if (sig_ignored(sh, sig)) {
			struct process *p = current_process();
			pending_discard(&p->shared, SIGBIT(sig));
			list_for_each(pos, &p->threads)
				pending_discard(&list_entry(pos, struct user_thread,
							    node)->pending,
						SIGBIT(sig));
		}
	}
	spin_unlock_irqrestore(&sh->lock, irq);
	if (uoact && copy_to_user(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, uaddr_t, uset, uaddr_t, uoset,
		size_t, sigsetsize)
{
	struct user_thread *ut = current_user_thread();
	struct sighand *sh = ut->process->sighand;
	sigset_t set = 0, old;
	unsigned long irq;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uset && copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uset && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	irq = spin_lock_irqsave(&sh->lock);
	old = ut->blocked;
	if (uset) {
		if (how == SIG_BLOCK)
			ut->blocked |= set;
		else if (how == SIG_UNBLOCK)
			ut->blocked &= ~set;
		else
			ut->blocked = set;
		ut->blocked &= ~UNBLOCKABLE;
	}
	spin_unlock_irqrestore(&sh->lock, irq);
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, uaddr_t, uset, size_t, sigsetsize)
{
	struct user_thread *ut = current_user_thread();
	sigset_t set;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	set = (ut->pending.set | ut->process->shared.set) & ut->blocked;
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

/* Install @mask until the next signal delivery (sigsuspend, ppoll). */
void signal_set_temporary_mask(sigset_t mask)
{
	struct user_thread *ut = current_user_thread();
	struct sighand *sh = ut->process->sighand;
	unsigned long irq = spin_lock_irqsave(&sh->lock);

	ut->saved_mask = ut->blocked;
	ut->restore_saved_mask = true;
	ut->blocked = mask & ~UNBLOCKABLE;
	spin_unlock_irqrestore(&sh->lock, irq);
}

static long sleep_until_signal(void)
{
	struct wait_queue never = WAIT_QUEUE_INIT(never);

	wait_event_interruptible(&never, false);
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(rt_sigsuspend, uaddr_t, umask, size_t, sigsetsize)
{
	sigset_t mask;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	signal_set_temporary_mask(mask);
	return sleep_until_signal();
}

SYSCALL_DEFINE0(pause)
{
	return sleep_until_signal();
}

/* ---- for signalfd ---- */

struct wait_queue *signal_fd_wait_queue(void)
{
	return &current_process()->sighand->signalfd_wait;
}

sigset_t signal_pending_set(void)
{
	struct user_thread *ut = current_user_thread();

	return READ_ONCE(ut->pending.set) | READ_ONCE(ut->process->shared.set);
}

int signal_dequeue_set(sigset_t set, struct ksiginfo *info)
{
	struct user_thread *ut = current_user_thread();
	struct sighand *sh = ut->process->sighand;
	unsigned long irq = spin_lock_irqsave(&sh->lock);
	sigset_t saved = ut->blocked;
	int sig;

	ut->blocked = ~(set & ~UNBLOCKABLE);    /* only @set is eligible */
	sig = dequeue(ut, info);
	ut->blocked = saved;
	spin_unlock_irqrestore(&sh->lock, irq);
	return sig;
}

SYSCALL_DEFINE4(rt_sigtimedwait, uaddr_t, uset, uaddr_t, uinfo, uaddr_t, uts,
		size_t, sigsetsize)
{
	struct user_thread *ut = current_user_thread();
	struct process *p = ut->process;
	struct sighand *sh = p->sighand;
	struct __kernel_timespec ts;
	struct ksiginfo info;
	uint64_t timeout = 0, deadline = 0;
	sigset_t set, saved;
	unsigned long irq;
	int sig = 0;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (!timespec_valid(&ts))
			return -EINVAL;
		timeout = timespec_to_ns(&ts);
		deadline = clock_uptime_ns() + timeout;
	}
	for (;;) {
		irq = spin_lock_irqsave(&sh->lock);
		saved = ut->blocked;
		ut->blocked = ~set;     /* only the waited-for set is eligible */
		sig = dequeue(ut, &info);
		ut->blocked = saved;
		spin_unlock_irqrestore(&sh->lock, irq);
		if (sig)
			break;
		if (uts && clock_uptime_ns() >= deadline)
			return -EAGAIN;
		if (signal_pending())
			return -EINTR;
		/* Sleep until a signal of @set (or a deliverable one) comes;
		 * the mask stays as it is (Linux's real_blocked). */
		irq = spin_lock_irqsave(&sh->lock);
		ut->sigwait_set = set;
		spin_unlock_irqrestore(&sh->lock, irq);
		sched_prepare_wait(NULL, uts ? deadline : 0);
		if (!((ut->pending.set | p->shared.set) & set))
			schedule();
		sched_finish_wait(NULL);
		irq = spin_lock_irqsave(&sh->lock);
		ut->sigwait_set = 0;
		spin_unlock_irqrestore(&sh->lock, irq);
	}
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	struct ksiginfo si = user_info(sig, SI_USER);
	struct process *p;
	unsigned long irq;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid > 0) {
		long ret;
		irq = spin_lock_irqsave(&process_tree_lock);
		p = process_find(pid);
		if (!p)
			ret = -ESRCH;
		else if (p->state != PROCESS_ALIVE)
			ret = 0;        /* zombies accept (and ignore) signals */
		else
			ret = kill_one(p, sig, &si);
		spin_unlock_irqrestore(&process_tree_lock, irq);
		return ret;
	}
	if (pid == -1)
		return kill_many(-1, sig, &si);
	if (pid == INT32_MIN)
		return -ESRCH;
	return kill_many(pid == 0 ? current_process()->pgid : -pid, sig, &si);
}

static long thread_kill(int tgid, int tid, int sig, const struct ksiginfo *si)
{
	struct user_thread *t;
	unsigned long irq;
	long ret;

	if (tid <= 0 || (tgid != -1 && tgid <= 0) || sig < 0 || sig > NSIG)
		return -EINVAL;
	irq = spin_lock_irqsave(&process_tree_lock);
	t = process_find_thread(tid);
	if (!t || (tgid != -1 && t->process->pid != tgid))
		ret = -ESRCH;
	else if (!may_signal(t->process, sig))
		ret = -EPERM;
	else
		ret = sig ? send_locked(t->process, t, sig, si) : 0;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ret;
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	struct ksiginfo si = user_info(sig, SI_TKILL);

	return thread_kill(tgid, tid, sig, &si);
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	struct ksiginfo si = user_info(sig, SI_TKILL);

	return thread_kill(-1, tid, sig, &si);
}

static long queueinfo(int tgid, int tid, int sig, uaddr_t uinfo)
{
	struct ksiginfo si;
	struct process *p;
	unsigned long irq;
	long ret;

	if (copy_from_user(&si, uinfo, sizeof(si)))
		return -EFAULT;
	/* Only the kernel may claim SI_USER/SI_KERNEL/SI_TKILL or positive
	 * codes when signalling another process, even for root. */
	if ((si.si_code >= 0 || si.si_code == SI_TKILL) &&
	    tgid != current_process()->pid)
		return -EPERM;
	si.si_signo = sig;
	if (tid >= 0)
		return thread_kill(tgid, tid, sig, &si);
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	irq = spin_lock_irqsave(&process_tree_lock);
	p = process_find(tgid);
	ret = p ? kill_one(p, sig, &si) : -ESRCH;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ret;
}

SYSCALL_DEFINE3(rt_sigqueueinfo, int, pid, int, sig, uaddr_t, uinfo)
{
	return queueinfo(pid, -1, sig, uinfo);
}

SYSCALL_DEFINE4(rt_tgsigqueueinfo, int, tgid, int, tid, int, sig, uaddr_t, uinfo)
{
	return queueinfo(tgid, tid, sig, uinfo);
}

SYSCALL_DEFINE2(sigaltstack, uaddr_t, uss, uaddr_t, uoss)
{
	struct user_thread *ut = current_user_thread();
	struct trap_frame *tf = syscall_user_frame();
	struct user_stack ss, old = ut->altstack;
	bool on = on_altstack(ut, tf->rsp);

	old.ss_flags = ut->altstack.ss_size == 0 ? SS_DISABLE
		       : (on ? SS_ONSTACK : 0) |
			 (ut->altstack.ss_flags & SS_AUTODISARM);
	if (uss) {
		uint32_t mode;
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		mode = ss.ss_flags & ~SS_AUTODISARM;
		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ut->altstack = (struct user_stack){ 0, SS_DISABLE, 0, 0 };
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			ut->altstack = ss;
			ut->altstack.ss_flags &= SS_AUTODISARM;
		}
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct user_thread *ut = current_user_thread();
	struct sighand *sh = ut->process->sighand;
	struct trap_frame *tf = syscall_user_frame();
	struct rt_sigframe f;
	struct sigcontext_abi *mc = &f.uc.uc_mcontext;
	unsigned long irq;
	uint32_t size = fpu_state_size();

	if (copy_from_user(&f, tf->rsp - 8, sizeof(f)))
		goto bad;
	if (mc->rip >= USER_TOP)
		goto bad;
	tf->r8 = mc->r8; tf->r9 = mc->r9; tf->r10 = mc->r10; tf->r11 = mc->r11;
	tf->r12 = mc->r12; tf->r13 = mc->r13; tf->r14 = mc->r14; tf->r15 = mc->r15;
	tf->rdi = mc->rdi; tf->rsi = mc->rsi; tf->rbp = mc->rbp; tf->rbx = mc->rbx;
	tf->rdx = mc->rdx; tf->rax = mc->rax; tf->rcx = mc->rcx; tf->rsp = mc->rsp;
	tf->rip = mc->rip;
	tf->rflags = (tf->rflags & ~RFLAGS_USER_CHANGEABLE) |
		     (mc->eflags & RFLAGS_USER_CHANGEABLE) | RFLAGS_IF;
	tf->cs = GDT_USER_CODE;
	tf->ss = GDT_USER_DATA;
	tf->vector = 0;         /* not a restartable system call any more */
	if (mc->fpstate) {
		if (copy_from_user(ut->fpu, mc->fpstate, size))
			goto bad;
		fpu_sanitize(ut->fpu);
		fpu_restore(ut->fpu);
	} else {
		fpu_restore(fpu_init_area);
	}
	irq = spin_lock_irqsave(&sh->lock);
	ut->blocked = f.uc.uc_sigmask & ~UNBLOCKABLE;
	spin_unlock_irqrestore(&sh->lock, irq);
	if (!(f.uc.uc_stack.ss_flags & SS_DISABLE) && f.uc.uc_stack.ss_size >= MINSIGSTKSZ &&
	    !on_altstack(ut, tf->rsp)) {
		ut->altstack = f.uc.uc_stack;
		ut->altstack.ss_flags &= SS_AUTODISARM;
	}
	return tf->rax;
bad:
	signal_force_fault(SIGSEGV, SI_KERNEL, 0);
	return tf->rax;
}

bool signal_ignored_or_blocked(int sig)
{
	struct user_thread *ut = current_user_thread();
	struct sighand *sh;

	if (!ut || sig < 1 || sig > NSIG)
		return false;
	sh = ut->process->sighand;
	return (ut->blocked & SIGBIT(sig)) ||
	       sh->action[sig - 1].handler == SIG_IGN;
}
