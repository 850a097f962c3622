/* F_DUPFD/F_DUPFD_CLOEXEC return the lowest free fd >= arg. */
#include "contract.h"

int main(void)
{
	int fd = CHECK_OK(open("/dev/null", O_RDONLY));

	CHECK_EQ(fcntl(fd, F_DUPFD, 20), 20);
	CHECK_EQ(fcntl(fd, F_DUPFD, 20), 21);
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	CHECK_EQ(fcntl(20, F_GETFD), 0);
	CHECK_EQ(fcntl(fd, F_DUPFD_CLOEXEC, 20), 22);
	CHECK_EQ(fcntl(22, F_GETFD), FD_CLOEXEC);
	close(21);
	/* fd was the lowest free slot, so everything below it is in use. */
	CHECK_EQ(fcntl(fd, F_DUPFD, 0), fd + 1);
	CHECK_ERRNO(fcntl(fd, F_DUPFD, -1), EINVAL);
	CHECK_ERRNO(fcntl(1000, F_DUPFD, 0), EBADF);
	CHECK_ERRNO(fcntl(fd, 12345), EINVAL);
	return 0;
}
