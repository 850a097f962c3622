/* readv/writev gather and scatter in order; EINVAL for a negative or too large iovcnt. */
#include "contract.h"
#include <sys/uio.h>

int main(void)
{
	char a[3], b[5], c[10];
	struct iovec w[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } };
	struct iovec r[3] = { { a, 3 }, { b, 5 }, { c, sizeof(c) } };
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_EQ(writev(fd, w, 3), 8);
	CHECK_EQ(lseek(fd, 1, SEEK_SET), 1);
	CHECK_EQ(readv(fd, r, 3), 7);
	CHECK(memcmp(a, "bcd", 3) == 0);
	CHECK(memcmp(b, "efgh", 4) == 0);
	CHECK_EQ(preadv(fd, r, 1, 5), 3);
	CHECK(memcmp(a, "fgh", 3) == 0);
	CHECK_EQ(pwritev(fd, w, 1, 8), 3);
	CHECK_EQ(lseek(fd, 0, SEEK_END), 11);
	/* Raw syscalls: the compiler rejects these argument values. */
	CHECK_ERRNO(syscall(SYS_readv, fd, r, -1), EINVAL);
	CHECK_ERRNO(syscall(SYS_writev, fd, w, 1025), EINVAL);
	CHECK_EQ(writev(fd, w, 0), 0);
	return 0;
}
