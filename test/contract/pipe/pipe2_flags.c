/* pipe2 honours O_CLOEXEC and O_NONBLOCK on both ends and rejects other flags. */
#include "contract.h"

int main(void)
{
	int p[2];
	char c;

	CHECK_OK(pipe2(p, O_CLOEXEC | O_NONBLOCK));
	CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	CHECK_ERRNO(read(p[0], &c, 1), EAGAIN);
	CHECK_OK(pipe2(p, 0));
	CHECK_EQ(fcntl(p[0], F_GETFD), 0);
	CHECK_ERRNO(pipe2(p, O_APPEND), EINVAL);
	CHECK_ERRNO(syscall(SYS_pipe2, (void *)1, 0), EFAULT);
	/* The read end is not writable and vice versa. */
	CHECK_ERRNO(write(p[0], "x", 1), EBADF);
	CHECK_ERRNO(read(p[1], &c, 1), EBADF);
	return 0;
}
