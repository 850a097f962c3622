/* /dev/urandom and /dev/random return the requested bytes, different each time; getrandom too. */
#include "contract.h"

int main(void)
{
	unsigned char a[64], b[64];
	int u = CHECK_OK(open("/dev/urandom", O_RDONLY));
	int r = CHECK_OK(open("/dev/random", O_RDONLY));

	CHECK_EQ(read(u, a, sizeof(a)), sizeof(a));
	CHECK_EQ(read(u, b, sizeof(b)), sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK_EQ(read(r, b, 16), 16);
	CHECK(memcmp(a, b, 16) != 0);
	int zeros = 0;
	for (size_t i = 0; i < sizeof(a); i++)
		zeros += a[i] == 0;
	CHECK(zeros < 16);
	/* Large reads are satisfied. */
	static unsigned char big[1 << 16];
	CHECK_EQ(read(u, big, sizeof(big)), sizeof(big));
	CHECK_EQ(syscall(SYS_getrandom, a, 32, 0), 32);
	CHECK_ERRNO(syscall(SYS_getrandom, a, 32, 0x100), EINVAL);
	struct stat st;
	CHECK_OK(fstat(u, &st));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 9);
	return 0;
}
