/* waitpid(-pgid) and waitpid(0) select children by process group. */
#include "contract.h"

int main(void)
{
	int st;
	pid_t a = CHECK_OK(fork());

	if (a == 0) {
		setpgid(0, 0);
		contract_msleep(20);
		_exit(1);
	}
	setpgid(a, a);
	pid_t b = CHECK_OK(fork());
	if (b == 0)
		_exit(2);
	/* Only a is in group a, even though b exits first. */
	CHECK_EQ(waitpid(-a, &st, 0), a);
	CHECK_EXITED(st, 1);
	CHECK_EQ(waitpid(0, &st, 0), b);
	CHECK_EXITED(st, 2);
	CHECK_ERRNO(waitpid(-a, &st, 0), ECHILD);
	return 0;
}
