/* read/write/pread/pwrite/readv with bad buffers return EFAULT and never crash. */
#include "contract.h"

int main(void)
{
	int p[2];
	char *bad = contract_unmapped_page();
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_ERRNO(syscall(SYS_pread64, fd, bad, 10, 0), EFAULT);
	CHECK_ERRNO(syscall(SYS_pwrite64, fd, bad, 10, 0), EFAULT);
	CHECK_ERRNO(syscall(SYS_pread64, fd, (void *)1, 10, 0), EFAULT);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_ERRNO(syscall(SYS_read, fd, (void *)1, 10), EFAULT);
	CHECK_OK(pipe(p));
	CHECK_ERRNO(syscall(SYS_write, p[1], bad, 10), EFAULT);
	CHECK_EQ(write(p[1], "abc", 3), 3);
	CHECK_ERRNO(syscall(SYS_read, p[0], bad, 3), EFAULT);
	/* Kernel addresses are bad user pointers too. */
	CHECK_ERRNO(syscall(SYS_read, p[0], (void *)0xffff800000000000UL, 3), EFAULT);
	CHECK_ERRNO(syscall(SYS_readv, fd, bad, 1), EFAULT);
	struct { void *base; size_t len; } iov = { bad, 4 };
	CHECK_ERRNO(syscall(SYS_preadv, fd, &iov, 1, 0, 0), EFAULT);
	/* A buffer that starts mapped and runs into an unmapped page: partial transfer. */
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(two != MAP_FAILED);
	CHECK_OK(munmap(two + 4096, 4096));
	CHECK_EQ(pread(fd, two + 4096 - 4, 10, 0), 4);
	CHECK(memcmp(two + 4092, "0123", 4) == 0);
	return 0;
}
