/* Process and thread CPU clocks advance with work and not while sleeping. */
#include "contract.h"

static long long cpu_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	long long c0 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	contract_msleep(50);
	long long c1 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(c1 - c0 < 20000000LL);
	/* Spinning uses CPU time (measured by the clock itself, so a slow
	 * or preempted CPU only makes this take longer). */
	CHECK(contract_burn_cpu(30) >= 30000000LL);
	long long c2 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(c2 - c1 >= 30000000LL);
	CHECK(cpu_ns(CLOCK_THREAD_CPUTIME_ID) >= 20000000LL);
	/* The CPU clock of another process via clock_getcpuclockid. */
	clockid_t cid;
	CHECK_EQ(clock_getcpuclockid(getpid(), &cid), 0);
	CHECK(cpu_ns(cid) >= c2);
	return 0;
}
