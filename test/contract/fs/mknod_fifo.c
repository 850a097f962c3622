/* mknod/mkfifo create FIFOs (S_ISFIFO); EEXIST on an existing name; EINVAL for bad types. */
#include "contract.h"

int main(void)
{
	struct stat st;

	umask(0);
	CHECK_OK(mknod(contract_path("p"), S_IFIFO | 0640, 0));
	CHECK_OK(stat(contract_path("p"), &st));
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0640);
	CHECK_EQ(st.st_size, 0);
	CHECK_OK(mkfifo(contract_path("q"), 0600));
	CHECK_OK(lstat(contract_path("q"), &st));
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_ERRNO(mkfifo(contract_path("q"), 0600), EEXIST);
	CHECK_ERRNO(mknod(contract_path("r"), 0170000 | 0600, 0), EINVAL);
	/* A regular file via mknod. */
	CHECK_OK(mknod(contract_path("reg"), S_IFREG | 0600, 0));
	CHECK_OK(stat(contract_path("reg"), &st));
	CHECK(S_ISREG(st.st_mode));
	/* Device nodes as root. */
	contract_need_root();
	CHECK_OK(mknod(contract_path("null"), S_IFCHR | 0666, makedev(1, 3)));
	CHECK_OK(stat(contract_path("null"), &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 3);
	return 0;
}
