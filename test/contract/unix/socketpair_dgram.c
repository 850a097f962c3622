/* socketpair(SOCK_DGRAM): record boundaries, truncation, empty
 * datagrams, one datagram per writev, and a closed peer (ECONNREFUSED,
 * then ENOTCONN, no EOF). */
#include "unixsock.h"

int main(void)
{
	int sv[2], flags;
	char buf[64];
	struct iovec iov[2] = { { "abc", 3 }, { "def", 3 } };
	struct iovec riov = { buf, 4 };
	struct msghdr m = { 0 };

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EQ(sockopt_int(sv[0], SO_TYPE), SOCK_DGRAM);
	CHECK_EQ(write(sv[0], "one", 3), 3);
	CHECK_EQ(write(sv[0], "", 0), 0);
	CHECK_EQ(write(sv[0], "three", 5), 5);
	CHECK_EQ(writev(sv[0], iov, 2), 6);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "one", 3) == 0);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);     /* the empty one */
	/* Truncated: the rest of the datagram is gone. */
	CHECK_EQ(read(sv[1], buf, 2), 2);
	CHECK(memcmp(buf, "th", 2) == 0);
	m.msg_iov = &riov;
	m.msg_iovlen = 1;
	CHECK_EQ(recvmsg(sv[1], &m, 0), 4);
	CHECK(memcmp(buf, "abcd", 4) == 0);
	CHECK_EQ(m.msg_flags & MSG_TRUNC, MSG_TRUNC);
	/* MSG_TRUNC as a flag: the real length. */
	CHECK_EQ(send(sv[1], "0123456789", 10, 0), 10);
	CHECK_EQ(recv(sv[0], buf, 4, MSG_TRUNC), 10);
	CHECK_ERRNO(recv(sv[0], buf, 4, MSG_DONTWAIT), EAGAIN);

	/* The peer closes: nothing to read (no EOF for datagrams), writable;
	 * a send finds the peer dead (ECONNREFUSED) and disconnects. */
	CHECK_OK(close(sv[1]));
	CHECK_ERRNO(recv(sv[0], buf, 4, MSG_DONTWAIT), EAGAIN);
	flags = poll_one(sv[0], POLLIN | POLLOUT, 0);
	CHECK_EQ(flags, POLLOUT);
	CHECK_ERRNO(send(sv[0], "x", 1, 0), ECONNREFUSED);
	CHECK_ERRNO(send(sv[0], "x", 1, 0), ENOTCONN);
	CHECK_ERRNO(write(sv[0], "x", 1), ENOTCONN);
	return 0;
}
