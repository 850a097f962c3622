/* The main stack grows on demand well beyond its initial pages (within RLIMIT_STACK). */
#include "contract.h"

/* Each level keeps a 16 KiB frame alive across the recursive call. */
static int depth(int n, volatile char *prev)
{
	volatile char frame[16 * 1024];
	int r;

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)n;
	if (prev && prev[0] != (char)(n + 1))
		return -1000;
	r = n == 0 ? 0 : 1 + depth(n - 1, frame);
	if (frame[sizeof(frame) - 1] != (char)n)
		return -1000;
	return r;
}

int main(void)
{
	struct rlimit rl;

	CHECK_OK(getrlimit(RLIMIT_STACK, &rl));
	CHECK(rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (4UL << 20));
	/* 2 MiB of stack frames. */
	CHECK_EQ(depth(128, NULL), 128);
	return 0;
}
