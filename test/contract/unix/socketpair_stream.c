/* socketpair(SOCK_STREAM): a connected byte stream in both directions,
 * socket file type, flags, type/domain options, EOF after close. */
#include "unixsock.h"

int main(void)
{
	int sv[2], nb[2];
	char buf[64];
	struct stat st;
	struct iovec iov[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK(sv[0] >= 0 && sv[1] >= 0 && sv[0] != sv[1]);
	CHECK_OK(fstat(sv[0], &st));
	CHECK_EQ(st.st_mode, S_IFSOCK | 0777);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(sockopt_int(sv[0], SO_TYPE), SOCK_STREAM);
	CHECK_EQ(sockopt_int(sv[0], SO_DOMAIN), AF_UNIX);
	CHECK_EQ(sockopt_int(sv[0], SO_PROTOCOL), 0);
	CHECK_EQ(sockopt_int(sv[0], SO_ACCEPTCONN), 0);
	CHECK_EQ(fcntl(sv[0], F_GETFD), 0);
	CHECK_EQ(fcntl(sv[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR);

	/* Both directions; writes of several pieces read back as one stream. */
	CHECK_EQ(write(sv[0], "hello", 5), 5);
	CHECK_EQ(write(sv[0], " world", 6), 6);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "hello world", 11) == 0);
	CHECK_EQ(write(sv[1], "back", 4), 4);
	CHECK_EQ(recv(sv[0], buf, 2, 0), 2);
	CHECK_EQ(recv(sv[0], buf + 2, 10, 0), 2);
	CHECK(memcmp(buf, "back", 4) == 0);
	CHECK_EQ(writev(sv[0], iov, 3), 5);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "abcde", 5) == 0);

	/* No seeking, no positioned I/O. */
	CHECK_ERRNO(lseek(sv[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERRNO(pread(sv[0], buf, 1, 0), ESPIPE);

	/* Nothing queued: a non-blocking read fails, MSG_DONTWAIT too. */
	CHECK_ERRNO(recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);
	CHECK_EQ(read(sv[1], buf, 0), 0);

	/* The peer's close: queued data first, then EOF. */
	CHECK_EQ(write(sv[0], "xy", 2), 2);
	CHECK_OK(close(sv[0]));
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 2);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);
	CHECK_OK(close(sv[1]));

	/* SOCK_NONBLOCK and SOCK_CLOEXEC apply to both descriptors. */
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    0, nb));
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(fcntl(nb[i], F_GETFD), FD_CLOEXEC);
		CHECK(fcntl(nb[i], F_GETFL) & O_NONBLOCK);
	}
	CHECK_ERRNO(read(nb[0], buf, 1), EAGAIN);
	return 0;
}
