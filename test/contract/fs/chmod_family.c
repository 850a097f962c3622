/* chmod/fchmod/fchmodat set the permission bits (incl. setuid/sticky); ctime changes. */
#include "contract.h"

int main(void)
{
	struct stat st;
	const char *f = contract_path("f");

	contract_write_file(f, "", 0600);
	CHECK_OK(chmod(f, 0751));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0751);
	int fd = CHECK_OK(open(f, O_RDONLY));
	CHECK_OK(fchmod(fd, 04700));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode & 07777, 04700);
	int dir = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	CHECK_OK(fchmodat(dir, "f", 0644, 0));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_mode & 07777, 0644);
	/* File type bits in the mode argument are ignored. */
	CHECK_OK(chmod(f, S_IFDIR | 0600));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_OK(mkdir(contract_path("d"), 0755));
	CHECK_OK(chmod(contract_path("d"), 01777));
	CHECK_OK(stat(contract_path("d"), &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 01777);
	CHECK_ERRNO(chmod(contract_path("missing"), 0644), ENOENT);
	CHECK_ERRNO(fchmod(-1, 0644), EBADF);
	/* chmod follows symlinks. */
	CHECK_OK(symlink("f", contract_path("l")));
	CHECK_OK(chmod(contract_path("l"), 0612));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_mode & 07777, 0612);
	return 0;
}
