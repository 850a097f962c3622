/* File seals on a memfd: F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE and F_SEAL_FUTURE_WRITE give EPERM to the operations they forbid, F_SEAL_SEAL stops further seals, a memfd without MFD_ALLOW_SEALING starts sealed, unknown seal bits and unsealable files give EINVAL. */
#include "contract.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#define MFD_ALLOW_SEALING 2U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

static int memfd(const char *name, unsigned flags)
{
	return (int)syscall(SYS_memfd_create, name, flags);
}

int main(void)
{
	int plain = CHECK_OK(memfd("plain", 0));
	CHECK_EQ(fcntl(plain, F_GET_SEALS), F_SEAL_SEAL);
	CHECK_ERRNO(fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE), EPERM);

	int fd = CHECK_OK(memfd("sealed", MFD_ALLOW_SEALING));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), 0);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, 0x40), EINVAL);
	CHECK_EQ(write(fd, "0123456789", 10), 10);

	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK);
	CHECK_ERRNO(ftruncate(fd, 5), EPERM);
	CHECK_OK(ftruncate(fd, 10));
	CHECK_OK(ftruncate(fd, 12));

	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	CHECK_ERRNO(ftruncate(fd, 13), EPERM);
	CHECK_ERRNO(pwrite(fd, "x", 1, 12), EPERM);
	CHECK_ERRNO(pwrite(fd, "xy", 2, 11), EPERM);
	CHECK_EQ(pwrite(fd, "ab", 2, 10), 2);		/* inside: fine */
	CHECK_OK(fcntl(fd, F_SETFL, O_APPEND));
	CHECK_ERRNO(write(fd, "x", 1), EPERM);
	CHECK_OK(fcntl(fd, F_SETFL, 0));

	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	CHECK_ERRNO(pwrite(fd, "x", 1, 0), EPERM);
	CHECK_EQ(write(fd, "", 0), 0);
	char buf[16];
	CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 12);
	CHECK(memcmp(buf, "0123456789ab", 12) == 0);
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);

	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, 0), EPERM);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), EPERM);
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);

	/* F_SEAL_FUTURE_WRITE: no more writes. */
	int fw = CHECK_OK(memfd("fw", MFD_ALLOW_SEALING));
	CHECK_EQ(write(fw, "a", 1), 1);
	CHECK_OK(fcntl(fw, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	CHECK_ERRNO(write(fw, "b", 1), EPERM);
	CHECK_OK(ftruncate(fw, 0));			/* not a write */

	/* Files that are not memfds cannot be sealed. */
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_ERRNO(fcntl(p[0], F_GET_SEALS), EINVAL);
	CHECK_ERRNO(fcntl(p[1], F_ADD_SEALS, F_SEAL_WRITE), EINVAL);
	int null = CHECK_OK(open("/dev/null", O_RDWR));
	CHECK_ERRNO(fcntl(null, F_GET_SEALS), EINVAL);
	return 0;
}
