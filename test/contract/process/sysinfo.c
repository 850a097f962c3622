/* sysinfo: plausible uptime, memory and process counts. */
#include "contract.h"
#include <sys/sysinfo.h>

int main(void)
{
	struct sysinfo si;

	CHECK_OK(sysinfo(&si));
	CHECK((long)si.uptime >= 0);
	CHECK(si.mem_unit >= 1);
	CHECK(si.totalram > 0);
	CHECK(si.freeram <= si.totalram);
	CHECK((unsigned long long)si.totalram * si.mem_unit >= 16ULL << 20);
	CHECK(si.procs >= 1);
	struct timespec ts;
	CHECK_OK(clock_gettime(CLOCK_BOOTTIME, &ts));
	long diff = (long)ts.tv_sec - (long)si.uptime;
	CHECK(diff >= -2 && diff <= 2);
	CHECK_ERRNO(syscall(SYS_sysinfo, (void *)1), EFAULT);
	return 0;
}
