/* sendmsg/recvmsg with several iovecs, sendmmsg/recvmmsg batches,
 * MSG_WAITFORONE, and msghdr argument errors. */
#include "unixsock.h"

int main(void)
{
	int sv[2];
	char a[4] = "abc", b[4] = "de", r1[8], r2[8], r3[8];
	struct iovec iov[2] = { { a, 3 }, { b, 2 } };
	struct iovec riov[3] = { { r1, 2 }, { r2, 2 }, { r3, 8 } };
	struct mmsghdr mm[4];
	struct msghdr m = { 0 };

	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	CHECK_EQ(sendmsg(sv[0], &m, 0), 5);
	m.msg_iov = riov;
	m.msg_iovlen = 3;
	CHECK_EQ(recvmsg(sv[1], &m, 0), 5);
	CHECK(memcmp(r1, "ab", 2) == 0 && memcmp(r2, "cd", 2) == 0 && r3[0] == 'e');
	CHECK_EQ(m.msg_flags, 0);

	/* three datagrams in one call */
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 3; i++) {
		mm[i].msg_hdr.msg_iov = &iov[i % 2];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	CHECK_EQ(sendmmsg(sv[0], mm, 3, 0), 3);
	CHECK_EQ(mm[0].msg_len, 3);
	CHECK_EQ(mm[1].msg_len, 2);
	CHECK_EQ(mm[2].msg_len, 3);
	memset(mm, 0, sizeof(mm));
	mm[0].msg_hdr.msg_iov = &riov[0];
	mm[1].msg_hdr.msg_iov = &riov[1];
	mm[2].msg_hdr.msg_iov = &riov[2];
	mm[3].msg_hdr.msg_iov = &riov[2];
	for (int i = 0; i < 4; i++)
		mm[i].msg_hdr.msg_iovlen = 1;
	/* MSG_WAITFORONE: the fourth does not wait */
	CHECK_EQ(recvmmsg(sv[1], mm, 4, MSG_WAITFORONE, NULL), 3);
	CHECK_EQ(mm[0].msg_len, 2);
	CHECK_EQ(mm[0].msg_hdr.msg_flags, MSG_TRUNC);
	CHECK_EQ(mm[1].msg_len, 2);
	CHECK_EQ(mm[2].msg_len, 3);
	CHECK(memcmp(r3, "abc", 3) == 0);
	CHECK_EQ(recvmmsg(sv[1], mm, 4, MSG_DONTWAIT, NULL), -1);
	CHECK_EQ(errno, EAGAIN);

	/* argument errors (raw system calls: musl's sendmsg reads the
	 * msghdr and copies the control data itself) */
	m.msg_iov = iov;
	m.msg_iovlen = 1025;
	CHECK_ERRNO(syscall(SYS_sendmsg, sv[0], &m, 0), EMSGSIZE);
	m.msg_iovlen = 1;
	m.msg_namelen = -1;
	m.msg_name = r1;
	CHECK_ERRNO(syscall(SYS_sendmsg, sv[0], &m, 0), EINVAL);
	m.msg_name = NULL;
	m.msg_namelen = 0;
	CHECK_ERRNO(syscall(SYS_sendmsg, sv[0], contract_unmapped_page(), 0),
		    EFAULT);
	m.msg_iov = contract_unmapped_page();
	CHECK_ERRNO(syscall(SYS_sendmsg, sv[0], &m, 0), EFAULT);
	m.msg_iov = iov;
	m.msg_control = r1;
	m.msg_controllen = 1 << 20;
	CHECK_ERRNO(syscall(SYS_sendmsg, sv[0], &m, 0), ENOBUFS);
	m.msg_control = contract_unmapped_page();
	m.msg_controllen = 64;
	CHECK_ERRNO(syscall(SYS_sendmsg, sv[0], &m, 0), EFAULT);
	CHECK_ERRNO(syscall(SYS_sendmsg, sv[0], &m, 0x80000000u), EINVAL);
	CHECK_ERRNO(syscall(SYS_recvmsg, sv[0], &m, 0x80000000u), EINVAL);
	/* a control buffer shorter than a header is ignored */
	m.msg_control = r1;
	m.msg_controllen = 8;
	CHECK_EQ(syscall(SYS_sendmsg, sv[0], &m, 0), 3);
	CHECK_EQ(recv(sv[1], r1, sizeof(r1), MSG_DONTWAIT), 3);
	return 0;
}
