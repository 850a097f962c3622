/* socket(2) and friends: the errors for bad families, types, protocols
 * and flags, and for descriptors that are not sockets. */
#include "unixsock.h"

int main(void)
{
	int s, p[2], v = 1;
	socklen_t l = sizeof(v);
	struct sockaddr_un a;

	CHECK_ERRNO(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERRNO(socket(1000, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERRNO(socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
	CHECK_ERRNO(socket(AF_UNIX, 11, 0), EINVAL);
	CHECK_ERRNO(socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
	CHECK_ERRNO(socket(AF_UNIX, 7, 0), ESOCKTNOSUPPORT);
	CHECK_ERRNO(socket(AF_UNIX, SOCK_STREAM, 2), EPROTONOSUPPORT);
	CHECK_ERRNO(socket(AF_UNIX, SOCK_RDM, 2), EPROTONOSUPPORT);
	CHECK_ERRNO(socketpair(AF_UNIX, SOCK_STREAM | 0x100, 0, p), EINVAL);
	CHECK_ERRNO(socketpair(1000, SOCK_STREAM, 0, p), EAFNOSUPPORT);

	/* protocol PF_UNIX is accepted; SOCK_RAW is a datagram socket */
	s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, PF_UNIX));
	CHECK_EQ(sockopt_int(s, SO_PROTOCOL), 0);
	close(s);
	s = CHECK_OK(socket(AF_UNIX, SOCK_RAW, 0));
	CHECK_EQ(sockopt_int(s, SO_TYPE), SOCK_DGRAM);
	/* no listen/accept for datagram sockets */
	CHECK_ERRNO(listen(s, 1), EOPNOTSUPP);
	CHECK_ERRNO(accept(s, NULL, NULL), EOPNOTSUPP);
	/* other levels, unknown options, read-only options */
	CHECK_ERRNO(getsockopt(s, 6, 1, &v, &l), EOPNOTSUPP);
	CHECK_ERRNO(setsockopt(s, 6, 1, &v, sizeof(v)), EOPNOTSUPP);
	CHECK_ERRNO(getsockopt(s, SOL_SOCKET, 9999, &v, &l), ENOPROTOOPT);
	CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof(v)), ENOPROTOOPT);
	CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, 2), EINVAL);
	CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, -1), EINVAL);
	l = (socklen_t)-1;
	CHECK_ERRNO(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l), EINVAL);
	CHECK_ERRNO(shutdown(s, 3), EINVAL);
	CHECK_ERRNO(shutdown(s, -1), EINVAL);
	close(s);

	/* Not a socket / not a descriptor. */
	CHECK_OK(pipe(p));
	un_path(&a, "/nonexistent");
	CHECK_ERRNO(bind(p[0], (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
	CHECK_ERRNO(connect(p[0], (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
	CHECK_ERRNO(listen(p[0], 1), ENOTSOCK);
	CHECK_ERRNO(accept(p[0], NULL, NULL), ENOTSOCK);
	CHECK_ERRNO(send(p[1], "x", 1, 0), ENOTSOCK);
	CHECK_ERRNO(recv(p[0], &v, 1, 0), ENOTSOCK);
	CHECK_ERRNO(shutdown(p[0], SHUT_RD), ENOTSOCK);
	CHECK_ERRNO(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &l), ENOTSOCK);
	CHECK_ERRNO(getsockname(p[0], (struct sockaddr *)&a, &l), ENOTSOCK);
	CHECK_ERRNO(listen(1000, 1), EBADF);
	CHECK_ERRNO(syscall(SYS_accept4, 1000, NULL, NULL, 0), EBADF);
	CHECK_ERRNO(syscall(SYS_accept4, p[0], NULL, NULL, 0x1234), EINVAL);
	return 0;
}
