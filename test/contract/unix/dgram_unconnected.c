/* Unconnected datagram sockets: sendto/recvfrom with names, the sender's
 * address (none if unbound), connect as a default destination and a
 * filter (EPERM for others), AF_UNSPEC to disconnect, and the queue limit
 * for a receiver that is not connected back (EAGAIN). */
#include "unixsock.h"

int main(void)
{
	struct sockaddr_un a, b, got;
	socklen_t alen = un_path(&a, contract_path("a.sock"));
	socklen_t blen = un_path(&b, contract_path("b.sock")), l;
	int sa, sb, sc, n;
	char buf[16];

	sa = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	sb = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	sc = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0));
	CHECK_OK(bind(sa, (struct sockaddr *)&a, alen));
	CHECK_OK(bind(sb, (struct sockaddr *)&b, blen));
	CHECK_ERRNO(send(sc, "x", 1, 0), ENOTCONN);
	CHECK_ERRNO(sendto(sc, "x", 1, 0, (struct sockaddr *)&a, 1), EINVAL);

	/* from a bound sender: its name; from an unbound one: none */
	CHECK_EQ(sendto(sb, "from b", 6, 0, (struct sockaddr *)&a, alen), 6);
	CHECK_EQ(sendto(sc, "from c", 6, 0, (struct sockaddr *)&a, alen), 6);
	l = sizeof(got);
	CHECK_EQ(recvfrom(sa, buf, sizeof(buf), 0, (struct sockaddr *)&got, &l), 6);
	CHECK_EQ(l, blen);
	CHECK(strcmp(got.sun_path, b.sun_path) == 0);
	l = sizeof(got);
	CHECK_EQ(recvfrom(sa, buf, sizeof(buf), 0, (struct sockaddr *)&got, &l), 6);
	CHECK_EQ(l, 0);
	CHECK(memcmp(buf, "from c", 6) == 0);

	/* connect: default destination; the receiver filters others once it
	 * is connected itself */
	CHECK_OK(connect(sc, (struct sockaddr *)&a, alen));
	l = sizeof(got);
	CHECK_OK(getpeername(sc, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, alen);
	CHECK_EQ(send(sc, "c1", 2, 0), 2);
	CHECK_EQ(recv(sa, buf, sizeof(buf), 0), 2);
	CHECK_OK(connect(sa, (struct sockaddr *)&b, blen));
	CHECK_ERRNO(send(sc, "c2", 2, 0), EPERM);
	CHECK_EQ(sendto(sb, "b1", 2, 0, (struct sockaddr *)&a, alen), 2);
	CHECK_EQ(recv(sa, buf, sizeof(buf), 0), 2);
	/* sc cannot connect to sa either now */
	CHECK_ERRNO(connect(sc, (struct sockaddr *)&a, alen), EPERM);
	/* AF_UNSPEC disconnects */
	memset(&got, 0, sizeof(got));
	got.sun_family = AF_UNSPEC;
	CHECK_OK(connect(sa, (struct sockaddr *)&got, sizeof(got.sun_family)));
	l = sizeof(got);
	CHECK_ERRNO(getpeername(sa, (struct sockaddr *)&got, &l), ENOTCONN);
	CHECK_EQ(send(sc, "c3", 2, 0), 2);
	CHECK_EQ(recv(sa, buf, sizeof(buf), 0), 2);
	/* sendto a missing name */
	l = un_path(&got, contract_path("none.sock"));
	CHECK_ERRNO(sendto(sb, "x", 1, 0, (struct sockaddr *)&got, l), ENOENT);

	/* the queue limit: max_dgram_qlen (10) + 1 queued, then EAGAIN */
	n = 0;
	while (send(sc, "q", 1, 0) == 1)
		n++;
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(n, 11);
	CHECK_EQ(poll_one(sc, POLLOUT, 0), 0);
	CHECK_EQ(recv(sa, buf, sizeof(buf), 0), 1);
	CHECK_EQ(poll_one(sc, POLLOUT, 0), POLLOUT);
	CHECK_EQ(send(sc, "q", 1, 0), 1);
	/* a closed destination: ECONNREFUSED, then not connected */
	CHECK_OK(close(sa));
	CHECK_ERRNO(send(sc, "q", 1, 0), ECONNREFUSED);
	CHECK_ERRNO(send(sc, "q", 1, 0), ENOTCONN);
	CHECK_ERRNO(sendto(sc, "q", 1, 0, (struct sockaddr *)&a, alen), ECONNREFUSED);
	/* datagrams too big for the send buffer */
	{
		static char big[300000];

		CHECK_ERRNO(sendto(sc, big, sizeof(big), 0, (struct sockaddr *)&b,
				   blen), EMSGSIZE);
	}
	return 0;
}
