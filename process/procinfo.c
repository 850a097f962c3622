/*
 * Snapshots of processes and threads for /proc (vfs/procfs_pid.c).
 *
 * procfs must not hold process_tree_lock while it formats text or reads
 * another address space (both may sleep), and a struct process is freed
 * when it is reaped.  So a reader takes one consistent snapshot here: the
 * scalar fields are copied and the address space, fs context and file
 * table are referenced, all under process_tree_lock.  process_finish and
 * exec swap those pointers under the same lock (exit.c, exec.c), so a
 * reference taken here is never to a freed object.
 *
 * Locking: process_tree_lock, then the sighand lock (process.c's order).
 */
#include "process/internal.h"
#include "process/resource.h"
#include "include/assert.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "tty/tty.h"
#include "vfs/vfs.h"

/* The user thread of @p with thread id @tid, or NULL ([T] held). */
static struct user_thread *find_thread(struct process *p, int tid)
{
	struct list_node *pos;

	list_for_each(pos, &p->threads) {
		struct user_thread *ut = list_entry(pos, struct user_thread, node);
		if (ut->thread->tid == tid)
			return ut;
	}
	return NULL;
}

/* proc(5) state letter of one thread. */
static char thread_state_letter(const struct process *p,
				const struct user_thread *ut)
{
	if (p->stopped)
		return 'T';
	switch (READ_ONCE(ut->thread->state)) {
	case THREAD_RUNNING:
	case THREAD_READY:
		return 'R';
	case THREAD_BLOCKED:
		return 'S';
	default:
		return 'X';
	}
}

/* Linux's tty_nr encoding of a device number (proc(5) stat field 7). */
static int tty_nr_encode(unsigned major, unsigned minor)
{
	return (int)((minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
}

/* Fill the parts of @info that need only process_tree_lock. */
static void snapshot_locked(struct process *p, struct user_thread *ut,
			    struct process_info *info)
{
	struct list_node *pos;

	info->pid = p->pid;
	info->tid = ut ? ut->thread->tid : p->pid;
	info->ppid = p->parent && p->parent != p ? p->parent->pid : 0;
	info->pgid = p->pgid;
	info->sid = p->sid;
	info->tpgid = -1;
	if (p->ctty) {
		info->tty_nr = tty_nr_encode(p->ctty->major, p->ctty->minor);
		if (READ_ONCE(p->ctty->session) == p->sid)
			info->tpgid = READ_ONCE(p->ctty->pgrp);
	}
	memcpy(info->comm, p->comm, COMM_LEN);
	info->comm[COMM_LEN - 1] = '\0';
	info->cred = p->cred;
	info->num_threads = p->thread_count;
	info->start_ns = p->start_ns;
	info->exit_signal = p->exit_signal;
	info->utime_ns = p->utime_ns;
	info->stime_ns = p->stime_ns;
	info->cutime_ns = p->children_utime_ns;
	info->cstime_ns = p->children_stime_ns;
	memcpy(info->exe_path, p->exe_path, sizeof(info->exe_path));
	info->exe_path[sizeof(info->exe_path) - 1] = '\0';
	for (int i = 0; i < RLIMIT_COUNT; i++)
		info->rlimits[i] = p->rlimits[i];
	if (p->state != PROCESS_ALIVE) {
		info->state = 'Z';
		info->zombie = true;
		info->exit_code = p->exit_status;
		info->num_threads = 1;  /* Linux shows the dead leader */
		return;
	}
	/* A process is running if any of its threads is (Linux shows the
	 * leader; with an exited leader that would be a zombie). */
	info->state = 'S';
	list_for_each(pos, &p->threads) {
		struct user_thread *t = list_entry(pos, struct user_thread, node);
		char c = thread_state_letter(p, t);
		uint64_t tu, ts;

		if (!ut) {
			/* sched_lock, taken inside, nests under the tree lock. */
			thread_cpu_times(t->thread, &tu, &ts);
			info->utime_ns += tu;
			info->stime_ns += ts;
		}
		if (c == 'R' || c == 'T')
			info->state = c;
	}
	if (ut) {
		info->state = thread_state_letter(p, ut);
		thread_cpu_times(ut->thread, &info->utime_ns, &info->stime_ns);
	}
	info->mm = p->mm ? mm_get(p->mm) : NULL;
	info->fs = p->fs ? fs_struct_get(p->fs) : NULL;
	info->files = p->files ? fdtable_get(p->files) : NULL;
}

/* Signal sets: pending, blocked, ignored, caught ([T] held). */
static void snapshot_signals(struct process *p, struct user_thread *ut,
			     struct process_info *info)
{
	struct user_thread *t = ut;

	if (p->state != PROCESS_ALIVE || !p->sighand)
		return;
	if (!t && !list_empty(&p->threads))
		t = list_first_entry(&p->threads, struct user_thread, node);
	sighand_snapshot(p->sighand, p, t, info);
}

int process_info_get(int pid, int tid, struct process_info *info)
{
	struct process *p;
	struct user_thread *ut = NULL;
	unsigned long irq;
	int err = 0;

	memset(info, 0, sizeof(*info));
	irq = spin_lock_irqsave(&process_tree_lock);
	p = process_find(pid);
	if (!p) {
		err = -ESRCH;
		goto out;
	}
	if (tid && !(tid == pid && p->state != PROCESS_ALIVE)) {
		ut = p->state == PROCESS_ALIVE ? find_thread(p, tid) : NULL;
		if (!ut) {
			err = -ESRCH;
			goto out;
		}
	}
	snapshot_locked(p, ut, info);
	snapshot_signals(p, ut, info);
out:
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return err;
}

void process_info_put(struct process_info *info)
{
	if (info->mm)
		mm_put(info->mm);
	if (info->fs)
		fs_struct_put(info->fs);
	if (info->files)
		fdtable_put(info->files);
	info->mm = NULL;
	info->fs = NULL;
	info->files = NULL;
}

bool process_exists(int pid, int tid)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	struct process *p = process_find(pid);
	bool ok = p && (!tid || tid == pid ||
			(p->state == PROCESS_ALIVE && find_thread(p, tid)));

	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ok;
}

int process_list_pids(int after, int *pids, int max)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	struct list_node *pos;
	int n = 0;

	/* Selection of the @max smallest pids above @after (the list is in
	 * creation order, not pid order). */
	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		int i;

		if (p->state == PROCESS_DEAD || p->pid <= after)
			continue;
		if (n == max && p->pid > pids[n - 1])
			continue;
		if (n < max)
			n++;
		for (i = n - 1; i > 0 && pids[i - 1] > p->pid; i--)
			pids[i] = pids[i - 1];
		pids[i] = p->pid;
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return n;
}

int process_list_tids(int pid, int after, int *tids, int max)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	struct process *p = process_find(pid);
	struct list_node *pos;
	int n = 0;

	if (!p) {
		n = -ESRCH;
		goto out;
	}
	if (p->state != PROCESS_ALIVE) {
		if (pid > after && max > 0)
			tids[n++] = pid;
		goto out;
	}
	list_for_each(pos, &p->threads) {
		struct user_thread *t = list_entry(pos, struct user_thread, node);
		int tid = t->thread->tid, i;

		if (tid <= after || (n == max && tid > tids[n - 1]))
			continue;
		if (n < max)
			n++;
		for (i = n - 1; i > 0 && tids[i - 1] > tid; i--)
			tids[i] = tids[i - 1];
		tids[i] = tid;
	}
out:
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return n;
}

int process_count_states(int *running, int *blocked, int *last_pid)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	struct list_node *pos, *tpos;
	int total = 0;

	*running = *blocked = 0;
	*last_pid = 0;
	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);

		if (p->state == PROCESS_DEAD)
			continue;
		if (p->pid > *last_pid)
			*last_pid = p->pid;
		if (p->state != PROCESS_ALIVE)
			continue;
		list_for_each(tpos, &p->threads) {
			struct user_thread *t = list_entry(tpos, struct user_thread,
							   node);
			total++;
			if (thread_state_letter(p, t) == 'R')
				(*running)++;
		}
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return total;
}

int process_call_locked(int pid, int (*fn)(struct process *p, void *arg),
			void *arg)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	struct process *p = process_find(pid);
	int ret = p ? fn(p, arg) : -ESRCH;

	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ret;
}
