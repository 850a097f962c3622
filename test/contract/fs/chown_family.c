/* As root: chown/fchown/lchown/fchownat change owners; -1 keeps a value; chown clears setuid. */
#include "contract.h"

int main(void)
{
	struct stat st;
	const char *f = contract_path("f");

	contract_need_root();
	contract_write_file(f, "", 0644);
	CHECK_OK(chown(f, 1234, 5678));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_uid, 1234);
	CHECK_EQ(st.st_gid, 5678);
	CHECK_OK(chown(f, -1, 42));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_uid, 1234);
	CHECK_EQ(st.st_gid, 42);
	int fd = CHECK_OK(open(f, O_RDONLY));
	CHECK_OK(fchown(fd, 7, -1));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_uid, 7);
	CHECK_OK(symlink("f", contract_path("l")));
	CHECK_OK(lchown(contract_path("l"), 99, 99));
	CHECK_OK(lstat(contract_path("l"), &st));
	CHECK_EQ(st.st_uid, 99);
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_uid, 7);
	CHECK_OK(fchownat(AT_FDCWD, contract_path("l"), 8, 8, 0));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_uid, 8);
	/* Changing the owner of a setuid executable clears set-user-ID. */
	CHECK_OK(chmod(f, 04755));
	CHECK_OK(chown(f, 9, -1));
	CHECK_OK(stat(f, &st));
	CHECK_EQ(st.st_mode & 07777, 0755);
	CHECK_ERRNO(chown(contract_path("missing"), 0, 0), ENOENT);
	return 0;
}
