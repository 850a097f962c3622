/*
 * Scheduler API: kernel threads, preemptive round-robin scheduling driven
 * by the timer tick, wait queues, sleeping with timeouts, and mutexes.
 *
 * Blocking follows the prepare/check/schedule pattern so that no wakeup is
 * lost: sched_prepare_wait() puts the thread on the queue and marks it
 * blocked, the caller re-checks its condition, then schedule() sleeps
 * unless a wakeup already made the thread runnable again.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include "include/compiler.h"
#include "include/list.h"
#include "cpu/percpu.h"

#define HZ 100                  /* timer interrupts per second */
#define TIME_SLICE_TICKS 2      /* preempt after this many ticks */
#define THREAD_NAME_MAX 32

enum thread_state {
	THREAD_RUNNING,         /* on a CPU */
	THREAD_READY,           /* on the run queue */
	THREAD_BLOCKED,         /* waiting on a wait queue or a timeout */
	THREAD_DEAD,            /* exited; reaped after the next switch */
};

struct wait_queue {
	struct list_node waiters;       /* [sched_lock] struct wait_entry.node */
};

struct thread;

struct wait_entry;

/*
 * A wait-queue callback (epoll's readiness hook): called for every wakeup
 * of the queue with sched_lock held and interrupts off, with the poll
 * events the waker reports (@key, 0: unknown/any).  It may take leaf
 * spinlocks of its own and wake other queues with sched_wake_locked; it
 * must not sleep.  Returns true if it woke someone (for exclusive entries).
 */
typedef bool (*wait_func_t)(struct wait_entry *e, unsigned key);

/*
 * One place a thread waits.  Every thread has one built in (used by
 * sched_prepare_wait); poll/select add more with sched_wait_entry_add so
 * that one sleep ends when any of several queues is woken.  A callback
 * entry (sched_wait_entry_add_func) wakes no thread: it stays queued and
 * its function runs on every wakeup.
 */
struct wait_entry {
	struct list_node node;          /* [sched_lock] in wait_queue.waiters */
	struct thread *thread;          /* [sched_lock] who to wake (NULL:
					 * a callback entry) */
	struct wait_queue *wq;          /* [sched_lock] NULL when not queued */
	bool woken;                     /* [sched_lock] a wakeup removed it */
	bool exclusive;                 /* [sched_lock] callback entries: a
					 * wakeup runs only the first exclusive
					 * one that returns true */
	wait_func_t func;               /* [sched_lock] callback, or NULL */
};

#define WAIT_QUEUE_INIT(name) { .waiters = LIST_HEAD_INIT((name).waiters) }

/*
 * A kernel thread.  Legend: [I] immutable after creation, [s] sched_lock,
 * [c] only the CPU running the thread.
 */
struct thread {
	uint64_t saved_rsp;             /* [c] stack pointer while switched out */
	void *stack;                    /* [I] lowest address of the stack */
	uint64_t stack_top;             /* [I] */
	int tid;                        /* [I] */
	char name[THREAD_NAME_MAX];     /* [I] */
	void (*entry)(void *arg);       /* [I] */
	void *arg;                      /* [I] */
	enum thread_state state;        /* [s] */
	struct list_node run_node;      /* [s] run queue link */
	struct wait_entry wait_entry;   /* [s] its own wait queue link */
	struct wait_queue *waiting_on;  /* [s] queue it sleeps on, or NULL */
	struct list_node sleep_node;    /* [s] timed sleepers, by deadline */
	uint64_t wake_deadline_ns;      /* [s] 0: no timeout */
	bool woken_by_timeout;          /* [s] */
	unsigned slice_ticks;           /* [s] ticks left in the time slice */
	/* CPU-time accounting (sys branch): runtime is exact (TSC at every
	 * switch); the tick samples only split it into user and system time. */
	uint64_t runtime_ns;            /* [s] time on a CPU before on_cpu_since */
	uint64_t on_cpu_since_ns;       /* [s] uptime when it last started running */
	uint64_t user_ticks;            /* [c] ticks that found it in user mode */
	uint64_t system_ticks;          /* [c] ticks that found it in kernel mode */
	struct list_node all_node;      /* [s] list of all threads */
	struct user_thread *user;       /* [I] user-mode state, NULL for
					 * kernel threads (process/) */
};

struct user_thread;

struct mutex {
	uintptr_t owner;                /* atomic: thread | MUTEX_WAITERS
					 * (sched/mutex.c), 0 when free */
	struct wait_queue waiters;
	const char *name;
};

#define MUTEX_INIT(m, n) { .owner = 0, .waiters = WAIT_QUEUE_INIT((m).waiters), .name = (n) }

/* Turn the boot context into thread 0 (the idle thread) of CPU 0. */
void sched_init(void);
/* Enter the idle loop forever (the boot context after sched_init). */
void sched_idle_loop(void) __noreturn;

/* Create a kernel thread that runs @entry(@arg); it starts runnable. */
struct thread *thread_spawn(const char *name, void (*entry)(void *), void *arg);
/*
 * Like thread_spawn, but keep the top @reserve bytes of the new stack
 * free (user threads keep their trap frame there) and do not start the
 * thread: the caller finishes setting it up, then calls thread_start().
 */
struct thread *thread_create(const char *name, void (*entry)(void *),
			     void *arg, size_t reserve);
void thread_start(struct thread *t);
/* Called by schedule() with sched_lock held, right before switching;
 * the process layer switches address space, FPU and TLS state here. */
void sched_arch_switch(struct thread *prev, struct thread *next);
/* End the calling thread. */
void thread_exit(void) __noreturn;
/* The thread running on this CPU. */
static inline struct thread *thread_current(void)
{
	return this_cpu()->current;
}

/* Give up the CPU; the caller stays runnable. */
void sched_yield(void);
/* Switch to the next runnable thread (or idle). */
void schedule(void);
/* ITIMER_VIRTUAL/ITIMER_PROF accounting for the thread that was on the
 * CPU at a tick (process layer; interrupt context). */
void process_itimers_tick(struct thread *t, bool user_mode);
/* Called from the timer interrupt on every tick (interrupts disabled). */
void sched_tick(void);
/* Called from the timer interrupt: charge the tick to the current thread's
 * user or system time sample (interrupts disabled). */
void sched_account_tick(bool user_mode);

/* A consistent snapshot of a thread's CPU-time accounting. */
struct thread_cputime {
	uint64_t runtime_ns;    /* total time on a CPU, including the current run */
	uint64_t user_ticks, system_ticks;
};
void sched_thread_cputime(struct thread *t, struct thread_cputime *out);
/* Number of threads in the system (kernel and user; sysinfo's procs). */
int sched_thread_count(void);

void wait_queue_init(struct wait_queue *wq);
/* Queue the caller on @wq as blocked, with an absolute uptime deadline in
 * ns (0 = none).  Follow with a condition check and schedule(). */
void sched_prepare_wait(struct wait_queue *wq, uint64_t deadline_ns);
/* Leave @wq after waking; returns -ETIMEDOUT if the deadline woke us. */
int sched_finish_wait(struct wait_queue *wq);
/*
 * Queue an extra entry for the current thread on @wq (entry->woken is
 * cleared).  A wakeup of @wq removes it, sets entry->woken and makes the
 * thread runnable if it is blocked.  Remove it (if still queued) with
 * sched_wait_entry_remove before the entry's memory goes away.
 */
void sched_wait_entry_add(struct wait_queue *wq, struct wait_entry *e);
void sched_wait_entry_remove(struct wait_entry *e);
/* Queue the callback entry @e on @wq (at the tail if @exclusive).  It
 * stays until sched_wait_entry_remove; after that returns, @func is not
 * running and will not run again. */
void sched_wait_entry_add_func(struct wait_queue *wq, struct wait_entry *e,
			       wait_func_t func, bool exclusive);
/* True once a wakeup has removed @e (read under sched_lock). */
bool sched_wait_entry_woken(struct wait_entry *e);
/* Wake every thread waiting on @wq / the first one.  Returns how many. */
int sched_wake_all(struct wait_queue *wq);
int sched_wake_one(struct wait_queue *wq);
/* Does @wq have entries?  Read without sched_lock: only meaningful when
 * the caller's own lock orders it against the waiters' check of their
 * condition (they queue first, then check under that lock; see
 * vfs/eventpoll.c). */
static inline bool wait_queue_active(const struct wait_queue *wq)
{
	return READ_ONCE(wq->waiters.next) != &wq->waiters;
}
/* Wake every waiter of @wq, telling callbacks the poll events @key that
 * became ready (POLLIN, POLLOUT, ...), so they can ignore the rest. */
int sched_wake_all_key(struct wait_queue *wq, unsigned key);
/* sched_wake_all_key / sched_wake_one for wait callbacks, which run with
 * sched_lock held. */
int sched_wake_locked(struct wait_queue *wq, unsigned key);
int sched_wake_one_locked(struct wait_queue *wq);
/* @wq is about to be freed: run the callbacks with @key (POLLFREE), then
 * take every entry off it. */
void sched_wake_all_detach(struct wait_queue *wq, unsigned key);

/* Wake @t if it is blocked, wherever it waits (signals use this; every
 * waiter re-checks its condition, so an early wakeup is harmless). */
void sched_wake_thread(struct thread *t);
/* Sleep for at least @ns nanoseconds. */
void sched_sleep_ns(uint64_t ns);

/*
 * Wait until @cond is true or @timeout_ns passes (0: forever).  Evaluates
 * to 0 when the condition holds, -ETIMEDOUT otherwise.
 */
#define wait_event_timeout(wq, cond, timeout_ns)                             \
	({                                                                   \
		uint64_t we_deadline_ = (timeout_ns)                         \
			? clock_uptime_ns() + (timeout_ns) : 0;              \
		int we_ret_ = 0;                                             \
		for (;;) {                                                   \
			sched_prepare_wait((wq), we_deadline_);              \
			if (cond) {                                          \
				sched_finish_wait(wq);                       \
				break;                                       \
			}                                                    \
			schedule();                                          \
			if (sched_finish_wait(wq) == -ETIMEDOUT && !(cond)) { \
				we_ret_ = -ETIMEDOUT;                        \
				break;                                       \
			}                                                    \
		}                                                            \
		we_ret_;                                                     \
	})

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_held(const struct mutex *m);

#endif
