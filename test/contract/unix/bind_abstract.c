/* Abstract names: exact lengths, one namespace per socket type, no file,
 * EADDRINUSE, and autobind ("\0" and five hex digits). */
#include "unixsock.h"

int main(void)
{
	struct sockaddr_un a, got;
	socklen_t alen, l;
	int s1, s2, s3, c, acc;
	char hex[6];

	alen = un_abstract(&a, "abstract");
	s1 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(s1, (struct sockaddr *)&a, alen));
	l = sizeof(got);
	memset(&got, 0xff, sizeof(got));
	CHECK_OK(getsockname(s1, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, alen);
	CHECK(memcmp(&got, &a, alen) == 0);
	s2 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_ERRNO(bind(s2, (struct sockaddr *)&a, alen), EADDRINUSE);
	/* one byte longer (a trailing NUL) is another name */
	CHECK_OK(bind(s2, (struct sockaddr *)&a, alen + 1));
	/* another type has its own namespace */
	s3 = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK_OK(bind(s3, (struct sockaddr *)&a, alen));

	CHECK_OK(listen(s1, 1));
	c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(connect(c, (struct sockaddr *)&a, alen));
	l = sizeof(got);
	CHECK_OK(getpeername(c, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, alen);
	CHECK(memcmp(&got, &a, alen) == 0);
	acc = CHECK_OK(accept(s1, NULL, NULL));
	CHECK_EQ(write(acc, "k", 1), 1);
	close(c);
	/* a seqpacket socket finds no seqpacket socket of that name */
	c = CHECK_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	CHECK_ERRNO(connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED);
	close(c);
	/* bound to alen + 1 but not listening */
	c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_ERRNO(connect(c, (struct sockaddr *)&a, alen + 1), ECONNREFUSED);
	/* the name goes with the socket */
	close(s1);
	close(acc);
	CHECK_ERRNO(connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED);
	CHECK_OK(bind(c, (struct sockaddr *)&a, alen));

	/* autobind: bind with only the family */
	s1 = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK_OK(bind(s1, (struct sockaddr *)&a, SUN_OFF));
	l = sizeof(got);
	CHECK_OK(getsockname(s1, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF + 6);
	CHECK_EQ(got.sun_path[0], 0);
	memcpy(hex, got.sun_path + 1, 5);
	hex[5] = 0;
	for (int i = 0; i < 5; i++)
		CHECK(strchr("0123456789abcdef", hex[i]) != NULL);
	/* autobind of a bound socket changes nothing; a real bind fails */
	CHECK_OK(bind(s1, (struct sockaddr *)&a, SUN_OFF));
	l = sizeof(a);
	CHECK_OK(getsockname(s1, (struct sockaddr *)&a, &l));
	CHECK(memcmp(&a, &got, SUN_OFF + 6) == 0);
	alen = un_abstract(&a, "second");
	CHECK_ERRNO(bind(s1, (struct sockaddr *)&a, alen), EINVAL);
	/* the autobound name is reachable */
	s2 = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK_EQ(sendto(s2, "hi", 2, 0, (struct sockaddr *)&got, SUN_OFF + 6), 2);
	CHECK_EQ(recv(s1, hex, sizeof(hex), 0), 2);
	return 0;
}
