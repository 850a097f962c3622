/* Writing with no reader raises SIGPIPE; with SIGPIPE ignored, write fails with EPIPE. */
#include "contract.h"

static int child(void *arg)
{
	int p[2];

	if (pipe(p))
		return 1;
	close(p[0]);
	if (*(int *)arg)
		signal(SIGPIPE, SIG_IGN);
	errno = 0;
	if (write(p[1], "x", 1) != -1 || errno != EPIPE)
		return 2;
	return 0;
}

int main(void)
{
	int ignore = 0;

	CHECK_SIGNALED(contract_run_child(child, &ignore), SIGPIPE);
	ignore = 1;
	CHECK_EXITED(contract_run_child(child, &ignore), 0);
	return 0;
}
