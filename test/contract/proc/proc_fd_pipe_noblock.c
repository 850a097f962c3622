/* Reopening a pipe end through /proc/self/fd never waits for the other
 * end (unlike a named FIFO): the read end after every writer closed opens
 * at once and reads EOF (bash's "cat <(cmd)"), and the write end with no
 * reader left opens even with O_NONBLOCK, then writes fail with EPIPE. */
#include "contract.h"
#include <signal.h>

int main(void)
{
	int p[2], fd;
	char path[64], buf[8];

	signal(SIGPIPE, SIG_IGN);
	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "hi", 2), 2);
	close(p[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	fd = CHECK_OK(open(path, O_RDONLY));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 2);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);
	close(fd);
	close(p[0]);

	CHECK_OK(pipe(p));
	close(p[0]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
	fd = CHECK_OK(open(path, O_WRONLY | O_NONBLOCK));
	CHECK_ERRNO(write(fd, "x", 1), EPIPE);
	close(fd);
	fd = CHECK_OK(open(path, O_WRONLY));
	CHECK_ERRNO(write(fd, "x", 1), EPIPE);
	return 0;
}
