/* MSG_PEEK (stream and datagram), MSG_TRUNC, MSG_WAITALL, MSG_DONTWAIT. */
#include "unixsock.h"

int main(void)
{
	int sv[2], dv[2];
	char buf[32];
	pid_t pid;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "abc", 3), 3);
	CHECK_EQ(write(sv[0], "defg", 4), 4);
	CHECK_EQ(recv(sv[1], buf, 2, MSG_PEEK), 2);
	CHECK(memcmp(buf, "ab", 2) == 0);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_PEEK), 7);   /* glued */
	CHECK(memcmp(buf, "abcdefg", 7) == 0);
	CHECK_EQ(recv(sv[1], buf, 1, 0), 1);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), MSG_PEEK), 6);
	CHECK(memcmp(buf, "bcdefg", 6) == 0);
	CHECK_EQ(recv(sv[1], buf, 4, 0), 4);
	CHECK(memcmp(buf, "bcde", 4) == 0);
	{
		int n = -1;

		CHECK_OK(ioctl(sv[1], FIONREAD, &n));
		CHECK_EQ(n, 2);
	}
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 2);
	CHECK_ERRNO(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT | MSG_PEEK), EAGAIN);

	/* MSG_WAITALL: wait until the whole buffer is there */
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		for (int i = 0; i < 4; i++) {
			contract_msleep(5);
			if (write(sv[0], "12", 2) != 2)
				_exit(1);
		}
		_exit(0);
	}
	CHECK_EQ(recv(sv[1], buf, 8, MSG_WAITALL), 8);
	CHECK(memcmp(buf, "12121212", 8) == 0);
	CHECK_EXITED(contract_wait(pid), 0);
	/* MSG_WAITALL stops at EOF */
	CHECK_EQ(write(sv[0], "xyz", 3), 3);
	CHECK_OK(shutdown(sv[0], SHUT_WR));
	CHECK_EQ(recv(sv[1], buf, 8, MSG_WAITALL), 3);

	/* datagrams: peek leaves the message, truncation */
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, dv));
	CHECK_EQ(send(dv[0], "message", 7, 0), 7);
	CHECK_EQ(send(dv[0], "2nd", 3, 0), 3);
	{
		int n = -1;

		CHECK_OK(ioctl(dv[1], FIONREAD, &n));
		CHECK_EQ(n, 7);                 /* the first datagram only */
	}
	CHECK_EQ(recv(dv[1], buf, 3, MSG_PEEK), 3);
	CHECK_EQ(recv(dv[1], buf, 3, MSG_PEEK | MSG_TRUNC), 7);
	CHECK_EQ(recv(dv[1], buf, sizeof(buf), MSG_PEEK), 7);
	CHECK_EQ(recv(dv[1], buf, sizeof(buf), 0), 7);
	CHECK(memcmp(buf, "message", 7) == 0);
	CHECK_EQ(recv(dv[1], buf, sizeof(buf), MSG_WAITALL), 3);
	CHECK(memcmp(buf, "2nd", 3) == 0);
	CHECK_ERRNO(recv(dv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* out-of-band data is not for datagram sockets */
	CHECK_ERRNO(send(dv[0], "x", 1, MSG_OOB), EOPNOTSUPP);
	CHECK_ERRNO(recv(dv[1], buf, 1, MSG_OOB), EOPNOTSUPP);
	return 0;
}
