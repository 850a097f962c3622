/*
 * Garbage collection of AF_UNIX sockets in flight (passed with
 * SCM_RIGHTS and still queued).
 *
 * A queued message holds a reference to every file it carries, so
 * sockets can keep each other alive after every descriptor is closed:
 * send socket B over A (B now sits in B's peer's queue... or its own),
 * close both, and nothing can ever receive them.  The collector finds
 * such cycles the way Linux's classic unix_gc does:
 *
 *   1. candidates are in-flight sockets whose file has no references
 *      other than those of queued messages (file refcount == inflight);
 *   2. for each candidate, every reference to another candidate from its
 *      queue (and, for a listener, its embryos' queues) is subtracted;
 *   3. a candidate with references left is reachable from outside, and
 *      so is everything its queues hold: they are taken off the list;
 *   4. the rest is garbage: their queues are emptied, which drops the
 *      files, which releases the sockets.
 *
 * It runs on the socket layer's worker after a unix socket is released
 * and periodically while sockets are in flight (closing a descriptor of
 * an in-flight socket releases nothing, so it cannot trigger it).
 *
 * Locking: unix_gc_lock (a mutex) protects the in-flight list and the
 * [G] fields; it is taken before any socket lock and never with one held.
 * Receivers dequeue a message (socket lock), drop the lock, and only
 * then uncount its files, so a reference is always either in a queue the
 * collector can see, or counted as coming from outside.
 */
#include "net/unix.h"
#include "include/assert.h"
#include "mm/mm.h"

static struct mutex unix_gc_lock = MUTEX_INIT(unix_gc_lock, "unix gc");
static struct list_node inflight_list = LIST_HEAD_INIT(inflight_list); /* [G] */
static bool gc_requested;                                            /* [a] */

struct unix_sock *unix_sock_of_file(struct file *f)
{
	struct socket *sock = sock_from_file(f);

	if (!sock || sock->ops->family != AF_UNIX || !sock->sk)
		return NULL;
	return unix_sk(sock->sk);
}

void unix_inflight(struct scm_fp_list *fpl)
{
	mutex_lock(&unix_gc_lock);
	for (int i = 0; i < fpl->count; i++) {
		struct unix_sock *u = unix_sock_of_file(fpl->fp[i]);

		if (u && u->inflight++ == 0)
			list_add_tail(&u->gc_node, &inflight_list);
	}
	mutex_unlock(&unix_gc_lock);
}

void unix_notinflight(struct scm_fp_list *fpl)
{
	mutex_lock(&unix_gc_lock);
	for (int i = 0; i < fpl->count; i++) {
		struct unix_sock *u = unix_sock_of_file(fpl->fp[i]);

		if (!u)
			continue;
		ASSERT(u->inflight > 0);
		if (--u->inflight == 0)
			list_del(&u->gc_node);
	}
	mutex_unlock(&unix_gc_lock);
}

typedef void (*scan_fn)(struct unix_sock *child, struct list_node *work);

/* Call @fn for each candidate referenced from the queue of @u. */
static void scan_queue(struct unix_sock *u, scan_fn fn, struct list_node *work)
{
	struct list_node *pos;

	ASSERT(mutex_is_held(&unix_gc_lock) && mutex_is_held(&u->sk.lock));
	list_for_each(pos, &u->rcvq) {
		struct unix_msg *msg = list_entry(pos, struct unix_msg, node);

		for (int i = 0; msg->fp && i < msg->fp->count; i++) {
			struct unix_sock *c = unix_sock_of_file(msg->fp->fp[i]);

			if (c && c->gc_candidate)
				fn(c, work);
		}
	}
}

/* @u's queue and, for a listener, the queues of its embryos. */
static void scan_children(struct unix_sock *u, scan_fn fn,
			  struct list_node *work)
{
	struct list_node *pos;

	mutex_lock(&u->sk.lock);
	scan_queue(u, fn, work);
	list_for_each(pos, &u->accq) {
		struct unix_sock *e = list_entry(pos, struct unix_sock, acc_node);

		mutex_lock(&e->sk.lock);
		scan_queue(e, fn, work);
		mutex_unlock(&e->sk.lock);
	}
	mutex_unlock(&u->sk.lock);
}

static void dec_refs(struct unix_sock *c, struct list_node *work)
{
	c->gc_refs--;
}

/* @c is reachable: no longer a candidate, and its children neither. */
static void mark_reachable(struct unix_sock *c, struct list_node *work)
{
	c->gc_candidate = false;
	list_del(&c->gc_cand_node);
	list_add_tail(&c->gc_cand_node, work);
}

/* Move the whole queue of @u (and its embryos') to @hit. */
static void take_queue(struct unix_sock *u, struct list_node *hit)
{
	struct list_node *pos;

	mutex_lock(&u->sk.lock);
	list_splice_tail_init(&u->rcvq, hit);
	u->rcvq_len = 0;
	u->rcvq_bytes = 0;
	list_for_each(pos, &u->accq) {
		struct unix_sock *e = list_entry(pos, struct unix_sock, acc_node);

		mutex_lock(&e->sk.lock);
		list_splice_tail_init(&e->rcvq, hit);
		e->rcvq_len = 0;
		e->rcvq_bytes = 0;
		mutex_unlock(&e->sk.lock);
	}
	mutex_unlock(&u->sk.lock);
}

static void unix_gc(void)
{
	struct list_node cand = LIST_HEAD_INIT(cand);
	struct list_node work = LIST_HEAD_INIT(work);
	struct list_node done = LIST_HEAD_INIT(done);
	struct list_node hit = LIST_HEAD_INIT(hit);
	struct list_node *pos, *tmp;

	mutex_lock(&unix_gc_lock);
	list_for_each(pos, &inflight_list) {
		struct unix_sock *u = list_entry(pos, struct unix_sock, gc_node);
		struct socket *sock = u->socket;
		long refs = sock && sock->file
			    ? __atomic_load_n(&sock->file->refcount,
					      __ATOMIC_ACQUIRE) : 0;

		if (refs == (long)u->inflight) {
			u->gc_candidate = true;
			u->gc_refs = u->inflight;
			list_add_tail(&u->gc_cand_node, &cand);
		}
	}
	list_for_each(pos, &cand)
		scan_children(list_entry(pos, struct unix_sock, gc_cand_node),
			      dec_refs, NULL);
	list_for_each_safe(pos, tmp, &cand) {
		struct unix_sock *u = list_entry(pos, struct unix_sock,
						 gc_cand_node);

		if (u->gc_refs > 0)
			mark_reachable(u, &work);
	}
	while (!list_empty(&work)) {
		struct unix_sock *u = list_first_entry(&work, struct unix_sock,
						       gc_cand_node);

		list_del(&u->gc_cand_node);
		list_add_tail(&u->gc_cand_node, &done);
		scan_children(u, mark_reachable, &work);
	}
	list_for_each(pos, &cand)
		take_queue(list_entry(pos, struct unix_sock, gc_cand_node), &hit);
	list_splice_tail_init(&done, &cand);
	while (!list_empty(&cand)) {
		struct unix_sock *u = list_first_entry(&cand, struct unix_sock,
						       gc_cand_node);

		list_del(&u->gc_cand_node);
		u->gc_candidate = false;
	}
	mutex_unlock(&unix_gc_lock);
	unix_msg_list_free(&hit);       /* drops the cycle's files */
}

void unix_gc_schedule(void)
{
	bool any;

	mutex_lock(&unix_gc_lock);
	any = !list_empty(&inflight_list);
	mutex_unlock(&unix_gc_lock);
	if (any) {
		WRITE_ONCE(gc_requested, true);
		net_work_schedule();
	}
}

/* The worker's part: on request, and on its periodic wakeup while
 * sockets are in flight. */
static void unix_gc_work(void)
{
	bool any;

	mutex_lock(&unix_gc_lock);
	any = !list_empty(&inflight_list);
	mutex_unlock(&unix_gc_lock);
	WRITE_ONCE(gc_requested, false);
	if (any)
		unix_gc();
}

void unix_gc_init(void)
{
	net_work_register(unix_gc_work);
}
