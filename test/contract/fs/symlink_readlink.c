/* symlink stores any string; readlink returns it without a NUL, truncating; EINVAL on non-links. */
#include "contract.h"

int main(void)
{
	char buf[64];

	CHECK_OK(symlink("target/that/does/not/exist", contract_path("l")));
	ssize_t n = CHECK_OK(readlink(contract_path("l"), buf, sizeof(buf)));
	CHECK_EQ(n, 26);
	CHECK(memcmp(buf, "target/that/does/not/exist", 26) == 0);
	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ(readlink(contract_path("l"), buf, 6), 6);
	CHECK(memcmp(buf, "targetZ", 7) == 0);
	CHECK_ERRNO(stat(contract_path("l"), (struct stat *)buf), ENOENT);	/* dangling */
	CHECK_ERRNO(symlink("x", contract_path("l")), EEXIST);
	CHECK_ERRNO(symlink("", contract_path("e")), ENOENT);
	contract_write_file(contract_path("f"), "", 0644);
	CHECK_ERRNO(readlink(contract_path("f"), buf, sizeof(buf)), EINVAL);
	CHECK_ERRNO(readlink(contract_path("missing"), buf, sizeof(buf)), ENOENT);
	CHECK_ERRNO(syscall(SYS_readlink, contract_path("l"), buf, 0), EINVAL);
	int dir = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	CHECK_EQ(readlinkat(dir, "l", buf, sizeof(buf)), 26);
	/* Relative targets resolve from the link's directory. */
	CHECK_OK(symlink("f", contract_path("rel")));
	CHECK_OK(access(contract_path("rel"), F_OK));
	return 0;
}
