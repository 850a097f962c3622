/* Writing after seeking past EOF creates a hole that reads as zeros; SEEK_DATA/SEEK_HOLE basics. */
#include "contract.h"

#ifndef SEEK_DATA
#define SEEK_DATA 3
#define SEEK_HOLE 4
#endif

int main(void)
{
	char buf[100];
	struct stat st;
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_EQ(lseek(fd, 100000, SEEK_SET), 100000);
	CHECK_EQ(write(fd, "end", 3), 3);
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 100003);
	CHECK_EQ(pread(fd, buf, sizeof(buf), 50000), sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0);
	/* The end of the file is always a hole for SEEK_HOLE. */
	CHECK_EQ(lseek(fd, 100000, SEEK_HOLE), 100003);
	off_t d = lseek(fd, 0, SEEK_DATA);
	CHECK(d >= 0 && d <= 100000);
	CHECK_ERRNO(lseek(fd, 100003, SEEK_DATA), ENXIO);
	return 0;
}
