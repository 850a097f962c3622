/* rt_sigqueueinfo to another process with si_code >= 0 (kernel codes) is EPERM, even for root. */
#include "contract.h"

int main(void)
{
	siginfo_t si;
	int p[2];
	char c;

	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		write(p[1], "r", 1);
		pause();
		_exit(0);
	}
	CHECK_EQ(read(p[0], &c, 1), 1);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGTERM;
	si.si_code = SI_USER;
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, pid, SIGTERM, &si), EPERM);
	si.si_code = SI_KERNEL;
	CHECK_ERRNO(syscall(SYS_rt_sigqueueinfo, pid, SIGTERM, &si), EPERM);
	si.si_code = SI_QUEUE;
	CHECK_OK(syscall(SYS_rt_sigqueueinfo, pid, SIGTERM, &si));
	CHECK_SIGNALED(contract_wait(pid), SIGTERM);
	return 0;
}
