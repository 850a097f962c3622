/* Writing a file updates mtime and ctime; creating an entry updates the directory's mtime. */
#include "contract.h"

int main(void)
{
	struct stat st, dst;
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
	const char *f = contract_path("f");

	contract_write_file(f, "a", 0644);
	CHECK_OK(utimensat(AT_FDCWD, f, old, 0));
	CHECK_OK(utimensat(AT_FDCWD, contract_tmpdir(), old, 0));
	int fd = CHECK_OK(open(f, O_WRONLY));
	CHECK_EQ(write(fd, "b", 1), 1);
	CHECK_OK(fstat(fd, &st));
	CHECK(st.st_mtime > 1000);
	CHECK(st.st_ctime > 1000);
	CHECK_OK(stat(contract_tmpdir(), &dst));
	CHECK_EQ(dst.st_mtime, 1000);
	contract_write_file(contract_path("g"), "", 0644);
	CHECK_OK(stat(contract_tmpdir(), &dst));
	CHECK(dst.st_mtime > 1000);
	return 0;
}
