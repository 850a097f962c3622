/* SCM_RIGHTS limits: 253 descriptors in one message (254: EINVAL), a bad
 * descriptor (EBADF), several SCM_RIGHTS headers, and a short control
 * buffer: MSG_CTRUNC, the descriptors that fit are installed, the rest
 * closed (also without any control buffer, and on read(2)). */
#include "unixsock.h"

#define MANY 253

int main(void)
{
	static int fds[MANY + 1], got[MANY + 8];
	int sv[2], p[2], n, mflags, before;
	char buf[8];

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_OK(pipe(p));
	for (int i = 0; i <= MANY; i++)
		fds[i] = p[i % 2];
	CHECK_ERRNO(send_fds(sv[0], fds, MANY + 1, "x", 1, 0), EINVAL);
	fds[5] = 999;
	CHECK_ERRNO(send_fds(sv[0], fds, 10, "x", 1, 0), EBADF);
	fds[5] = -1;
	CHECK_ERRNO(send_fds(sv[0], fds, 10, "x", 1, 0), EBADF);
	fds[5] = p[1];
	CHECK_ERRNO(recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);  /* none sent */

	before = count_open_fds();
	CHECK_EQ(send_fds(sv[0], fds, MANY, "x", 1, 0), 1);
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), got, &n,
			  CMSG_SPACE(sizeof(int) * MANY), 0, &mflags), 1);
	CHECK_EQ(n, MANY);
	CHECK_EQ(mflags, 0);
	CHECK_EQ(count_open_fds(), before + MANY);
	for (int i = 0; i < n; i++) {
		struct stat a, b;

		CHECK_OK(fstat(got[i], &a));
		CHECK_OK(fstat(p[i % 2], &b));
		CHECK_EQ(a.st_ino, b.st_ino);
		CHECK_OK(close(got[i]));
	}

	/* room for two of five: two installed, three closed, MSG_CTRUNC */
	before = count_open_fds();
	CHECK_EQ(send_fds(sv[0], fds, 5, "y", 1, 0), 1);
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), got, &n,
			  CMSG_LEN(sizeof(int) * 2), 0, &mflags), 1);
	CHECK_EQ(n, 2);
	CHECK_EQ(mflags, MSG_CTRUNC);
	CHECK_EQ(count_open_fds(), before + 2);
	close(got[0]);
	close(got[1]);
	/* no control buffer at all */
	CHECK_EQ(send_fds(sv[0], fds, 5, "z", 1, 0), 1);
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), got, &n, 0, 0, &mflags), 1);
	CHECK_EQ(n, 0);
	CHECK_EQ(mflags, MSG_CTRUNC);
	CHECK_EQ(count_open_fds(), before);
	/* a buffer that holds only the header */
	CHECK_EQ(send_fds(sv[0], fds, 5, "w", 1, 0), 1);
	CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), got, &n,
			  sizeof(struct cmsghdr), 0, &mflags), 1);
	CHECK_EQ(n, 0);
	CHECK_EQ(mflags, MSG_CTRUNC);
	CHECK_EQ(count_open_fds(), before);
	/* read(2) has no control buffer either */
	CHECK_EQ(send_fds(sv[0], fds, 5, "v", 1, 0), 1);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 1);
	CHECK_EQ(count_open_fds(), before);

	/* two SCM_RIGHTS headers in one message arrive as one list */
	{
		union {
			char b[2 * CMSG_SPACE(2 * sizeof(int))];
			struct cmsghdr align;
		} u;
		struct iovec iov = { "m", 1 };
		struct msghdr m = { 0 };
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = u.b;
		m.msg_controllen = sizeof(u.b);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(2 * sizeof(int));
		memcpy(CMSG_DATA(c), p, 2 * sizeof(int));
		c = CMSG_NXTHDR(&m, c);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), p, sizeof(int));
		CHECK_EQ(sendmsg(sv[0], &m, 0), 1);
		CHECK_EQ(recv_fds(sv[1], buf, sizeof(buf), got, &n,
				  CMSG_SPACE(8 * sizeof(int)), 0, &mflags), 1);
		CHECK_EQ(n, 3);
		CHECK_EQ(mflags, 0);
		/* a cmsg_len running past the buffer */
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_len = sizeof(u.b) + 1;
		CHECK_ERRNO(sendmsg(sv[0], &m, 0), EINVAL);
		/* an unknown SOL_SOCKET type */
		c->cmsg_len = CMSG_LEN(sizeof(int));
		c->cmsg_type = 99;
		CHECK_ERRNO(sendmsg(sv[0], &m, 0), EINVAL);
	}
	return 0;
}
