/* A shared anonymous mapping is shared with a forked child in both directions. */
#include "contract.h"

int main(void)
{
	volatile int *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	p[0] = 1;
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		if (p[0] != 1)
			_exit(1);
		p[1] = 42;
		while (p[2] != 7)
			;
		_exit(0);
	}
	long long end = contract_now_ns() + 5000000000LL;
	while (p[1] != 42 && contract_now_ns() < end)
		;
	CHECK_EQ(p[1], 42);
	p[2] = 7;
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
