/* EFAULT from nanosleep, sigaltstack, setitimer, sigprocmask set, select/poll sets, execve argv. */
#include "contract.h"

int main(void)
{
	void *bad = contract_unmapped_page();
	char *argv_bad[] = { "x", bad, NULL };

	CHECK_ERRNO(syscall(SYS_nanosleep, bad, NULL), EFAULT);
	CHECK_ERRNO(syscall(SYS_setitimer, ITIMER_REAL, bad, NULL), EFAULT);
	CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad, NULL, 8), EFAULT);
	CHECK_ERRNO(syscall(SYS_select, 1, bad, NULL, NULL, NULL), EFAULT);
	CHECK_ERRNO(syscall(SYS_poll, bad, 1, 0), EFAULT);
	CHECK_ERRNO(syscall(SYS_execve, "/proc/self/exe", argv_bad, NULL), EFAULT);
	CHECK_ERRNO(syscall(SYS_execve, "/proc/self/exe", bad, NULL), EFAULT);
	CHECK_ERRNO(syscall(SYS_uname, bad), EFAULT);
	if (geteuid() == 0)
		CHECK_ERRNO(syscall(SYS_sethostname, bad, 4), EFAULT);
	return 0;
}
