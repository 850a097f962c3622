/* SCM_RIGHTS: pass a pipe's write end; the received descriptor is a new
 * descriptor for the same open file; MSG_CMSG_CLOEXEC marks it
 * close-on-exec and shows in msg_flags. */
#include "unixsock.h"

int main(void)
{
	int sv[2], p[2], fds[4], n, mflags, fl;
	char buf[16];
	struct stat a, b;

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_OK(pipe(p));
	CHECK_OK(fcntl(p[1], F_SETFL, O_NONBLOCK));
	CHECK_EQ(send_fds(sv[0], &p[1], 1, "P", 1, 0), 1);
	/* in flight: the message holds the file, our descriptor may go */
	CHECK_OK(close(p[1]));
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), fds, &n, CMSG_SPACE(sizeof(int)),
			  0, &mflags), 1);
	CHECK_EQ(buf[0], 'P');
	CHECK_EQ(n, 1);
	CHECK_EQ(mflags, 0);
	CHECK(fds[0] >= 0 && fds[0] != sv[0] && fds[0] != sv[1]);
	CHECK_EQ(fcntl(fds[0], F_GETFD), 0);
	/* same open file description: status flags are shared */
	fl = fcntl(fds[0], F_GETFL);
	CHECK_EQ(fl & (O_ACCMODE | O_NONBLOCK), O_WRONLY | O_NONBLOCK);
	CHECK_OK(fstat(fds[0], &a));
	CHECK_OK(fstat(p[0], &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_EQ(write(fds[0], "through", 7), 7);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 7);
	CHECK(memcmp(buf, "through", 7) == 0);

	/* MSG_CMSG_CLOEXEC */
	CHECK_EQ(send_fds(sv[0], &fds[0], 1, "Q", 1, 0), 1);
	CHECK_OK(close(fds[0]));
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), fds, &n, CMSG_SPACE(sizeof(int)),
			  MSG_CMSG_CLOEXEC, &mflags), 1);
	CHECK_EQ(n, 1);
	CHECK_EQ(mflags, MSG_CMSG_CLOEXEC);
	CHECK_EQ(fcntl(fds[0], F_GETFD), FD_CLOEXEC);
	/* the last writer closes: EOF on the pipe */
	CHECK_OK(close(fds[0]));
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);

	/* over a stream socket: the descriptors come with the first byte */
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(pipe(p));
	CHECK_EQ(write(sv[0], "ab", 2), 2);
	CHECK_EQ(send_fds(sv[0], &p[0], 1, "cd", 2, 0), 2);
	CHECK_EQ(write(sv[0], "ef", 2), 2);
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), fds, &n, CMSG_SPACE(sizeof(int)),
			  0, NULL), 4);         /* stops after the file's data */
	CHECK(memcmp(buf, "abcd", 4) == 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), fds + 1, &n,
			  CMSG_SPACE(sizeof(int)), 0, NULL), 2);
	CHECK_EQ(n, 0);
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(read(fds[0], buf, 1), 1);
	return 0;
}
