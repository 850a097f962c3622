/* unlink removes names (EISDIR for directories); unlinkat AT_REMOVEDIR removes directories. */
#include "contract.h"

int main(void)
{
	int dir = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));

	contract_write_file(contract_path("f"), "", 0644);
	CHECK_OK(mkdir(contract_path("d"), 0755));
	CHECK_ERRNO(unlink(contract_path("d")), EISDIR);
	CHECK_ERRNO(unlinkat(dir, "d", 0), EISDIR);
	CHECK_ERRNO(unlinkat(dir, "f", AT_REMOVEDIR), ENOTDIR);
	CHECK_ERRNO(unlinkat(dir, "f", 0x4), EINVAL);
	CHECK_OK(unlinkat(dir, "d", AT_REMOVEDIR));
	CHECK_OK(unlinkat(dir, "f", 0));
	CHECK_ERRNO(unlink(contract_path("f")), ENOENT);
	CHECK_ERRNO(unlink(contract_path("f/x")), ENOENT);
	contract_write_file(contract_path("g"), "", 0644);
	CHECK_ERRNO(unlink(contract_path("g/x")), ENOTDIR);
	/* unlink of a symlink removes the link, not the target. */
	CHECK_OK(symlink("g", contract_path("l")));
	CHECK_OK(unlink(contract_path("l")));
	CHECK_OK(access(contract_path("g"), F_OK));
	return 0;
}
