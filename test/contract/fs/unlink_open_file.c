/* An unlinked file stays readable and writable through an open descriptor; nlink drops to 0. */
#include "contract.h"

int main(void)
{
	char buf[16];
	struct stat st;
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_EQ(write(fd, "still here", 10), 10);
	CHECK_OK(unlink(contract_path("f")));
	CHECK_ERRNO(open(contract_path("f"), O_RDONLY), ENOENT);
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(pread(fd, buf, 10, 0), 10);
	CHECK(memcmp(buf, "still here", 10) == 0);
	CHECK_EQ(pwrite(fd, "X", 1, 0), 1);
	CHECK_EQ(pread(fd, buf, 1, 0), 1);
	CHECK_EQ(buf[0], 'X');
	/* A new file under the same name is a different inode. */
	int fd2 = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	struct stat st2;
	CHECK_OK(fstat(fd2, &st2));
	CHECK_EQ(st2.st_size, 0);
	CHECK(st2.st_ino != st.st_ino || st2.st_dev != st.st_dev);
	return 0;
}
