/* Descriptors enforce their access mode: EBADF for write on O_RDONLY and read on O_WRONLY. */
#include "contract.h"

int main(void)
{
	const char *f = contract_path("f");
	char c;

	contract_write_file(f, "data", 0644);
	int ro = CHECK_OK(open(f, O_RDONLY));
	int wo = CHECK_OK(open(f, O_WRONLY));
	CHECK_ERRNO(write(ro, "x", 1), EBADF);
	CHECK_ERRNO(read(wo, &c, 1), EBADF);
	CHECK_ERRNO(ftruncate(ro, 0), EINVAL);
	CHECK_ERRNO(read(-1, &c, 1), EBADF);
	CHECK_ERRNO(write(9999, &c, 1), EBADF);
	CHECK_EQ(read(ro, &c, 1), 1);
	CHECK_EQ(c, 'd');
	/* Zero-length I/O succeeds and returns 0. */
	CHECK_EQ(read(ro, &c, 0), 0);
	CHECK_EQ(write(wo, &c, 0), 0);
	/* O_PATH descriptors cannot be read. */
	int pf = CHECK_OK(open(f, O_PATH));
	CHECK_ERRNO(read(pf, &c, 1), EBADF);
	return 0;
}
