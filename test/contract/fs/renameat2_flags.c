/* renameat2: RENAME_NOREPLACE refuses to overwrite (EEXIST); RENAME_EXCHANGE swaps. */
#include "contract.h"

#define K_RENAME_NOREPLACE 1
#define K_RENAME_EXCHANGE 2

int main(void)
{
	char buf[8];

	contract_write_file(contract_path("a"), "A", 0644);
	contract_write_file(contract_path("b"), "B", 0644);
	CHECK_ERRNO(syscall(SYS_renameat2, AT_FDCWD, contract_path("a"), AT_FDCWD,
			    contract_path("b"), K_RENAME_NOREPLACE), EEXIST);
	CHECK_OK(syscall(SYS_renameat2, AT_FDCWD, contract_path("a"), AT_FDCWD,
			 contract_path("b"), K_RENAME_EXCHANGE));
	contract_read_file(contract_path("a"), buf, sizeof(buf));
	CHECK(strcmp(buf, "B") == 0);
	contract_read_file(contract_path("b"), buf, sizeof(buf));
	CHECK(strcmp(buf, "A") == 0);
	CHECK_ERRNO(syscall(SYS_renameat2, AT_FDCWD, contract_path("a"), AT_FDCWD,
			    contract_path("c"), K_RENAME_EXCHANGE), ENOENT);
	CHECK_OK(syscall(SYS_renameat2, AT_FDCWD, contract_path("a"), AT_FDCWD,
			 contract_path("c"), K_RENAME_NOREPLACE));
	CHECK_ERRNO(syscall(SYS_renameat2, AT_FDCWD, contract_path("c"), AT_FDCWD,
			    contract_path("d"), K_RENAME_NOREPLACE | K_RENAME_EXCHANGE), EINVAL);
	/* Exchange a directory with a file. */
	CHECK_OK(mkdir(contract_path("dir"), 0755));
	CHECK_OK(syscall(SYS_renameat2, AT_FDCWD, contract_path("dir"), AT_FDCWD,
			 contract_path("c"), K_RENAME_EXCHANGE));
	struct stat st;
	CHECK_OK(stat(contract_path("c"), &st));
	CHECK(S_ISDIR(st.st_mode));
	return 0;
}
