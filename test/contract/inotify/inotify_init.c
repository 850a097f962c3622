/* inotify_init/inotify_init1: IN_NONBLOCK and IN_CLOEXEC flags, EINVAL for others, an anonymous inode ("anon_inode:inotify", mode 0600), EAGAIN when empty, no writes. */
#include "contract.h"
#include <sys/inotify.h>

int main(void)
{
	int a = CHECK_OK(inotify_init());
	CHECK_EQ(fcntl(a, F_GETFL) & O_NONBLOCK, 0);
	CHECK_EQ(fcntl(a, F_GETFD), 0);
	CHECK_EQ(fcntl(a, F_GETFL) & O_ACCMODE, O_RDONLY);

	int b = CHECK_OK(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
	CHECK(fcntl(b, F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(b, F_GETFD), FD_CLOEXEC);
	CHECK_ERRNO(inotify_init1(1), EINVAL);
	CHECK_ERRNO(inotify_init1(IN_NONBLOCK | 0x10), EINVAL);

	char buf[256];
	CHECK_ERRNO(read(b, buf, sizeof(buf)), EAGAIN);
	CHECK_ERRNO(write(b, "x", 1), EBADF);

	struct stat st;
	CHECK_OK(fstat(b, &st));
	CHECK_EQ(st.st_mode, 0600);

	char path[64], link[64] = { 0 };
	snprintf(path, sizeof(path), "/proc/self/fd/%d", b);
	CHECK_OK(readlink(path, link, sizeof(link) - 1));
	CHECK(strcmp(link, "anon_inode:inotify") == 0);
	return 0;
}
