/* read/write advance the file offset; reading at EOF returns 0; short reads at the end. */
#include "contract.h"

int main(void)
{
	char buf[16];
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_EQ(write(fd, "hello", 5), 5);
	CHECK_EQ(write(fd, " world", 6), 6);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 11);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(lseek(fd, 6, SEEK_SET), 6);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "J", 1), 1);
	CHECK_EQ(read(fd, buf, 4), 4);
	CHECK(memcmp(buf, "ello", 4) == 0);
	return 0;
}
