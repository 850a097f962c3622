/* SCM_RIGHTS with sockets: a socket passed over itself arrives as a
 * working descriptor of the same socket; in-flight sockets keep their
 * connection alive after every descriptor of them is closed. */
#include "unixsock.h"

int main(void)
{
	int sv[2], inner[2], fds[2], n;
	char buf[8];
	struct stat a, b;

	/* pass sv[0] over sv[0] */
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(send_fds(sv[0], &sv[0], 1, "s", 1, 0), 1);
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), fds, &n,
			  CMSG_SPACE(sizeof(int)), 0, NULL), 1);
	CHECK_EQ(n, 1);
	CHECK_OK(fstat(fds[0], &a));
	CHECK_OK(fstat(sv[0], &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK(S_ISSOCK(a.st_mode));
	CHECK_OK(close(sv[0]));
	CHECK_EQ(write(fds[0], "via", 3), 3);           /* still connected */
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 3);
	CHECK_OK(close(fds[0]));
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);     /* now closed */

	/* a connected pair travels: one end in flight, every local
	 * descriptor of it closed; data sent before and after survives */
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, inner));
	CHECK_EQ(write(inner[1], "early", 5), 5);
	CHECK_EQ(send_fds(sv[0], &inner[0], 1, "i", 1, 0), 1);
	CHECK_OK(close(inner[0]));
	CHECK_EQ(write(inner[1], "late", 4), 4);        /* peer still there */
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), fds, &n,
			  CMSG_SPACE(sizeof(int)), 0, NULL), 1);
	CHECK_EQ(n, 1);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), 8);
	CHECK(memcmp(buf, "earlylat", 8) == 0);
	CHECK_EQ(read(fds[0], buf, sizeof(buf)), 1);
	CHECK_OK(close(fds[0]));
	CHECK_EQ(read(inner[1], buf, sizeof(buf)), 0);
	return 0;
}
