/*
 * Scheduler core.  Model: every kernel thread has its own kernel stack
 * (with a guard page) and a saved stack pointer; sched_switch() swaps
 * stacks.  Runnable threads wait in one FIFO run queue; the idle thread of
 * each CPU runs only when the queue is empty.  The timer tick shortens the
 * current thread's slice and wakes timed sleepers; when a slice runs out
 * need_resched is set and the thread is preempted on the way out of the
 * interrupt (irq_exit_hook), unless it holds a spinlock (preempt_count).
 *
 * CPU time: schedule() charges the outgoing thread with the uptime since
 * it was switched in (runtime_ns); the tick only counts whether it found
 * the thread in user or kernel mode, which process/cputime.c uses to split
 * the exact runtime into utime and stime the way Linux does.
 *
 * Locking: sched_lock (irq-safe) protects the run queue, every wait queue,
 * the sleeper list and thread states (mutex owners are atomic, see
 * mutex.c).  It is held across sched_switch(): the thread that resumes
 * releases it (in schedule() or, for a new thread, in
 * sched_thread_start).  Lock order: sched_lock is a
 * leaf; nothing else is taken while holding it except the heap lock
 * (for reaping), printk's lock and the leaf spinlocks of wait-queue
 * callbacks (epoll's ready-list lock).
 *
 * Wakeups: a wakeup takes thread entries off the queue (they sleep once)
 * and calls callback entries, which stay.  Callbacks may wake further
 * queues (nested epoll); the nesting is bounded by their users.
 */
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "sched/internal.h"
#include "cpu/cpu.h"
#include "cpu/percpu.h"
#include "cpu/x86.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "time/clock.h"
#include "time/timer.h"

void sched_switch(uint64_t *save_rsp, uint64_t new_rsp);

struct spinlock sched_lock = SPINLOCK_INIT("sched");
static struct list_node run_queue = LIST_HEAD_INIT(run_queue);     /* [s] */
static struct list_node sleepers = LIST_HEAD_INIT(sleepers);       /* [s] */
static struct list_node all_threads = LIST_HEAD_INIT(all_threads); /* [s] */
static struct thread *dead_thread;      /* [s] exited, not yet freed */
static int next_tid = 1;                /* [s] */
static int thread_count = 1;            /* [s] on all_threads */
static struct thread boot_thread;       /* CPU 0's idle thread */

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

/* Make @t runnable.  Caller holds sched_lock. */
static void make_ready(struct thread *t)
{
	ASSERT_HELD(&sched_lock);
	if (t->state == THREAD_READY || t->state == THREAD_RUNNING)
		return;
	ASSERT(t->state == THREAD_BLOCKED);
	if (t->wake_deadline_ns) {
		list_del(&t->sleep_node);
		t->wake_deadline_ns = 0;
	}
	t->state = THREAD_READY;
	list_add_tail(&t->run_node, &run_queue);
}

static struct thread *pick_next(void)
{
	struct thread *t;

	if (list_empty(&run_queue))
		return this_cpu()->idle_thread;
	t = list_first_entry(&run_queue, struct thread, run_node);
	list_del(&t->run_node);
	return t;
}

/* Free a thread that exited; never the one whose stack we are on. */
static void reap(struct thread *t)
{
	kstack_free(t->stack);
	kfree(t);
}

void schedule(void)
{
	struct percpu *cpu = this_cpu();
	struct thread *prev = cpu->current, *next, *to_reap;
	uint64_t flags;

	flags = spin_lock_irqsave(&sched_lock);
	/* Only our own lock may be held across a switch. */
	ASSERT(cpu->preempt_count == 1);
	cpu->need_resched = false;
	if (prev->state == THREAD_RUNNING && prev != cpu->idle_thread) {
		prev->state = THREAD_READY;
		list_add_tail(&prev->run_node, &run_queue);
	}
	next = pick_next();
	if (next != prev) {
		uint64_t now = clock_uptime_ns();

		prev->runtime_ns += now - prev->on_cpu_since_ns;
		next->on_cpu_since_ns = now;
		next->state = THREAD_RUNNING;
		next->slice_ticks = TIME_SLICE_TICKS;
		cpu->current = next;
		cpu_set_kernel_stack(next->stack_top);
		sched_arch_switch(prev, next);
		sched_switch(&prev->saved_rsp, next->saved_rsp);
		/* Back on prev's stack, possibly much later. */
	} else if (prev->state == THREAD_READY) {
		prev->state = THREAD_RUNNING;
	}
	to_reap = dead_thread;
	if (to_reap == this_cpu()->current)
		to_reap = NULL;
	else
		dead_thread = NULL;
	spin_unlock_irqrestore(&sched_lock, flags);
	if (to_reap)
		reap(to_reap);
}

__weak void sched_arch_switch(struct thread *prev, struct thread *next)
{
}

/* First code of every new thread: finish the switch, then run it. */
static void __noreturn sched_thread_start(void)
{
	struct thread *self = thread_current();
	struct thread *to_reap = dead_thread != self ? dead_thread : NULL;

	if (to_reap)
		dead_thread = NULL;
	spin_unlock(&sched_lock);
	irq_enable();
	if (to_reap)
		reap(to_reap);
	self->entry(self->arg);
	thread_exit();
}

struct thread *thread_create(const char *name, void (*entry)(void *),
			     void *arg, size_t reserve)
{
	struct thread *t = kzalloc(sizeof(*t));
	uint64_t *sp, flags;

	if (!t)
		return NULL;
	t->stack = kstack_alloc();
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	t->stack_top = (uint64_t)t->stack + KSTACK_SIZE;
	strlcpy(t->name, name, sizeof(t->name));
	t->entry = entry;
	t->arg = arg;
	/* Frame popped by sched_switch: r15 r14 r13 r12 rbx rbp, then ret. */
	sp = (uint64_t *)(t->stack_top - ALIGN_UP(reserve, 16));
	*--sp = 0;                              /* alignment: entry sees rsp%16==8 */
	*--sp = (uint64_t)sched_thread_start;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->saved_rsp = (uint64_t)sp;
	t->state = THREAD_BLOCKED;

	flags = spin_lock_irqsave(&sched_lock);
	t->tid = next_tid++;
	list_add_tail(&t->all_node, &all_threads);
	thread_count++;
	spin_unlock_irqrestore(&sched_lock, flags);
	return t;
}

void thread_start(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	make_ready(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

struct thread *thread_spawn(const char *name, void (*entry)(void *), void *arg)
{
	struct thread *t = thread_create(name, entry, arg, 0);

	if (t)
		thread_start(t);
	return t;
}

void thread_exit(void)
{
	struct thread *self = thread_current();

	ASSERT(self != this_cpu()->idle_thread);
	spin_lock_irqsave(&sched_lock);
	list_del(&self->all_node);
	thread_count--;
	self->state = THREAD_DEAD;
	/* At most one thread can be between exit and its reaping per CPU. */
	ASSERT(dead_thread == NULL);
	dead_thread = self;
	spin_unlock(&sched_lock);   /* interrupts stay off until the switch */
	schedule();
	panic("dead thread %s was scheduled again", self->name);
}

void sched_yield(void)
{
	schedule();
}

void sched_prepare_wait(struct wait_queue *wq, uint64_t deadline_ns)
{
	struct thread *self = thread_current();
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	self->woken_by_timeout = false;
	self->waiting_on = wq;
	if (wq) {
		self->wait_entry.thread = self;
		self->wait_entry.wq = wq;
		list_add_tail(&self->wait_entry.node, &wq->waiters);
	}
	if (deadline_ns && deadline_ns <= clock_uptime_ns()) {
		self->woken_by_timeout = true;     /* already expired */
	} else {
		self->state = THREAD_BLOCKED;
		if (deadline_ns) {
			struct list_node *pos;
			self->wake_deadline_ns = deadline_ns;
			list_for_each(pos, &sleepers) {
				struct thread *o = list_entry(pos, struct thread,
							      sleep_node);
				if (o->wake_deadline_ns > deadline_ns)
					break;
			}
			list_add_tail(&self->sleep_node, pos);
		}
	}
	spin_unlock_irqrestore(&sched_lock, flags);
}

int sched_finish_wait(struct wait_queue *wq)
{
	struct thread *self = thread_current();
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	int ret = self->woken_by_timeout ? -ETIMEDOUT : 0;

	if (self->waiting_on) {
		list_del(&self->wait_entry.node);
		self->wait_entry.wq = NULL;
		self->waiting_on = NULL;
	}
	if (self->wake_deadline_ns) {
		list_del(&self->sleep_node);
		self->wake_deadline_ns = 0;
	}
	if (self->state == THREAD_READY)        /* woken before it slept */
		list_del(&self->run_node);
	self->state = THREAD_RUNNING;
	spin_unlock_irqrestore(&sched_lock, flags);
	return ret;
}

/*
 * Wake @wq (sched_lock held): every thread entry (or only the first one
 * unless @all), every non-exclusive callback, and exclusive callbacks up
 * to the first that reports a wakeup.  Returns how many were woken.
 */
static int wake_locked(struct wait_queue *wq, bool all, unsigned key)
{
	struct list_node *pos, *tmp;
	bool exclusive_done = false;
	int n = 0;

	ASSERT_HELD(&sched_lock);
	list_for_each_safe(pos, tmp, &wq->waiters) {
		struct wait_entry *e = list_entry(pos, struct wait_entry, node);
		struct thread *t = e->thread;

		if (e->func) {
			if (e->exclusive && exclusive_done)
				continue;
			if (e->func(e, key)) {
				n++;
				if (e->exclusive)
					exclusive_done = true;
			}
			continue;
		}
		list_del(&e->node);
		e->wq = NULL;
		e->woken = true;
		if (e == &t->wait_entry)
			t->waiting_on = NULL;
		if (t->state == THREAD_BLOCKED)
			make_ready(t);
		n++;
		if (!all)
			break;
	}
	return n;
}

static int wake(struct wait_queue *wq, bool all, unsigned key)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	int n = wake_locked(wq, all, key);

	spin_unlock_irqrestore(&sched_lock, flags);
	return n;
}

int sched_wake_locked(struct wait_queue *wq, unsigned key)
{
	return wake_locked(wq, true, key);
}

int sched_wake_one_locked(struct wait_queue *wq)
{
	return wake_locked(wq, false, 0);
}

void sched_wake_all_detach(struct wait_queue *wq, unsigned key)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	struct list_node *pos, *tmp;

	wake_locked(wq, true, key);
	list_for_each_safe(pos, tmp, &wq->waiters) {
		struct wait_entry *e = list_entry(pos, struct wait_entry, node);

		list_del(&e->node);
		e->wq = NULL;
	}
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_wake_thread(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	if (t->state == THREAD_BLOCKED) {
		if (t->waiting_on) {
			list_del(&t->wait_entry.node);
			t->wait_entry.wq = NULL;
			t->waiting_on = NULL;
		}
		make_ready(t);
	}
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_wait_entry_add(struct wait_queue *wq, struct wait_entry *e)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	e->thread = thread_current();
	e->wq = wq;
	e->woken = false;
	e->func = NULL;
	e->exclusive = false;
	list_add_tail(&e->node, &wq->waiters);
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_wait_entry_add_func(struct wait_queue *wq, struct wait_entry *e,
			       wait_func_t func, bool exclusive)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	e->thread = NULL;
	e->wq = wq;
	e->woken = false;
	e->func = func;
	e->exclusive = exclusive;
	if (exclusive)
		list_add_tail(&e->node, &wq->waiters);
	else
		list_add(&e->node, &wq->waiters);
	spin_unlock_irqrestore(&sched_lock, flags);
}

void sched_wait_entry_remove(struct wait_entry *e)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	if (e->wq) {
		list_del(&e->node);
		e->wq = NULL;
	}
	spin_unlock_irqrestore(&sched_lock, flags);
}

bool sched_wait_entry_woken(struct wait_entry *e)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);
	bool woken = e->woken;

	spin_unlock_irqrestore(&sched_lock, flags);
	return woken;
}

int sched_wake_all(struct wait_queue *wq)
{
	return wake(wq, true, 0);
}

int sched_wake_all_key(struct wait_queue *wq, unsigned key)
{
	return wake(wq, true, key);
}

int sched_wake_one(struct wait_queue *wq)
{
	return wake(wq, false, 0);
}

void sched_sleep_ns(uint64_t ns)
{
	uint64_t deadline = clock_uptime_ns() + ns;

	while (clock_uptime_ns() < deadline) {
		sched_prepare_wait(NULL, deadline);
		schedule();
		sched_finish_wait(NULL);
	}
}

void sched_tick(void)
{
	struct percpu *cpu = this_cpu();
	struct thread *cur = cpu->current;
	uint64_t now = clock_uptime_ns();

	cpu->ticks++;
	ktimer_run_expired();
	if (!cur)
		return;         /* before sched_init */
	spin_lock(&sched_lock);
	while (!list_empty(&sleepers)) {
		struct thread *t = list_first_entry(&sleepers, struct thread,
						    sleep_node);
		if (t->wake_deadline_ns > now)
			break;
		t->woken_by_timeout = true;
		if (t->waiting_on) {
			list_del(&t->wait_entry.node);
			t->wait_entry.wq = NULL;
			t->waiting_on = NULL;
		}
		make_ready(t);  /* also takes it off the sleeper list */
	}
	if (cur == cpu->idle_thread) {
		if (!list_empty(&run_queue))
			cpu->need_resched = true;
	} else if (cur->slice_ticks == 0 || --cur->slice_ticks == 0) {
		if (!list_empty(&run_queue))
			cpu->need_resched = true;
	}
	spin_unlock(&sched_lock);
}

void sched_account_tick(bool user_mode)
{
	struct thread *cur = this_cpu()->current;

	if (!cur)
		return;
	if (user_mode)
		WRITE_ONCE(cur->user_ticks, cur->user_ticks + 1);
	else
		WRITE_ONCE(cur->system_ticks, cur->system_ticks + 1);
	if (cur->user)
		process_itimers_tick(cur, user_mode);
}

/* CPU-time interval timers of the process layer (weak: none). */
__weak void process_itimers_tick(struct thread *t, bool user_mode)
{
}

void sched_thread_cputime(struct thread *t, struct thread_cputime *out)
{
	uint64_t flags = spin_lock_irqsave(&sched_lock);

	out->runtime_ns = t->runtime_ns;
	if (t->state == THREAD_RUNNING)
		out->runtime_ns += clock_uptime_ns() - t->on_cpu_since_ns;
	out->user_ticks = READ_ONCE(t->user_ticks);
	out->system_ticks = READ_ONCE(t->system_ticks);
	spin_unlock_irqrestore(&sched_lock, flags);
}

int sched_thread_count(void)
{
	return READ_ONCE(thread_count);
}

/* Preemption point on the way out of every interrupt. */
void irq_exit_hook(struct trap_frame *tf)
{
	struct percpu *cpu = this_cpu();

	/*
	 * Never preempt a thread between sched_prepare_wait() and its
	 * schedule()/sched_finish_wait(): it is marked blocked, and if the
	 * event it waits for already happened nobody would wake it again.
	 * It is about to give up the CPU or continue on its own anyway.
	 */
	if (cpu->need_resched && cpu->preempt_count == 0 &&
	    cpu->irq_depth == 0 && cpu->current &&
	    cpu->current->state == THREAD_RUNNING)
		schedule();
}

void sched_init(void)
{
	struct percpu *cpu = this_cpu();
	extern char boot_stack_bottom[], boot_stack_top[];

	boot_thread.tid = 0;
	strlcpy(boot_thread.name, "swapper/0", sizeof(boot_thread.name));
	boot_thread.state = THREAD_RUNNING;
	boot_thread.stack = boot_stack_bottom;
	boot_thread.stack_top = (uint64_t)boot_stack_top;
	list_add_tail(&boot_thread.all_node, &all_threads);
	cpu->idle_thread = &boot_thread;
	cpu->current = &boot_thread;
	cpu_set_kernel_stack(boot_thread.stack_top);
}

void sched_idle_loop(void)
{
	for (;;) {
		irq_disable();
		if (this_cpu()->need_resched || !list_empty(&run_queue)) {
			irq_enable();
			schedule();
		} else {
			/* sti's one-instruction shadow: no wakeup is missed. */
			__asm__ __volatile__("sti; hlt" ::: "memory");
		}
	}
}
