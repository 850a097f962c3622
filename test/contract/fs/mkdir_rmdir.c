/* mkdir/rmdir and their errors: EEXIST, ENOENT, ENOTDIR, ENOTEMPTY, EINVAL for ".". */
#include "contract.h"

int main(void)
{
	struct stat st;

	CHECK_OK(mkdir(contract_path("d"), 0755));
	CHECK_OK(stat(contract_path("d"), &st));
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(st.st_nlink, 2);
	CHECK_ERRNO(mkdir(contract_path("d"), 0755), EEXIST);
	CHECK_ERRNO(mkdir(contract_path("missing/d"), 0755), ENOENT);
	contract_write_file(contract_path("f"), "", 0644);
	CHECK_ERRNO(mkdir(contract_path("f"), 0755), EEXIST);
	CHECK_ERRNO(mkdir(contract_path("f/d"), 0755), ENOTDIR);
	CHECK_OK(mkdir(contract_path("d/sub"), 0755));
	CHECK_OK(stat(contract_path("d"), &st));
	CHECK_EQ(st.st_nlink, 3);
	CHECK_ERRNO(rmdir(contract_path("d")), ENOTEMPTY);
	CHECK_ERRNO(rmdir(contract_path("f")), ENOTDIR);
	CHECK_ERRNO(rmdir(contract_path("nothing")), ENOENT);
	CHECK_ERRNO(rmdir(contract_path("d/sub/.")), EINVAL);
	CHECK_OK(rmdir(contract_path("d/sub")));
	CHECK_OK(rmdir(contract_path("d")));
	CHECK_ERRNO(stat(contract_path("d"), &st), ENOENT);
	/* Trailing slashes are fine for directories. */
	CHECK_OK(mkdir(contract_path("e/"), 0755));
	CHECK_OK(rmdir(contract_path("e/")));
	return 0;
}
