/*
 * Process-group and session queries for job control (the POSIX General
 * Terminal Interface): orphaned process groups, the session of a group,
 * and controlling-terminal bookkeeping used by tty/.
 *
 * Locking: everything here reads or writes the process tree under
 * process_tree_lock.
 */
#include "process/internal.h"
#include "include/errno.h"
#include "tty/tty.h"

bool process_pgrp_orphaned(int pgid)
{
	struct list_node *pos;
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	bool orphaned = true;

	/* Not orphaned if a member has a parent in another group of the
	 * same session (that parent can continue a stopped group). */
	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		struct process *par = p->parent;
		if (p->state != PROCESS_ALIVE || p->pgid != pgid || !par)
			continue;
		if (par->pgid != pgid && par->sid == p->sid) {
			orphaned = false;
			break;
		}
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return orphaned;
}

/* Session of process group @pgid (see below for a missing group). */
int process_pgrp_session(int pgid)
{
	struct list_node *pos;
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	int sid = -ESRCH;

	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->state == PROCESS_ALIVE && p->pgid == pgid) {
			sid = p->sid;
			break;
		}
	}
	if (sid == -ESRCH) {
		/* Linux's session_of_pgrp(): with no such group, the session
		 * of the process with that pid (so tcsetpgrp gives EPERM). */
		struct process *p = process_find(pgid);
		if (p)
			sid = p->sid;
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return sid;
}

void process_set_ctty(struct process *p, struct tty *tty)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);

	p->ctty = tty;
	spin_unlock_irqrestore(&process_tree_lock, irq);
}

void process_session_clear_ctty(int sid, struct tty *tty)
{
	struct list_node *pos;
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);

	list_for_each(pos, &all_processes) {
		struct process *p = list_entry(pos, struct process, all_node);
		if (p->sid == sid && (!tty || p->ctty == tty))
			p->ctty = NULL;
	}
	spin_unlock_irqrestore(&process_tree_lock, irq);
}

int signal_send_session_leader(int sid, int sig)
{
	unsigned long irq = spin_lock_irqsave(&process_tree_lock);
	struct process *p = process_find(sid);
	int ret = -ESRCH;

	if (p && p->state == PROCESS_ALIVE && p->sid == sid)
		ret = signal_send_process_locked(p, sig);
	spin_unlock_irqrestore(&process_tree_lock, irq);
	return ret;
}
