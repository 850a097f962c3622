/* Scheduling attributes (raw calls: musl stubs the sched_*scheduler
 * wrappers out): policies and priority ranges, affinity masks,
 * nice values, SCHED_RESET_ON_FORK, with Linux's errors and permission
 * rules. */
#include "thread_util.h"
#include <sched.h>
#include <sys/resource.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

int main(void)
{
	struct sched_param p = { 0 };
	unsigned long mask[16];
	struct timespec ts;
	unsigned cpu;

	contract_need_root();
	CHECK_EQ(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
	CHECK_EQ(sched_get_priority_max(SCHED_FIFO), 99);
	CHECK_EQ(sched_get_priority_min(SCHED_RR), 1);
	CHECK_EQ(sched_get_priority_max(SCHED_OTHER), 0);
	CHECK_EQ(sched_get_priority_min(SCHED_BATCH), 0);
	CHECK_ERRNO(sched_get_priority_max(42), EINVAL);
	CHECK_ERRNO(syscall(SYS_sched_getscheduler, -1), EINVAL);
	CHECK_ERRNO(syscall(SYS_sched_getscheduler, 0x3fffffff), ESRCH);
	CHECK_OK(syscall(SYS_sched_getparam, 0, &p));
	CHECK_EQ(p.sched_priority, 0);

	/* Priority must fit the policy. */
	p.sched_priority = 0;
	CHECK_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p), EINVAL);
	p.sched_priority = 100;
	CHECK_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_RR, &p), EINVAL);
	p.sched_priority = 5;
	CHECK_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &p), EINVAL);
	CHECK_ERRNO(syscall(SYS_sched_setscheduler, 0, 42, &p), EINVAL);
	CHECK_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL);
	CHECK_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)8), EFAULT);

	/* Root may go real-time and back; RESET_ON_FORK shows in the policy
	 * and gives children SCHED_OTHER. */
	p.sched_priority = 10;
	CHECK_OK(syscall(SYS_sched_setscheduler, 0, SCHED_RR | SCHED_RESET_ON_FORK, &p));
	CHECK_EQ(syscall(SYS_sched_getscheduler, 0), SCHED_RR | SCHED_RESET_ON_FORK);
	p.sched_priority = 0;
	CHECK_OK(syscall(SYS_sched_getparam, 0, &p));
	CHECK_EQ(p.sched_priority, 10);
	CHECK_OK(syscall(SYS_sched_rr_get_interval, 0, &ts));
	CHECK(ts.tv_sec > 0 || ts.tv_nsec > 0);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER ? 0 : 1);
	CHECK_EXITED(contract_wait(pid), 0);
	p.sched_priority = 0;
	CHECK_OK(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &p));
	CHECK_EQ(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);

	/* Affinity: the raw call returns the kernel's mask size; the CPU we
	 * run on is in the mask; an empty mask is invalid. */
	memset(mask, 0, sizeof(mask));
	long size = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	CHECK(size >= 8 && size % 8 == 0 && size <= (long)sizeof(mask));
	CHECK_OK(syscall(SYS_getcpu, &cpu, NULL, NULL));
	CHECK(mask[cpu / 64] & (1UL << (cpu % 64)));
	CHECK_ERRNO(syscall(SYS_sched_getaffinity, 0, 4, mask), EINVAL);
	CHECK_ERRNO(syscall(SYS_sched_getaffinity, 0, 12, mask), EINVAL);
	CHECK_ERRNO(syscall(SYS_sched_getaffinity, 0x3fffffff, sizeof(mask), mask), ESRCH);
	CHECK_OK(syscall(SYS_sched_setaffinity, 0, sizeof(mask), mask));
	unsigned long none[16] = { 0 };
	CHECK_ERRNO(syscall(SYS_sched_setaffinity, 0, sizeof(none), none), EINVAL);

	/* Nice values: the raw getpriority returns 20 - nice. */
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 5));
	errno = 0;
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 5);
	CHECK_EQ(syscall(SYS_getpriority, PRIO_PROCESS, 0), 15);
	CHECK_ERRNO(setpriority(42, 0, 0), EINVAL);
	CHECK_ERRNO(setpriority(PRIO_PROCESS, 0x3fffffff, 0), ESRCH);
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 100));    /* clamped to 19 */
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 19);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_drop_privs();
		if (getpriority(PRIO_PROCESS, 0) != 19)
			_exit(1);
		/* Raising the nice value is fine, lowering it needs
		 * privilege (RLIMIT_NICE is 0). */
		struct rlimit rl = { 0, 0 };
		setrlimit(RLIMIT_NICE, &rl);
		if (setpriority(PRIO_PROCESS, 0, 10) != -1 || errno != EACCES)
			_exit(2);
		p.sched_priority = 1;
		if (syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p) != -1 ||
		    errno != EPERM)
			_exit(3);
		/* Someone else's process: EPERM. */
		if (setpriority(PRIO_PROCESS, 1, 19) != -1 || errno != EPERM)
			_exit(4);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_OK(setpriority(PRIO_PROCESS, 0, 0));
	return 0;
}
