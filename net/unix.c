/*
 * AF_UNIX sockets (unix(7)): creation and release, names, connections.
 *
 * Names: a path name is a socket inode that bind(2) creates in the file
 * system (S_IFSOCK, mode 0777 & ~umask; EADDRINUSE if the name exists; it
 * stays until unlink(2)); connect(2) resolves it like open(2) does, needs
 * write permission on it and finds the socket bound to that inode.  An
 * abstract name starts with a NUL byte and lives only in the kernel's
 * table, one namespace per socket type; "autobind" picks "\0" plus five
 * hex digits.  getsockname(2) gives 2 + strlen + 1 bytes for a path,
 * exactly the bound length for an abstract name, 2 when unbound.
 *
 * Connections (stream and seqpacket): connect creates the accepted socket
 * at once and queues it on the listener (at most backlog + 1 pending;
 * then connect waits, or fails with EAGAIN when non-blocking); accept
 * takes it.  Datagram connect only records the default destination.
 * The credentials of the peer (SO_PEERCRED) are the connecting process
 * for the accepted socket, the listener's (at listen time) for the
 * connecting one, the creator for both ends of a socketpair.
 *
 * Release: the peer of a stream or seqpacket socket sees a full shutdown
 * (EOF, EPIPE) and ECONNRESET if data was left unread; a datagram socket
 * connected to it gets ECONNREFUSED on its next send.
 *
 * Locking: see net/unix.h.  Name tables: unix_table_lock (a mutex), by
 * abstract name + type or by the bound inode.
 */
#include "net/unix.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/uaccess.h"

#define UNIX_HASH_SIZE 64
#define SIOCINQ 0x541B          /* FIONREAD */
#define SIOCOUTQ 0x5411         /* TIOCOUTQ */
#define SIOCATMARK 0x8905

static struct mutex unix_table_lock = MUTEX_INIT(unix_table_lock, "unix table");
static struct spinlock unix_list_lock = SPINLOCK_INIT("unix list");
static struct list_node unix_all = LIST_HEAD_INIT(unix_all);  /* [L] */
static struct list_node abstract_table[UNIX_HASH_SIZE];  /* [T] */
static struct list_node bsd_table[UNIX_HASH_SIZE];       /* [T] */

static const struct proto_ops unix_stream_ops, unix_dgram_ops,
	unix_seqpacket_ops;

/* ---- references ---- */

struct unix_sock *unix_sock_get(struct unix_sock *u)
{
	ASSERT(__atomic_fetch_add(&u->refcount, 1, __ATOMIC_RELAXED) > 0);
	return u;
}

void unix_sock_put(struct unix_sock *u)
{
	int old = __atomic_fetch_sub(&u->refcount, 1, __ATOMIC_ACQ_REL);
	uint64_t irq;

	ASSERT(old > 0);
	if (old > 1)
		return;
	ASSERT(u->dead && list_empty(&u->rcvq) && !u->peer && !u->inflight);
	irq = spin_lock_irqsave(&unix_list_lock);
	list_del(&u->all_node);
	spin_unlock_irqrestore(&unix_list_lock, irq);
	kfree(u);
}

static struct unix_sock *unix_sock_alloc(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));
	uint64_t irq;

	if (!u)
		return NULL;
	sock_init_data(&u->sk, AF_UNIX, type, 0);
	u->refcount = 1;
	mutex_init(&u->iolock, "unix io");
	mutex_init(&u->bindlock, "unix bind");
	list_init(&u->rcvq);
	list_init(&u->accq);
	u->max_backlog = UNIX_MAX_DGRAM_QLEN;
	wait_queue_init(&u->peer_wait);
	irq = spin_lock_irqsave(&unix_list_lock);
	list_add_tail(&u->all_node, &unix_all);
	spin_unlock_irqrestore(&unix_list_lock, irq);
	return u;
}

void unix_lock_two(struct unix_sock *a, struct unix_sock *b)
{
	if (a == b) {
		mutex_lock(&a->sk.lock);
	} else if (a < b) {
		mutex_lock(&a->sk.lock);
		mutex_lock(&b->sk.lock);
	} else {
		mutex_lock(&b->sk.lock);
		mutex_lock(&a->sk.lock);
	}
}

void unix_unlock_two(struct unix_sock *a, struct unix_sock *b)
{
	mutex_unlock(&a->sk.lock);
	if (a != b)
		mutex_unlock(&b->sk.lock);
}

/* ---- names ---- */

static unsigned name_hash(const void *name, size_t len, int type)
{
	const uint8_t *p = name;
	unsigned h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return (h ^ (unsigned)type) % UNIX_HASH_SIZE;
}

static unsigned inode_hash(const struct inode *inode)
{
	return (unsigned)(((uintptr_t)inode >> 6) % UNIX_HASH_SIZE);
}

static void unix_tables_init(void)
{
	for (int i = 0; i < UNIX_HASH_SIZE; i++) {
		list_init(&abstract_table[i]);
		list_init(&bsd_table[i]);
	}
}

/* The socket bound to abstract @name (@len bytes after the family). */
static struct unix_sock *find_abstract(const char *name, int len, int type)
{
	struct list_node *pos;

	ASSERT(mutex_is_held(&unix_table_lock));
	list_for_each(pos, &abstract_table[name_hash(name, (size_t)len, type)]) {
		struct unix_sock *u = list_entry(pos, struct unix_sock,
						 table_node);

		if (u->sk.type == type && u->addr_len == len + 2 &&
		    !memcmp(u->addr.path, name, (size_t)len))
			return u;
	}
	return NULL;
}

static struct unix_sock *find_bsd(const struct inode *inode)
{
	struct list_node *pos;

	ASSERT(mutex_is_held(&unix_table_lock));
	list_for_each(pos, &bsd_table[inode_hash(inode)]) {
		struct unix_sock *u = list_entry(pos, struct unix_sock,
						 table_node);

		if (u->path.dentry->inode == inode)
			return u;
	}
	return NULL;
}

/* Publish @u's name (unix_table_lock held, not yet bound). */
static void publish_addr(struct unix_sock *u, const struct unix_address *a,
			 int len, struct list_node *bucket)
{
	ASSERT(mutex_is_held(&unix_table_lock));
	u->addr = *a;
	__atomic_store_n(&u->addr_len, len, __ATOMIC_RELEASE);
	list_add_tail(&u->table_node, bucket);
	u->hashed = true;
}

static void unix_unhash(struct unix_sock *u)
{
	mutex_lock(&unix_table_lock);
	if (u->hashed) {
		list_del(&u->table_node);
		u->hashed = false;
	}
	mutex_unlock(&unix_table_lock);
}

int unix_copy_addr(struct unix_sock *u, struct sockaddr_storage_k *out)
{
	int len = __atomic_load_n(&u->addr_len, __ATOMIC_ACQUIRE);

	if (!len) {
		out->family = AF_UNIX;
		out->data[0] = 0;
		return 2;
	}
	memcpy(out, &u->addr, (size_t)len);
	return len;
}

int unix_autobind(struct unix_sock *u)
{
	struct unix_address a = { .family = AF_UNIX };
	uint32_t start, n;
	int err = 0;

	mutex_lock(&u->bindlock);
	if (u->addr_len)
		goto out;
	random_get_bytes(&start, sizeof(start));
	start &= 0xfffff;
	n = start;
	mutex_lock(&unix_table_lock);
	for (;;) {
		n = (n + 1) & 0xfffff;
		format_snprintf(a.path + 1, 6, "%05x", n);
		if (!find_abstract(a.path, 6, u->sk.type))
			break;
		if (n == start) {
			err = -ENOSPC;
			break;
		}
	}
	if (!err)
		publish_addr(u, &a, 8, &abstract_table[name_hash(a.path, 6,
								 u->sk.type)]);
	mutex_unlock(&unix_table_lock);
out:
	mutex_unlock(&u->bindlock);
	return err;
}

int unix_validate_addr(const struct sockaddr_storage_k *a, int len)
{
	if (len <= 2 || len > UNIX_ADDR_MAX)
		return -EINVAL;
	return a->family == AF_UNIX ? 0 : -EINVAL;
}

/* The NUL-terminated path of a path-name address (cut at @len). */
static void addr_path(const struct sockaddr_storage_k *a, int len,
		      char out[UNIX_PATH_MAX + 1])
{
	memcpy(out, a->data, (size_t)(len - 2));
	out[len - 2] = '\0';
}

static int unix_bind_bsd(struct unix_sock *u,
			 const struct sockaddr_storage_k *sa, int len)
{
	struct unix_address a = { .family = AF_UNIX };
	char name[UNIX_PATH_MAX + 1];
	struct path p;
	int err;

	addr_path(sa, len, name);
	memcpy(a.path, name, strlen(name) + 1);
	err = vfs_mknod_path(AT_FDCWD, name, S_IFSOCK | 0777, &p);
	if (err)
		return err == -EEXIST ? -EADDRINUSE : err;
	mutex_lock(&u->bindlock);
	if (u->addr_len) {
		mutex_unlock(&u->bindlock);
		vfs_unlink_path(&p);
		path_put(&p);
		return -EINVAL;
	}
	u->path = p;
	mutex_lock(&unix_table_lock);
	publish_addr(u, &a, (int)(2 + strlen(name) + 1),
		     &bsd_table[inode_hash(p.dentry->inode)]);
	mutex_unlock(&unix_table_lock);
	mutex_unlock(&u->bindlock);
	return 0;
}

static int unix_bind_abstract(struct unix_sock *u,
			      const struct sockaddr_storage_k *sa, int len)
{
	struct unix_address a = { .family = AF_UNIX };
	int err = 0;

	memcpy(a.path, sa->data, (size_t)(len - 2));
	mutex_lock(&u->bindlock);
	if (u->addr_len) {
		err = -EINVAL;
		goto out;
	}
	mutex_lock(&unix_table_lock);
	if (find_abstract(a.path, len - 2, u->sk.type))
		err = -EADDRINUSE;
	else
		publish_addr(u, &a, len, &abstract_table[name_hash(a.path,
					(size_t)(len - 2), u->sk.type)]);
	mutex_unlock(&unix_table_lock);
out:
	mutex_unlock(&u->bindlock);
	return err;
}

static int unix_bind(struct socket *sock, struct sockaddr_storage_k *addr,
		     int len)
{
	struct unix_sock *u = unix_sk(sock->sk);
	int err;

	if (len == 2 && addr->family == AF_UNIX)
		return unix_autobind(u);
	err = unix_validate_addr(addr, len);
	if (err)
		return err;
	if (addr->data[0])
		return unix_bind_bsd(u, addr, len);
	return unix_bind_abstract(u, addr, len);
}

struct unix_sock *unix_find_other(const struct sockaddr_storage_k *addr,
				  int len, int type)
{
	struct unix_sock *u;
	char name[UNIX_PATH_MAX + 1];
	struct inode *inode;
	struct path p;
	int err;

	if (!addr->data[0]) {
		mutex_lock(&unix_table_lock);
		u = find_abstract((const char *)addr->data, len - 2, type);
		if (u)
			unix_sock_get(u);
		mutex_unlock(&unix_table_lock);
		return u ? u : ERR_PTR(-ECONNREFUSED);
	}
	addr_path(addr, len, name);
	err = vfs_lookup(AT_FDCWD, name, LOOKUP_FOLLOW, &p);
	if (err)
		return ERR_PTR(err);
	vfs_lock();
	inode = p.dentry->inode;
	err = inode_permission(inode, MAY_WRITE);
	if (!err && !S_ISSOCK(inode->mode))
		err = -ECONNREFUSED;
	vfs_unlock();
	u = NULL;
	if (!err) {
		mutex_lock(&unix_table_lock);
		u = find_bsd(inode);
		if (!u)
			err = -ECONNREFUSED;
		else if (u->sk.type != type)
			err = -EPROTOTYPE;
		else
			unix_sock_get(u);
		mutex_unlock(&unix_table_lock);
	}
	path_put(&p);
	return err ? ERR_PTR(err) : u;
}

static int unix_getname(struct socket *sock, struct sockaddr_storage_k *addr,
			bool peer)
{
	struct unix_sock *u = unix_sk(sock->sk), *p = u;
	int len;

	if (peer) {
		mutex_lock(&u->sk.lock);
		p = u->peer ? unix_sock_get(u->peer) : NULL;
		mutex_unlock(&u->sk.lock);
		if (!p)
			return -ENOTCONN;
	}
	len = unix_copy_addr(p, addr);
	if (peer)
		unix_sock_put(p);
	return len;
}

/* ---- creation and release ---- */

static int unix_create(struct socket *sock, int protocol)
{
	struct unix_sock *u;

	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (sock->type) {
	case SOCK_STREAM:
		sock->ops = &unix_stream_ops;
		break;
	case SOCK_RAW:          /* BSD has it; it is a datagram socket */
		sock->type = SOCK_DGRAM;
		/* fall through */
	case SOCK_DGRAM:
		sock->ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		sock->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	u = unix_sock_alloc(sock->type);
	if (!u)
		return -ENOMEM;
	u->socket = sock;
	sock->sk = &u->sk;
	return 0;
}

/* Tear @u down: its name, its connection, its queues. */
static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	struct list_node msgs = LIST_HEAD_INIT(msgs);
	struct list_node embryos = LIST_HEAD_INIT(embryos);
	struct unix_sock *peer;
	struct path path;
	bool unread;

	unix_unhash(u);
	mutex_lock(&u->bindlock);
	path = u->path;
	u->path.mnt = NULL;
	u->path.dentry = NULL;
	mutex_unlock(&u->bindlock);

	mutex_lock(&u->sk.lock);
	u->dead = true;
	u->socket = NULL;
	u->sk.shutdown = SHUTDOWN_MASK;
	u->sk.state = SS_CLOSE;
	peer = u->peer;
	u->peer = NULL;
	unread = !list_empty(&u->rcvq);
	list_splice_tail_init(&u->rcvq, &msgs);
	u->rcvq_len = 0;
	u->rcvq_bytes = 0;
	list_splice_tail_init(&u->accq, &embryos);
	u->acc_len = 0;
	mutex_unlock(&u->sk.lock);
	sched_wake_all(&u->peer_wait);
	sched_wake_all(&u->sk.wait);
	sched_wake_all(&unix_dgram_space_wait);

	if (peer) {
		if (u->sk.type == SOCK_STREAM || u->sk.type == SOCK_SEQPACKET) {
			mutex_lock(&peer->sk.lock);
			peer->sk.shutdown = SHUTDOWN_MASK;
			if (unread || embryo)
				peer->sk.err = ECONNRESET;
			mutex_unlock(&peer->sk.lock);
			sched_wake_all(&peer->sk.wait);
		}
		unix_sock_put(peer);
	}
	unix_msg_list_free(&msgs);
	while (!list_empty(&embryos)) {
		struct unix_sock *e = list_first_entry(&embryos, struct unix_sock,
						       acc_node);

		list_del(&e->acc_node);
		unix_release_sock(e, true);
	}
	if (path.dentry) {
		if (vfs_lock_held())    /* a file_put_locked caller */
			path_put_locked(&path);
		else
			path_put(&path);
	}
	unix_sock_put(u);
}

static void unix_release(struct socket *sock)
{
	struct unix_sock *u = unix_sk(sock->sk);

	sock->sk = NULL;
	unix_release_sock(u, false);
	unix_gc_schedule();
}

/* ---- connections ---- */

static int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = unix_sk(a->sk), *ub = unix_sk(b->sk);

	unix_lock_two(ua, ub);
	ua->peer = unix_sock_get(ub);
	ub->peer = unix_sock_get(ua);
	sock_peercred_current(&ua->sk.peercred);
	sock_peercred_current(&ub->sk.peercred);
	ua->sk.state = SS_ESTABLISHED;
	ub->sk.state = SS_ESTABLISHED;
	unix_unlock_two(ua, ub);
	return 0;
}

static int unix_listen(struct socket *sock, int backlog)
{
	struct unix_sock *u = unix_sk(sock->sk);
	int err = 0;

	if (u->sk.type != SOCK_STREAM && u->sk.type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	if (!__atomic_load_n(&u->addr_len, __ATOMIC_ACQUIRE))
		return -EINVAL;         /* no listening on an unbound socket */
	mutex_lock(&u->sk.lock);
	if (u->sk.state != SS_CLOSE && u->sk.state != SS_LISTEN) {
		err = -EINVAL;
	} else {
		if ((unsigned)backlog > u->max_backlog)
			sched_wake_all(&u->peer_wait);
		u->max_backlog = (unsigned)backlog;
		u->sk.state = SS_LISTEN;
		sock_peercred_current(&u->sk.peercred);
	}
	mutex_unlock(&u->sk.lock);
	return err;
}

/* Wait until @other's accept queue has room (or it changes state). */
static int wait_for_backlog(struct unix_sock *other, uint64_t *deadline)
{
	int err = sock_wait_event(&other->peer_wait,
				  READ_ONCE(other->acc_len) <=
				  READ_ONCE(other->max_backlog) ||
				  READ_ONCE(other->dead) ||
				  READ_ONCE(other->sk.state) != SS_LISTEN,
				  *deadline);

	if (err == -EAGAIN) {
		*deadline = SOCK_DEADLINE_NOW;
		err = 0;
	}
	return err;
}

/* Link the new server-side socket @e to @u, queued on listener @other
 * (both locked). */
static void connect_embryo(struct unix_sock *u, struct unix_sock *other,
			   struct unix_sock *e)
{
	int len = __atomic_load_n(&other->addr_len, __ATOMIC_ACQUIRE);

	ASSERT(mutex_is_held(&u->sk.lock) && mutex_is_held(&other->sk.lock));
	e->peer = unix_sock_get(u);
	e->sk.state = SS_ESTABLISHED;
	sock_peercred_current(&e->sk.peercred);
	e->addr = other->addr;
	__atomic_store_n(&e->addr_len, len, __ATOMIC_RELEASE);
	u->sk.peercred = other->sk.peercred;
	u->sk.state = SS_ESTABLISHED;
	u->peer = unix_sock_get(e);
	list_add_tail(&e->acc_node, &other->accq);     /* takes e's ref */
	other->acc_len++;
}

static int unix_stream_connect(struct socket *sock,
			       struct sockaddr_storage_k *addr, int len,
			       bool nonblock)
{
	struct unix_sock *u = unix_sk(sock->sk), *other, *e;
	enum sock_state st;
	uint64_t deadline;
	int err;

	err = unix_validate_addr(addr, len);
	if (err)
		return err;
	if ((READ_ONCE(u->sk.flags) & SK_PASSCRED) && !u->addr_len) {
		err = unix_autobind(u);
		if (err)
			return err;
	}
	deadline = sock_deadline(READ_ONCE(u->sk.sndtimeo_ns), nonblock);
	e = unix_sock_alloc(u->sk.type);
	if (!e)
		return -ENOMEM;
	for (;;) {
		other = unix_find_other(addr, len, u->sk.type);
		if (IS_ERR(other)) {
			err = (int)PTR_ERR(other);
			break;
		}
		mutex_lock(&other->sk.lock);
		if (other->dead) {                      /* lost a race: retry */
			mutex_unlock(&other->sk.lock);
			unix_sock_put(other);
			continue;
		}
		err = -ECONNREFUSED;
		if (other->sk.state != SS_LISTEN ||
		    (other->sk.shutdown & RCV_SHUTDOWN)) {
			mutex_unlock(&other->sk.lock);
			unix_sock_put(other);
			break;
		}
		if (other->acc_len > other->max_backlog) {
			mutex_unlock(&other->sk.lock);
			err = -EAGAIN;
			if (deadline == SOCK_DEADLINE_NOW) {
				unix_sock_put(other);
				break;
			}
			err = wait_for_backlog(other, &deadline);
			unix_sock_put(other);
			if (err)
				break;
			continue;
		}
		/* Only an unconnected socket is locked under the listener:
		 * it is never the listener of another connect. */
		st = READ_ONCE(u->sk.state);
		if (st != SS_CLOSE) {
			mutex_unlock(&other->sk.lock);
			unix_sock_put(other);
			err = st == SS_ESTABLISHED ? -EISCONN : -EINVAL;
			break;
		}
		mutex_lock(&u->sk.lock);
		if (u->sk.state != st) {
			unix_unlock_two(u, other);
			unix_sock_put(other);
			continue;
		}
		connect_embryo(u, other, e);
		e = NULL;
		err = 0;
		unix_unlock_two(u, other);
		sched_wake_all(&other->sk.wait);
		unix_sock_put(other);
		break;
	}
	if (e) {
		e->dead = true;
		unix_sock_put(e);
	}
	return err;
}

static int unix_accept(struct socket *sock, struct socket *newsock,
		       bool nonblock)
{
	struct unix_sock *u = unix_sk(sock->sk), *e = NULL;
	uint64_t deadline;
	int err = 0;

	deadline = sock_deadline(READ_ONCE(u->sk.rcvtimeo_ns), nonblock);
	mutex_lock(&u->sk.lock);
	if (u->sk.state != SS_LISTEN) {
		mutex_unlock(&u->sk.lock);
		return -EINVAL;
	}
	for (;;) {
		err = sock_error(&u->sk);
		if (err)
			break;
		if (!list_empty(&u->accq)) {
			e = list_first_entry(&u->accq, struct unix_sock, acc_node);
			list_del(&e->acc_node);
			u->acc_len--;
			break;
		}
		if (u->sk.shutdown & RCV_SHUTDOWN) {
			err = -EINVAL;
			break;
		}
		mutex_unlock(&u->sk.lock);
		err = sock_wait_event(&u->sk.wait, READ_ONCE(u->acc_len) ||
				      READ_ONCE(u->sk.err) ||
				      (READ_ONCE(u->sk.shutdown) & RCV_SHUTDOWN),
				      deadline);
		if (err == -EAGAIN)
			deadline = SOCK_DEADLINE_NOW;
		else if (err)
			return err;
		mutex_lock(&u->sk.lock);
		if (err == -EAGAIN && list_empty(&u->accq))
			break;
	}
	mutex_unlock(&u->sk.lock);
	if (!e)
		return err;
	sched_wake_all(&u->peer_wait);          /* room in the backlog */
	mutex_lock(&e->sk.lock);
	e->socket = newsock;
	__atomic_or_fetch(&e->sk.flags, READ_ONCE(u->sk.flags) &
			  (SK_PASSCRED | SK_PASSSEC), __ATOMIC_RELAXED);
	newsock->sk = &e->sk;
	mutex_unlock(&e->sk.lock);
	return 0;
}

void unix_dgram_disconnected(struct unix_sock *u, struct unix_sock *old)
{
	struct list_node msgs = LIST_HEAD_INIT(msgs);
	bool purged;

	mutex_lock(&u->iolock);
	mutex_lock(&u->sk.lock);
	purged = !list_empty(&u->rcvq);
	list_splice_tail_init(&u->rcvq, &msgs);
	u->rcvq_len = 0;
	u->rcvq_bytes = 0;
	mutex_unlock(&u->sk.lock);
	mutex_unlock(&u->iolock);
	if (purged) {
		sched_wake_all(&u->peer_wait);
		sched_wake_all(&unix_dgram_space_wait);
		/* One end of a datagram pair lost its messages: the other
		 * end, if it is still connected back, gets an error. */
		mutex_lock(&old->sk.lock);
		if (!old->dead && old->peer == u)
			old->sk.err = ECONNRESET;
		mutex_unlock(&old->sk.lock);
		sched_wake_all(&old->sk.wait);
	}
	mutex_lock(&old->sk.lock);
	old->sk.state = SS_CLOSE;
	mutex_unlock(&old->sk.lock);
	unix_msg_list_free(&msgs);
}

static int unix_dgram_connect(struct socket *sock,
			      struct sockaddr_storage_k *addr, int len,
			      bool nonblock)
{
	struct unix_sock *u = unix_sk(sock->sk), *other = NULL, *old;
	int err;

	if (len < 2)
		return -EINVAL;
	if (addr->family != AF_UNSPEC) {
		err = unix_validate_addr(addr, len);
		if (err)
			return err;
		if ((READ_ONCE(u->sk.flags) & SK_PASSCRED) && !u->addr_len) {
			err = unix_autobind(u);
			if (err)
				return err;
		}
		for (;;) {
			other = unix_find_other(addr, len, u->sk.type);
			if (IS_ERR(other))
				return (int)PTR_ERR(other);
			unix_lock_two(u, other);
			if (!other->dead)
				break;
			unix_unlock_two(u, other);
			unix_sock_put(other);
		}
		if (other->peer && other->peer != u) {  /* !unix_may_send */
			unix_unlock_two(u, other);
			unix_sock_put(other);
			return -EPERM;
		}
		u->sk.state = SS_ESTABLISHED;
		other->sk.state = SS_ESTABLISHED;
	} else {
		mutex_lock(&u->sk.lock);
	}
	old = u->peer;
	u->peer = other;                        /* takes other's reference */
	if (!other)
		u->sk.state = SS_CLOSE;
	if (other)
		unix_unlock_two(u, other);
	else
		mutex_unlock(&u->sk.lock);
	sched_wake_all(&unix_dgram_space_wait);
	if (old) {
		if (old != other)
			unix_dgram_disconnected(u, old);
		unix_sock_put(old);
	}
	return 0;
}

static int unix_shutdown(struct socket *sock, int how)
{
	struct unix_sock *u = unix_sk(sock->sk), *other;
	unsigned mode, peer_mode = 0;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	mode = (unsigned)how + 1;       /* SHUT_RD -> RCV_SHUTDOWN, ... */
	mutex_lock(&u->sk.lock);
	u->sk.shutdown |= mode;
	other = u->peer ? unix_sock_get(u->peer) : NULL;
	mutex_unlock(&u->sk.lock);
	sched_wake_all(&u->sk.wait);
	sched_wake_all(&u->peer_wait);
	if (other && (u->sk.type == SOCK_STREAM ||
		      u->sk.type == SOCK_SEQPACKET)) {
		if (mode & RCV_SHUTDOWN)
			peer_mode |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			peer_mode |= RCV_SHUTDOWN;
		mutex_lock(&other->sk.lock);
		other->sk.shutdown |= peer_mode;
		mutex_unlock(&other->sk.lock);
		sched_wake_all(&other->sk.wait);
	}
	if (other)
		unix_sock_put(other);
	return 0;
}

static long unix_ioctl(struct socket *sock, unsigned cmd, uaddr_t arg)
{
	struct unix_sock *u = unix_sk(sock->sk);
	long amount = 0;

	switch (cmd) {
	case SIOCINQ:
		mutex_lock(&u->sk.lock);
		if (u->sk.state == SS_LISTEN) {
			mutex_unlock(&u->sk.lock);
			return -EINVAL;
		}
		if (u->sk.type == SOCK_DGRAM) {
			if (!list_empty(&u->rcvq))
				amount = (long)list_first_entry(&u->rcvq,
						struct unix_msg, node)->len;
		} else {
			amount = (long)u->rcvq_bytes;
		}
		mutex_unlock(&u->sk.lock);
		break;
	case SIOCOUTQ:
		amount = (long)__atomic_load_n(&u->sk.wmem, __ATOMIC_RELAXED);
		break;
	case SIOCATMARK:        /* no out-of-band data, so never at a mark */
		break;
	default:
		return -ENOTTY;
	}
	return put_user((int32_t)MIN(amount, 0x7fffffffL), (int32_t *)arg)
	       ? -EFAULT : 0;
}

static const struct proto_ops unix_stream_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_stream_poll,
	.ioctl = unix_ioctl,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
};

static const struct proto_ops unix_dgram_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_dgram_connect,
	.socketpair = unix_socketpair,
	.getname = unix_getname,
	.poll = unix_dgram_poll,
	.ioctl = unix_ioctl,
	.shutdown = unix_shutdown,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
};

static const struct proto_ops unix_seqpacket_ops = {
	.family = AF_UNIX,
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_stream_connect,
	.socketpair = unix_socketpair,
	.accept = unix_accept,
	.getname = unix_getname,
	.poll = unix_dgram_poll,
	.ioctl = unix_ioctl,
	.listen = unix_listen,
	.shutdown = unix_shutdown,
	.sendmsg = unix_seqpacket_sendmsg,
	.recvmsg = unix_seqpacket_recvmsg,
};

/*
 * /proc/net/unix, as Linux formats it: the kernel address (hidden, as
 * with kptr_restrict), references, protocol, __SO_ACCEPTCON for
 * listeners, type, socket state (1 unconnected, 2 connecting, 3
 * connected, 4 disconnecting), the socket's inode and the name (an
 * abstract one with '@' for its NUL bytes).  Fields are read without the
 * sockets' locks, as Linux does.
 */
static int unix_proc_show(struct proc_buf *b)
{
	struct list_node *pos;
	uint64_t irq;

	proc_printf(b, "Num       RefCount Protocol Flags    Type St Inode Path\n");
	irq = spin_lock_irqsave(&unix_list_lock);
	list_for_each(pos, &unix_all) {
		struct unix_sock *u = list_entry(pos, struct unix_sock, all_node);
		enum sock_state state = READ_ONCE(u->sk.state);
		bool connected = state == SS_ESTABLISHED;
		int len = __atomic_load_n(&u->addr_len, __ATOMIC_ACQUIRE);
		int st = READ_ONCE(u->socket) ? (connected ? 3 : 1)
					      : (connected ? 2 : 4);

		if (READ_ONCE(u->dead))
			continue;
		proc_printf(b, "%016x: %08X %08X %08X %04X %02X %5lu", 0,
			    (unsigned)READ_ONCE(u->refcount), 0,
			    state == SS_LISTEN ? 0x10000 : 0, u->sk.type, st,
			    (unsigned long)READ_ONCE(u->sk.ino));
		if (len) {
			int i = 0, n = len - 2;

			if (u->addr.path[0]) {
				proc_printf(b, " ");
				n--;            /* the counted NUL */
			} else {
				proc_printf(b, " @");
				i++;
			}
			for (; i < n; i++)
				proc_printf(b, "%c", u->addr.path[i] ? u->addr.path[i]
								     : '@');
		}
		proc_printf(b, "\n");
	}
	spin_unlock_irqrestore(&unix_list_lock, irq);
	return 0;
}

static const struct net_proto_family unix_family = {
	.family = AF_UNIX,
	.create = unix_create,
};

void unix_init(void)
{
	unix_tables_init();
	unix_gc_init();
	sock_register(&unix_family);
	proc_net_register("unix", unix_proc_show);
}
