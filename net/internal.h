/*
 * Socket layer: what protocol families and the socket system calls share.
 *
 * Model (Linux's): a struct socket is the file side of a socket (one per
 * open socket file, created by socket(2), socketpair(2) or accept(2)); a
 * struct sock is the protocol side, embedded at the start of the family's
 * own structure (struct unix_sock), with the state every family has:
 * connection state, shutdown bits, pending error, buffer sizes, timeouts,
 * flags and the credentials of the peer.  A sock may exist without a
 * socket (a connection waiting in a listener's queue) until accept(2)
 * grafts it onto a new socket file.
 *
 * A family registers a struct net_proto_family whose create() picks the
 * struct proto_ops for the socket type; the system calls reach the
 * protocol only through those ops (sock_* wrappers in socket.c turn a
 * missing op into Linux's errno).
 *
 * Locking: sock->lock (a mutex, the family's "state lock") protects the
 * [l] fields of struct sock and whatever the family tags with it; the
 * options tagged [a] are read and written atomically without it.  Waits
 * happen with the lock released, on sock->wait (data, state changes,
 * room in the send buffer); poll registers there too.
 */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include "include/compiler.h"
#include "include/list.h"
#include "process/cred.h"
#include "process/process.h"
#include "sched/sched.h"
#include "vfs/vfs.h"

/* ---- ABI constants (x86_64 Linux) ---- */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_MAX 46               /* families are 0 .. AF_MAX-1 */

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_RDM 4
#define SOCK_SEQPACKET 5
#define SOCK_DCCP 6
#define SOCK_PACKET 10
#define SOCK_MAX 11
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC O_CLOEXEC

#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_ERRQUEUE 0x2000
#define MSG_NOSIGNAL 0x4000
#define MSG_MORE 0x8000
#define MSG_WAITFORONE 0x10000
#define MSG_BATCH 0x40000
#define MSG_CMSG_CLOEXEC 0x40000000
#define MSG_CMSG_COMPAT 0x80000000u

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
/* sock->shutdown bits */
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3

#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2
#define SCM_MAX_FD 253          /* descriptors in one SCM_RIGHTS message */

#define SOMAXCONN 4096          /* net.core.somaxconn */
#define SOCK_WMEM_DEFAULT 212992        /* net.core.wmem_default */
#define SOCK_WMEM_MAX 212992            /* net.core.wmem_max */
#define SOCK_RMEM_DEFAULT 212992
#define SOCK_RMEM_MAX 212992
#define SOCK_MIN_RCVBUF 2304    /* 2048 + an aligned struct sk_buff */
#define SOCK_MIN_SNDBUF (2 * SOCK_MIN_RCVBUF)
#define SOCK_OPTMEM_MAX 131072  /* net.core.optmem_max: control bytes */

/* sockaddr_storage: the largest address any family takes. */
struct sockaddr_storage_k {
	uint16_t family;
	uint8_t data[126];
} __aligned(8);
STATIC_ASSERT(sizeof(struct sockaddr_storage_k) == 128, "sockaddr_storage");

/* struct ucred (SO_PEERCRED, SCM_CREDENTIALS). */
struct ucred_k {
	int32_t pid;
	uint32_t uid, gid;
};
STATIC_ASSERT(sizeof(struct ucred_k) == 12, "struct ucred");

/* struct cmsghdr: 16 bytes, data 8-byte aligned (CMSG_ALIGN). */
struct cmsghdr_k {
	uint64_t len;
	int32_t level;
	int32_t type;
};
STATIC_ASSERT(sizeof(struct cmsghdr_k) == 16, "struct cmsghdr");
#define CMSG_ALIGN_K(n) (((n) + 7) & ~(size_t)7)
#define CMSG_LEN_K(n) (sizeof(struct cmsghdr_k) + (n))
#define CMSG_SPACE_K(n) (sizeof(struct cmsghdr_k) + CMSG_ALIGN_K(n))

/* ---- data buffers ---- */

/* A position in a list of buffers (the iovecs of one call). */
struct iov_iter {
	struct iobuf *seg;
	unsigned nseg;
	unsigned idx;           /* current buffer */
	size_t off;             /* offset in it */
	size_t left;            /* bytes from here to the end */
};

void iov_iter_init(struct iov_iter *it, struct iobuf *seg, unsigned nseg);
/* Copy @n bytes (at most it->left) out of / into the buffers and advance:
 * 0 or -EFAULT (the position is then undefined). */
int iov_iter_copy_from(struct iov_iter *it, void *dst, size_t n);
int iov_iter_copy_to(struct iov_iter *it, const void *src, size_t n);

/* One sendmsg/recvmsg as the protocol sees it. */
struct kmsg {
	struct sockaddr_storage_k *name;        /* send: NULL if none;
						 * recv: NULL if not wanted */
	int namelen;                            /* send: bytes; recv: out */
	struct iov_iter iter;
	/* send: the control messages, copied in (NULL if none) */
	void *control;
	size_t controllen;
	/* send: files passed by a kernel caller, as if with SCM_RIGHTS
	 * (the references are taken over) */
	struct scm_fp_list *kfp;
	/* recv: the user's control buffer, advanced as cmsgs are put */
	uaddr_t ucontrol;
	size_t ucontrollen;
	unsigned flags;         /* recv: msg_flags (MSG_CMSG_CLOEXEC in;
				 * MSG_TRUNC, MSG_CTRUNC out) */
};

/* ---- control messages (scm.c) ---- */

struct scm_fp_list {
	struct list_node node;          /* the deferred-put list */
	int count;
	struct file *fp[SCM_MAX_FD];
};

/* What a sendmsg's control messages carry, and what a recvmsg returns. */
struct scm_cookie {
	struct scm_fp_list *fp;         /* SCM_RIGHTS files, referenced */
	bool has_creds;                 /* creds were given (or attached) */
	struct ucred_k creds;
};

struct socket;
/* Parse @m's control messages (Linux's __scm_send): 0 or -errno. */
int scm_send(struct socket *sock, struct kmsg *m, struct scm_cookie *scm);
/* Drop what @scm holds. */
void scm_destroy(struct scm_cookie *scm);
/* Deliver @scm to the receiver: SCM_CREDENTIALS if @passcred, then the
 * descriptors (installed in the caller's table); sets MSG_CTRUNC when the
 * buffer is short and drops what did not fit.  Consumes @scm. */
void scm_recv(struct kmsg *m, struct scm_cookie *scm, bool passcred);
/* Append one control message to the user's buffer (put_cmsg). */
int scm_put_cmsg(struct kmsg *m, int level, int type, size_t len,
		 const void *data);
/* A new reference to every file of @fpl (MSG_PEEK), or NULL. */
struct scm_fp_list *scm_fp_dup(struct scm_fp_list *fpl);
/*
 * Drop the files of @fpl and free it.  File references held by queued
 * messages are dropped through a global list drained by one thread at a
 * time, so that releasing a socket whose queue holds sockets that hold
 * sockets never recurses (and never runs under vfs_lock).
 */
void scm_fp_list_put(struct scm_fp_list *fpl);

/* ---- sockets ---- */

/* sock->state */
enum sock_state {
	SS_CLOSE,               /* unconnected */
	SS_LISTEN,
	SS_ESTABLISHED,
};

/* sock->flags */
#define SK_PASSCRED 0x1
#define SK_REUSEADDR 0x2
#define SK_REUSEPORT 0x4
#define SK_KEEPALIVE 0x8
#define SK_BROADCAST 0x10
#define SK_DONTROUTE 0x20
#define SK_OOBINLINE 0x40
#define SK_LINGER 0x80
#define SK_DEBUG 0x100
#define SK_PASSSEC 0x200
#define SK_NO_CHECK 0x400

#define SOCK_TIMEO_FOREVER UINT64_MAX

/* Credentials of the peer as SO_PEERCRED / SO_PEERGROUPS report them. */
struct sock_peercred {
	bool valid;
	int32_t pid;
	struct cred cred;
};

struct sock {
	int family, type, protocol;     /* [I] */
	struct mutex lock;
	enum sock_state state;          /* [l] */
	unsigned shutdown;              /* [l] RCV_SHUTDOWN | SEND_SHUTDOWN */
	int err;                        /* [l] pending error (positive) */
	int sndbuf, rcvbuf;             /* [a] bytes */
	int rcvlowat;                   /* [a] */
	uint64_t rcvtimeo_ns, sndtimeo_ns; /* [a] SOCK_TIMEO_FOREVER or ns */
	unsigned flags;                 /* [a] SK_* */
	int linger;                     /* [l] seconds */
	int priority;                   /* [a] */
	size_t wmem;                    /* [a] bytes queued by us, not read */
	struct sock_peercred peercred;  /* [l] */
	uint64_t ino;                   /* [a] the socket file's inode, 0 if
					 * it has none (yet) */
	struct wait_queue wait;         /* readers, writers, pollers */
};

/* Operations of one socket type of a family.  Each may be NULL: the
 * wrappers then return Linux's errno for sock_no_* (EOPNOTSUPP). */
struct proto_ops {
	int family;
	/* The socket file is closing: drop sock->sk. */
	void (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr_storage_k *addr,
		    int len);
	/* @nonblock: O_NONBLOCK of the file. */
	int (*connect)(struct socket *sock, struct sockaddr_storage_k *addr,
		       int len, bool nonblock);
	int (*socketpair)(struct socket *a, struct socket *b);
	/* Take a connection off the queue and attach it to @newsock. */
	int (*accept)(struct socket *sock, struct socket *newsock,
		      bool nonblock);
	/* The address of the socket or its peer; its length or -errno. */
	int (*getname)(struct socket *sock, struct sockaddr_storage_k *addr,
		       bool peer);
	unsigned (*poll)(struct socket *sock, struct file *f,
			 struct poll_table *pt);
	long (*ioctl)(struct socket *sock, unsigned cmd, uaddr_t arg);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	/* Non-SOL_SOCKET levels. */
	int (*setsockopt)(struct socket *sock, int level, int name,
			  uaddr_t val, int len);
	int (*getsockopt)(struct socket *sock, int level, int name,
			  uaddr_t val, uaddr_t lenp);
	/* Bytes sent or -errno. */
	long (*sendmsg)(struct socket *sock, struct kmsg *m, size_t len,
			int flags);
	/* Bytes received (or the datagram length with MSG_TRUNC) or -errno. */
	long (*recvmsg)(struct socket *sock, struct kmsg *m, size_t len,
			int flags);
};

struct socket {
	int type;                       /* [I] */
	const struct proto_ops *ops;    /* [I] set by the family's create */
	struct sock *sk;                /* [I] after create/accept */
	struct file *file;              /* [I] no reference: it owns us */
};

/* A protocol family: create() checks @protocol, sets sock->ops for
 * sock->type and allocates sock->sk.  -EPROTONOSUPPORT, -ESOCKTNOSUPPORT. */
struct net_proto_family {
	int family;
	int (*create)(struct socket *sock, int protocol);
};

int sock_register(const struct net_proto_family *pf);

/* Initialize the generic part of a new sock. */
void sock_init_data(struct sock *sk, int family, int type, int protocol);
/* Record the current process as the peer in @pc (pid, credentials). */
void sock_peercred_current(struct sock_peercred *pc);
/* Take and clear the pending error: -err or 0. */
int sock_error(struct sock *sk);
/* The deadline for a wait with timeout @timeo_ns starting now (0: none,
 * SOCK_DEADLINE_NOW: do not wait). */
#define SOCK_DEADLINE_NOW 1
uint64_t sock_deadline(uint64_t timeo_ns, bool nonblock);
/* The errno of a wait interrupted by a signal: restart without a timeout,
 * EINTR with one (Linux's sock_intr_errno). */
static inline int sock_intr_errno(uint64_t deadline)
{
	return deadline ? -EINTR : -ERESTARTSYS;
}
/*
 * Sleep on @wq until woken, @deadline (absolute, 0: none) or a signal.
 * The caller holds no locks and re-checks its condition afterwards:
 * @cond is only a lockless hint that avoids sleeping when it already
 * holds.  0, -EAGAIN (deadline passed) or sock_intr_errno().
 */
#define sock_wait_event(wq, cond, deadline)                                   \
	({                                                                    \
		int sw_ret_ = 0;                                              \
		if ((deadline) == SOCK_DEADLINE_NOW) {                        \
			sw_ret_ = -EAGAIN;                                    \
		} else {                                                      \
			sched_prepare_wait((wq), (deadline));                 \
			if (!(cond) && !signal_pending())                     \
				schedule();                                   \
			if (sched_finish_wait(wq) == -ETIMEDOUT && !(cond))   \
				sw_ret_ = -EAGAIN;                            \
			else if (!(cond) && signal_pending())                 \
				sw_ret_ = sock_intr_errno(deadline);          \
		}                                                             \
		sw_ret_;                                                      \
	})

/* The socket of @f, or NULL if @f is not a socket. */
struct socket *sock_from_file(struct file *f);
/* A new socket (no file yet) of @family/@type: 0 or -errno. */
int sock_create(int family, int type, int protocol, struct socket **out);
/* A socket with no protocol part yet (accept's new socket). */
struct socket *sock_alloc(int type, const struct proto_ops *ops);
/* Wrap @sock in a file (O_RDWR | @flags & O_NONBLOCK); on failure the
 * socket is released.  The file or ERR_PTR. */
struct file *sock_alloc_file(struct socket *sock, unsigned flags);
/* Free a socket that never got a file (after ->release if it has a sk). */
void sock_release(struct socket *sock);

/* Generic SOL_SOCKET options (sockopt.c). */
int sock_setsockopt(struct socket *sock, int name, uaddr_t val, int len);
int sock_getsockopt(struct socket *sock, int name, uaddr_t val,
		    uaddr_t lenp);

/* The socket layer's worker thread calls every registered function soon
 * after net_work_schedule() and once a second, outside any lock (the
 * AF_UNIX collector, deferred file drops).  Register at boot only. */
void net_work_schedule(void);
void net_work_register(void (*fn)(void));

/* scm.c: register the deferred-drop work. */
void scm_init(void);

/* ---- families ---- */
void unix_init(void);

#endif
