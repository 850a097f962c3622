/*
 * Socket system calls (socket(2), bind(2), sendmsg(2), ...): fetch and
 * check the arguments in Linux's order, copy addresses, iovecs and
 * control data into the kernel, and call the protocol through the
 * socket's proto_ops.  Addresses go back to user space the way Linux's
 * move_addr_to_user does: truncated to the caller's length, which is
 * then set to the full length.
 */
#include "net/internal.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

#define UIO_MAXIOV 1024
#define IOV_FAST 8

struct iovec_user {
	uint64_t base;
	uint64_t len;
};

/* struct msghdr as user space lays it out. */
struct user_msghdr {
	uint64_t name;
	int32_t namelen;
	int32_t pad;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	uint32_t flags;
	uint32_t pad2;
};
STATIC_ASSERT(sizeof(struct user_msghdr) == 56, "struct msghdr");
STATIC_ASSERT(offsetof(struct user_msghdr, namelen) == 8, "msg_namelen");
STATIC_ASSERT(offsetof(struct user_msghdr, controllen) == 40, "msg_controllen");
STATIC_ASSERT(offsetof(struct user_msghdr, flags) == 48, "msg_flags");

struct user_mmsghdr {
	struct user_msghdr hdr;
	uint32_t len;
	uint32_t pad;
};
STATIC_ASSERT(sizeof(struct user_mmsghdr) == 64, "struct mmsghdr");

/* The socket behind descriptor @fd (with a file reference in *@fp). */
static struct socket *sockfd_lookup(int fd, struct file **fp, int *err)
{
	struct file *f = fd_get(fd);
	struct socket *sock;

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	sock = sock_from_file(f);
	if (!sock) {
		file_put(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	*fp = f;
	return sock;
}

static bool file_nonblock(struct file *f)
{
	return file_flags(f) & O_NONBLOCK;
}

static int move_addr_to_kernel(uaddr_t uaddr, int ulen,
			       struct sockaddr_storage_k *k)
{
	if (ulen < 0 || ulen > (int)sizeof(*k))
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	if (ulen == 0)
		return 0;
	return copy_from_user(k, uaddr, (size_t)ulen) ? -EFAULT : 0;
}

static int move_addr_to_user(const struct sockaddr_storage_k *k, int klen,
			     uaddr_t uaddr, uaddr_t ulenp)
{
	int32_t len;

	if (get_user(len, ulenp))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(uaddr, k, (size_t)len))
		return -EFAULT;
	return put_user((int32_t)klen, (int32_t *)ulenp) ? -EFAULT : 0;
}

/* Install @f as a new descriptor (dropping it on failure). */
static int install_file(struct file *f, unsigned flags)
{
	int fd;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	fd = fd_install(f, flags & SOCK_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	unsigned flags = (unsigned)type & ~SOCK_TYPE_MASK;
	struct socket *sock;
	int err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &sock);
	if (err)
		return err;
	return install_file(sock_alloc_file(sock, flags), flags);
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol,
		uaddr_t, usv)
{
	unsigned flags = (unsigned)type & ~SOCK_TYPE_MASK;
	struct socket *a, *b;
	struct file *fa, *fb;
	int32_t fds[2];
	int err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	type &= SOCK_TYPE_MASK;
	err = sock_create(family, type, protocol, &a);
	if (err)
		return err;
	err = sock_create(family, type, protocol, &b);
	if (err) {
		sock_release(a);
		return err;
	}
	err = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
	if (err) {
		sock_release(a);
		sock_release(b);
		return err;
	}
	fa = sock_alloc_file(a, flags);
	if (IS_ERR(fa)) {
		sock_release(b);
		return (int)PTR_ERR(fa);
	}
	fb = sock_alloc_file(b, flags);
	if (IS_ERR(fb)) {
		file_put(fa);
		return (int)PTR_ERR(fb);
	}
	fds[0] = install_file(fa, flags);
	if (fds[0] < 0) {
		file_put(fb);
		return fds[0];
	}
	fds[1] = install_file(fb, flags);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		return fds[1];
	}
	if (copy_to_user(usv, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE3(bind, int, fd, uaddr_t, uaddr, int, len)
{
	struct sockaddr_storage_k addr;
	struct socket *sock;
	struct file *f;
	int err;

	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	err = move_addr_to_kernel(uaddr, len, &addr);
	if (!err)
		err = sock->ops->bind ? sock->ops->bind(sock, &addr, len)
				      : -EOPNOTSUPP;
	file_put(f);
	return err;
}

SYSCALL_DEFINE3(connect, int, fd, uaddr_t, uaddr, int, len)
{
	struct sockaddr_storage_k addr;
	struct socket *sock;
	struct file *f;
	int err;

	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	err = move_addr_to_kernel(uaddr, len, &addr);
	if (!err)
		err = sock->ops->connect
		      ? sock->ops->connect(sock, &addr, len, file_nonblock(f))
		      : -EOPNOTSUPP;
	file_put(f);
	return err;
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	struct socket *sock;
	struct file *f;
	int err;

	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	err = sock->ops->listen ? sock->ops->listen(sock, backlog) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

static long do_accept(int fd, uaddr_t uaddr, uaddr_t ulenp, int flags)
{
	struct sockaddr_storage_k addr;
	struct socket *sock, *newsock;
	struct file *f, *nf;
	int err, len;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	if (!sock->ops->accept) {
		file_put(f);
		return -EOPNOTSUPP;
	}
	newsock = sock_alloc(sock->type, sock->ops);
	if (!newsock) {
		file_put(f);
		return -ENOMEM;
	}
	err = sock->ops->accept(sock, newsock, file_nonblock(f));
	file_put(f);
	if (err) {
		sock_release(newsock);
		return err;
	}
	nf = sock_alloc_file(newsock, (unsigned)flags);
	if (IS_ERR(nf))
		return PTR_ERR(nf);
	if (uaddr) {
		len = newsock->ops->getname(newsock, &addr, true);
		err = len < 0 ? -ECONNABORTED
			      : move_addr_to_user(&addr, len, uaddr, ulenp);
		if (err) {
			file_put(nf);
			return err;
		}
	}
	return install_file(nf, (unsigned)flags);
}

SYSCALL_DEFINE3(accept, int, fd, uaddr_t, uaddr, uaddr_t, ulenp)
{
	return do_accept(fd, uaddr, ulenp, 0);
}

SYSCALL_DEFINE4(accept4, int, fd, uaddr_t, uaddr, uaddr_t, ulenp, int, flags)
{
	return do_accept(fd, uaddr, ulenp, flags);
}

static long do_getname(int fd, uaddr_t uaddr, uaddr_t ulenp, bool peer)
{
	struct sockaddr_storage_k addr;
	struct socket *sock;
	struct file *f;
	int err, len;

	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	memset(&addr, 0, sizeof(addr));
	len = sock->ops->getname ? sock->ops->getname(sock, &addr, peer)
				 : -EOPNOTSUPP;
	file_put(f);
	if (len < 0)
		return len;
	return move_addr_to_user(&addr, len, uaddr, ulenp);
}

SYSCALL_DEFINE3(getsockname, int, fd, uaddr_t, uaddr, uaddr_t, ulenp)
{
	return do_getname(fd, uaddr, ulenp, false);
}

SYSCALL_DEFINE3(getpeername, int, fd, uaddr_t, uaddr, uaddr_t, ulenp)
{
	return do_getname(fd, uaddr, ulenp, true);
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	struct socket *sock;
	struct file *f;
	int err;

	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	err = sock->ops->shutdown ? sock->ops->shutdown(sock, how) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, name, uaddr_t, val,
		int, len)
{
	struct socket *sock;
	struct file *f;
	int err;

	if (len < 0)
		return -EINVAL;
	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	if (level == SOL_SOCKET)
		err = sock_setsockopt(sock, name, val, len);
	else
		err = sock->ops->setsockopt
		      ? sock->ops->setsockopt(sock, level, name, val, len)
		      : -EOPNOTSUPP;
	file_put(f);
	return err;
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, name, uaddr_t, val,
		uaddr_t, lenp)
{
	struct socket *sock;
	struct file *f;
	int err;

	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	if (level == SOL_SOCKET)
		err = sock_getsockopt(sock, name, val, lenp);
	else
		err = sock->ops->getsockopt
		      ? sock->ops->getsockopt(sock, level, name, val, lenp)
		      : -EOPNOTSUPP;
	file_put(f);
	return err;
}

/* ---- data transfer ---- */

static long sock_sendmsg(struct socket *sock, struct kmsg *m, int flags)
{
	if (!sock->ops->sendmsg)
		return -EOPNOTSUPP;
	return sock->ops->sendmsg(sock, m, m->iter.left, flags);
}

static long sock_recvmsg(struct socket *sock, struct kmsg *m, int flags)
{
	if (!sock->ops->recvmsg)
		return -EOPNOTSUPP;
	return sock->ops->recvmsg(sock, m, m->iter.left, flags);
}

SYSCALL_DEFINE6(sendto, int, fd, uaddr_t, buf, size_t, len, unsigned, flags,
		uaddr_t, uaddr, int, addrlen)
{
	struct sockaddr_storage_k addr;
	struct iobuf b = { .user = true, .ubuf = buf, .len = len };
	struct kmsg m = { 0 };
	struct socket *sock;
	struct file *f;
	long err;
	int e;

	if (b.len > MAX_RW_COUNT)
		b.len = MAX_RW_COUNT;
	if (!user_range_ok(buf, b.len))
		return -EFAULT;
	sock = sockfd_lookup(fd, &f, &e);
	if (!sock)
		return e;
	iov_iter_init(&m.iter, &b, 1);
	if (uaddr) {
		err = move_addr_to_kernel(uaddr, addrlen, &addr);
		if (err)
			goto out;
		m.name = addrlen ? &addr : NULL;
		m.namelen = addrlen;
	}
	if (file_nonblock(f))
		flags |= MSG_DONTWAIT;
	err = sock_sendmsg(sock, &m, (int)flags);
out:
	file_put(f);
	return err;
}

SYSCALL_DEFINE6(recvfrom, int, fd, uaddr_t, buf, size_t, len, unsigned, flags,
		uaddr_t, uaddr, uaddr_t, ulenp)
{
	struct sockaddr_storage_k addr;
	struct iobuf b = { .user = true, .ubuf = buf, .len = len };
	struct kmsg m = { 0 };
	struct socket *sock;
	struct file *f;
	long n;
	int err;

	if (b.len > MAX_RW_COUNT)
		b.len = MAX_RW_COUNT;
	if (!user_range_ok(buf, b.len))
		return -EFAULT;
	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	iov_iter_init(&m.iter, &b, 1);
	m.name = uaddr ? &addr : NULL;
	if (file_nonblock(f))
		flags |= MSG_DONTWAIT;
	n = sock_recvmsg(sock, &m, (int)flags);
	file_put(f);
	if (n >= 0 && uaddr) {
		err = move_addr_to_user(&addr, m.namelen, uaddr, ulenp);
		if (err)
			return err;
	}
	return n;
}

/* A user msghdr copied in: name, iovecs (and for sends the control
 * data) in kernel memory. */
struct msg_state {
	struct user_msghdr uh;
	struct sockaddr_storage_k addr;
	struct iobuf fast[IOV_FAST];
	struct iobuf *bufs;
	struct kmsg m;
};

static void msg_state_free(struct msg_state *s)
{
	if (s->bufs != s->fast)
		kfree(s->bufs);
	kfree(s->m.control);
	s->bufs = NULL;
	s->m.control = NULL;
}

/* Linux's copy_msghdr_from_user + import_iovec (+ the control copy of
 * ____sys_sendmsg when @send). */
static int msg_state_import(struct msg_state *s, uaddr_t umsg, bool send)
{
	struct iovec_user *iov = NULL;
	size_t total = 0;
	int err = 0;

	memset(&s->m, 0, sizeof(s->m));
	s->bufs = s->fast;
	if (copy_from_user(&s->uh, umsg, sizeof(s->uh)))
		return -EFAULT;
	if (!s->uh.name)
		s->uh.namelen = 0;
	if (s->uh.namelen < 0)
		return -EINVAL;
	if (s->uh.namelen > (int)sizeof(s->addr))
		s->uh.namelen = sizeof(s->addr);
	memset(&s->addr, 0, sizeof(s->addr));
	if (send && s->uh.name && s->uh.namelen) {
		if (copy_from_user(&s->addr, s->uh.name, (size_t)s->uh.namelen))
			return -EFAULT;
		s->m.name = &s->addr;
		s->m.namelen = s->uh.namelen;
	} else if (!send && s->uh.name) {
		s->m.name = &s->addr;
	}
	if (s->uh.iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (s->uh.iovlen > IOV_FAST) {
		s->bufs = kmalloc(s->uh.iovlen * sizeof(*s->bufs));
		if (!s->bufs)
			return -ENOMEM;
	}
	if (s->uh.iovlen) {
		iov = kmalloc(s->uh.iovlen * sizeof(*iov));
		if (!iov)
			return -ENOMEM;
		if (copy_from_user(iov, s->uh.iov, s->uh.iovlen * sizeof(*iov)))
			err = -EFAULT;
	}
	for (uint64_t i = 0; !err && i < s->uh.iovlen; i++) {
		size_t len = iov[i].len;

		if ((int64_t)len < 0) {
			err = -EINVAL;
			break;
		}
		if (len > (size_t)MAX_RW_COUNT - total)
			len = (size_t)MAX_RW_COUNT - total;
		if (!user_range_ok(iov[i].base, len)) {
			err = -EFAULT;
			break;
		}
		s->bufs[i].user = true;
		s->bufs[i].ubuf = iov[i].base;
		s->bufs[i].len = len;
		total += len;
	}
	kfree(iov);
	if (err)
		return err;
	iov_iter_init(&s->m.iter, s->bufs, (unsigned)s->uh.iovlen);
	if (!send) {
		s->m.ucontrol = s->uh.control;
		s->m.ucontrollen = s->uh.controllen;
		return 0;
	}
	if (s->uh.controllen > 0x7fffffff)
		return -ENOBUFS;
	if (s->uh.controllen) {
		if (s->uh.controllen > SOCK_OPTMEM_MAX)
			return -ENOBUFS;
		s->m.control = kmalloc(s->uh.controllen);
		if (!s->m.control)
			return -ENOBUFS;
		s->m.controllen = s->uh.controllen;
		if (copy_from_user(s->m.control, s->uh.control, s->uh.controllen))
			return -EFAULT;
	}
	return 0;
}

/* One sendmsg on an already looked-up socket; *@left gets the bytes not
 * sent (sendmmsg stops at a partial send). */
static long do_sendmsg(struct socket *sock, struct file *f, uaddr_t umsg,
		       unsigned flags, size_t *left)
{
	struct msg_state *s = kmalloc(sizeof(*s));
	long n;

	if (!s)
		return -ENOMEM;
	n = msg_state_import(s, umsg, true);
	if (!n) {
		flags |= s->uh.flags & MSG_EOR;
		if (file_nonblock(f))
			flags |= MSG_DONTWAIT;
		n = sock_sendmsg(sock, &s->m, (int)flags);
		if (left)
			*left = n >= 0 ? s->m.iter.left : 0;
	}
	msg_state_free(s);
	kfree(s);
	return n;
}

/* One recvmsg; writes back msg_namelen, msg_flags and msg_controllen.
 * *@mflags gets msg_flags (recvmmsg stops after MSG_OOB). */
static long do_recvmsg(struct socket *sock, struct file *f, uaddr_t umsg,
		       unsigned flags)
{
	struct msg_state *s = kmalloc(sizeof(*s));
	long n;
	int err;

	if (!s)
		return -ENOMEM;
	n = msg_state_import(s, umsg, false);
	if (n)
		goto out;
	s->m.flags = flags & (MSG_CMSG_CLOEXEC | MSG_CMSG_COMPAT);
	if (file_nonblock(f))
		flags |= MSG_DONTWAIT;
	n = sock_recvmsg(sock, &s->m, (int)flags);
	if (n < 0)
		goto out;
	if (s->uh.name) {
		err = move_addr_to_user(&s->addr, s->m.namelen, s->uh.name,
					umsg + offsetof(struct user_msghdr, namelen));
		if (err) {
			n = err;
			goto out;
		}
	}
	if (put_user((uint32_t)(s->m.flags & ~MSG_CMSG_COMPAT),
		     (uint32_t *)(umsg + offsetof(struct user_msghdr, flags))) ||
	    put_user((uint64_t)(s->m.ucontrol - s->uh.control),
		     (uint64_t *)(umsg + offsetof(struct user_msghdr, controllen))))
		n = -EFAULT;
out:
	msg_state_free(s);
	kfree(s);
	return n;
}

SYSCALL_DEFINE3(sendmsg, int, fd, uaddr_t, umsg, unsigned, flags)
{
	struct socket *sock;
	struct file *f;
	long n;
	int err;

	if (flags & MSG_CMSG_COMPAT)
		return -EINVAL;
	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	n = do_sendmsg(sock, f, umsg, flags, NULL);
	file_put(f);
	return n;
}

SYSCALL_DEFINE3(recvmsg, int, fd, uaddr_t, umsg, unsigned, flags)
{
	struct socket *sock;
	struct file *f;
	long n;
	int err;

	if (flags & MSG_CMSG_COMPAT)
		return -EINVAL;
	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	n = do_recvmsg(sock, f, umsg, flags);
	file_put(f);
	return n;
}

SYSCALL_DEFINE4(sendmmsg, int, fd, uaddr_t, umsgs, unsigned, vlen,
		unsigned, flags)
{
	struct socket *sock;
	struct file *f;
	unsigned done = 0;
	long err = 0;
	int e;

	if (flags & MSG_CMSG_COMPAT)
		return -EINVAL;
	sock = sockfd_lookup(fd, &f, &e);
	if (!sock)
		return e;
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	while (done < vlen) {
		uaddr_t entry = umsgs + (uaddr_t)done * sizeof(struct user_mmsghdr);
		size_t left = 0;

		err = do_sendmsg(sock, f, entry, flags, &left);
		if (err < 0)
			break;
		if (put_user((uint32_t)err,
			     (uint32_t *)(entry + offsetof(struct user_mmsghdr, len)))) {
			err = -EFAULT;
			break;
		}
		done++;
		if (left)
			break;
	}
	file_put(f);
	return done ? (long)done : err;
}

struct timespec_k {
	int64_t sec;
	int64_t nsec;
};

SYSCALL_DEFINE5(recvmmsg, int, fd, uaddr_t, umsgs, unsigned, vlen,
		unsigned, flags, uaddr_t, utimeout)
{
	struct timespec_k ts;
	uint64_t end = 0;
	struct socket *sock;
	struct file *f;
	unsigned done = 0;
	long err = 0;
	int e;

	if (flags & MSG_CMSG_COMPAT)
		return -EINVAL;
	if (utimeout) {
		if (copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -EINVAL;
		end = clock_uptime_ns() + (uint64_t)ts.sec * 1000000000ULL +
		      (uint64_t)ts.nsec;
	}
	sock = sockfd_lookup(fd, &f, &e);
	if (!sock)
		return e;
	err = sock_error(sock->sk);
	if (err) {
		file_put(f);
		return err;
	}
	while (done < vlen) {
		uaddr_t entry = umsgs + (uaddr_t)done * sizeof(struct user_mmsghdr);
		uint32_t mflags;

		err = do_recvmsg(sock, f, entry, flags & ~MSG_WAITFORONE);
		if (err < 0)
			break;
		if (put_user((uint32_t)err,
			     (uint32_t *)(entry + offsetof(struct user_mmsghdr, len)))) {
			err = -EFAULT;
			break;
		}
		err = 0;
		done++;
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (utimeout && clock_uptime_ns() >= end)
			break;
		if (get_user(mflags, entry + offsetof(struct user_msghdr, flags)) ||
		    (mflags & MSG_OOB))
			break;
	}
	if (err && done && err != -EAGAIN)
		WRITE_ONCE(sock->sk->err, (int)-err);   /* reported next time */
	file_put(f);
	if (done && utimeout) {
		uint64_t now = clock_uptime_ns(), rem = now < end ? end - now : 0;

		ts.sec = (int64_t)(rem / 1000000000ULL);
		ts.nsec = (int64_t)(rem % 1000000000ULL);
		if (copy_to_user(utimeout, &ts, sizeof(ts)))
			return -EFAULT;
	}
	return done ? (long)done : err;
}
