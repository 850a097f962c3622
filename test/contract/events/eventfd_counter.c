/* eventfd: 8-byte reads return and reset the counter (EFD_SEMAPHORE: 1 and
 * decrement), writes add; short buffers and UINT64_MAX are EINVAL; an empty
 * counter is EAGAIN with EFD_NONBLOCK; flags land in F_GETFL/F_GETFD. */
#include "contract.h"
#include <sys/eventfd.h>

static uint64_t rd(int fd)
{
	uint64_t v = 0;
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	return v;
}

static void wr(int fd, uint64_t v)
{
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
}

int main(void)
{
	uint64_t v = 1, big[2] = { 0, 0 };
	struct stat st;
	int fd, sem;

	CHECK_ERRNO(eventfd(0, 0x40), EINVAL);
	CHECK_ERRNO(syscall(SYS_eventfd2, 0, EFD_SEMAPHORE | 0x10), EINVAL);

	fd = CHECK_OK(eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC));
	CHECK_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, 0600);             /* an anonymous inode: no type */
	CHECK_EQ(rd(fd), 5);
	CHECK_ERRNO(read(fd, &v, sizeof(v)), EAGAIN);
	wr(fd, 3);
	wr(fd, 4);
	wr(fd, 0);                              /* adds nothing, succeeds */
	CHECK_EQ(rd(fd), 7);

	/* Short buffers; writes take exactly 8 bytes, a longer read buffer
	 * gets 8. */
	CHECK_ERRNO(read(fd, &v, 7), EINVAL);
	CHECK_ERRNO(write(fd, &v, 4), EINVAL);
	big[0] = 9;
	CHECK_ERRNO(write(fd, big, sizeof(big)), EINVAL);
	CHECK_EQ(write(fd, big, 8), 8);
	big[0] = 0;
	big[1] = 0x1234;
	CHECK_EQ(read(fd, big, sizeof(big)), 8);
	CHECK_EQ(big[0], 9);
	CHECK_EQ(big[1], 0x1234);
	v = UINT64_MAX;
	CHECK_ERRNO(write(fd, &v, sizeof(v)), EINVAL);
	CHECK_EQ(lseek(fd, 100, SEEK_SET), 0);  /* accepted, changes nothing */

	/* The counter's limit is UINT64_MAX - 1. */
	wr(fd, UINT64_MAX - 1);
	v = 1;
	CHECK_ERRNO(write(fd, &v, sizeof(v)), EAGAIN);
	wr(fd, 0);
	CHECK_EQ(rd(fd), UINT64_MAX - 1);

	/* Semaphore mode: one at a time. */
	sem = CHECK_OK(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
	CHECK_EQ(fcntl(sem, F_GETFD), 0);
	CHECK_EQ(rd(sem), 1);
	CHECK_EQ(rd(sem), 1);
	CHECK_ERRNO(read(sem, &v, sizeof(v)), EAGAIN);
	wr(sem, 10);
	for (int i = 0; i < 10; i++)
		CHECK_EQ(rd(sem), 1);
	CHECK_ERRNO(read(sem, &v, sizeof(v)), EAGAIN);

	/* The libc wrappers. */
	CHECK_OK(eventfd_write(fd, 6));
	eventfd_t e = 0;
	CHECK_OK(eventfd_read(fd, &e));
	CHECK_EQ(e, 6);
	return 0;
}
