/* link adds a name to the same inode (nlink counts); EEXIST, EPERM on directories, ENOENT. */
#include "contract.h"

int main(void)
{
	struct stat st, st2;

	contract_write_file(contract_path("f"), "x", 0644);
	CHECK_OK(link(contract_path("f"), contract_path("g")));
	CHECK_OK(stat(contract_path("f"), &st));
	CHECK_OK(stat(contract_path("g"), &st2));
	CHECK_EQ(st.st_ino, st2.st_ino);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_ERRNO(link(contract_path("f"), contract_path("g")), EEXIST);
	CHECK_ERRNO(link(contract_path("missing"), contract_path("h")), ENOENT);
	CHECK_OK(mkdir(contract_path("d"), 0755));
	CHECK_ERRNO(link(contract_path("d"), contract_path("d2")), EPERM);
	CHECK_OK(unlink(contract_path("f")));
	CHECK_OK(stat(contract_path("g"), &st2));
	CHECK_EQ(st2.st_nlink, 1);
	/* linkat without AT_SYMLINK_FOLLOW links the symlink itself. */
	CHECK_OK(symlink("g", contract_path("s")));
	CHECK_OK(linkat(AT_FDCWD, contract_path("s"), AT_FDCWD, contract_path("s2"), 0));
	CHECK_OK(lstat(contract_path("s2"), &st));
	CHECK(S_ISLNK(st.st_mode));
	CHECK_OK(linkat(AT_FDCWD, contract_path("s"), AT_FDCWD, contract_path("g2"), AT_SYMLINK_FOLLOW));
	CHECK_OK(lstat(contract_path("g2"), &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_ino, st2.st_ino);
	return 0;
}
