/* times() returns increasing clock ticks and the CPU time of waited-for children. */
#include "contract.h"
#include <sys/times.h>

int main(void)
{
	struct tms t0, t1;
	clock_t c0 = times(&t0);

	CHECK(c0 != (clock_t)-1);
	CHECK_EQ(t0.tms_cutime + t0.tms_cstime, 0);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_burn_cpu(60);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	clock_t c1 = times(&t1);
	CHECK(c1 >= c0 + 3);	/* at least 60 ms of 100 Hz ticks passed */
	CHECK(t1.tms_cutime + t1.tms_cstime >= 3);	/* 60 ms of CPU */
	CHECK_EQ(sysconf(_SC_CLK_TCK), 100);
	return 0;
}
