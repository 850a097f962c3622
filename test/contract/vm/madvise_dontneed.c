/* MADV_DONTNEED: private anonymous pages read back as zero; shared file pages re-read the file. */
#include "contract.h"

int main(void)
{
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	memset(p, 7, 4 * 4096);
	CHECK_OK(madvise(p + 4096, 2 * 4096, MADV_DONTNEED));
	CHECK_EQ(p[0], 7);
	CHECK_EQ(p[4096], 0);
	CHECK_EQ(p[3 * 4096 - 1], 0);
	CHECK_EQ(p[3 * 4096], 7);

	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	CHECK_EQ(write(fd, "file", 4), 4);
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	m[0] = 'F';
	CHECK_OK(madvise(m, 4096, MADV_DONTNEED));
	CHECK_EQ(m[0], 'F');	/* shared data is not lost */
	/* Private file mapping: the private copy is dropped, the file shows again. */
	char *pm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(pm != MAP_FAILED);
	pm[1] = 'X';
	CHECK_OK(madvise(pm, 4096, MADV_DONTNEED));
	CHECK_EQ(pm[1], 'i');
	CHECK_ERRNO(madvise(p + 1, 4096, MADV_DONTNEED), EINVAL);
	CHECK_ERRNO(madvise(p, 4096, 12345), EINVAL);
	return 0;
}
