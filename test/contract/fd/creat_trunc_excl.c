/* O_CREAT with a mode, O_EXCL (EEXIST), O_TRUNC and creat() truncation. */
#include "contract.h"

int main(void)
{
	const char *f = contract_path("f");
	struct stat st;

	umask(0);
	int fd = CHECK_OK(open(f, O_CREAT | O_EXCL | O_WRONLY, 0640));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0640);
	CHECK_EQ(write(fd, "12345", 5), 5);
	close(fd);
	CHECK_ERRNO(open(f, O_CREAT | O_EXCL | O_RDWR, 0600), EEXIST);
	/* O_CREAT on an existing file keeps it and its mode. */
	fd = CHECK_OK(open(f, O_CREAT | O_RDWR, 0600));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(st.st_mode & 0777, 0640);
	close(fd);
	fd = CHECK_OK(open(f, O_TRUNC | O_WRONLY));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(write(fd, "ab", 2), 2);
	close(fd);
	fd = CHECK_OK(creat(f, 0600));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
	/* O_EXCL without O_CREAT on an existing file is fine; symlink is not followed with O_EXCL. */
	CHECK_OK(symlink(contract_path("target"), contract_path("link")));
	CHECK_ERRNO(open(contract_path("link"), O_CREAT | O_EXCL | O_WRONLY, 0600), EEXIST);
	CHECK_ERRNO(access(contract_path("target"), F_OK), ENOENT);
	return 0;
}
