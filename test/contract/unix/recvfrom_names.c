/* The sender's name on receive: recvfrom/recvmsg return the name of the
 * sending socket (for streams too), nothing for an unbound sender, the
 * full length when the caller's buffer is shorter; msg_namelen is left
 * alone without msg_name.  accept(2) with a bad length pointer fails with
 * EFAULT after taking the connection (which is then lost). */
#include "unixsock.h"

int main(void)
{
	struct sockaddr_un a, b, g;
	socklen_t al = un_path(&a, contract_path("srv")), l;
	socklen_t bl = un_path(&b, contract_path("cli"));
	int s, t, u, sv[2], v = -1;
	char buf[16];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { 0 };

	signal(SIGPIPE, SIG_IGN);
	s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(s, (struct sockaddr *)&a, al));
	CHECK_OK(listen(s, 5));
	t = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(t, (struct sockaddr *)&b, bl));
	CHECK_OK(connect(t, (struct sockaddr *)&a, al));
	u = CHECK_OK(accept(s, NULL, NULL));
	CHECK_EQ(write(t, "q", 1), 1);
	CHECK_EQ(write(u, "r", 1), 1);
	l = sizeof(g);
	CHECK_EQ(recvfrom(u, buf, 1, 0, (struct sockaddr *)&g, &l), 1);
	CHECK_EQ(l, bl);
	CHECK(strcmp(g.sun_path, b.sun_path) == 0);
	l = sizeof(g);
	CHECK_EQ(recvfrom(t, buf, 1, 0, (struct sockaddr *)&g, &l), 1);
	CHECK_EQ(l, al);
	CHECK(strcmp(g.sun_path, a.sun_path) == 0);
	CHECK_OK(ioctl(u, SIOCATMARK, &v));
	CHECK_EQ(v, 0);

	/* datagrams from an autobound sender, into short buffers */
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EQ(write(sv[1], "u", 1), 1);
	l = sizeof(g);
	CHECK_EQ(recvfrom(sv[0], buf, 1, 0, (struct sockaddr *)&g, &l), 1);
	CHECK_EQ(l, 0);                                 /* unbound sender */
	g.sun_family = AF_UNIX;
	CHECK_OK(bind(sv[0], (struct sockaddr *)&g, SUN_OFF));
	CHECK_EQ(write(sv[0], "x", 1), 1);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_name = &g;
	m.msg_namelen = 4;
	m.msg_flags = 0x1234;
	CHECK_EQ(recvmsg(sv[1], &m, 0), 1);
	CHECK_EQ(m.msg_namelen, SUN_OFF + 6);
	CHECK_EQ(m.msg_flags, 0);
	CHECK_EQ(write(sv[0], "y", 1), 1);
	m.msg_name = NULL;
	m.msg_namelen = 77;
	CHECK_EQ(recvmsg(sv[1], &m, 0), 1);
	CHECK_EQ(m.msg_namelen, 77);
	CHECK_EQ(write(sv[0], "z", 1), 1);
	m.msg_name = &g;
	m.msg_namelen = -1;
	CHECK_ERRNO(recvmsg(sv[1], &m, 0), EINVAL);
	m.msg_namelen = 1000;
	CHECK_EQ(recvmsg(sv[1], &m, 0), 1);             /* still queued */
	CHECK_EQ(m.msg_namelen, SUN_OFF + 6);

	/* accept with a bad length pointer */
	t = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(connect(t, (struct sockaddr *)&a, al));
	CHECK_ERRNO(accept(s, (struct sockaddr *)&g, NULL), EFAULT);
	CHECK_ERRNO(write(t, "q", 1), EPIPE);
	l = 3;
	CHECK_ERRNO(getsockname(s, NULL, &l), EFAULT);
	CHECK_ERRNO(getsockname(s, (struct sockaddr *)&g, NULL), EFAULT);
	CHECK_ERRNO(socketpair(AF_UNIX, SOCK_STREAM, 0, NULL), EFAULT);
	return 0;
}
