/*
 * Process exit and reaping: exit, exit_group, wait4, waitid, and process
 * groups and sessions (setpgid, getpgid, setsid, getsid).
 *
 * A thread leaving the kernel for good drops its user state; the last
 * thread of a process releases the address space, files and fs context,
 * hands its children to init, becomes a zombie and tells its parent
 * (SIGCHLD and the parent's child_wait queue).  The parent frees the
 * zombie in wait, or at once if it ignores SIGCHLD (SA_NOCLDWAIT).
 */
#include "process/internal.h"
#include "process/resource.h"
#include "cpu/x86.h"
#include "ipc/ipc.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "time/clock.h"
#include "vfs/vfs.h"
#include "tty/tty.h"


/* Who adopts @p's children ([T] held): the nearest living ancestor that
 * made itself a child subreaper (PR_SET_CHILD_SUBREAPER), else init. */
static struct process *find_reaper(struct process *p)
{
	for (struct process *a = p->parent; a && a != init_process;
	     a = a->parent) {
		if (a->child_subreaper && a->state == PROCESS_ALIVE &&
		    !a->group_exiting)
			return a;
		if (a == a->parent)
			break;
	}
	return init_process;
}

/* Hand every child of @p to its new reaper ([T] held), sending each the
 * signal it asked for with PR_SET_PDEATHSIG; returns the reaper and sets
 * *@zombies if any child is a zombie (the reaper must be told). */
static struct process *reparent_children(struct process *p, bool *zombies)
{
	struct process *reaper = find_reaper(p);
	struct list_node *pos, *tmp;

	*zombies = false;
	list_for_each_safe(pos, tmp, &p->children) {
		struct process *c = list_entry(pos, struct process, sibling);
		list_del(&c->sibling);
		c->parent = reaper;
		list_add_tail(&c->sibling, &reaper->children);
		if (c->state == PROCESS_ZOMBIE) {
			*zombies = true;
		} else if (c->pdeath_signal) {
			struct ksiginfo si = {
				.si_signo = c->pdeath_signal, .si_code = SI_USER,
			};
			si.kill.pid = p->pid;
			si.kill.uid = p->cred.uid;
			signal_send_info_locked(c, c->pdeath_signal, &si);
		}
	}
	return reaper;
}

void process_release(struct process *p)
{
	list_del(&p->all_node);
	p->state = PROCESS_DEAD;
	sigpending_flush(&p->shared);
	kfree(p);
}

/* The last thread of @p is leaving: tear the process down. */
static void process_finish(struct process *p)
{
	struct process *parent, *reaper;
	struct sighand *sh;
	struct ksiginfo si;
	unsigned long irq;
	bool autoreap, nocldwait = false, zombies;
	int sig;
	struct fdtable *files;
	struct fs_struct *fs;
	struct mm *mm;

	if (p->sid == p->pid)
		tty_session_leader_exit(p);
	process_itimers_release(p);
	sem_exit(p);
	/* Detach under the tree lock: /proc takes references under it
	 * (procinfo.c). */
	irq = spin_lock_irqsave(&process_tree_lock);
	files = p->files;
	fs = p->fs;
	mm = p->mm;
	p->files = NULL;
	p->fs = NULL;
	p->mm = NULL;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	fdtable_put(files);
	fs_struct_put(fs);
	if (mm)
		p->maxrss_kb = MAX(p->maxrss_kb, mm_hiwater_rss_kb(mm));
	mm_activate(NULL);
	mm_put(mm);

	irq = spin_lock_irqsave(&process_tree_lock);
	if (p == init_process)
		panic("Attempted to kill init! exitcode=0x%08x", p->exit_status);
	reaper = reparent_children(p, &zombies);
	parent = p->parent;
	si = chld_siginfo(p, p->exit_signal, WIFSIGNALED_CODE(p->exit_status),
			  p->exit_status);
	sig = p->exit_signal;
	sh = p->sighand;
	p->sighand = NULL;
	autoreap = sig == SIGCHLD &&
		   sighand_ignores_chld(parent->sighand, &nocldwait);
	/* From here the parent may reap @p at any moment: it is not
	 * touched again (all that follows uses the copies above). */
	p->state = PROCESS_ZOMBIE;
	if (autoreap) {
		list_del(&p->sibling);
		process_release(p);
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);

	sighand_put(sh);
	if (zombies) {
		/* A subreaper is told with SIGCHLD (init reaps anyway). */
		if (reaper != init_process)
			signal_send_process(reaper, SIGCHLD);
		sched_wake_all(&reaper->child_wait);
	}
	if (sig)
		signal_send_info(parent, NULL, sig, &si);
	sched_wake_all(&parent->child_wait);
}

void process_exit_thread(int status)
{
	struct user_thread *ut = current_user_thread();
	struct process *p = ut->process;
	unsigned long irq;
	bool last;

	if (ut->robust_list && p->mm)
		futex_exit_robust_list(ut->robust_list, thread_current()->tid);
	if (ut->clear_child_tid && p->mm) {
		/* CLONE_CHILD_CLEARTID: zero the tid and wake pthread_join. */
		if (!put_user((int32_t)0, (int32_t *)ut->clear_child_tid))
			futex_wake_user(ut->clear_child_tid, true, 1);
	}
	process_vfork_release(ut);
	irq = spin_lock_irqsave(&process_tree_lock);
	list_del(&ut->node);
	process_account_thread_exit(p, thread_current());
	last = --p->thread_count == 0;
	if (last && !p->group_exiting)
		p->exit_status = status;
	spin_unlock_irqrestore(&process_tree_lock, irq);
	if (last)
		process_finish(p);
	else
		sched_wake_all(&p->thread_exit_wait);
	thread_current()->user = NULL;  /* no FPU save into freed memory */
	user_thread_free(ut);
	thread_exit();
}

int process_exec_kill_other_threads(void)
{
	struct user_thread *ut = current_user_thread();
	struct process *p = ut->process;
	struct list_node *pos;
	unsigned long irq;

	irq = spin_lock_irqsave(&process_tree_lock);
	if (p->group_exiting || ut->exiting) {
		spin_unlock_irqrestore(&process_tree_lock, irq);
		return -EAGAIN;
	}
	list_for_each(pos, &p->threads) {
		struct user_thread *o = list_entry(pos, struct user_thread, node);
		if (o != ut) {
			o->exiting = true;
			sched_wake_thread(o->thread);
		}
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	wait_event_timeout(&p->thread_exit_wait,
			   READ_ONCE(p->thread_count) == 1, 0);
	/* The old image's robust futexes are released; its clear-tid
	 * address means nothing in the new one. */
	futex_exit_robust_list(ut->robust_list, (uint32_t)thread_current()->tid);
	ut->robust_list = 0;
	irq = spin_lock_irqsave(&process_tree_lock);
	thread_current()->tid = p->pid;         /* the leader's id now */
	spin_unlock_irqrestore(&process_tree_lock, irq);
	ut->clear_child_tid = 0;
	return 0;
}

void process_exit_group(int status)
{
	struct user_thread *ut = current_user_thread();
	struct process *p = ut->process;
	struct list_node *pos;
	unsigned long irq;

	irq = spin_lock_irqsave(&process_tree_lock);
	if (!p->group_exiting) {
		p->group_exiting = true;
		p->exit_status = status;
	}
	list_for_each(pos, &p->threads) {
		struct user_thread *o = list_entry(pos, struct user_thread, node);
		if (o != ut) {
			o->exiting = true;
			sched_wake_thread(o->thread);
		}
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	process_exit_thread(p->exit_status);
}

SYSCALL_DEFINE1(exit, int, code)
{
	process_exit_thread((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	process_exit_group((code & 0xff) << 8);
}

/* ---- wait ---- */

struct wait_req {
	int idtype;             /* P_ALL, P_PID, P_PGID */
	int id;
	int options;
};

static bool wait_matches(const struct wait_req *w, struct process *c)
{
	bool clone_child = c->exit_signal != SIGCHLD;

	if (w->idtype == P_PID && c->pid != w->id)
		return false;
	if (w->idtype == P_PGID && c->pgid != w->id)
		return false;
	if (!(w->options & __WALL) &&
	    clone_child != !!(w->options & __WCLONE))
		return false;
	return true;
}

struct wait_result {
	int pid;
	int status;             /* wait4 status word */
	int code;               /* CLD_* */
	uint32_t uid;
	struct rusage ru;       /* of the child and its reaped children */
};

/*
 * One pass over the children.  Returns the pid found (result filled),
 * 0 if matching children exist but none is ready, -ECHILD if none match.
 */
static int wait_scan(const struct wait_req *w, struct wait_result *r)
{
	struct process *self = current_process(), *found = NULL;
	struct list_node *pos;
	bool any = false;
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);

	list_for_each(pos, &self->children) {
		struct process *c = list_entry(pos, struct process, sibling);

		if (!wait_matches(w, c))
			continue;
		any = true;
		if (c->state == PROCESS_ZOMBIE && (w->options & WEXITED)) {
			found = c;
			r->status = c->exit_status;
			r->code = WIFSIGNALED_CODE(c->exit_status);
			break;
		}
		if (c->pending_stop_report && (w->options & WSTOPPED)) {
			found = c;
			r->status = c->pending_stop_report;
			r->code = CLD_STOPPED;
			if (!(w->options & WNOWAIT))
				c->pending_stop_report = 0;
			break;
		}
		if (c->pending_continue_report && (w->options & WCONTINUED)) {
			found = c;
			r->status = 0xffff;
			r->code = CLD_CONTINUED;
			if (!(w->options & WNOWAIT))
				c->pending_continue_report = false;
			break;
		}
	}
	if (found) {
		r->pid = found->pid;
		r->uid = found->cred.uid;
		process_rusage_of_zombie(found, &r->ru);
		r->ru.ru_maxrss = (long)MAX(found->maxrss_kb,
					    found->children_maxrss_kb);
		if (found->state == PROCESS_ZOMBIE && !(w->options & WNOWAIT)) {
			process_account_reap(self, found);
			self->children_maxrss_kb = MAX(self->children_maxrss_kb,
				MAX(found->maxrss_kb, found->children_maxrss_kb));
			list_del(&found->sibling);
			process_release(found);
		}
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	if (found)
		return r->pid;
	return any ? 0 : -ECHILD;
}

static long do_wait(const struct wait_req *w, struct wait_result *r)
{
	struct process *self = current_process();
	long ret;

	for (;;) {
		sched_prepare_wait(&self->child_wait, 0);
		ret = wait_scan(w, r);
		if (ret != 0 || (w->options & WNOHANG)) {
			sched_finish_wait(&self->child_wait);
			return ret;
		}
		if (signal_pending()) {
			sched_finish_wait(&self->child_wait);
			return -ERESTARTSYS;
		}
		schedule();
		sched_finish_wait(&self->child_wait);
	}
}

SYSCALL_DEFINE4(wait4, int, pid, uaddr_t, ustatus, int, options, uaddr_t, uru)
{
	struct wait_req w = { .options = options | WEXITED };
	struct wait_result r = { 0 };
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE |
			__WNOTHREAD))
		return -EINVAL;
	if (pid == -1) {
		w.idtype = P_ALL;
	} else if (pid > 0) {
		w.idtype = P_PID;
		w.id = pid;
	} else if (pid == 0) {
		w.idtype = P_PGID;
		w.id = current_process()->pgid;
	} else {
		if (pid == INT32_MIN)
			return -ESRCH;
		w.idtype = P_PGID;
		w.id = -pid;
	}
	ret = do_wait(&w, &r);
	if (ret > 0) {
		if (ustatus && put_user(r.status, (int32_t *)ustatus))
			return -EFAULT;
		if (uru && copy_to_user(uru, &r.ru, sizeof(r.ru)))
			return -EFAULT;
	}
	return ret;
}

SYSCALL_DEFINE5(waitid, int, idtype, int, id, uaddr_t, uinfo, int, options,
		uaddr_t, uru)
{
	struct wait_req w = { .idtype = idtype, .id = id, .options = options };
	struct wait_result r = { 0 };
	struct ksiginfo si = { 0 };
	long ret;

	if (options & ~(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT |
			__WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype == P_PGID && id == 0)
		w.id = current_process()->pgid;
	else if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
		return -EINVAL;
	else if (idtype != P_ALL && id <= 0)
		return -EINVAL;
	ret = do_wait(&w, &r);
	if (ret < 0)
		return ret;
	if (ret > 0) {
		si.si_signo = SIGCHLD;
		si.si_code = r.code;
		si.chld.pid = r.pid;
		si.chld.uid = r.uid;
		si.chld.status = chld_status_field(r.code, r.status);
	}
	if (uinfo && copy_to_user(uinfo, &si, sizeof(si)))
		return -EFAULT;
	if (ret > 0 && uru && copy_to_user(uru, &r.ru, sizeof(r.ru)))
		return -EFAULT;
	return 0;
}

/* ---- identity, process groups and sessions ---- */

SYSCALL_DEFINE0(getpid)
{
	return current_process()->pid;
}

SYSCALL_DEFINE0(gettid)
{
	return thread_current()->tid;
}

SYSCALL_DEFINE0(getppid)
{
	struct process *p = current_process();
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	int ppid = p->parent ? p->parent->pid : 0;

	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ppid;
}

static struct process *lookup_self_or(int pid)
{
	return pid == 0 ? current_process() : process_find(pid);
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	struct process *p = lookup_self_or(pid);
	long ret = p ? p->pgid : -ESRCH;

	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ret;
}

SYSCALL_DEFINE0(getpgrp)
{
	return current_process()->pgid;
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	struct process *p = lookup_self_or(pid);
	long ret = p ? p->sid : -ESRCH;

	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ret;
}

static bool pgrp_exists_in_session(int pgid, int sid)
{
	struct list_node *pos;

	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->state != PROCESS_DEAD && p->pgid == pgid && p->sid == sid)
			return true;
	}
	return false;
}

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct process *self = current_process(), *p;
	unsigned long irq;
	long err = 0;

	if (pgid < 0)
		return -EINVAL;
	irq = spin_lock_irqsave(&process_tree_lock);
	p = pid == 0 ? self : process_find(pid);
	if (!p || (p != self && p->parent != self)) {
		err = -ESRCH;
		goto out;
	}
	if (pgid == 0)
		pgid = p->pid;
	if (p != self && p->did_exec) {
		err = -EACCES;
		goto out;
	}
	if (p->sid == p->pid || p->sid != self->sid) {
		err = -EPERM;   /* a session leader, or another session */
		goto out;
	}
	if (pgid != p->pid && !pgrp_exists_in_session(pgid, self->sid)) {
		err = -EPERM;
		goto out;
	}
	p->pgid = pgid;
out:
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return err;
}

SYSCALL_DEFINE0(setsid)
{
	struct process *self = current_process();
	struct list_node *pos;
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	long ret = self->pid;

	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->state != PROCESS_DEAD && p->pgid == self->pid) {
			ret = -EPERM;   /* already a process group leader */
			break;
		}
	}
	if (ret > 0) {
		self->sid = self->pgid = self->pid;
		self->ctty = NULL;
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ret;
}
