/* SA_RESETHAND: the disposition reverts to SIG_DFL on delivery. */
#include "contract.h"

static volatile int calls;

static void handler(int sig)
{
	calls++;
}

static int child(void *arg)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESETHAND }, cur;

	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	if (calls != 1)
		return 1;
	sigaction(SIGUSR1, NULL, &cur);
	if (cur.sa_handler != SIG_DFL)
		return 2;
	raise(SIGUSR1);	/* default action: terminate */
	return 3;
}

int main(void)
{
	CHECK_SIGNALED(contract_run_child(child, NULL), SIGUSR1);
	return 0;
}
