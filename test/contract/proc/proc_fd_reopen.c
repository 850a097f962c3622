/* /proc/self/fd/N is a magic link: opening it reaches the open file's object
 * (the same pipe, the same inode after unlink or rename); readlink names it. */
#include "contract.h"
#include <sys/eventfd.h>

static void link_of(int fd, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = CHECK_OK(readlink(path, buf, size - 1));
	buf[n] = 0;
}

static int open_fd_link(int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags, 0600);
}

int main(void)
{
	char buf[256], want[64];
	struct stat a, b;
	int p[2], fd, w;

	/* A pipe: S_IFIFO with an inode number that the link shows. */
	CHECK_OK(pipe(p));
	CHECK_OK(fstat(p[0], &a));
	CHECK(S_ISFIFO(a.st_mode));
	CHECK_OK(fstat(p[1], &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	link_of(p[0], buf, sizeof(buf));
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)a.st_ino);
	CHECK(strcmp(buf, want) == 0);
	/* Opening the read end's link for writing gives a writer of the
	 * same pipe; O_CREAT|O_TRUNC (a shell's "> /dev/stdout") too. */
	w = CHECK_OK(open_fd_link(p[0], O_WRONLY));
	CHECK_EQ(write(w, "abc", 3), 3);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_OK(close(w));
	w = CHECK_OK(open_fd_link(p[1], O_WRONLY | O_CREAT | O_TRUNC));
	CHECK_OK(fstat(w, &b));
	CHECK_EQ(b.st_ino, a.st_ino);
	CHECK_EQ(write(w, "d", 1), 1);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 1);
	CHECK_OK(close(w));
	CHECK_OK(stat("/proc/self/fd/0", &b));          /* follows: no error */

	/* A regular file keeps being reachable after a rename and unlink. */
	const char *name = contract_path("f"), *moved = contract_path("g");
	fd = CHECK_OK(open(name, O_RDWR | O_CREAT, 0600));
	CHECK_EQ(write(fd, "hello", 5), 5);
	CHECK_OK(fstat(fd, &a));
	CHECK_OK(rename(name, moved));
	link_of(fd, buf, sizeof(buf));
	CHECK(strcmp(buf, moved) == 0);
	CHECK_OK(unlink(moved));
	link_of(fd, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s (deleted)", moved);
	CHECK(strcmp(buf, want) == 0);
	w = CHECK_OK(open_fd_link(fd, O_RDONLY));
	CHECK_OK(fstat(w, &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_EQ(b.st_nlink, 0);
	CHECK_EQ(read(w, buf, sizeof(buf)), 5);         /* its own offset */
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_OK(close(w));
	errno = 0;
	CHECK_ERRNO(open(moved, O_RDONLY), ENOENT);

	/* Anonymous inodes have a name but cannot be opened. */
	fd = CHECK_OK(eventfd(0, 0));
	link_of(fd, buf, sizeof(buf));
	CHECK(strcmp(buf, "anon_inode:[eventfd]") == 0);
	CHECK_ERRNO(open_fd_link(fd, O_RDWR), ENXIO);
	return 0;
}
