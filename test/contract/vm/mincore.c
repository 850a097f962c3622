/* mincore: one byte per page, 1 when resident (file pages: in the page cache). */
#include "contract.h"

int main(void)
{
	unsigned char vec[8];
	char *a = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(a != MAP_FAILED);
	memset(vec, 0xff, sizeof(vec));
	CHECK_OK(mincore(a, 4 * 4096, vec));
	for (int i = 0; i < 4; i++)
		CHECK_EQ(vec[i], 0);
	CHECK_EQ(vec[4], 0xff);			/* nothing written past the end */
	a[0] = 1;
	a[2 * 4096] = 1;
	CHECK_OK(mincore(a, 4 * 4096, vec));
	CHECK_EQ(vec[0], 1);
	CHECK_EQ(vec[1], 0);
	CHECK_EQ(vec[2], 1);
	CHECK_EQ(vec[3], 0);
	CHECK_OK(madvise(a, 4096, MADV_DONTNEED));
	CHECK_OK(mincore(a, 3 * 4096 - 100, vec));	/* length rounds up */
	CHECK_EQ(vec[0], 0);
	CHECK_EQ(vec[2], 1);

	/* A file: pages written are in the cache before this mapping touches
	 * them; a hole never written or read is not. */
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	CHECK_OK(ftruncate(fd, 3 * 4096));
	CHECK_EQ(pwrite(fd, "x", 1, 4096), 1);
	char *m = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK_OK(mincore(m, 3 * 4096, vec));
	CHECK_EQ(vec[0], 0);
	CHECK_EQ(vec[1], 1);
	CHECK_EQ(vec[2], 0);
	/* A private mapping of the same file sees the same cache. */
	char *p = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	CHECK(p != MAP_FAILED);
	CHECK_OK(mincore(p, 2 * 4096, vec));
	CHECK_EQ(vec[0], 1);
	CHECK_EQ(vec[1], 0);

	CHECK_OK(mincore(a, 0, vec));
	CHECK_ERRNO(syscall(SYS_mincore, a + 1, 4096, vec), EINVAL);
	CHECK_OK(munmap(a + 4096, 4096));
	CHECK_ERRNO(mincore(a + 4096, 4096, vec), ENOMEM);
	CHECK_ERRNO(mincore(a, 2 * 4096, vec), ENOMEM);	/* runs into the hole */
	CHECK_ERRNO(mincore(a, 4096, (unsigned char *)1), EFAULT);
	CHECK_ERRNO(mincore(a, 4096, (unsigned char *)m), EFAULT);	/* read-only */
	CHECK_ERRNO(syscall(SYS_mincore, 0xffff800000000000UL, 4096, vec), ENOMEM);
	CHECK_ERRNO(syscall(SYS_mincore, a, -4096L, vec), ENOMEM);
	return 0;
}
