/* rename: moves a file, atomically replaces an existing one, and renaming to itself is a no-op. */
#include "contract.h"

int main(void)
{
	char buf[16];
	struct stat a, b;

	contract_write_file(contract_path("a"), "A", 0644);
	contract_write_file(contract_path("b"), "B", 0644);
	CHECK_OK(stat(contract_path("a"), &a));
	CHECK_OK(rename(contract_path("a"), contract_path("b")));
	CHECK_ERRNO(access(contract_path("a"), F_OK), ENOENT);
	CHECK_OK(stat(contract_path("b"), &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	contract_read_file(contract_path("b"), buf, sizeof(buf));
	CHECK(strcmp(buf, "A") == 0);
	CHECK_OK(rename(contract_path("b"), contract_path("b")));
	/* Into a subdirectory. */
	CHECK_OK(mkdir(contract_path("d"), 0755));
	CHECK_OK(rename(contract_path("b"), contract_path("d/c")));
	CHECK_OK(access(contract_path("d/c"), F_OK));
	CHECK_ERRNO(rename(contract_path("missing"), contract_path("x")), ENOENT);
	CHECK_ERRNO(rename(contract_path("d/c"), contract_path("nodir/x")), ENOENT);
	/* Hard links to the same inode: rename does nothing. */
	CHECK_OK(link(contract_path("d/c"), contract_path("h")));
	CHECK_OK(rename(contract_path("d/c"), contract_path("h")));
	CHECK_OK(access(contract_path("d/c"), F_OK));
	return 0;
}
