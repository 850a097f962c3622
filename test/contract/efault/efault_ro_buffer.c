/* The kernel must not write into read-only user memory: read into a PROT_READ page is EFAULT. */
#include "contract.h"

int main(void)
{
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = CHECK_OK(open("/dev/zero", O_RDONLY));
	struct stat st;

	CHECK(ro != MAP_FAILED);
	CHECK_ERRNO(syscall(SYS_read, fd, ro, 16), EFAULT);
	CHECK_ERRNO(syscall(SYS_fstat, fd, ro), EFAULT);
	CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_REALTIME, ro), EFAULT);
	/* Text of the program is read-only too. */
	CHECK_ERRNO(syscall(SYS_read, fd, (void *)main, 16), EFAULT);
	/* Reading from it as a source is fine. */
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], ro, 16), 16);
	(void)st;
	return 0;
}
