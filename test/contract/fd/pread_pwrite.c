/* pread/pwrite use an explicit offset and leave the file offset alone; ESPIPE on pipes; EINVAL if negative. */
#include "contract.h"

int main(void)
{
	char buf[8];
	int p[2];
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_EQ(write(fd, "abcdefgh", 8), 8);
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	CHECK_EQ(pread(fd, buf, 3, 5), 3);
	CHECK(memcmp(buf, "fgh", 3) == 0);
	CHECK_EQ(pwrite(fd, "XY", 2, 0), 2);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 2);
	CHECK_EQ(pread(fd, buf, 8, 0), 8);
	CHECK(memcmp(buf, "XYcdefgh", 8) == 0);
	CHECK_EQ(pread(fd, buf, 8, 100), 0);
	/* pwrite past the end leaves a hole of zeros. */
	CHECK_EQ(pwrite(fd, "Z", 1, 12), 1);
	CHECK_EQ(pread(fd, buf, 5, 8), 5);
	CHECK(memcmp(buf, "\0\0\0\0Z", 5) == 0);
	CHECK_ERRNO(pread(fd, buf, 1, -1), EINVAL);
	CHECK_ERRNO(pwrite(fd, buf, 1, -5), EINVAL);
	CHECK_OK(pipe(p));
	CHECK_ERRNO(pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_ERRNO(pwrite(p[1], buf, 1, 0), ESPIPE);
	return 0;
}
