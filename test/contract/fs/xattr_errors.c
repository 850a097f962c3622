/* Extended-attribute calls: path and descriptor errors, name checks
 * (ERANGE for an empty or 256-byte name), setxattr's flag check, and a
 * missing attribute (ENODATA, or EOPNOTSUPP on a file system without
 * xattr support: both are Linux behaviours); listing a new file's
 * attributes succeeds. */
#include "contract.h"
#include <sys/xattr.h>

int main(void)
{
	const char *f = contract_path("file");
	char longname[300], buf[64];
	int fd;

	contract_write_file(f, "x", 0644);
	fd = CHECK_OK(open(f, O_RDONLY));
	memset(longname, 'a', 256);
	memcpy(longname, "user.", 5);
	longname[256] = 0;

	CHECK(listxattr(f, buf, sizeof(buf)) >= 0);
	CHECK(flistxattr(fd, buf, sizeof(buf)) >= 0);
	CHECK_ERRNO(getxattr(f, "", buf, sizeof(buf)), ERANGE);
	CHECK_ERRNO(getxattr(f, longname, buf, sizeof(buf)), ERANGE);
	CHECK_ERRNO(getxattr(f, (char *)8, buf, sizeof(buf)), EFAULT);
	CHECK_ERRNO(getxattr(contract_path("missing"), "user.a", buf, 4), ENOENT);
	CHECK_ERRNO(fgetxattr(-1, "user.a", buf, 4), EBADF);
	CHECK_ERRNO(listxattr(contract_path("missing"), buf, 4), ENOENT);
	CHECK_ERRNO(setxattr(f, "user.a", "v", 1, 4), EINVAL);
	CHECK_ERRNO(removexattr(f, ""), ERANGE);
	errno = 0;
	CHECK_EQ(getxattr(f, "user.none", buf, sizeof(buf)), -1);
	CHECK(errno == ENODATA || errno == EOPNOTSUPP);
	errno = 0;
	CHECK_EQ(fgetxattr(fd, "user.none", buf, sizeof(buf)), -1);
	CHECK(errno == ENODATA || errno == EOPNOTSUPP);
	return 0;
}
