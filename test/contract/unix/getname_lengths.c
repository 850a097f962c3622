/* getsockname/getpeername lengths as Linux reports them: 2 unbound,
 * 2 + strlen + 1 for a path whatever length bind got, the full length
 * when the caller's buffer is shorter (and only that much copied). */
#include "unixsock.h"

int main(void)
{
	struct sockaddr_un a, got;
	socklen_t l;
	int s, t, sv[2];
	char longname[200];
	const char *dir = contract_tmpdir();
	size_t dlen = strlen(dir);

	s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	l = sizeof(got);
	CHECK_OK(getsockname(s, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF);
	CHECK_ERRNO(getpeername(s, (struct sockaddr *)&got, &l), ENOTCONN);

	/* bind with the whole struct: the name ends at the first NUL */
	un_path(&a, contract_path("n1"));
	CHECK_OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	l = sizeof(got);
	CHECK_OK(getsockname(s, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF + dlen + 4);
	/* a short buffer: truncated copy, full length back */
	memset(&got, 'z', sizeof(got));
	l = 5;
	CHECK_OK(getsockname(s, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF + dlen + 4);
	CHECK(memcmp(got.sun_path, dir, 3) == 0);
	CHECK_EQ(got.sun_path[3], 'z');
	l = 0;
	CHECK_OK(getsockname(s, NULL, &l));
	CHECK_EQ(l, SUN_OFF + dlen + 4);
	l = (socklen_t)-1;
	CHECK_ERRNO(getsockname(s, (struct sockaddr *)&got, &l), EINVAL);
	close(s);

	/* bind with a length that leaves out the NUL */
	s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	un_path(&a, contract_path("n2"));
	CHECK_OK(bind(s, (struct sockaddr *)&a, SUN_OFF + dlen + 3));
	l = sizeof(got);
	CHECK_OK(getsockname(s, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF + dlen + 4);
	CHECK(strcmp(got.sun_path, contract_path("n2")) == 0);
	close(s);

	/* a path that fills sun_path: 111 bytes, NUL included */
	CHECK(dlen + 1 < sizeof(a.sun_path));
	memset(longname, 'p', sizeof(longname));
	memcpy(longname, dir, dlen);
	longname[dlen] = '/';
	longname[sizeof(a.sun_path)] = 0;
	s = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, longname, sizeof(a.sun_path));
	CHECK_OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	memset(&got, 0, sizeof(got));
	{
		char big[128];

		l = sizeof(big);
		CHECK_OK(getsockname(s, (struct sockaddr *)big, &l));
		CHECK_EQ(l, sizeof(a) + 1);
		CHECK(memcmp(big + SUN_OFF, longname, sizeof(a.sun_path)) == 0);
		CHECK_EQ(big[sizeof(a)], 0);
	}
	close(s);

	/* socketpair ends are unbound, and each other's peer */
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	l = sizeof(got);
	CHECK_OK(getpeername(sv[0], (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF);
	CHECK_EQ(got.sun_family, AF_UNIX);
	/* a listener has no peer */
	t = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(t, (struct sockaddr *)&a, SUN_OFF));
	CHECK_OK(listen(t, 1));
	l = sizeof(got);
	CHECK_ERRNO(getpeername(t, (struct sockaddr *)&got, &l), ENOTCONN);
	return 0;
}
