/* socketpair(SOCK_SEQPACKET): records with boundaries and MSG_TRUNC; the
 * peer's close gives EOF, ECONNRESET if data was left unread, then EPIPE
 * (and never SIGPIPE). */
#include "unixsock.h"

int main(void)
{
	int sv[2];
	char buf[64];
	struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };

	signal(SIGPIPE, SIG_IGN);
	CHECK_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	CHECK_EQ(sockopt_int(sv[0], SO_TYPE), SOCK_SEQPACKET);
	CHECK_EQ(write(sv[0], "first", 5), 5);
	CHECK_EQ(writev(sv[0], iov, 2), 4);
	CHECK_EQ(send(sv[0], "third!", 6, MSG_EOR), 6);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 5);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "abcd", 4) == 0);
	CHECK_EQ(recv(sv[1], buf, 3, MSG_TRUNC), 6);
	CHECK(memcmp(buf, "thi", 3) == 0);
	CHECK_ERRNO(recv(sv[1], buf, 3, MSG_DONTWAIT), EAGAIN);

	/* Closing with unread data: the peer gets ECONNRESET once. */
	CHECK_EQ(write(sv[1], "unread", 6), 6);
	CHECK_OK(close(sv[0]));
	CHECK_EQ(poll_one(sv[1], POLLIN | POLLOUT | POLLRDHUP, 0),
		 POLLIN | POLLOUT | POLLHUP | POLLRDHUP | POLLERR);
	CHECK_ERRNO(send(sv[1], "x", 1, 0), ECONNRESET);
	CHECK_ERRNO(send(sv[1], "x", 1, 0), EPIPE);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 0);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 0);

	/* Without unread data: EPIPE at once, no signal (SIGPIPE would kill
	 * us if raised: restore the default first). */
	signal(SIGPIPE, SIG_DFL);
	CHECK_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	CHECK_OK(close(sv[0]));
	CHECK_ERRNO(write(sv[1], "x", 1), EPIPE);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);
	return 0;
}
