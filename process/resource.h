/*
 * Resource limits and resource usage (getrlimit(2), getrusage(2),
 * times(2)): the user-space structures (x86_64 ABI), Linux's default
 * limits, and CPU-time accounting of threads and processes.
 *
 * CPU time comes from the scheduler (sched_thread_cputime): the exact
 * runtime of each thread, split into user and system time in proportion
 * to the ticks that found it in each mode (Linux's cputime_adjust).  A
 * process's times are those of its exited threads (process.utime_ns and
 * stime_ns) plus those of its live threads; its children's times are
 * added to children_utime_ns/children_stime_ns when they are reaped.
 */
#ifndef PROCESS_RESOURCE_H
#define PROCESS_RESOURCE_H

#include "include/compiler.h"
#include "time/timespec.h"

/* Resource numbers (include/uapi/asm-generic/resource.h). */
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIMIT_COUNT 16         /* RLIM_NLIMITS */

#define RLIM_INFINITY (~0ULL)   /* = RLIM64_INFINITY on x86_64 */
#define SYSCTL_NR_OPEN (1024 * 1024)   /* sysctl fs.nr_open default */

/* Kernel form, also the prlimit64(2) user structure. */
struct rlimit64 {
	uint64_t cur, max;
};

/* getrlimit(2)/setrlimit(2) user structure (unsigned long fields). */
struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};

STATIC_ASSERT(sizeof(struct rlimit) == 16, "rlimit ABI");
STATIC_ASSERT(sizeof(struct rlimit64) == 16, "rlimit64 ABI");

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct rusage {
	struct __kernel_old_timeval ru_utime;
	struct __kernel_old_timeval ru_stime;
	long ru_maxrss;         /* KiB */
	long ru_ixrss, ru_idrss, ru_isrss;
	long ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock;
	long ru_msgsnd, ru_msgrcv, ru_nsignals;
	long ru_nvcsw, ru_nivcsw;
};

STATIC_ASSERT(sizeof(struct rusage) == 144, "rusage ABI");
STATIC_ASSERT(offsetof(struct rusage, ru_maxrss) == 32, "rusage ABI");

struct tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;  /* clock_t */
};

STATIC_ASSERT(sizeof(struct tms) == 32, "tms ABI");

/* ---- pure rules (process/rlimit.c, process/cputime.c) ---- */

/*
 * Fill @limits[RLIMIT_COUNT] with Linux's defaults for init
 * (INIT_RLIMITS, with NPROC and SIGPENDING from fork_init's max_threads
 * for @total_ram_pages of memory).
 */
void rlimit_init_defaults(struct rlimit64 *limits, uint64_t total_ram_pages);
/*
 * May a process change @old to @new?  -EINVAL if cur > max, -EPERM if
 * RLIMIT_NOFILE would exceed SYSCTL_NR_OPEN or the hard limit would rise
 * without CAP_SYS_RESOURCE (@privileged), else 0 (do_prlimit's checks).
 */
int rlimit_check_change(int resource, const struct rlimit64 *old,
			const struct rlimit64 *new, bool privileged);
/*
 * Split an exact runtime into user and system time in proportion to the
 * tick samples (cputime_adjust): all user time if no system tick was seen,
 * all system time if no user tick was.
 */
void cputime_split(uint64_t runtime_ns, uint64_t user_ticks,
		   uint64_t system_ticks, uint64_t *utime_ns, uint64_t *stime_ns);
/* Build an rusage with only the times filled in. */
void rusage_from_times(struct rusage *ru, uint64_t utime_ns, uint64_t stime_ns);

/* ---- kernel (process/rusage.c, process/rlimit_syscalls.c) ---- */

struct process;
struct thread;

/*
 * Default limits for the first process; the lead calls it from
 * process_create_init() (fork copies the parent's limits).  Returns 0.
 */
int process_rlimit_default(struct rlimit64 *limits);

/* CPU time of one thread: total, and split into user/system. */
uint64_t thread_cpu_time_ns(struct thread *t);
void thread_cpu_times(struct thread *t, uint64_t *utime_ns, uint64_t *stime_ns);
/* CPU time of a whole process (exited and live threads). */
uint64_t process_cpu_time_ns(struct process *p);
void process_cpu_times(struct process *p, uint64_t *utime_ns, uint64_t *stime_ns);
/* Thread exit: add @t's times to its process's utime_ns/stime_ns. */
void process_account_thread_exit(struct process *p, struct thread *t);
/* Reaping @child: add its times and its children's to @parent's
 * children_utime_ns/children_stime_ns (wait4 also reports them). */
void process_account_reap(struct process *parent, struct process *child);
/* The rusage wait4(2) reports for a reaped child (own + its children). */
void process_rusage_of_zombie(struct process *child, struct rusage *ru);

#endif
