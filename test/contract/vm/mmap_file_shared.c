/* A MAP_SHARED file mapping writes through to the file; file writes show in the map. */
#include "contract.h"

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	char buf[16];

	CHECK_EQ(write(fd, "hello world", 11), 11);
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK(memcmp(m, "hello world", 11) == 0);
	CHECK_EQ(m[11], 0);	/* the tail of the last page reads as zero */
	memcpy(m, "HELLO", 5);
	CHECK_OK(msync(m, 4096, MS_SYNC));
	CHECK_EQ(pread(fd, buf, 11, 0), 11);
	CHECK(memcmp(buf, "HELLO world", 11) == 0);
	CHECK_EQ(pwrite(fd, "W", 1, 6), 1);
	CHECK_EQ(m[6], 'W');
	/* The mapping survives close of the descriptor. */
	close(fd);
	m[0] = 'J';
	CHECK_OK(munmap(m, 4096));
	contract_read_file(contract_path("f"), buf, sizeof(buf));
	CHECK(strcmp(buf, "JELLO World") == 0);
	return 0;
}
