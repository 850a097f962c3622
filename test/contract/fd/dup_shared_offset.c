/* dup'd descriptors share the offset and status flags but not FD_CLOEXEC. */
#include "contract.h"

int main(void)
{
	char c;
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR | O_CLOEXEC, 0644));

	CHECK_EQ(write(fd, "abcdef", 6), 6);
	int d = CHECK_OK(dup(fd));
	CHECK(d != fd);
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	CHECK_EQ(read(d, &c, 1), 1);
	CHECK_EQ(c, 'c');
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(d, F_GETFD), 0);
	CHECK_OK(fcntl(d, F_SETFL, O_APPEND));
	CHECK(fcntl(fd, F_GETFL) & O_APPEND);
	/* Closing one leaves the other working. */
	CHECK_OK(close(fd));
	CHECK_EQ(read(d, &c, 1), 1);
	CHECK_EQ(c, 'd');
	CHECK_ERRNO(dup(fd), EBADF);
	return 0;
}
