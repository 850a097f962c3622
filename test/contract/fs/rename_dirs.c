/* rename with directories: over an empty dir works; ENOTEMPTY, EISDIR, ENOTDIR, EINVAL into itself. */
#include "contract.h"

int main(void)
{
	CHECK_OK(mkdir(contract_path("d1"), 0755));
	CHECK_OK(mkdir(contract_path("d2"), 0755));
	CHECK_OK(mkdir(contract_path("full"), 0755));
	contract_write_file(contract_path("full/x"), "", 0644);
	contract_write_file(contract_path("f"), "", 0644);
	contract_write_file(contract_path("d1/inside"), "", 0644);

	CHECK_OK(rename(contract_path("d1"), contract_path("d2")));
	CHECK_OK(access(contract_path("d2/inside"), F_OK));
	CHECK_ERRNO(rename(contract_path("d2"), contract_path("full")), ENOTEMPTY);
	CHECK_ERRNO(rename(contract_path("f"), contract_path("d2")), EISDIR);
	CHECK_ERRNO(rename(contract_path("d2"), contract_path("f")), ENOTDIR);
	CHECK_ERRNO(rename(contract_path("d2"), contract_path("d2/sub")), EINVAL);
	/* Moving a directory updates its ".." (and the parents' link counts). */
	CHECK_OK(rename(contract_path("d2"), contract_path("full/moved")));
	struct stat st;
	CHECK_OK(stat(contract_path("full"), &st));
	CHECK_EQ(st.st_nlink, 3);
	CHECK_OK(stat(contract_path("full/moved/.."), &st));
	struct stat full;
	CHECK_OK(stat(contract_path("full"), &full));
	CHECK_EQ(st.st_ino, full.st_ino);
	return 0;
}
