/*
 * Processes and user threads (Linux model): a process is a thread group
 * sharing one address space, file table, fs context (root, cwd, umask),
 * credentials and signal handlers; each user thread is a sched thread
 * with a struct process pointer and its own signal mask and TLS base.
 *
 * Process lifecycle: created by fork/clone (or process_create_init),
 * runs, exits to a zombie that keeps its exit status until the parent
 * reaps it with wait4/waitid; orphans are reparented to init (pid 1).
 *
 * Locking legend: [I] immutable after creation, [T] process_tree_lock
 * (the parent/child tree, pgid/sid, exit state), [S] the sighand lock.
 */
#ifndef PROCESS_PROCESS_H
#define PROCESS_PROCESS_H

#include "include/compiler.h"
#include "include/list.h"
#include "sched/sched.h"
#include "process/cred.h"           /* struct cred */
#include "process/resource.h"       /* struct rlimit64, RLIMIT_COUNT */
#include "process/abi.h"
#include "time/clock.h"
#include "include/errno.h"

#define COMM_LEN 16
#define NSIG 64                 /* signals 1..64 */

typedef uint64_t sigset_t;      /* bit (sig - 1) */

struct mm;              /* address space (mm/uvm.h) */
struct fdtable;         /* open files (vfs/) */
struct fs_struct;       /* root, cwd, umask (vfs/) */
struct sighand;         /* signal handlers (process/signal.c) */
struct tty;             /* controlling terminal (tty/) */
struct sem_undo_list;   /* System V semaphore undo (ipc/sem.c) */

enum process_state {
	PROCESS_ALIVE,
	PROCESS_ZOMBIE,         /* exited, waiting to be reaped */
	PROCESS_DEAD,           /* reaped */
};

/* siginfo_t as the kernel writes it (asm-generic/siginfo.h), 128 bytes. */
struct ksiginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad0;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
			uint64_t value;         /* sigval for rt signals */
		} kill;
		struct {
			uint64_t addr;
			uint16_t addr_lsb;
		} fault;
		struct {
			int32_t pid;
			uint32_t uid;
			int32_t status;
			int32_t pad;
			int64_t utime, stime;
		} chld;
		struct {
			int32_t tid;
			int32_t overrun;
			uint64_t value;
		} timer;
		uint8_t raw[112];
	};
};
STATIC_ASSERT(sizeof(struct ksiginfo) == 128, "siginfo_t is 128 bytes");

/* Signals waiting for delivery: a set plus the siginfo of each. */
struct sigpending {
	sigset_t set;
	struct list_node queue;         /* struct sigqueue_entry */
};

struct user_stack {                     /* stack_t */
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

/*
 * The user-mode half of a thread.  Legend: [c] only the thread itself,
 * [S] process->sighand lock.
 */
/* Scheduling attributes of a thread as the sched_* and *priority calls
 * see them (sched_syscalls.c).  The scheduler itself runs every thread
 * round robin today; these are kept and reported as Linux does. */
struct sched_attrs {
	int policy;                     /* SCHED_OTHER, _FIFO, _RR, ... */
	int rt_priority;                /* 1..99 for FIFO/RR, else 0 */
	int nice;                       /* -20..19 */
	bool reset_on_fork;             /* SCHED_RESET_ON_FORK */
	uint64_t affinity;              /* CPU mask */
};

struct user_thread {
	struct thread *thread;          /* [I] */
	struct process *process;        /* [I] */
	struct list_node node;          /* [T] process->threads */
	sigset_t blocked;               /* [S] */
	sigset_t sigwait_set;           /* [S] rt_sigtimedwait is waiting for */
	struct sigpending pending;      /* [S] thread-directed */
	sigset_t saved_mask;            /* [c] sigsuspend/ppoll: restore after */
	bool restore_saved_mask;        /* [c] */
	struct user_stack altstack;     /* [c] sigaltstack */
	uint64_t fs_base, gs_base;      /* [c] TLS (arch_prctl) */
	void *fpu;                      /* [c] XSAVE/FXSAVE area */
	uaddr_t set_child_tid;          /* [c] CLONE_CHILD_SETTID */
	uaddr_t clear_child_tid;        /* [c] CLONE_CHILD_CLEARTID, set_tid_address */
	struct vfork_done *vfork;       /* [c] parent waiting for exec/exit */
	bool exiting;                   /* [S] SIGKILL from exit_group */
	uaddr_t robust_list;            /* [c] set_robust_list */
	struct sched_attrs sched;       /* [T] policy, nice, affinity */
};

struct process {
	int pid;                        /* [I] = tid of the first thread */
	char comm[COMM_LEN];            /* [p] */
	struct process *parent;         /* [T] */
	struct list_node children;      /* [T] struct process.sibling */
	struct list_node sibling;       /* [T] */
	struct list_node threads;       /* [T] struct user_thread.node */
	int thread_count;               /* [T] live threads */
	enum process_state state;       /* [T] */
	int exit_status;                /* [T] wait status (as wait4 sees it) */
	bool stopped;                   /* [T] group stop in effect */
	int pending_stop_report;        /* [T] 0 or status for WUNTRACED */
	bool pending_continue_report;   /* [T] for WCONTINUED */
	int pgid, sid;                  /* [T] */
	struct tty *ctty;               /* [T] controlling terminal */
	struct wait_queue child_wait;   /* children changed state */
	struct wait_queue stop_wait;    /* threads sleeping in a group stop */
	struct wait_queue thread_exit_wait; /* a thread exited (execve waits) */
	struct mm *mm;                  /* [I] until exec replaces it */
	struct fdtable *files;          /* [p] */
	struct fs_struct *fs;           /* [p] */
	struct cred cred;               /* [p] */
	struct sighand *sighand;        /* [p] */
	struct rlimit64 rlimits[RLIMIT_COUNT]; /* [p] */
	uint64_t utime_ns, stime_ns;    /* [p] of exited threads */
	uint64_t children_utime_ns, children_stime_ns; /* [T] reaped children */
	uint64_t start_ns;              /* [I] */
	uint64_t maxrss_kb;             /* [T] peak RSS of address spaces left */
	uint64_t children_maxrss_kb;    /* [T] largest of reaped children */
	struct list_node all_node;      /* [T] list of every process */
	bool did_exec;                  /* [T] setpgid on a child: EACCES */
	int exit_signal;                /* [I] sent to the parent (SIGCHLD) */
	int group_exit_status;          /* [S] exit_group/fatal signal status */
	bool group_exiting;             /* [S] */
	struct sigpending shared;       /* [S] process-directed signals */
	char exe_path[256];             /* [p] for /proc/self/exe */
	struct process_itimers *itimers; /* [p] allocated on first use */
	int pdeath_signal;              /* [p] PR_SET_PDEATHSIG */
	int dumpable;                   /* [p] PR_SET_DUMPABLE */
	bool child_subreaper;           /* [p] PR_SET_CHILD_SUBREAPER */
	bool no_new_privs;              /* [p] PR_SET_NO_NEW_PRIVS */
	/* [ipc/sem.c sem_ids lock] SEM_UNDO adjustments; not inherited. */
	struct sem_undo_list *sysvsem;
};

/*
 * A consistent snapshot of a process, or of one of its threads, for
 * /proc.  mm, fs and files are referenced (NULL for zombies); release
 * them with process_info_put.
 */
struct process_info {
	int pid, tid, ppid, pgid, sid;
	int tty_nr;                     /* Linux encoding, 0: no ctty */
	int tpgid;                      /* foreground pgrp of the ctty, -1 */
	char comm[COMM_LEN];
	char state;                     /* proc(5): R S D T Z */
	bool zombie;
	int num_threads;
	int exit_signal;
	int exit_code;                  /* wait status, zombies only */
	struct cred cred;
	uint64_t utime_ns, stime_ns, cutime_ns, cstime_ns;
	uint64_t start_ns;              /* uptime at creation */
	sigset_t sig_pending, sig_shared_pending, sig_blocked;
	sigset_t sig_ignored, sig_caught;
	int sig_queued;
	struct rlimit64 rlimits[RLIMIT_COUNT];
	char exe_path[256];
	struct mm *mm;
	struct fs_struct *fs;
	struct fdtable *files;
};

/* Snapshot process @pid (thread @tid if non-zero): 0 or -ESRCH. */
int process_info_get(int pid, int tid, struct process_info *info);
void process_info_put(struct process_info *info);
/* Is there a live or zombie process @pid (with thread @tid if non-zero)? */
bool process_exists(int pid, int tid);
/* Up to @max pids (tids of process @pid) greater than @after, ascending;
 * returns how many (-ESRCH if @pid is gone). */
int process_list_pids(int after, int *pids, int max);
int process_list_tids(int pid, int after, int *tids, int max);
/* Call @fn with process_tree_lock held (an irq-safe spinlock: @fn must
 * not sleep; it may take leaf locks such as an fdtable's) on the live or
 * zombie process @pid.  @fn's result, or -ESRCH. */
int process_call_locked(int pid, int (*fn)(struct process *p, void *arg),
			void *arg);
/* User threads in total, and how many are runnable; the highest pid. */
int process_count_states(int *running, int *blocked, int *last_pid);

/* /proc/sys/kernel/randomize_va_space, read by every exec: 0 fixed
 * layout, 1 random stack, mmap base, PIE, interpreter and vDSO, 2 also
 * brk (any value is stored, as Linux's proc_dointvec does). */
int process_randomize_va_space(void);
void process_set_randomize_va_space(int value);

/* Set up FPU state handling, the SYSCALL MSRs and signal delivery. */
void process_init(void);

/* The current user thread, NULL in kernel threads. */
static inline struct user_thread *current_user_thread(void)
{
	struct thread *t = thread_current();

	return t ? t->user : NULL;
}
/* Find a live or zombie process by pid (no reference: caller holds
 * process_tree_lock or accepts the race).  NULL if none. */
struct process *process_find(int pid);
/* The thread @tid of a live process ([T] held), or NULL. */
struct user_thread *process_find_thread(int tid);

/* Create pid 1 from the calling kernel thread context and run @path
 * (execve semantics).  Returns only on failure (-errno). */
int process_run_init(const char *path, char *const argv[], char *const envp[]);

/* Kernel entry points of the process system calls. */
long process_clone(uint64_t flags, uaddr_t newsp, uaddr_t parent_tid,
		   uaddr_t child_tid, uaddr_t tls);
void process_exit_group(int status) __noreturn;
void process_exit_thread(int code) __noreturn;

/* The current thread's process; NULL for kernel threads. */
static inline struct process *current_process(void)
{
	struct user_thread *ut = current_user_thread();

	return ut ? ut->process : NULL;
}

/* Kernel threads' credentials: all ids 0. */
extern const struct cred process_root_cred;

/* The credentials the current thread acts with (root for kernel threads). */
static inline const struct cred *current_cred(void)
{
	struct process *p = current_process();

	return p ? &p->cred : &process_root_cred;
}

/*
 * Signals that interrupt sleeps: true if the current thread has a signal
 * that is pending, not blocked, and would do something (not ignored).
 * Blocking waits check it and return -ERESTARTSYS (or -EINTR).
 */
bool signal_pending(void);
/* Send @sig to a process (any thread may take it) / one thread. */
int signal_send_process(struct process *p, int sig);
int signal_send_pgrp(int pgid, int sig);
/* Block exactly @mask until the current system call returns or a handler
 * runs (sigsuspend, ppoll, pselect6); the old mask comes back then. */
void signal_set_temporary_mask(sigset_t mask);
/* Raise @sig on the current thread (e.g. SIGPIPE from write). */
void signal_raise_current(int sig);

/*
 * signalfd support.  The queue is the current process's (shared with
 * CLONE_SIGHAND threads); it is woken with SIGNAL_POLLIN whenever a signal
 * is queued, and with SIGNAL_POLLFREE (every entry then taken off) when
 * the signal handlers go away.
 */
#define SIGNAL_POLLIN 0x0001            /* POLLIN */
#define SIGNAL_POLLFREE 0x4000          /* POLLFREE */
struct wait_queue *signal_fd_wait_queue(void);
/* Signals pending for the current thread or its process. */
sigset_t signal_pending_set(void);
/* Take the first pending signal in @set (the thread's own first, then the
 * process's; SIGKILL and SIGSTOP never), blocked or not: its number and
 * siginfo, or 0 if none. */
int signal_dequeue_set(sigset_t set, struct ksiginfo *info);

/*
 * Like wait_event_timeout, but a pending signal ends the wait with
 * -ERESTARTSYS (the system call is then restarted or fails with EINTR).
 */
#define wait_event_interruptible_timeout(wq, cond, timeout_ns)              \
	({                                                                  \
		uint64_t wi_deadline_ = (timeout_ns)                        \
			? clock_uptime_ns() + (timeout_ns) : 0;             \
		int wi_ret_ = 0;                                            \
		for (;;) {                                                  \
			sched_prepare_wait((wq), wi_deadline_);             \
			if (cond) {                                         \
				sched_finish_wait(wq);                      \
				break;                                      \
			}                                                   \
			if (signal_pending()) {                             \
				sched_finish_wait(wq);                      \
				wi_ret_ = -ERESTARTSYS;                     \
				break;                                      \
			}                                                   \
			schedule();                                         \
			if (sched_finish_wait(wq) == -ETIMEDOUT && !(cond)) { \
				wi_ret_ = -ETIMEDOUT;                       \
				break;                                      \
			}                                                   \
		}                                                           \
		wi_ret_;                                                    \
	})
#define wait_event_interruptible(wq, cond) \
	wait_event_interruptible_timeout(wq, cond, 0)

#endif
