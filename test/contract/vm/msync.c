/* msync: argument errors, holes give ENOMEM, MS_SYNC on a shared file mapping. */
#include "contract.h"

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	char buf[8];

	CHECK_OK(ftruncate(fd, 3 * 4096));
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	memcpy(m + 4096, "synced", 6);
	CHECK_OK(msync(m, 3 * 4096, MS_SYNC));
	CHECK_EQ(pread(fd, buf, 6, 4096), 6);
	CHECK(memcmp(buf, "synced", 6) == 0);
	CHECK_OK(msync(m, 4096, MS_ASYNC));
	CHECK_OK(msync(m, 4096, MS_INVALIDATE));
	CHECK_OK(msync(m, 4096, MS_SYNC | MS_INVALIDATE));
	CHECK_OK(msync(m, 4096, 0));
	CHECK_OK(msync(m + 4096, 1, MS_SYNC));		/* length rounds up */
	CHECK_OK(msync(m, 0, MS_SYNC));			/* nothing to do */

	CHECK_ERRNO(msync(m, 4096, 8), EINVAL);
	CHECK_ERRNO(msync(m, 4096, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERRNO(syscall(SYS_msync, m + 1, 4096, MS_SYNC), EINVAL);
	/* Anonymous and private memory is fine too. */
	char *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a != MAP_FAILED);
	CHECK_OK(msync(a, 4096, MS_SYNC));

	/* A hole in the range: ENOMEM for every flag combination. */
	CHECK_OK(munmap(m + 4096, 4096));
	CHECK_ERRNO(msync(m, 3 * 4096, MS_SYNC), ENOMEM);
	CHECK_ERRNO(msync(m, 3 * 4096, MS_ASYNC), ENOMEM);
	CHECK_ERRNO(msync(m, 3 * 4096, MS_INVALIDATE), ENOMEM);
	CHECK_ERRNO(msync(m + 4096, 4096, MS_SYNC), ENOMEM);
	/* The pages around the hole were still synced. */
	memcpy(m + 2 * 4096, "after", 5);
	CHECK_ERRNO(msync(m, 3 * 4096, MS_SYNC), ENOMEM);
	CHECK_EQ(pread(fd, buf, 5, 2 * 4096), 5);
	CHECK(memcmp(buf, "after", 5) == 0);
	CHECK_ERRNO(syscall(SYS_msync, 0xffff800000000000UL, 4096, MS_SYNC), ENOMEM);
	return 0;
}
