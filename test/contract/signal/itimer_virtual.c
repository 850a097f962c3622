/* ITIMER_VIRTUAL counts user CPU time: a busy loop gets SIGVTALRM; ITIMER_PROF gets SIGPROF. */
#include "contract.h"

static volatile int vt, prof;
static volatile unsigned long sink;

static void handler(int sig)
{
	if (sig == SIGVTALRM)
		vt++;
	else
		prof++;
}

int main(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };

	signal(SIGVTALRM, handler);
	signal(SIGPROF, handler);
	CHECK_OK(setitimer(ITIMER_VIRTUAL, &it, NULL));
	CHECK_OK(setitimer(ITIMER_PROF, &it, NULL));
	/* Sleeping does not consume CPU time. */
	contract_msleep(50);
	CHECK_EQ(vt, 0);
	long long end = contract_now_ns() + 3000000000LL;
	while ((!vt || !prof) && contract_now_ns() < end)
		sink++;
	CHECK_EQ(vt, 1);
	CHECK_EQ(prof, 1);
	return 0;
}
