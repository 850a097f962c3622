/* posix_openpt/grantpt/unlockpt/ptsname give a /dev/pts slave that is a tty; locked slaves refuse opens. */
#include "pty.h"

int main(void)
{
	int m, s, n;
	char name[64];
	struct stat st;

	pty_open(&m, &s, name, sizeof(name));
	CHECK(strncmp(name, "/dev/pts/", 9) == 0);
	CHECK(isatty(s));
	CHECK(isatty(m));
	CHECK_OK(ioctl(m, TIOCGPTN, &n));
	char want[64];
	snprintf(want, sizeof(want), "/dev/pts/%d", n);
	CHECK(strcmp(want, name) == 0);
	CHECK_OK(fstat(s, &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(st.st_uid, getuid());
	/* Relock: opening the slave fails with EIO. */
	int lock = 1;
	CHECK_OK(ioctl(m, TIOCSPTLCK, &lock));
	CHECK_ERRNO(open(name, O_RDWR | O_NOCTTY), EIO);
	lock = 0;
	CHECK_OK(ioctl(m, TIOCSPTLCK, &lock));
	int s2 = CHECK_OK(open(name, O_RDWR | O_NOCTTY));
	close(s2);
	/* Not a tty: ENOTTY. */
	int fd = CHECK_OK(open("/dev/null", O_RDWR));
	CHECK(!isatty(fd));
	struct termios t;
	CHECK_ERRNO(tcgetattr(fd, &t), ENOTTY);
	return 0;
}
