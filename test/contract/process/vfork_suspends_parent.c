/* vfork: the child shares memory and the parent waits until it _exits. */
#include "contract.h"

static volatile int shared;

int main(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		shared = 1234;
		_exit(3);
	}
	CHECK(pid > 0);
	/* The parent resumes only after the child's _exit, so the write is visible. */
	CHECK_EQ(shared, 1234);
	CHECK_EXITED(contract_wait(pid), 3);
	return 0;
}
