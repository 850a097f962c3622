/* SOL_SOCKET options: defaults, SO_SNDBUF/SO_RCVBUF doubling and
 * minimum, SO_RCVTIMEO/SO_SNDTIMEO (EAGAIN when they expire), SO_ERROR,
 * boolean options, lengths. */
#include "unixsock.h"

int main(void)
{
	int sv[2], v, s;
	socklen_t l;
	struct timeval tv;
	struct linger lg;
	char buf[8];
	long long t0;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(sockopt_int(sv[0], SO_SNDBUF), 212992);
	CHECK_EQ(sockopt_int(sv[0], SO_RCVBUF), 212992);
	v = 50000;
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	CHECK_EQ(sockopt_int(sv[0], SO_SNDBUF), 100000);
	v = 1;
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	CHECK_EQ(sockopt_int(sv[0], SO_SNDBUF), 4608);
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	CHECK_EQ(sockopt_int(sv[0], SO_RCVBUF), 2304);
	v = 30000;
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	CHECK_EQ(sockopt_int(sv[0], SO_RCVBUF), 60000);
	CHECK_EQ(sockopt_int(sv[0], SO_ERROR), 0);
	CHECK_EQ(sockopt_int(sv[0], SO_SNDLOWAT), 1);
	CHECK_EQ(sockopt_int(sv[0], SO_RCVLOWAT), 1);
	v = 0;
	CHECK_ERRNO(setsockopt(sv[0], SOL_SOCKET, SO_SNDLOWAT, &v, sizeof(v)),
		    ENOPROTOOPT);

	/* booleans read back as 0/1 */
	v = 7;
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)));
	CHECK_EQ(sockopt_int(sv[0], SO_REUSEADDR), 1);
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v)));
	CHECK_EQ(sockopt_int(sv[0], SO_KEEPALIVE), 1);
	v = 0;
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v)));
	CHECK_EQ(sockopt_int(sv[0], SO_KEEPALIVE), 0);
	lg.l_onoff = 1;
	lg.l_linger = 5;
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	l = sizeof(lg);
	memset(&lg, 0, sizeof(lg));
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, &l));
	CHECK_EQ(l, sizeof(lg));
	CHECK_EQ(lg.l_onoff, 1);
	CHECK_EQ(lg.l_linger, 5);
	CHECK_ERRNO(setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, 4), EINVAL);
	/* a short length gets a prefix; a longer one the int */
	l = 1;
	v = 0;
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &l));
	CHECK_EQ(l, 1);
	CHECK_EQ(v, SOCK_STREAM);
	{
		char big[16];

		l = sizeof(big);
		CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, big, &l));
		CHECK_EQ(l, sizeof(int));
	}

	/* timeouts: 0 means forever, the value reads back */
	l = sizeof(tv);
	CHECK_OK(getsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, &l));
	CHECK_EQ(l, sizeof(tv));
	CHECK_EQ(tv.tv_sec, 0);
	CHECK_EQ(tv.tv_usec, 0);
	tv.tv_sec = 0;
	tv.tv_usec = 200000;
	CHECK_ERRNO(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, 8), EINVAL);
	CHECK_OK(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	memset(&tv, 0, sizeof(tv));
	CHECK_OK(getsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, &l));
	CHECK_EQ(tv.tv_sec, 0);
	CHECK_EQ(tv.tv_usec, 200000);
	t0 = contract_now_ns();
	CHECK_ERRNO(read(sv[1], buf, 1), EAGAIN);
	CHECK(contract_now_ns() - t0 >= 190000000LL);
	tv.tv_usec = 1000000;
	CHECK_ERRNO(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)),
		    EDOM);
	/* a negative time: do not wait at all */
	tv.tv_sec = -1;
	tv.tv_usec = 0;
	CHECK_OK(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	CHECK_ERRNO(read(sv[1], buf, 1), EAGAIN);
	CHECK_OK(getsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, &l));
	CHECK_EQ(tv.tv_sec, 0);
	CHECK_EQ(tv.tv_usec, 0);

	/* SO_SNDTIMEO: a full send buffer */
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	{
		static char big[1 << 16];
		ssize_t n;

		do
			n = write(sv[0], big, sizeof(big));
		while (n > 0);
		CHECK_EQ(n, -1);
		CHECK_EQ(errno, EAGAIN);
	}

	/* SO_ACCEPTCONN, SO_DOMAIN on a fresh socket */
	s = CHECK_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	CHECK_EQ(sockopt_int(s, SO_ACCEPTCONN), 0);
	CHECK_EQ(sockopt_int(s, SO_DOMAIN), AF_UNIX);
	CHECK_EQ(sockopt_int(s, SO_TYPE), SOCK_SEQPACKET);
	return 0;
}
