/* MAP_PRIVATE file mappings: writes are private and never reach the file. */
#include "contract.h"

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	char buf[8];

	CHECK_EQ(write(fd, "abcdefgh", 8), 8);
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK_EQ(m[0], 'a');
	m[0] = 'X';
	CHECK_EQ(pread(fd, buf, 8, 0), 8);
	CHECK_EQ(buf[0], 'a');
	/* A second private mapping sees the file, not the first one's copy. */
	char *m2 = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(m2 != MAP_FAILED);
	CHECK_EQ(m2[0], 'a');
	/* Offset mapping. */
	CHECK_OK(ftruncate(fd, 8192));
	CHECK_EQ(pwrite(fd, "Z", 1, 4096), 1);
	char *m3 = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	CHECK(m3 != MAP_FAILED);
	CHECK_EQ(m3[0], 'Z');
	return 0;
}
