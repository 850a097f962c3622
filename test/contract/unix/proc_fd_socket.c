/* /proc/self/fd shows a socket as "socket:[inode]", the inode of fstat. */
#include "unixsock.h"

int main(void)
{
	int sv[2], s;
	char path[64], link[64], want[64];
	struct stat st;
	ssize_t n;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	s = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	for (int i = 0; i < 3; i++) {
		int fd = i < 2 ? sv[i] : s;

		CHECK_OK(fstat(fd, &st));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = CHECK_OK(readlink(path, link, sizeof(link) - 1));
		link[n] = 0;
		snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)st.st_ino);
		if (strcmp(link, want) != 0)
			CONTRACT_FAIL("%s -> %s, want %s", path, link, want);
		CHECK_OK(lstat(path, &st));
		CHECK(S_ISLNK(st.st_mode));
	}
	/* every socket has its own inode */
	{
		struct stat a, b;

		CHECK_OK(fstat(sv[0], &a));
		CHECK_OK(fstat(sv[1], &b));
		CHECK(a.st_ino != b.st_ino);
		CHECK_EQ(a.st_dev, b.st_dev);
	}
	return 0;
}
