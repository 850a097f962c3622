/* Trailing slashes require a directory: "file/" is ENOTDIR; "dir/" and "dir/." work. */
#include "contract.h"

int main(void)
{
	struct stat st;

	contract_write_file(contract_path("f"), "", 0644);
	CHECK_OK(mkdir(contract_path("d"), 0755));
	CHECK_ERRNO(stat(contract_path("f/"), &st), ENOTDIR);
	CHECK_ERRNO(stat(contract_path("f/."), &st), ENOTDIR);
	CHECK_OK(stat(contract_path("d/"), &st));
	CHECK_OK(stat(contract_path("d/."), &st));
	CHECK_OK(stat(contract_path("d//"), &st));
	CHECK_ERRNO(rename(contract_path("f"), contract_path("g/")), ENOTDIR);
	CHECK_ERRNO(unlink(contract_path("f/")), ENOTDIR);
	CHECK_OK(rename(contract_path("d/"), contract_path("e/")));
	CHECK_OK(stat(contract_path("e"), &st));
	return 0;
}
