/*
 * Resource-limit rules: Linux's default limits for init and the checks
 * setrlimit(2)/prlimit(2) apply before changing a limit (kernel/sys.c
 * do_prlimit).  Pure functions; the system calls are in rlimit_syscalls.c.
 */
#include "process/resource.h"
#include "include/errno.h"

#define PAGE_BYTES 4096ULL
#define THREAD_STACK_BYTES (16ULL * 1024)  /* THREAD_SIZE on x86_64 */
#define MIN_THREADS 20ULL
#define MAX_THREADS 0x3fffffffULL           /* FUTEX_TID_MASK */
#define STACK_LIMIT (8ULL * 1024 * 1024)    /* _STK_LIM */
#define MLOCK_LIMIT (8ULL * 1024 * 1024)    /* since Linux 5.16 */
#define MQ_BYTES_MAX 819200ULL
#define INR_OPEN_CUR 1024ULL
#define ISYSCTL_NR_OPEN 4096ULL

/* fork_init()'s max_threads: one eighth of memory for kernel stacks. */
static uint64_t max_threads(uint64_t total_ram_pages)
{
	uint64_t threads;

	if (total_ram_pages > UINT64_MAX / PAGE_BYTES)
		threads = MAX_THREADS;
	else
		threads = total_ram_pages * PAGE_BYTES / (THREAD_STACK_BYTES * 8);
	if (threads < MIN_THREADS)
		threads = MIN_THREADS;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	return threads;
}

void rlimit_init_defaults(struct rlimit64 *limits, uint64_t total_ram_pages)
{
	uint64_t nproc = max_threads(total_ram_pages) / 2;

	for (int i = 0; i < RLIMIT_COUNT; i++)
		limits[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	limits[RLIMIT_STACK].cur = STACK_LIMIT;
	limits[RLIMIT_CORE].cur = 0;
	limits[RLIMIT_NPROC] = (struct rlimit64){ nproc, nproc };
	limits[RLIMIT_NOFILE] = (struct rlimit64){ INR_OPEN_CUR, ISYSCTL_NR_OPEN };
	limits[RLIMIT_MEMLOCK] = (struct rlimit64){ MLOCK_LIMIT, MLOCK_LIMIT };
	limits[RLIMIT_SIGPENDING] = (struct rlimit64){ nproc, nproc };
	limits[RLIMIT_MSGQUEUE] = (struct rlimit64){ MQ_BYTES_MAX, MQ_BYTES_MAX };
	limits[RLIMIT_NICE] = (struct rlimit64){ 0, 0 };
	limits[RLIMIT_RTPRIO] = (struct rlimit64){ 0, 0 };
}

int rlimit_check_change(int resource, const struct rlimit64 *old,
			const struct rlimit64 *new, bool privileged)
{
	if (new->cur > new->max)
		return -EINVAL;
	if (resource == RLIMIT_NOFILE && new->max > SYSCTL_NR_OPEN)
		return -EPERM;
	if (new->max > old->max && !privileged)
		return -EPERM;
	return 0;
}
