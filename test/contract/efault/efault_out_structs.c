/* Output structures at bad addresses: stat, fstat, pipe, gettimeofday, clock_gettime, uname, getrusage. */
#include "contract.h"

int main(void)
{
	void *bad = contract_unmapped_page();
	int fd = CHECK_OK(open("/dev/null", O_RDONLY));

	CHECK_ERRNO(syscall(SYS_fstat, fd, bad), EFAULT);
	CHECK_ERRNO(syscall(SYS_stat, "/", bad), EFAULT);
	CHECK_ERRNO(syscall(SYS_pipe, bad), EFAULT);
	CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad), EFAULT);
	CHECK_ERRNO(syscall(SYS_getrusage, RUSAGE_SELF, bad), EFAULT);
	CHECK_ERRNO(syscall(SYS_getcwd, bad, 100), EFAULT);
	CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, bad, 8), EFAULT);
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, bad, NULL, 8), EFAULT);
	CHECK_ERRNO(syscall(SYS_getrlimit, RLIMIT_NOFILE, bad), EFAULT);
	CHECK_ERRNO(syscall(SYS_getdents64, CHECK_OK(open("/", O_RDONLY)), bad, 4096), EFAULT);
	/* A child's status written to a bad address. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(3);
	contract_msleep(20);
	CHECK_ERRNO(syscall(SYS_wait4, pid, bad, 0, NULL), EFAULT);
	return 0;
}
