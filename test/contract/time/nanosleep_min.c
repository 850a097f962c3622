/* nanosleep sleeps at least the requested time; EINVAL for bad tv_nsec or negative tv_sec; EFAULT for bad pointers. */
#include "contract.h"

int main(void)
{
	struct timespec req = { 0, 30000000 }, rem;

	for (int i = 0; i < 3; i++) {
		long long t0 = contract_now_ns();
		CHECK_OK(nanosleep(&req, &rem));
		CHECK(contract_now_ns() - t0 >= 30000000LL);
	}
	req.tv_nsec = 1000000000;
	CHECK_ERRNO(nanosleep(&req, NULL), EINVAL);
	req.tv_nsec = -1;
	CHECK_ERRNO(nanosleep(&req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	CHECK_ERRNO(nanosleep(&req, NULL), EINVAL);
	CHECK_ERRNO(syscall(SYS_nanosleep, (void *)1, NULL), EFAULT);
	req.tv_sec = 0;
	CHECK_OK(nanosleep(&req, NULL));	/* zero: returns at once */
	return 0;
}
