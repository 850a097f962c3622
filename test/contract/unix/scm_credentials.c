/* SCM_CREDENTIALS: with SO_PASSCRED the receiver gets the sender's pid,
 * uid and gid; a sender may claim other values only as root (EPERM
 * otherwise), invalid ids are EINVAL, unknown pids ESRCH. */
#include "unixsock.h"

static ssize_t send_creds(int s, pid_t pid, uid_t uid, gid_t gid)
{
	union {
		char b[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct ucred uc = { pid, uid, gid };
	struct iovec iov = { "c", 1 };
	struct msghdr m = { 0 };
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof(u.b);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(uc));
	memcpy(CMSG_DATA(c), &uc, sizeof(uc));
	return sendmsg(s, &m, 0);
}

/* Receive one message; fill *uc from its SCM_CREDENTIALS (pid -1 if
 * none) and return msg_flags. */
static int recv_creds(int s, struct ucred *uc)
{
	union {
		char b[CMSG_SPACE(sizeof(struct ucred)) + 64];
		struct cmsghdr align;
	} u;
	char c;
	struct iovec iov = { &c, 1 };
	struct msghdr m = { 0 };
	struct cmsghdr *h;

	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof(u.b);
	uc->pid = -1;
	if (recvmsg(s, &m, 0) != 1)
		CONTRACT_FAIL("recvmsg");
	for (h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS) {
			if (h->cmsg_len != CMSG_LEN(sizeof(*uc)))
				CONTRACT_FAIL("cmsg_len %d", (int)h->cmsg_len);
			memcpy(uc, CMSG_DATA(h), sizeof(*uc));
		}
	return m.msg_flags;
}

static int sv[2];

static int nobody(void *arg)
{
	pid_t me = getpid();

	contract_drop_privs();
	if (send_creds(sv[0], me, CONTRACT_NOBODY, CONTRACT_NOBODY) != 1)
		return 10;
	errno = 0;
	if (send_creds(sv[0], me, 0, CONTRACT_NOBODY) != -1 || errno != EPERM)
		return 11;
	errno = 0;
	if (send_creds(sv[0], me, CONTRACT_NOBODY, 0) != -1 || errno != EPERM)
		return 12;
	errno = 0;
	if (send_creds(sv[0], getppid(), CONTRACT_NOBODY, CONTRACT_NOBODY) != -1 ||
	    errno != EPERM)
		return 13;
	if (write(sv[0], "w", 1) != 1)          /* automatic credentials */
		return 14;
	return 0;
}

int main(void)
{
	struct ucred uc;
	int one = 1;
	pid_t me = getpid();

	contract_need_root();
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	/* without SO_PASSCRED: no credentials */
	CHECK_EQ(write(sv[0], "a", 1), 1);
	CHECK_EQ(recv_creds(sv[1], &uc), 0);
	CHECK_EQ(uc.pid, -1);
	/* with it: attached by the kernel */
	CHECK_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	CHECK_EQ(sockopt_int(sv[1], SO_PASSCRED), 1);
	CHECK_EQ(write(sv[0], "b", 1), 1);
	CHECK_EQ(recv_creds(sv[1], &uc), 0);
	CHECK_EQ(uc.pid, me);
	CHECK_EQ(uc.uid, getuid());
	CHECK_EQ(uc.gid, getgid());
	/* root may claim anything that exists */
	CHECK_EQ(send_creds(sv[0], me, 1234, 5678), 1);
	CHECK_EQ(recv_creds(sv[1], &uc), 0);
	CHECK_EQ(uc.pid, me);
	CHECK_EQ(uc.uid, 1234);
	CHECK_EQ(uc.gid, 5678);
	CHECK_EQ(send_creds(sv[0], 1, 0, 0), 1);
	CHECK_EQ(recv_creds(sv[1], &uc), 0);
	CHECK_EQ(uc.pid, 1);
	CHECK_ERRNO(send_creds(sv[0], me, (uid_t)-1, 0), EINVAL);
	CHECK_ERRNO(send_creds(sv[0], me, 0, (gid_t)-1), EINVAL);
	CHECK_ERRNO(send_creds(sv[0], 0x3ffffff0, 0, 0), ESRCH);

	/* a non-root sender: only its own ids */
	CHECK_EXITED(contract_run_child(nobody, NULL), 0);
	CHECK_EQ(recv_creds(sv[1], &uc), 0);
	CHECK(uc.pid > 0 && uc.pid != me);
	CHECK_EQ(uc.uid, CONTRACT_NOBODY);
	CHECK_EQ(uc.gid, CONTRACT_NOBODY);
	CHECK_EQ(recv_creds(sv[1], &uc), 0);
	CHECK_EQ(uc.uid, CONTRACT_NOBODY);

	/* SO_PASSCRED without a control buffer: MSG_CTRUNC */
	CHECK_EQ(write(sv[0], "c", 1), 1);
	{
		char c;
		struct iovec iov = { &c, 1 };
		struct msghdr m = { 0 };

		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		CHECK_EQ(recvmsg(sv[1], &m, 0), 1);
		CHECK_EQ(m.msg_flags, MSG_CTRUNC);
	}

	/* the sender's SO_PASSCRED attaches them too, and autobinds a
	 * datagram sender */
	{
		int s, d;
		struct sockaddr_un a, got;
		socklen_t alen = un_abstract(&a, "creds"), l = sizeof(got);

		d = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
		CHECK_OK(bind(d, (struct sockaddr *)&a, alen));
		s = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
		CHECK_OK(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
		CHECK_EQ(sendto(s, "x", 1, 0, (struct sockaddr *)&a, alen), 1);
		CHECK_OK(getsockname(s, (struct sockaddr *)&got, &l));
		CHECK_EQ(l, SUN_OFF + 6);
		one = 0;
		CHECK_EQ(sockopt_int(d, SO_PASSCRED), 0);
		l = sizeof(got);
		CHECK_EQ(recvfrom(d, &one, 1, 0, (struct sockaddr *)&got, &l), 1);
		CHECK_EQ(l, SUN_OFF + 6);
	}
	return 0;
}
