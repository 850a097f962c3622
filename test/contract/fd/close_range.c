/* close_range closes a range (CLOSE_RANGE_CLOEXEC only marks it); EINVAL when first > last. */
#include "contract.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int main(void)
{
	for (int i = 20; i < 30; i++)
		CHECK_EQ(dup2(0, i), i);
	CHECK_OK(syscall(SYS_close_range, 22, 25, 0));
	CHECK_OK(fcntl(21, F_GETFD));
	for (int i = 22; i <= 25; i++)
		CHECK_ERRNO(fcntl(i, F_GETFD), EBADF);
	CHECK_OK(fcntl(26, F_GETFD));
	CHECK_OK(syscall(SYS_close_range, 26, 28, CLOSE_RANGE_CLOEXEC));
	CHECK_EQ(fcntl(27, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(29, F_GETFD), 0);
	CHECK_OK(syscall(SYS_close_range, 21, ~0U, 0));
	CHECK_ERRNO(fcntl(29, F_GETFD), EBADF);
	CHECK_OK(fcntl(20, F_GETFD));	/* below the range */
	CHECK_ERRNO(syscall(SYS_close_range, 10, 5, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_close_range, 5, 10, 0x80), EINVAL);
	return 0;
}
