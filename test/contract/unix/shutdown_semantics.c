/* shutdown(2): SHUT_WR gives the peer EOF after the queued data and
 * POLLRDHUP; SHUT_RD makes our reads return EOF; SHUT_RDWR both and
 * POLLHUP; an unconnected socket may be shut down too. */
#include "unixsock.h"

int main(void)
{
	int sv[2], s;
	char buf[16];

	signal(SIGPIPE, SIG_IGN);
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "data", 4), 4);
	CHECK_OK(shutdown(sv[0], SHUT_WR));
	CHECK_EQ(poll_one(sv[0], POLLIN | POLLOUT | POLLRDHUP, 0), POLLOUT);
	CHECK_EQ(poll_one(sv[1], POLLIN | POLLOUT | POLLRDHUP, 0),
		 POLLIN | POLLOUT | POLLRDHUP);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 4);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);
	CHECK_ERRNO(write(sv[0], "x", 1), EPIPE);
	/* the other direction still works */
	CHECK_EQ(write(sv[1], "back", 4), 4);
	CHECK_EQ(read(sv[0], buf, sizeof(buf)), 4);
	/* SHUT_RD: our reads end, the peer's writes fail */
	CHECK_EQ(write(sv[1], "late", 4), 4);
	CHECK_OK(shutdown(sv[0], SHUT_RD));
	CHECK_EQ(poll_one(sv[0], POLLIN | POLLOUT | POLLRDHUP, 0),
		 POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	CHECK_EQ(poll_one(sv[1], POLLIN | POLLOUT | POLLRDHUP, 0),
		 POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	CHECK_EQ(read(sv[0], buf, sizeof(buf)), 4);     /* queued data stays */
	CHECK_EQ(read(sv[0], buf, sizeof(buf)), 0);
	CHECK_ERRNO(write(sv[1], "x", 1), EPIPE);
	CHECK_OK(shutdown(sv[0], SHUT_RDWR));           /* again: fine */

	/* datagram sockets: local only */
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_OK(shutdown(sv[0], SHUT_WR));
	CHECK_ERRNO(send(sv[0], "x", 1, 0), EPIPE);
	CHECK_EQ(send(sv[1], "y", 1, 0), 1);
	CHECK_EQ(recv(sv[0], buf, 1, 0), 1);
	CHECK_EQ(poll_one(sv[1], POLLIN | POLLRDHUP, 0), 0);
	CHECK_OK(shutdown(sv[0], SHUT_RD));
	CHECK_EQ(recv(sv[0], buf, 1, 0), 0);
	CHECK_ERRNO(recv(sv[0], buf, 1, MSG_DONTWAIT), EAGAIN);
	CHECK_ERRNO(send(sv[1], "z", 1, 0), EPIPE);

	/* unconnected */
	s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_EQ(poll_one(s, POLLIN | POLLOUT, 0), POLLOUT | POLLHUP);
	CHECK_OK(shutdown(s, SHUT_RDWR));
	CHECK_ERRNO(shutdown(s, 3), EINVAL);
	return 0;
}
