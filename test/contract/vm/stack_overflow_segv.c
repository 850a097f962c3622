/* Unbounded recursion ends in SIGSEGV, not a hang or a kernel crash. */
#include "contract.h"

static volatile int limit = 1 << 30;	/* opaque: the recursion "may" end */

static int recurse(volatile char *p, int n)
{
	volatile char buf[4096];

	buf[0] = p ? p[0] + 1 : 0;
	if (n >= limit)
		return 0;
	return recurse(buf, n + 1) + buf[1];
}

static int child(void *arg)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };

	setrlimit(RLIMIT_STACK, &rl);
	return recurse(NULL, 0);
}

int main(void)
{
	CHECK_SIGNALED(contract_run_child(child, NULL), SIGSEGV);
	return 0;
}
