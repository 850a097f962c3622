/* exit status is truncated to 8 bits; exit_group ends all threads. */
#include "contract.h"

int main(void)
{
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		syscall(SYS_exit_group, 257);
	CHECK_EXITED(contract_wait(pid), 1);

	pid = CHECK_OK(fork());
	if (pid == 0)
		syscall(SYS_exit, 255);
	CHECK_EXITED(contract_wait(pid), 255);

	pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(0);
	int st = contract_wait(pid);
	CHECK_EQ(st, 0);
	return 0;
}
