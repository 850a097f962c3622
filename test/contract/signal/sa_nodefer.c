/* Without SA_NODEFER a signal raised in its own handler waits; with it, it nests. */
#include "contract.h"

static volatile int depth, max_depth, calls;

static void handler(int sig)
{
	depth++;
	calls++;
	if (depth > max_depth)
		max_depth = depth;
	if (calls == 1)
		raise(sig);
	depth--;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = handler };

	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	raise(SIGUSR1);
	CHECK_EQ(calls, 2);
	CHECK_EQ(max_depth, 1);

	calls = max_depth = 0;
	sa.sa_flags = SA_NODEFER;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	raise(SIGUSR1);
	CHECK_EQ(calls, 2);
	CHECK_EQ(max_depth, 2);
	return 0;
}
