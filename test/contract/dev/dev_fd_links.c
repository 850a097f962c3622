/* /dev/fd, /dev/stdin etc. resolve to the process's descriptors (via /proc/self/fd). */
#include "contract.h"

int main(void)
{
	char buf[16];
	int p[2];

	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "via fd", 6), 6);
	char path[32];
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	int fd = CHECK_OK(open(path, O_RDONLY));
	CHECK_EQ(read(fd, buf, 6), 6);
	CHECK(memcmp(buf, "via fd", 6) == 0);
	struct stat a, b;
	CHECK_OK(stat("/dev/stdin", &a));
	CHECK_OK(fstat(0, &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_EQ(a.st_dev, b.st_dev);
	return 0;
}
