/* /dev/full: writes fail with ENOSPC, reads return zeros. */
#include "contract.h"

int main(void)
{
	char buf[64];
	int fd = CHECK_OK(open("/dev/full", O_RDWR));

	CHECK_ERRNO(write(fd, "x", 1), ENOSPC);
	memset(buf, 1, sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0);
	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 7);
	return 0;
}
