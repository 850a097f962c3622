/* F_GETFL/F_SETFL: O_APPEND and O_NONBLOCK can change; the access mode and O_CREAT-like flags cannot. */
#include "contract.h"

int main(void)
{
	int p[2];
	char c;
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDONLY, 0644));

	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_OK(fcntl(fd, F_SETFL, O_RDWR | O_APPEND));
	int fl = fcntl(fd, F_GETFL);
	CHECK_EQ(fl & O_ACCMODE, O_RDONLY);
	CHECK(fl & O_APPEND);
	CHECK_ERRNO(write(fd, "x", 1), EBADF);
	CHECK_OK(fcntl(fd, F_SETFL, 0));
	CHECK(!(fcntl(fd, F_GETFL) & O_APPEND));

	CHECK_OK(pipe(p));
	CHECK(!(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	CHECK_OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK_ERRNO(read(p[0], &c, 1), EAGAIN);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	/* F_SETFD only keeps FD_CLOEXEC. */
	CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_OK(fcntl(fd, F_SETFD, 0));
	CHECK_EQ(fcntl(fd, F_GETFD), 0);
	CHECK_ERRNO(fcntl(-1, F_GETFL), EBADF);
	return 0;
}
