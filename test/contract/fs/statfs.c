/* statfs/fstatfs report a plausible filesystem; /proc is PROC_SUPER_MAGIC. */
#include "contract.h"
#include <sys/statfs.h>

int main(void)
{
	struct statfs a, b;

	CHECK_OK(statfs(contract_tmpdir(), &a));
	int fd = CHECK_OK(open(contract_tmpdir(), O_RDONLY));
	CHECK_OK(fstatfs(fd, &b));
	CHECK_EQ(a.f_type, b.f_type);
	CHECK(a.f_bsize > 0);
	CHECK(a.f_blocks > 0);
	CHECK(a.f_bfree <= a.f_blocks);
	CHECK(a.f_bavail <= a.f_bfree);
	CHECK(a.f_namelen >= 255);
	CHECK_OK(statfs("/proc", &a));
	CHECK_EQ(a.f_type, 0x9fa0);
	CHECK_ERRNO(statfs(contract_path("missing"), &a), ENOENT);
	CHECK_ERRNO(fstatfs(-1, &a), EBADF);
	return 0;
}
