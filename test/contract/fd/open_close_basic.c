/* open returns the lowest free descriptor; close frees it; closing twice is EBADF. */
#include "contract.h"

int main(void)
{
	int a = CHECK_OK(open("/dev/null", O_RDONLY));
	int b = CHECK_OK(open("/dev/null", O_RDONLY));

	CHECK_EQ(b, a + 1);
	CHECK_OK(close(a));
	CHECK_EQ(open("/dev/null", O_RDONLY), a);
	CHECK_OK(close(b));
	CHECK_ERRNO(close(b), EBADF);
	CHECK_ERRNO(close(-1), EBADF);
	CHECK_ERRNO(close(100000), EBADF);
	CHECK_ERRNO(open(contract_path("nonexistent"), O_RDONLY), ENOENT);
	CHECK_ERRNO(open("", O_RDONLY), ENOENT);
	CHECK_ERRNO(open("/dev/null", O_RDONLY | O_WRONLY | O_RDWR | O_CREAT | O_DIRECTORY), EINVAL);
	return 0;
}
