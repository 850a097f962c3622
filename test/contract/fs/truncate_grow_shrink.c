/* truncate/ftruncate shrink (data gone) and grow (zeros); EINVAL for negative; EISDIR for dirs. */
#include "contract.h"

int main(void)
{
	char buf[16];
	struct stat st;
	const char *f = contract_path("f");

	contract_write_file(f, "0123456789", 0644);
	CHECK_OK(truncate(f, 4));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_size, 4);
	int fd = CHECK_OK(open(f, O_RDWR));
	CHECK_OK(ftruncate(fd, 12));
	CHECK_EQ(pread(fd, buf, 16, 0), 12);
	CHECK(memcmp(buf, "0123\0\0\0\0\0\0\0\0", 12) == 0);
	/* The offset is not changed by truncation. */
	CHECK_EQ(lseek(fd, 0, SEEK_END), 12);
	CHECK_OK(ftruncate(fd, 0));
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 12);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 13);
	CHECK_ERRNO(ftruncate(fd, -1), EINVAL);
	CHECK_ERRNO(truncate(f, -1), EINVAL);
	CHECK_ERRNO(truncate(contract_tmpdir(), 0), EISDIR);
	CHECK_ERRNO(truncate(contract_path("missing"), 0), ENOENT);
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_ERRNO(ftruncate(p[1], 0), EINVAL);
	return 0;
}
