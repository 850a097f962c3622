/* MAP_FIXED_NOREPLACE with files: EEXIST on any overlap, leaving the old mapping intact. */
#include "contract.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_OK(ftruncate(fd, 2 * 4096));
	CHECK_EQ(pwrite(fd, "AB", 2, 0), 2);
	CHECK_EQ(pwrite(fd, "CD", 2, 4096), 2);
	char *area = mmap(NULL, 4 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(area != MAP_FAILED);
	CHECK_OK(munmap(area, 4 * 4096));

	char *m = mmap(area + 4096, 2 * 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	CHECK(m == area + 4096);
	CHECK_EQ(m[0], 'A');
	/* Exact, partial below, partial above, containing. */
	CHECK_ERRNO(mmap(m, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0), EEXIST);
	CHECK_ERRNO(mmap(area, 2 * 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0),
		    EEXIST);
	CHECK_ERRNO(mmap(area + 2 * 4096, 2 * 4096, PROT_READ,
			 MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0), EEXIST);
	CHECK_ERRNO(mmap(area, 4 * 4096, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	CHECK_EQ(m[0], 'A');
	CHECK_EQ(m[4096], 'C');
	m[1] = 'b';
	char buf[2];
	CHECK_EQ(pread(fd, buf, 2, 0), 2);
	CHECK(memcmp(buf, "Ab", 2) == 0);
	/* Next to it is free. */
	char *n = mmap(area + 3 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 4096);
	CHECK(n == area + 3 * 4096);
	CHECK_EQ(n[0], 'C');
	CHECK_ERRNO(mmap((char *)area + 1, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0),
		    EINVAL);
	/* Not a flag MAP_SHARED_VALIDATE knows for files. */
	CHECK_ERRNO(mmap(area, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, fd, 0),
		    EOPNOTSUPP);
	CHECK_EQ(m[0], 'A');
	return 0;
}
