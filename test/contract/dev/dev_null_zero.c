/* /dev/null swallows writes and reads EOF; /dev/zero reads zeros and swallows writes. */
#include "contract.h"

int main(void)
{
	char buf[4096];
	struct stat st;
	int n = CHECK_OK(open("/dev/null", O_RDWR));
	int z = CHECK_OK(open("/dev/zero", O_RDWR));

	CHECK_EQ(write(n, "abc", 3), 3);
	CHECK_EQ(read(n, buf, sizeof(buf)), 0);
	CHECK_OK(fstat(n, &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 3);
	memset(buf, 0xff, sizeof(buf));
	CHECK_EQ(read(z, buf, sizeof(buf)), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(write(z, buf, 100), 100);
	CHECK_OK(fstat(z, &st));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 5);
	/* Seeking these devices succeeds. */
	CHECK_EQ(lseek(n, 100, SEEK_SET), 0);
	/* A private mapping of /dev/zero is anonymous memory. */
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
	CHECK(m != MAP_FAILED);
	CHECK_EQ(m[5000], 0);
	m[5000] = 1;
	return 0;
}
