/* openat resolves relative paths against dirfd; AT_FDCWD uses the cwd; ENOTDIR/EBADF for bad dirfds. */
#include "contract.h"

int main(void)
{
	int dir = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	char buf[8];

	int fd = CHECK_OK(openat(dir, "f", O_CREAT | O_WRONLY, 0644));
	CHECK_EQ(write(fd, "at", 2), 2);
	close(fd);
	contract_read_file(contract_path("f"), buf, sizeof(buf));
	CHECK(strcmp(buf, "at") == 0);
	CHECK_OK(chdir(contract_tmpdir()));
	fd = CHECK_OK(openat(AT_FDCWD, "f", O_RDONLY));
	close(fd);
	int file = CHECK_OK(open(contract_path("f"), O_RDONLY));
	CHECK_ERRNO(openat(file, "x", O_RDONLY), ENOTDIR);
	CHECK_ERRNO(openat(9999, "x", O_RDONLY), EBADF);
	/* Absolute paths ignore dirfd, even a bad one. */
	fd = CHECK_OK(openat(9999, "/dev/null", O_RDONLY));
	close(fd);
	/* O_PATH directory descriptors work as dirfd. */
	int pdir = CHECK_OK(open(contract_tmpdir(), O_PATH | O_DIRECTORY));
	fd = CHECK_OK(openat(pdir, "f", O_RDONLY));
	close(fd);
	CHECK_OK(chdir("/"));
	return 0;
}
