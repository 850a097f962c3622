/* Setting the clock needs privilege (EPERM for others); MONOTONIC cannot be set at all (EINVAL). */
#include "contract.h"

static int child(void *arg)
{
	struct timespec ts;

	contract_drop_privs();
	clock_gettime(CLOCK_REALTIME, &ts);
	errno = 0;
	if (clock_settime(CLOCK_REALTIME, &ts) != -1 || errno != EPERM)
		return 1;
	struct timeval tv = { ts.tv_sec, 0 };
	errno = 0;
	if (settimeofday(&tv, NULL) != -1 || errno != EPERM)
		return 2;
	return 0;
}

int main(void)
{
	struct timespec ts;

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &ts));
	CHECK_ERRNO(clock_settime(CLOCK_MONOTONIC, &ts), EINVAL);
	contract_need_root();
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
