/* Directories: O_DIRECTORY on a file is ENOTDIR; writing a directory is EISDIR; read() is EISDIR. */
#include "contract.h"

int main(void)
{
	char c;
	const char *f = contract_path("f");

	contract_write_file(f, "x", 0644);
	CHECK_ERRNO(open(f, O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERRNO(open(contract_tmpdir(), O_WRONLY), EISDIR);
	CHECK_ERRNO(open(contract_tmpdir(), O_RDWR), EISDIR);
	CHECK_ERRNO(open(contract_tmpdir(), O_CREAT | O_RDONLY, 0644), EISDIR);
	int d = CHECK_OK(open(contract_tmpdir(), O_RDONLY));
	CHECK_ERRNO(read(d, &c, 1), EISDIR);
	CHECK_ERRNO(open(contract_path("f/x"), O_RDONLY), ENOTDIR);
	CHECK_ERRNO(open(contract_path("f/"), O_RDONLY), ENOTDIR);
	/* O_CREAT with a trailing slash is EISDIR. */
	CHECK_ERRNO(open(contract_path("new/"), O_CREAT | O_WRONLY, 0644), EISDIR);
	return 0;
}
