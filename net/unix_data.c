/*
 * AF_UNIX data transfer: messages, send and receive for stream, datagram
 * and seqpacket sockets, and poll.
 *
 * A send copies the data into a new struct unix_msg first (charging its
 * size to the sender's SO_SNDBUF: a sender blocks, or gets EAGAIN, while
 * its queued-but-unread bytes reach the buffer size), then appends it to
 * the receiver's queue under the receiver's lock.  Stream sends split
 * into chunks of at most half the send buffer; passed files ride on the
 * first chunk only.  Credentials are attached when the sender gave
 * SCM_CREDENTIALS or either end has SO_PASSCRED.
 *
 * Stream receives glue chunks together (never across different
 * credentials when SO_PASSCRED is on, and never past a chunk that carried
 * files), wait for MSG_WAITALL / SO_RCVLOWAT, and report EOF after a
 * shutdown.  Datagram receives take one message, truncating it
 * (MSG_TRUNC) to the buffer.  MSG_PEEK leaves messages queued and gives
 * duplicates of passed files.
 *
 * Errors follow Linux: a stream write to a closed or shut-down peer is
 * EPIPE plus SIGPIPE (unless MSG_NOSIGNAL, and only if nothing was sent);
 * a datagram send to a dead connected peer is ECONNREFUSED once, then
 * ENOTCONN; datagram and seqpacket sends never raise SIGPIPE.
 *
 * Locking: see net/unix.h.  Readers hold u->iolock while they copy data
 * out of a message that is still queued; wmem is atomic.
 */
#include "net/unix.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

#define SIGPIPE 13

/* Woken whenever a datagram socket's queue gets room or its connection
 * changes: pollers waiting for a full peer queue sleep here (a global
 * queue, so a poller never waits on a socket that may be freed). */
struct wait_queue unix_dgram_space_wait = WAIT_QUEUE_INIT(unix_dgram_space_wait);

/* What Linux charges for an skb of @len bytes (sk_buff + data + shinfo). */
static size_t unix_truesize(size_t len)
{
	return 576 + MAX((size_t)192, ALIGN_UP(len, 64));
}

static size_t wmem(struct unix_sock *u)
{
	return __atomic_load_n(&u->sk.wmem, __ATOMIC_RELAXED);
}

static bool passcred(struct unix_sock *u)
{
	return READ_ONCE(u->sk.flags) & SK_PASSCRED;
}

static struct unix_msg *unix_msg_alloc(struct unix_sock *sender, size_t len)
{
	unsigned n = (unsigned)((len + UNIX_CHUNK - 1) / UNIX_CHUNK);
	struct unix_msg *msg = kzalloc(sizeof(*msg) + n * sizeof(msg->chunk[0]));

	if (!msg)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		msg->chunk[i] = kmalloc(MIN((size_t)UNIX_CHUNK,
					    len - (size_t)i * UNIX_CHUNK));
		if (!msg->chunk[i]) {
			while (i--)
				kfree(msg->chunk[i]);
			kfree(msg);
			return NULL;
		}
	}
	list_init(&msg->node);
	msg->nchunks = n;
	msg->len = len;
	msg->truesize = unix_truesize(len);
	msg->sender = unix_sock_get(sender);
	__atomic_add_fetch(&sender->sk.wmem, msg->truesize, __ATOMIC_RELAXED);
	return msg;
}

void unix_msg_free(struct unix_msg *msg)
{
	struct unix_sock *sender = msg->sender;

	if (msg->fp) {
		unix_notinflight(msg->fp);
		scm_fp_list_put(msg->fp);
	}
	__atomic_sub_fetch(&sender->sk.wmem, msg->truesize, __ATOMIC_RELAXED);
	sched_wake_all(&sender->sk.wait);       /* room in its send buffer */
	unix_sock_put(sender);
	for (unsigned i = 0; i < msg->nchunks; i++)
		kfree(msg->chunk[i]);
	kfree(msg);
}

void unix_msg_list_free(struct list_node *list)
{
	while (!list_empty(list)) {
		struct unix_msg *msg = list_first_entry(list, struct unix_msg,
							node);

		list_del(&msg->node);
		unix_msg_free(msg);
	}
}

/* Copy @n bytes between the message (from @off) and the buffers. */
static int msg_copy(struct unix_msg *msg, size_t off, struct iov_iter *it,
		    size_t n, bool out)
{
	while (n) {
		size_t c = off / UNIX_CHUNK, in = off % UNIX_CHUNK;
		size_t piece = MIN(n, (size_t)UNIX_CHUNK - in);
		int err = out ? iov_iter_copy_to(it, msg->chunk[c] + in, piece)
			      : iov_iter_copy_from(it, msg->chunk[c] + in, piece);

		if (err)
			return err;
		off += piece;
		n -= piece;
	}
	return 0;
}

/* Hand the control data of a send to its message. */
static void msg_attach_scm(struct unix_msg *msg, struct scm_cookie *scm,
			   bool fds)
{
	if (fds && scm->fp) {
		msg->fp = scm->fp;
		scm->fp = NULL;
		unix_inflight(msg->fp);
	}
	if (scm->has_creds) {
		msg->has_creds = true;
		msg->creds = scm->creds;
	}
}

/* Attach the sender's credentials if either end asked for them. */
static void maybe_add_creds(struct unix_msg *msg, struct unix_sock *u,
			    struct unix_sock *other)
{
	const struct cred *c = current_cred();
	struct process *p = current_process();

	if (msg->has_creds || !(passcred(u) || passcred(other)))
		return;
	msg->has_creds = true;
	msg->creds.pid = p ? p->pid : 0;
	msg->creds.uid = c->uid;
	msg->creds.gid = c->gid;
}

/* Give recvfrom the sender's address (left empty if it has none). */
static void msg_name(struct kmsg *m, struct unix_sock *sender)
{
	int len = __atomic_load_n(&sender->addr_len, __ATOMIC_ACQUIRE);

	if (m->name && len) {
		memcpy(m->name, &sender->addr, (size_t)len);
		m->namelen = len;
	}
}

/* Wait for room in our send buffer (Linux's sock_alloc_send_pskb). */
static int wait_wmem(struct unix_sock *u, uint64_t *deadline)
{
	for (;;) {
		int err = sock_error(&u->sk);

		if (err)
			return err;
		if (READ_ONCE(u->sk.shutdown) & SEND_SHUTDOWN)
			return -EPIPE;
		if (wmem(u) < (size_t)READ_ONCE(u->sk.sndbuf))
			return 0;
		if (*deadline == SOCK_DEADLINE_NOW)
			return -EAGAIN;
		err = sock_wait_event(&u->sk.wait,
				      wmem(u) < (size_t)READ_ONCE(u->sk.sndbuf) ||
				      (READ_ONCE(u->sk.shutdown) & SEND_SHUTDOWN) ||
				      READ_ONCE(u->sk.err), *deadline);
		if (err == -EAGAIN)
			*deadline = SOCK_DEADLINE_NOW;
		else if (err)
			return err;
	}
}

static struct unix_sock *peer_get(struct unix_sock *u)
{
	struct unix_sock *p;

	mutex_lock(&u->sk.lock);
	p = u->peer ? unix_sock_get(u->peer) : NULL;
	mutex_unlock(&u->sk.lock);
	return p;
}

/* Append @msg to @other's queue ([l] of other held) and account it. */
static void queue_msg(struct unix_sock *other, struct unix_msg *msg)
{
	ASSERT(mutex_is_held(&other->sk.lock));
	list_add_tail(&msg->node, &other->rcvq);
	other->rcvq_len++;
	other->rcvq_bytes += msg->len;
}

/* ---- stream ---- */

long unix_stream_sendmsg(struct socket *sock, struct kmsg *m, size_t len,
			 int flags)
{
	struct unix_sock *u = unix_sk(sock->sk), *other = NULL;
	struct scm_cookie scm;
	bool fds_sent = false;
	uint64_t deadline;
	size_t sent = 0;
	long err;

	err = scm_send(sock, m, &scm);
	if (err)
		return err;
	err = -EOPNOTSUPP;
	if (flags & MSG_OOB)
		goto out;
	if (m->name) {
		err = READ_ONCE(u->sk.state) == SS_ESTABLISHED ? -EISCONN
							       : -EOPNOTSUPP;
		goto out;
	}
	other = peer_get(u);
	err = -ENOTCONN;
	if (!other)
		goto out;
	if (READ_ONCE(u->sk.shutdown) & SEND_SHUTDOWN)
		goto pipe_err;
	deadline = sock_deadline(READ_ONCE(u->sk.sndtimeo_ns),
				 flags & MSG_DONTWAIT);
	while (sent < len) {
		size_t size = MIN(len - sent,
				  (size_t)(READ_ONCE(u->sk.sndbuf) / 2 - 64));
		struct unix_msg *msg;

		size = MIN(size, (size_t)UNIX_STREAM_CHUNK_MAX);
		err = wait_wmem(u, &deadline);
		if (err)
			goto out;
		msg = unix_msg_alloc(u, size);
		err = -ENOBUFS;
		if (!msg)
			goto out;
		msg_attach_scm(msg, &scm, !fds_sent);
		fds_sent = true;
		err = msg_copy(msg, 0, &m->iter, size, false);
		if (err) {
			unix_msg_free(msg);
			goto out;
		}
		mutex_lock(&other->sk.lock);
		if (other->dead || (other->sk.shutdown & RCV_SHUTDOWN)) {
			mutex_unlock(&other->sk.lock);
			unix_msg_free(msg);
			goto pipe_err;
		}
		maybe_add_creds(msg, u, other);
		queue_msg(other, msg);
		mutex_unlock(&other->sk.lock);
		sched_wake_all(&other->sk.wait);
		sent += size;
	}
	err = 0;
	goto out;
pipe_err:
	if (sent == 0 && !(flags & MSG_NOSIGNAL))
		signal_raise_current(SIGPIPE);
	err = -EPIPE;
out:
	if (other)
		unix_sock_put(other);
	scm_destroy(&scm);
	return sent ? (long)sent : err;
}

/* The queued message holding byte @skip of the unread data. */
static struct unix_msg *stream_find(struct unix_sock *u, size_t skip,
				    size_t *off)
{
	struct list_node *pos;

	list_for_each(pos, &u->rcvq) {
		struct unix_msg *msg = list_entry(pos, struct unix_msg, node);
		size_t avail = msg->len - msg->consumed;

		if (skip < avail) {
			*off = msg->consumed + skip;
			return msg;
		}
		skip -= avail;
	}
	return NULL;
}

static bool creds_equal(const struct scm_cookie *scm,
			const struct unix_msg *msg)
{
	if (scm->has_creds != msg->has_creds)
		return false;
	return !scm->has_creds || (scm->creds.pid == msg->creds.pid &&
				   scm->creds.uid == msg->creds.uid &&
				   scm->creds.gid == msg->creds.gid);
}

/* Replace the files in @scm (at most one message's files per call). */
static void scm_set_fp(struct scm_cookie *scm, struct scm_fp_list *fpl)
{
	if (scm->fp)
		scm_fp_list_put(scm->fp);
	scm->fp = fpl;
}

/*
 * Nothing to read at offset @skip: report EOF (1), the pending error or
 * EAGAIN, or sleep until something changes (0: look again).  Called with
 * u->sk.lock and u->iolock held; returns with only iolock held.
 */
static int stream_wait(struct unix_sock *u, size_t skip, uint64_t *deadline)
{
	int err = sock_error(&u->sk);

	if (err || (u->sk.shutdown & RCV_SHUTDOWN)) {
		mutex_unlock(&u->sk.lock);
		return err ? err : 1;
	}
	mutex_unlock(&u->sk.lock);
	if (*deadline == SOCK_DEADLINE_NOW)
		return -EAGAIN;
	mutex_unlock(&u->iolock);
	err = sock_wait_event(&u->sk.wait, READ_ONCE(u->rcvq_bytes) > skip ||
			      READ_ONCE(u->sk.err) ||
			      (READ_ONCE(u->sk.shutdown) & RCV_SHUTDOWN),
			      *deadline);
	mutex_lock(&u->iolock);
	if (err == -EAGAIN) {
		*deadline = SOCK_DEADLINE_NOW;  /* one more look, then EAGAIN */
		err = 0;
	}
	return err;
}

long unix_stream_recvmsg(struct socket *sock, struct kmsg *m, size_t size,
			 int flags)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct scm_cookie scm = { 0 };
	bool peek = flags & MSG_PEEK, check_creds = false, interrupted = false;
	size_t skip = 0, copied = 0, target;
	uint64_t deadline;
	long err = 0;

	if (READ_ONCE(u->sk.state) != SS_ESTABLISHED)
		return -EINVAL;
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	target = (flags & MSG_WAITALL) ? size
		 : MIN((size_t)READ_ONCE(u->sk.rcvlowat), size);
	if (!target)
		target = 1;
	deadline = sock_deadline(READ_ONCE(u->sk.rcvtimeo_ns),
				 flags & MSG_DONTWAIT);
	mutex_lock(&u->iolock);
	do {
		struct scm_fp_list *fpl = NULL;
		struct unix_msg *msg, *done = NULL;
		size_t off, chunk;

		mutex_lock(&u->sk.lock);
		msg = stream_find(u, skip, &off);
		if (!msg) {
			if (copied >= target || (peek && copied)) {
				mutex_unlock(&u->sk.lock);
				break;
			}
			err = stream_wait(u, skip, &deadline);
			if (!err)
				continue;
			interrupted = err == -ERESTARTSYS || err == -EINTR;
			if (err == 1)
				err = 0;        /* EOF */
			break;
		}
		mutex_unlock(&u->sk.lock);
		if (check_creds) {
			if (!creds_equal(&scm, msg))
				break;  /* never glue different writers */
		} else if (passcred(u)) {
			scm.has_creds = msg->has_creds;
			scm.creds = msg->creds;
			check_creds = true;
		}
		msg_name(m, msg->sender);
		chunk = MIN(msg->len - off, size);
		if (msg_copy(msg, off, &m->iter, chunk, true)) {
			if (!copied)
				err = -EFAULT;
			break;
		}
		copied += chunk;
		size -= chunk;
		if (peek) {
			if (msg->fp) {
				scm_set_fp(&scm, scm_fp_dup(msg->fp));
				break;
			}
			skip += chunk;
			continue;
		}
		mutex_lock(&u->sk.lock);
		msg->consumed += chunk;
		u->rcvq_bytes -= chunk;
		fpl = msg->fp;
		msg->fp = NULL;
		if (msg->consumed == msg->len) {
			list_del(&msg->node);
			u->rcvq_len--;
			done = msg;
		}
		mutex_unlock(&u->sk.lock);
		if (fpl) {
			unix_notinflight(fpl);
			scm_set_fp(&scm, fpl);
		}
		if (!done)
			break;
		unix_msg_free(done);
		if (scm.fp)
			break;
	} while (size);
	mutex_unlock(&u->iolock);
	if (interrupted)
		scm_destroy(&scm);
	else
		scm_recv(m, &scm, passcred(u));
	return copied ? (long)copied : err;
}

/* ---- datagram and seqpacket ---- */

/* The datagram's destination @other is dead: forget it if it was our
 * peer (ECONNREFUSED), fail a seqpacket send (EPIPE), or retry (0). */
static int dgram_dead_peer(struct unix_sock *u, struct unix_sock *other)
{
	if (u->sk.type == SOCK_SEQPACKET)
		return -EPIPE;
	mutex_lock(&u->sk.lock);
	if (u->peer != other) {
		mutex_unlock(&u->sk.lock);
		return 0;
	}
	u->peer = NULL;
	u->sk.state = SS_CLOSE;
	mutex_unlock(&u->sk.lock);
	unix_dgram_disconnected(u, other);
	unix_sock_put(other);                   /* the peer reference */
	return -ECONNREFUSED;
}

/*
 * Find and lock the destination of a datagram: the connected peer
 * (*@otherp, referenced, or NULL) or else the socket named @sun.  A dead
 * peer disconnects us (ECONNREFUSED; EPIPE for seqpacket); a full queue
 * of a receiver not connected back is waited for until @deadline.
 * 0 with (*@otherp)->sk.lock held, or -errno (*@otherp stays referenced
 * if set).
 */
static int dgram_lock_dest(struct unix_sock *u, struct unix_sock **otherp,
			   struct sockaddr_storage_k *sun, int sunlen,
			   uint64_t deadline)
{
	struct unix_sock *other = *otherp;
	int err;

	for (;;) {
		if (!other) {
			if (!sun)
				return -ECONNRESET;
			other = unix_find_other(sun, sunlen, u->sk.type);
			if (IS_ERR(other))
				return (int)PTR_ERR(other);
			*otherp = other;
		}
		mutex_lock(&other->sk.lock);
		err = -EPERM;
		if (other->peer && other->peer != u)    /* unix_may_send */
			goto out_unlock;
		if (other->dead) {
			mutex_unlock(&other->sk.lock);
			err = dgram_dead_peer(u, other);
			unix_sock_put(other);
			other = *otherp = NULL;
			if (err)
				return err;
			continue;
		}
		err = -EPIPE;
		if (other->sk.shutdown & RCV_SHUTDOWN)
			goto out_unlock;
		if (other == u || other->peer == u || !unix_recvq_full(other))
			return 0;
		mutex_unlock(&other->sk.lock);
		if (deadline == SOCK_DEADLINE_NOW)
			return -EAGAIN;
		err = sock_wait_event(&other->peer_wait, !unix_recvq_full(other) ||
				      READ_ONCE(other->dead), deadline);
		if (err == -EAGAIN)
			deadline = SOCK_DEADLINE_NOW;
		else if (err)
			return err;
	}
out_unlock:
	mutex_unlock(&other->sk.lock);
	return err;
}

long unix_dgram_sendmsg(struct socket *sock, struct kmsg *m, size_t len,
			int flags)
{
	struct unix_sock *u = unix_sk(sock->sk), *other = NULL;
	struct sockaddr_storage_k *sun = NULL;
	struct unix_msg *msg = NULL;
	struct scm_cookie scm;
	uint64_t deadline;
	int sunlen = 0;
	long err;

	err = scm_send(sock, m, &scm);
	if (err)
		return err;
	err = -EOPNOTSUPP;
	if (flags & MSG_OOB)
		goto out;
	if (m->name) {
		err = unix_validate_addr(m->name, m->namelen);
		if (err)
			goto out;
		sun = m->name;
		sunlen = m->namelen;
	} else {
		other = peer_get(u);
		err = -ENOTCONN;
		if (!other)
			goto out;
	}
	if (passcred(u) && !__atomic_load_n(&u->addr_len, __ATOMIC_ACQUIRE)) {
		err = unix_autobind(u);
		if (err)
			goto out;
	}
	err = -EMSGSIZE;
	if (len > (size_t)READ_ONCE(u->sk.sndbuf) - 32)
		goto out;
	deadline = sock_deadline(READ_ONCE(u->sk.sndtimeo_ns),
				 flags & MSG_DONTWAIT);
	err = wait_wmem(u, &deadline);
	if (err)
		goto out;
	msg = unix_msg_alloc(u, len);
	err = -ENOBUFS;
	if (!msg)
		goto out;
	msg_attach_scm(msg, &scm, true);
	err = msg_copy(msg, 0, &m->iter, len, false);
	if (err)
		goto out;
	deadline = sock_deadline(READ_ONCE(u->sk.sndtimeo_ns),
				 flags & MSG_DONTWAIT);
	err = dgram_lock_dest(u, &other, sun, sunlen, deadline);
	if (err)
		goto out;
	maybe_add_creds(msg, u, other);
	queue_msg(other, msg);
	msg = NULL;
	mutex_unlock(&other->sk.lock);
	sched_wake_all(&other->sk.wait);
	err = (long)len;
out:
	if (msg)
		unix_msg_free(msg);
	if (other)
		unix_sock_put(other);
	scm_destroy(&scm);
	return err;
}

long unix_dgram_recvmsg(struct socket *sock, struct kmsg *m, size_t size,
			int flags)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct scm_cookie scm = { 0 };
	struct unix_msg *msg = NULL;
	bool peek = flags & MSG_PEEK;
	uint64_t deadline;
	long err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	deadline = sock_deadline(READ_ONCE(u->sk.rcvtimeo_ns),
				 flags & MSG_DONTWAIT);
	for (;;) {
		unsigned shutdown;
		enum sock_state state;

		mutex_lock(&u->iolock);
		mutex_lock(&u->sk.lock);
		err = sock_error(&u->sk);
		if (!err && !list_empty(&u->rcvq)) {
			msg = list_first_entry(&u->rcvq, struct unix_msg, node);
			if (!peek) {
				list_del(&msg->node);
				u->rcvq_len--;
				u->rcvq_bytes -= msg->len;
			}
			mutex_unlock(&u->sk.lock);
			break;                  /* iolock stays held */
		}
		shutdown = u->sk.shutdown;
		state = u->sk.state;
		mutex_unlock(&u->sk.lock);
		mutex_unlock(&u->iolock);
		if (err)
			return err;
		err = -EAGAIN;
		if (deadline == SOCK_DEADLINE_NOW)
			break;
		if (shutdown & RCV_SHUTDOWN)
			return 0;
		if (u->sk.type == SOCK_SEQPACKET && state != SS_ESTABLISHED &&
		    state != SS_LISTEN)
			return -ENOTCONN;
		err = sock_wait_event(&u->sk.wait, READ_ONCE(u->rcvq_len) ||
				      READ_ONCE(u->sk.err) ||
				      (READ_ONCE(u->sk.shutdown) & RCV_SHUTDOWN),
				      deadline);
		if (err == -EAGAIN)
			deadline = SOCK_DEADLINE_NOW;
		else if (err)
			return err;
	}
	if (!msg) {
		/* EOF on a disconnected non-blocking seqpacket socket. */
		if (u->sk.type == SOCK_SEQPACKET && err == -EAGAIN &&
		    (READ_ONCE(u->sk.shutdown) & RCV_SHUTDOWN))
			err = 0;
		return err;
	}
	if (!peek) {
		sched_wake_all(&u->peer_wait);
		sched_wake_all(&unix_dgram_space_wait);
	}
	msg_name(m, msg->sender);
	if (size > msg->len)
		size = msg->len;
	else if (size < msg->len)
		m->flags |= MSG_TRUNC;
	err = msg_copy(msg, 0, &m->iter, size, true);
	if (err)
		goto out;
	scm.has_creds = msg->has_creds;
	scm.creds = msg->creds;
	if (msg->fp && !peek) {
		scm.fp = msg->fp;
		msg->fp = NULL;
		unix_notinflight(scm.fp);
	} else if (msg->fp) {
		scm.fp = scm_fp_dup(msg->fp);
	}
	err = (flags & MSG_TRUNC) ? (long)msg->len : (long)size;
out:
	mutex_unlock(&u->iolock);
	if (!peek)
		unix_msg_free(msg);
	if (err >= 0)
		scm_recv(m, &scm, passcred(u));
	return err;
}

long unix_seqpacket_sendmsg(struct socket *sock, struct kmsg *m, size_t len,
			    int flags)
{
	struct sock *sk = sock->sk;
	int err = sock_error(sk);

	if (err)
		return err;
	if (READ_ONCE(sk->state) != SS_ESTABLISHED)
		return -ENOTCONN;
	m->name = NULL;                 /* the address is ignored */
	m->namelen = 0;
	return unix_dgram_sendmsg(sock, m, len, flags);
}

long unix_seqpacket_recvmsg(struct socket *sock, struct kmsg *m, size_t len,
			    int flags)
{
	if (READ_ONCE(sock->sk->state) != SS_ESTABLISHED)
		return -ENOTCONN;
	return unix_dgram_recvmsg(sock, m, len, flags);
}

/* ---- poll ---- */

/* Room to write: a quarter of the send buffer free (Linux's
 * unix_writable), never for a listener. */
static bool unix_writable(struct unix_sock *u)
{
	return u->sk.state != SS_LISTEN &&
	       (wmem(u) << 2) <= (size_t)READ_ONCE(u->sk.sndbuf);
}

unsigned unix_stream_poll(struct socket *sock, struct file *f,
			  struct poll_table *pt)
{
	struct unix_sock *u = unix_sk(sock->sk);
	unsigned mask = 0;

	poll_wait(f, &u->sk.wait, pt);
	mutex_lock(&u->sk.lock);
	if (u->sk.err)
		mask |= POLLERR;
	if (u->sk.shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->sk.shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&u->rcvq) || !list_empty(&u->accq))
		mask |= POLLIN | POLLRDNORM;
	if (u->sk.state == SS_CLOSE)
		mask |= POLLHUP;
	if (unix_writable(u))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	mutex_unlock(&u->sk.lock);
	return mask;
}

unsigned unix_dgram_poll(struct socket *sock, struct file *f,
			 struct poll_table *pt)
{
	struct unix_sock *u = unix_sk(sock->sk), *other;
	unsigned mask = 0;
	bool writable;

	poll_wait(f, &u->sk.wait, pt);
	mutex_lock(&u->sk.lock);
	if (u->sk.err)
		mask |= POLLERR;
	if (u->sk.shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->sk.shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (!list_empty(&u->rcvq) || !list_empty(&u->accq))
		mask |= POLLIN | POLLRDNORM;
	if (u->sk.type == SOCK_SEQPACKET && u->sk.state == SS_CLOSE)
		mask |= POLLHUP;
	writable = unix_writable(u);
	other = u->peer;                /* kept alive by our reference */
	if (other && other != u && READ_ONCE(other->peer) != u) {
		/* The peer's queue limits us: its room is announced on the
		 * global queue (registered even now, for epoll). */
		poll_wait(f, &unix_dgram_space_wait, pt);
		if (unix_recvq_full(other))
			writable = false;
	}
	if (writable)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	mutex_unlock(&u->sk.lock);
	return mask;
}
