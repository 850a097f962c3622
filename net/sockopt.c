/*
 * SOL_SOCKET options (socket(7)), common to every family: Linux's
 * sk_setsockopt/sk_getsockopt rules.  Values are ints unless noted;
 * setting needs optlen >= sizeof(int); getting copies min(optlen, size)
 * bytes and writes back that length.  Buffer sizes are doubled on set and
 * clamped to [SOCK_MIN_*BUF, 2 * net.core.*mem_max]; timeouts are struct
 * timeval rounded up to the scheduler tick (0 means forever, a negative
 * tv_sec means "do not wait").
 *
 * Locking: flags, sizes and timeouts are atomic words of struct sock;
 * the peer credentials are read under sk->lock.
 */
#include "net/internal.h"
#include "include/errno.h"
#include "lib/string.h"
#include "syscall/uaccess.h"

#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_NO_CHECK 11
#define SO_PRIORITY 12
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO_OLD 20
#define SO_SNDTIMEO_OLD 21
#define SO_PEERNAME 28
#define SO_ACCEPTCONN 30
#define SO_PEERSEC 31
#define SO_SNDBUFFORCE 32
#define SO_RCVBUFFORCE 33
#define SO_PASSSEC 34
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
#define SO_PEERGROUPS 59
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67

#define INT_MAX_K 0x7fffffff
#define USEC_PER_SEC 1000000LL
#define NS_PER_TICK (1000000000ULL / HZ)

struct linger_k {
	int32_t onoff;
	int32_t linger;
};

struct timeval_k {
	int64_t sec;
	int64_t usec;
};
STATIC_ASSERT(sizeof(struct timeval_k) == 16, "struct timeval");

/* The boolean options: a flag each in sk->flags. */
static const struct {
	int name;
	unsigned flag;
} bool_opts[] = {
	{ SO_REUSEADDR, SK_REUSEADDR },
	{ SO_REUSEPORT, SK_REUSEPORT },
	{ SO_KEEPALIVE, SK_KEEPALIVE },
	{ SO_BROADCAST, SK_BROADCAST },
	{ SO_DONTROUTE, SK_DONTROUTE },
	{ SO_OOBINLINE, SK_OOBINLINE },
	{ SO_NO_CHECK, SK_NO_CHECK },
	{ SO_PASSCRED, SK_PASSCRED },
	{ SO_PASSSEC, SK_PASSSEC },
	{ SO_DEBUG, SK_DEBUG },
};

/* The SK_* flag of boolean option @name, or 0. */
static unsigned bool_opt_flag(int name)
{
	for (size_t i = 0; i < ARRAY_SIZE(bool_opts); i++)
		if (bool_opts[i].name == name)
			return bool_opts[i].flag;
	return 0;
}

static void flag_set(struct sock *sk, unsigned flag, bool on)
{
	if (on)
		__atomic_or_fetch(&sk->flags, flag, __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&sk->flags, ~flag, __ATOMIC_RELAXED);
}

static int set_timeout(uint64_t *timeo, uaddr_t val, int len)
{
	struct timeval_k tv;
	uint64_t ticks;

	if (len < (int)sizeof(tv))
		return -EINVAL;
	if (copy_from_user(&tv, val, sizeof(tv)))
		return -EFAULT;
	if (tv.usec < 0 || tv.usec >= USEC_PER_SEC)
		return -EDOM;
	if (tv.sec < 0) {
		WRITE_ONCE(*timeo, 0);          /* never wait */
		return 0;
	}
	if ((tv.sec == 0 && tv.usec == 0) || tv.sec >= INT64_MAX / 1000000000LL - 1) {
		WRITE_ONCE(*timeo, SOCK_TIMEO_FOREVER);
		return 0;
	}
	ticks = (uint64_t)tv.sec * HZ +
		((uint64_t)tv.usec + USEC_PER_SEC / HZ - 1) / (USEC_PER_SEC / HZ);
	WRITE_ONCE(*timeo, ticks * NS_PER_TICK);
	return 0;
}

static void get_timeout(uint64_t timeo, struct timeval_k *tv)
{
	if (timeo == SOCK_TIMEO_FOREVER) {
		tv->sec = tv->usec = 0;
		return;
	}
	tv->sec = (int64_t)(timeo / 1000000000ULL);
	tv->usec = (int64_t)(timeo % 1000000000ULL) / 1000;
}

/* SO_SNDBUF / SO_RCVBUF: double, clamp. */
static void set_buf(int *buf, int val, int min)
{
	if (val > INT_MAX_K / 2)
		val = INT_MAX_K / 2;
	WRITE_ONCE(*buf, MAX(val * 2, min));
}

int sock_setsockopt(struct socket *sock, int name, uaddr_t val, int len)
{
	struct sock *sk = sock->sk;
	bool root = current_cred()->euid == 0;
	int32_t v;

	if (len < (int)sizeof(v))
		return -EINVAL;
	if (copy_from_user(&v, val, sizeof(v)))
		return -EFAULT;
	if (bool_opt_flag(name)) {
		if (name == SO_DEBUG && v && !root)
			return -EACCES;         /* CAP_NET_ADMIN */
		flag_set(sk, bool_opt_flag(name), v);
		return 0;
	}
	switch (name) {
	case SO_SNDBUFFORCE:
	case SO_SNDBUF:
		if (name == SO_SNDBUFFORCE && !root)
			return -EPERM;
		if (name == SO_SNDBUF)
			v = (int32_t)MIN((uint32_t)v, (uint32_t)SOCK_WMEM_MAX);
		else if (v < 0)
			v = 0;
		set_buf(&sk->sndbuf, v, SOCK_MIN_SNDBUF);
		sched_wake_all(&sk->wait);      /* writers may fit now */
		return 0;
	case SO_RCVBUFFORCE:
	case SO_RCVBUF:
		if (name == SO_RCVBUFFORCE && !root)
			return -EPERM;
		if (name == SO_RCVBUF)
			v = (int32_t)MIN((uint32_t)v, (uint32_t)SOCK_RMEM_MAX);
		else if (v < 0)
			v = 0;
		set_buf(&sk->rcvbuf, v, SOCK_MIN_RCVBUF);
		return 0;
	case SO_PRIORITY:
		if ((v < 0 || v > 6) && !root)
			return -EPERM;
		WRITE_ONCE(sk->priority, v);
		return 0;
	case SO_LINGER: {
		struct linger_k l;

		if (len < (int)sizeof(l))
			return -EINVAL;
		if (copy_from_user(&l, val, sizeof(l)))
			return -EFAULT;
		mutex_lock(&sk->lock);
		sk->linger = l.onoff ? l.linger : 0;
		mutex_unlock(&sk->lock);
		flag_set(sk, SK_LINGER, l.onoff);
		return 0;
	}
	case SO_RCVLOWAT:
		if (v < 0)
			v = INT_MAX_K;
		WRITE_ONCE(sk->rcvlowat, v ? v : 1);
		return 0;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		return set_timeout(&sk->rcvtimeo_ns, val, len);
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		return set_timeout(&sk->sndtimeo_ns, val, len);
	default:        /* SO_TYPE, SO_ERROR, ... are read-only */
		return -ENOPROTOOPT;
	}
}

/* SO_PEERGROUPS: the peer's supplementary groups (-ERANGE if short). */
static int get_peergroups(struct sock *sk, uaddr_t val, uaddr_t lenp,
			  int len)
{
	uint32_t groups[CRED_MAX_GROUPS];
	int n, need, err = 0;

	mutex_lock(&sk->lock);
	if (!sk->peercred.valid) {
		mutex_unlock(&sk->lock);
		return -ENODATA;
	}
	n = (int)MIN(sk->peercred.cred.ngroups, (uint32_t)CRED_MAX_GROUPS);
	memcpy(groups, sk->peercred.cred.groups, (size_t)n * sizeof(groups[0]));
	mutex_unlock(&sk->lock);
	need = n * (int)sizeof(groups[0]);
	if (len < need) {
		if (put_user(need, (int32_t *)lenp))
			return -EFAULT;
		return -ERANGE;
	}
	if (copy_to_user(val, groups, (size_t)need))
		err = -EFAULT;
	else if (put_user(need, (int32_t *)lenp))
		err = -EFAULT;
	return err;
}

int sock_getsockopt(struct socket *sock, int name, uaddr_t val, uaddr_t lenp)
{
	struct sock *sk = sock->sk;
	union {
		int32_t i;
		struct linger_k linger;
		struct timeval_k tv;
		struct ucred_k ucred;
		struct sockaddr_storage_k addr;
	} v;
	unsigned flags = READ_ONCE(sk->flags);
	int32_t len;
	int lv = sizeof(int32_t);

	if (get_user(len, (int32_t *)lenp))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	memset(&v, 0, sizeof(v));
	switch (name) {
	case SO_TYPE:
		v.i = sk->type;
		break;
	case SO_PROTOCOL:
		v.i = sk->protocol;
		break;
	case SO_DOMAIN:
		v.i = sk->family;
		break;
	case SO_ERROR:
		v.i = -sock_error(sk);
		break;
	case SO_SNDBUF:
		v.i = READ_ONCE(sk->sndbuf);
		break;
	case SO_RCVBUF:
		v.i = READ_ONCE(sk->rcvbuf);
		break;
	case SO_PRIORITY:
		v.i = READ_ONCE(sk->priority);
		break;
	case SO_LINGER:
		lv = sizeof(v.linger);
		v.linger.onoff = !!(flags & SK_LINGER);
		mutex_lock(&sk->lock);
		v.linger.linger = sk->linger;
		mutex_unlock(&sk->lock);
		break;
	case SO_RCVLOWAT:
		v.i = READ_ONCE(sk->rcvlowat);
		break;
	case SO_SNDLOWAT:
		v.i = 1;
		break;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		lv = sizeof(v.tv);
		get_timeout(READ_ONCE(sk->rcvtimeo_ns), &v.tv);
		break;
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		lv = sizeof(v.tv);
		get_timeout(READ_ONCE(sk->sndtimeo_ns), &v.tv);
		break;
	case SO_ACCEPTCONN:
		v.i = READ_ONCE(sk->state) == SS_LISTEN;
		break;
	case SO_PEERCRED:
		lv = sizeof(v.ucred);
		mutex_lock(&sk->lock);
		v.ucred.pid = sk->peercred.valid ? sk->peercred.pid : 0;
		v.ucred.uid = sk->peercred.valid ? sk->peercred.cred.euid
						 : (uint32_t)-1;
		v.ucred.gid = sk->peercred.valid ? sk->peercred.cred.egid
						 : (uint32_t)-1;
		mutex_unlock(&sk->lock);
		break;
	case SO_PEERNAME:
		lv = sock->ops->getname ? sock->ops->getname(sock, &v.addr, true)
					: -ENOTCONN;
		if (lv < 0)
			return -ENOTCONN;
		if (lv < len)
			return -EINVAL;
		break;
	case SO_PEERGROUPS:
		return get_peergroups(sk, val, lenp, len);
	default:        /* SO_PEERSEC without a security module, ... */
		if (!bool_opt_flag(name))
			return -ENOPROTOOPT;
		v.i = !!(flags & bool_opt_flag(name));
		break;
	}
	if (len > lv)
		len = lv;
	if (copy_to_user(val, &v, (size_t)len))
		return -EFAULT;
	if (put_user(len, (int32_t *)lenp))
		return -EFAULT;
	return 0;
}
