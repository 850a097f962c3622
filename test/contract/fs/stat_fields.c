/* stat/fstat/lstat/fstatat agree; fields reflect type, size, links, mode and times. */
#include "contract.h"

int main(void)
{
	struct stat a, b, c, l;
	const char *f = contract_path("f");

	umask(022);
	contract_write_file(f, "12345", 0640);
	CHECK_OK(stat(f, &a));
	int fd = CHECK_OK(open(f, O_RDONLY));
	CHECK_OK(fstat(fd, &b));
	int dir = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	CHECK_OK(fstatat(dir, "f", &c, 0));
	CHECK(S_ISREG(a.st_mode));
	CHECK_EQ(a.st_mode & 07777, 0640);
	CHECK_EQ(a.st_size, 5);
	CHECK_EQ(a.st_nlink, 1);
	CHECK_EQ(a.st_uid, geteuid());
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_EQ(a.st_dev, b.st_dev);
	CHECK_EQ(a.st_ino, c.st_ino);
	CHECK(a.st_blksize > 0);
	CHECK(a.st_mtime > 1500000000);
	CHECK(a.st_mtime <= time(NULL));
	CHECK_OK(symlink("f", contract_path("l")));
	CHECK_OK(lstat(contract_path("l"), &l));
	CHECK(S_ISLNK(l.st_mode));
	CHECK_EQ(l.st_size, 1);	/* length of the target string */
	CHECK_OK(stat(contract_path("l"), &l));
	CHECK_EQ(l.st_ino, a.st_ino);
	CHECK_OK(fstatat(dir, "l", &l, AT_SYMLINK_NOFOLLOW));
	CHECK(S_ISLNK(l.st_mode));
	CHECK_OK(stat(contract_tmpdir(), &l));
	CHECK(S_ISDIR(l.st_mode));
	CHECK(l.st_nlink >= 2);
	/* AT_EMPTY_PATH stats the descriptor itself. */
	CHECK_OK(fstatat(fd, "", &c, AT_EMPTY_PATH));
	CHECK_EQ(c.st_ino, a.st_ino);
	CHECK_ERRNO(fstatat(fd, "", &c, 0), ENOENT);
	CHECK_ERRNO(fstatat(dir, "f", &c, 0x12345), EINVAL);
	CHECK_ERRNO(fstat(-1, &c), EBADF);
	CHECK_ERRNO(stat(contract_path("missing"), &c), ENOENT);
	return 0;
}
