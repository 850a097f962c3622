/*
 * AF_UNIX (unix(7)) internals shared by net/unix*.c.
 *
 * A struct unix_sock is the protocol side of one unix socket.  Messages
 * travel as struct unix_msg from the sender straight into the receiver's
 * queue (rcvq); their size is charged to the sender's send buffer
 * (sk.wmem) until the receiver consumes them, which is what blocks a
 * writer (Linux's model: unix sockets have no receive-buffer limit, only
 * the sender's SO_SNDBUF, plus max_dgram_qlen queued datagrams for a
 * receiver that is not connected back to the sender).
 *
 * Stream sockets queue chunks that readers glue together; datagram and
 * seqpacket sockets queue one message per send.  A connect(2) to a
 * listener creates the server-side socket at once ("embryo", already
 * connected to the client) and queues it on the listener's accept queue;
 * accept(2) grafts it onto a new socket file.
 *
 * Lifetime: refcount counts the socket file (or the accept queue, for an
 * embryo), the peer pointer of the other end, and queued messages it
 * sent.  Release (last close) marks it dead, disconnects it, purges its
 * queues and drops the bound path; the memory goes with the last ref.
 *
 * Locking (outermost first):
 *   unix_table_lock  name tables (bound sockets by path inode / abstract
 *                    name), autobind
 *   unix_gc_lock     in-flight counts and the garbage collector
 *   u->bindlock      one bind at a time
 *   u->iolock        one reader at a time (messages are consumed and
 *                    purged only by its holder or by a dead socket)
 *   u->sk.lock       [l]: state, peer, queues, shutdown, dead; two of
 *                    them are taken in address order, or listener before
 *                    connecting socket before embryo
 * Nothing sleeps for data with any of them held; files are dropped
 * (scm_fp_list_put) only with none held.
 */
#ifndef NET_UNIX_H
#define NET_UNIX_H

#include "net/internal.h"

#define UNIX_PATH_MAX 108
#define UNIX_ADDR_MAX ((int)(2 + UNIX_PATH_MAX))        /* 110 bytes */
#define UNIX_MAX_DGRAM_QLEN 10  /* net.unix.max_dgram_qlen */
#define UNIX_CHUNK 4096         /* message data is kept in pieces */
#define UNIX_STREAM_CHUNK_MAX 32768     /* bytes per stream message */

/* A bound name as getsockname(2) returns it: struct sockaddr_un, plus
 * room for the NUL that Linux counts after a path filling all of
 * sun_path (such a name is 111 bytes long). */
struct unix_address {
	uint16_t family;
	char path[UNIX_PATH_MAX + 1];
};

struct unix_sock;

struct unix_msg {
	struct list_node node;          /* [l] in the receiver's rcvq */
	size_t len;                     /* [I] data bytes */
	size_t consumed;                /* [l]+iolock: stream bytes read */
	size_t truesize;                /* [I] charged to sender->sk.wmem */
	struct unix_sock *sender;       /* [I] referenced */
	struct scm_fp_list *fp;         /* [l] passed files, in flight */
	bool has_creds;                 /* [I] */
	struct ucred_k creds;           /* [I] */
	unsigned nchunks;               /* [I] */
	uint8_t *chunk[];               /* [I] UNIX_CHUNK bytes each */
};

struct unix_sock {
	struct sock sk;                 /* first: unix_sk() */
	int refcount;                   /* [a] */
	struct mutex iolock;
	struct mutex bindlock;
	struct socket *socket;          /* [l] the file side, NULL if none */
	struct unix_sock *peer;         /* [l] referenced */
	bool dead;                      /* [l] released */
	struct list_node rcvq;          /* [l] struct unix_msg.node */
	unsigned rcvq_len;              /* [l] messages */
	size_t rcvq_bytes;              /* [l] unread bytes */
	struct list_node accq;          /* [l] listener: struct unix_sock.acc_node */
	struct list_node acc_node;      /* [listener's l] */
	unsigned acc_len;               /* [l] */
	unsigned max_backlog;           /* [l] listen backlog / dgram qlen */
	struct wait_queue peer_wait;    /* senders waiting for room in our
					 * queue, connects waiting for accept */
	/* Name: written once, before addr_len is published (release);
	 * read after an acquire load of addr_len ([A]). */
	int addr_len;                   /* [A] 0: unbound */
	struct unix_address addr;       /* [A] */
	struct path path;               /* [bindlock] bound file, or none */
	struct list_node table_node;    /* [T] in a name-table bucket */
	struct list_node all_node;      /* [L] unix_list_lock: every socket */
	bool hashed;                    /* [T] */
	/* Garbage collection (unix_gc.c). */
	unsigned long inflight;         /* [G] references to our file held
					 * by queued messages */
	struct list_node gc_node;       /* [G] in the in-flight list */
	struct list_node gc_cand_node;  /* [G] in one collection's lists */
	bool gc_candidate;              /* [G] */
	unsigned long gc_refs;          /* [G] scratch */
};

static inline struct unix_sock *unix_sk(struct sock *sk)
{
	return (struct unix_sock *)sk;
}

/* unix.c */
struct unix_sock *unix_sock_get(struct unix_sock *u);
void unix_sock_put(struct unix_sock *u);
/* The bound address, or "unbound" (family only): its length. */
int unix_copy_addr(struct unix_sock *u, struct sockaddr_storage_k *out);
int unix_autobind(struct unix_sock *u);
/* Check a sockaddr_un for connect/sendto: 0 or -EINVAL. */
int unix_validate_addr(const struct sockaddr_storage_k *a, int len);
/* The socket bound at @addr (of @type): referenced, or ERR_PTR. */
struct unix_sock *unix_find_other(const struct sockaddr_storage_k *addr,
				  int len, int type);
/* Lock two sockets in address order (the same one once). */
void unix_lock_two(struct unix_sock *a, struct unix_sock *b);
void unix_unlock_two(struct unix_sock *a, struct unix_sock *b);
/* Is @u's queue full for a sender it is not connected to?  [l] */
static inline bool unix_recvq_full(struct unix_sock *u)
{
	return READ_ONCE(u->rcvq_len) > READ_ONCE(u->max_backlog);
}
/* Forget the messages of a datagram socket that was connected to
 * @old_peer (Linux's unix_dgram_disconnected).  No locks held. */
void unix_dgram_disconnected(struct unix_sock *u, struct unix_sock *old);

/* unix_data.c */
extern struct wait_queue unix_dgram_space_wait;
void unix_msg_free(struct unix_msg *msg);
/* Free every message on @list (detached from a queue; no locks held). */
void unix_msg_list_free(struct list_node *list);
long unix_stream_sendmsg(struct socket *sock, struct kmsg *m, size_t len,
			 int flags);
long unix_stream_recvmsg(struct socket *sock, struct kmsg *m, size_t len,
			 int flags);
long unix_dgram_sendmsg(struct socket *sock, struct kmsg *m, size_t len,
			int flags);
long unix_dgram_recvmsg(struct socket *sock, struct kmsg *m, size_t len,
			int flags);
long unix_seqpacket_sendmsg(struct socket *sock, struct kmsg *m, size_t len,
			    int flags);
long unix_seqpacket_recvmsg(struct socket *sock, struct kmsg *m, size_t len,
			    int flags);
unsigned unix_stream_poll(struct socket *sock, struct file *f,
			  struct poll_table *pt);
unsigned unix_dgram_poll(struct socket *sock, struct file *f,
			 struct poll_table *pt);

/* unix_gc.c */
/* The unix socket whose file is @f, or NULL. */
struct unix_sock *unix_sock_of_file(struct file *f);
/* Count / uncount the unix sockets among @fpl as in flight. */
void unix_inflight(struct scm_fp_list *fpl);
void unix_notinflight(struct scm_fp_list *fpl);
/* A unix socket was released: collect unreachable in-flight sockets
 * soon (on the socket layer's worker). */
void unix_gc_schedule(void);
void unix_gc_init(void);

#endif
