/* AF_UNIX helpers shared by the unix contract tests. */
#ifndef CONTRACT_UNIXSOCK_H
#define CONTRACT_UNIXSOCK_H

#include "contract.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

#define SUN_OFF offsetof(struct sockaddr_un, sun_path)

/* A path address; returns the length bind/connect should get. */
static inline socklen_t un_path(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s", path);
	return (socklen_t)(SUN_OFF + strlen(a->sun_path) + 1);
}

/* An abstract address "\0<name>-<pid>" (unique per test process);
 * returns its exact length (no trailing NUL counted). */
static inline socklen_t un_abstract(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "contract-%s-%d",
		 name, (int)getpid());
	return (socklen_t)(SUN_OFF + 1 + strlen(a->sun_path + 1));
}

/* sendmsg of @len bytes of @data plus an SCM_RIGHTS message with @n fds. */
static inline ssize_t send_fds(int s, const int *fds, int n, const void *data,
			       size_t len, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 256)];
		struct cmsghdr align;
	} u;
	struct iovec iov = { (void *)data, len };
	struct msghdr m = { 0 };
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	/* raw: musl's sendmsg copies at most 1024 control bytes */
	return syscall(SYS_sendmsg, s, &m, flags);
}

/*
 * recvmsg into @buf with a control buffer of @ctl bytes; the descriptors
 * of an SCM_RIGHTS message go to @fds (*nfds of them), msg_flags to
 * *mflags.  Returns recvmsg's result.
 */
static inline ssize_t recv_fds(int s, void *buf, size_t len, int *fds,
			       int *nfds, size_t ctl, int flags, int *mflags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 256) + 64];
		struct cmsghdr align;
	} u;
	struct iovec iov = { buf, len };
	struct msghdr m = { 0 };
	struct cmsghdr *c;
	ssize_t r;

	memset(&u, 0, sizeof(u));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl ? u.buf : NULL;
	m.msg_controllen = ctl;
	*nfds = 0;
	r = recvmsg(s, &m, flags);
	if (mflags)
		*mflags = m.msg_flags;
	if (r < 0)
		return r;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds + *nfds, CMSG_DATA(c), sizeof(int) * n);
			*nfds += n;
		}
	return r;
}

/* Number of open descriptors of this process (below 1024). */
static inline int count_open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

/* An int socket option. */
static inline int sockopt_int(int s, int name)
{
	int v = -12345;
	socklen_t l = sizeof(v);

	if (getsockopt(s, SOL_SOCKET, name, &v, &l) != 0)
		CONTRACT_FAIL("getsockopt %d", name);
	if (l != sizeof(v))
		CONTRACT_FAIL("getsockopt %d: length %d", name, (int)l);
	return v;
}

/* poll one descriptor for @events with a timeout; returns revents. */
static inline int poll_one(int fd, int events, int ms)
{
	struct pollfd p = { fd, (short)events, 0 };

	if (poll(&p, 1, ms) < 0)
		CONTRACT_FAIL("poll");
	return p.revents;
}

#endif
