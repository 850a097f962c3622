/* dup2 replaces the target (and returns fd when equal); dup3 rejects equal fds and bad flags. */
#include "contract.h"

int main(void)
{
	int a = CHECK_OK(open("/dev/null", O_RDONLY));
	int b = CHECK_OK(open("/dev/zero", O_RDONLY));
	char c = 1;

	CHECK_EQ(dup2(a, a), a);
	CHECK_EQ(dup2(b, a), a);
	CHECK_EQ(read(a, &c, 1), 1);	/* a is /dev/zero now */
	CHECK_EQ(c, 0);
	CHECK_EQ(dup2(a, 50), 50);
	CHECK_EQ(fcntl(50, F_GETFD), 0);
	CHECK_ERRNO(dup2(a, -1), EBADF);
	CHECK_ERRNO(dup2(12345, 51), EBADF);
	CHECK_ERRNO(fcntl(51, F_GETFD), EBADF);	/* target untouched */
	CHECK_ERRNO(dup2(77, 77), EBADF);
	CHECK_ERRNO(dup3(a, a, 0), EINVAL);
	/* Raw syscalls: musl checks some of this itself and skips other checks. */
	CHECK_ERRNO(syscall(SYS_dup3, a, 52, 0x1234), EINVAL);
	CHECK_ERRNO(syscall(SYS_dup3, a, a, 0), EINVAL);
	CHECK_EQ(dup3(a, 52, O_CLOEXEC), 52);
	CHECK_EQ(fcntl(52, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(dup3(b, 52, 0), 52);
	CHECK_EQ(fcntl(52, F_GETFD), 0);
	return 0;
}
