/* sync, syncfs, fsync and fdatasync succeed on files; fsync of a bad fd is EBADF. */
#include "contract.h"

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_EQ(write(fd, "data", 4), 4);
	sync();
	CHECK_OK(fsync(fd));
	CHECK_OK(fdatasync(fd));
	CHECK_OK(syncfs(fd));
	CHECK_ERRNO(fsync(-1), EBADF);
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_ERRNO(fsync(p[0]), EINVAL);
	char buf[4];
	CHECK_EQ(pread(fd, buf, 4, 0), 4);
	CHECK(memcmp(buf, "data", 4) == 0);
	return 0;
}
