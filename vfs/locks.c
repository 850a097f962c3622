/*
 * Advisory file locks: flock(2) and fcntl(2) record locks (classic POSIX
 * locks and open file description locks).
 *
 * Model (Linux's): an inode that was ever locked gets a lock context with
 * two lists that never interact: flock locks (whole file, shared or
 * exclusive, owned by an open file description) and record locks (byte
 * ranges [start, end], read or write).  A record lock is owned by a
 * descriptor table (POSIX locks: "the process", shared by its threads) or
 * by an open file description (OFD locks, F_OFD_*).  The record locks of
 * one owner never overlap: a new request trims or splits the owner's
 * locks of another type and merges with overlapping or adjacent ones of
 * its own type, so unlocking a middle part leaves two locks.
 *
 * Lifetime: flock and OFD locks go when the last reference to their open
 * file description goes (locks_remove_file, from file_put); POSIX locks
 * go when the owning descriptor table closes any descriptor of the file
 * (locks_remove_posix: close, dup2 over it, close_range, close-on-exec,
 * exit), and are never inherited by fork (the child has another table).
 *
 * Waiting: a blocked request (LOCK_EX without LOCK_NB, F_SETLKW) sleeps
 * on the context's wait queue until the context's generation counter
 * moves (every removal or change bumps it), then retries from scratch.
 * Signals end the wait with -ERESTARTSYS.  A blocked POSIX request is
 * also listed on blocked_list with the owner it waits for, so that
 * F_SETLKW can refuse to close a cycle of owners waiting on each other
 * (EDEADLK), as Linux's posix_locks_deadlock does.
 *
 * Locking: flock_mutex protects every lock context, its lists and
 * blocked_list.  It is taken below vfs_lock (file_put_locked may release
 * locks) and takes nothing else; the inode size for SEEK_END is read
 * before it.  inode->flctx is set once under flock_mutex and freed with
 * the inode, which no lock holder or waiter can outlive (each holds an
 * open file of it).
 */
#include "vfs/internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "process/process.h"

#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define LOCK_MAND 32

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define OFFSET_MAX INT64_MAX
#define MAX_DEADLK_ITERATIONS 10        /* as Linux */

struct file_lock {
	struct list_node node;          /* [M] in one of the context's lists */
	const void *owner;              /* [M] fdtable (POSIX) or file */
	int pid;                        /* [M] tgid of the locker (F_GETLK) */
	bool ofd;                       /* [M] an OFD lock: l_pid reads -1 */
	int type;                       /* [M] F_RDLCK or F_WRLCK */
	int64_t start, end;             /* [M] inclusive; end OFFSET_MAX: EOF */
};

struct file_lock_context {
	struct list_node flocks;        /* [M] struct file_lock (flock(2)) */
	struct list_node records;       /* [M] struct file_lock (fcntl) */
	uint64_t gen;                   /* [M] bumped on every change */
	struct wait_queue wq;           /* waiters for gen to move */
};

/* A POSIX F_SETLKW request that sleeps, for deadlock detection. */
struct lock_waiter {
	struct list_node node;          /* [M] blocked_list */
	const void *owner;              /* who waits */
	const void *blocker;            /* the owner of the lock it waits for */
};

static struct mutex flock_mutex = MUTEX_INIT(flock_mutex, "file locks");
static struct list_node blocked_list = LIST_HEAD_INIT(blocked_list); /* [M] */

/* The context of @inode, created if @create (flock_mutex held). */
static struct file_lock_context *lock_ctx(struct inode *inode, bool create)
{
	struct file_lock_context *ctx = inode->flctx;

	ASSERT(mutex_is_held(&flock_mutex));
	if (ctx || !create)
		return ctx;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return NULL;
	list_init(&ctx->flocks);
	list_init(&ctx->records);
	wait_queue_init(&ctx->wq);
	inode->flctx = ctx;
	return ctx;
}

/* Something changed: let every waiter retry (flock_mutex held). */
static void ctx_changed(struct file_lock_context *ctx)
{
	ctx->gen++;
	sched_wake_all(&ctx->wq);
}

/* Sleep until @ctx changes after generation @seen; drops and retakes
 * flock_mutex.  0 or -ERESTARTSYS. */
static int ctx_wait(struct file_lock_context *ctx, uint64_t seen)
{
	int err;

	mutex_unlock(&flock_mutex);
	err = wait_event_interruptible(&ctx->wq, READ_ONCE(ctx->gen) != seen);
	mutex_lock(&flock_mutex);
	return err ? -ERESTARTSYS : 0;
}

static struct file_lock *lock_alloc(void)
{
	return kzalloc(sizeof(struct file_lock));
}

static bool types_conflict(int a, int b)
{
	return a == F_WRLCK || b == F_WRLCK;
}

static int current_tgid(void)
{
	struct process *p = current_process();

	return p ? p->pid : 0;
}

/* ---- flock(2) ---- */

int locks_flock(struct file *f, unsigned cmd)
{
	struct file_lock_context *ctx;
	struct file_lock *fresh = NULL;
	bool nonblock = cmd & LOCK_NB;
	struct list_node *pos, *tmp;
	int type, err = 0;

	if (cmd & LOCK_MAND)
		return 0;               /* obsolete mandatory locks: ignored */
	switch (cmd & ~LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	if (type != F_UNLCK) {
		fresh = lock_alloc();
		if (!fresh)
			return -ENOLCK;
	}
	mutex_lock(&flock_mutex);
	ctx = lock_ctx(f->inode, type != F_UNLCK);
	if (!ctx) {
		err = type == F_UNLCK ? 0 : -ENOLCK;
		goto out;
	}
	/* A conversion drops the old lock first (not atomic, as Linux). */
	list_for_each_safe(pos, tmp, &ctx->flocks) {
		struct file_lock *l = list_entry(pos, struct file_lock, node);

		if (l->owner != f)
			continue;
		if (l->type == type)
			goto out;       /* already held in this mode */
		list_del(&l->node);
		kfree(l);
		ctx_changed(ctx);
		break;
	}
	if (type == F_UNLCK)
		goto out;
	for (;;) {
		bool conflict = false;

		list_for_each(pos, &ctx->flocks) {
			struct file_lock *l = list_entry(pos, struct file_lock,
							 node);
			if (l->owner != f && types_conflict(l->type, type))
				conflict = true;
		}
		if (!conflict)
			break;
		if (nonblock) {
			err = -EWOULDBLOCK;
			goto out;
		}
		err = ctx_wait(ctx, ctx->gen);
		if (err)
			goto out;
	}
	fresh->owner = f;
	fresh->pid = current_tgid();
	fresh->type = type;
	fresh->end = OFFSET_MAX;
	list_add_tail(&fresh->node, &ctx->flocks);
	fresh = NULL;
out:
	mutex_unlock(&flock_mutex);
	kfree(fresh);
	return err;
}

/* ---- record locks ---- */

/* struct flock (l_whence, l_start, l_len) as an absolute range in @req
 * (flock_to_posix_lock in Linux). */
static int flock_to_range(struct file *f, const struct flock_k *fl,
			  struct file_lock *req)
{
	int64_t base;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)READ_ONCE(f->pos);
		break;
	case SEEK_END:
		base = (int64_t)READ_ONCE(f->inode->size);
		break;
	default:
		return -EINVAL;
	}
	if (fl->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	req->start = base + fl->l_start;
	if (req->start < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - req->start)
			return -EOVERFLOW;
		req->end = req->start + (fl->l_len - 1);
	} else if (fl->l_len < 0) {
		if (req->start + fl->l_len < 0)
			return -EINVAL;
		req->end = req->start - 1;
		req->start += fl->l_len;
	} else {
		req->end = OFFSET_MAX;
	}
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK &&
	    fl->l_type != F_UNLCK)
		return -EINVAL;
	req->type = fl->l_type;
	return 0;
}

static bool ranges_overlap(const struct file_lock *a, const struct file_lock *b)
{
	return a->start <= b->end && b->start <= a->end;
}

/* The conflicting record lock with the lowest start, or NULL. */
static struct file_lock *record_conflict(struct file_lock_context *ctx,
					 const struct file_lock *req)
{
	struct file_lock *best = NULL;
	struct list_node *pos;

	list_for_each(pos, &ctx->records) {
		struct file_lock *l = list_entry(pos, struct file_lock, node);

		if (l->owner == req->owner || !ranges_overlap(l, req) ||
		    !types_conflict(l->type, req->type))
			continue;
		if (!best || l->start < best->start)
			best = l;
	}
	return best;
}

/*
 * Apply @req (no conflict) to its owner's locks: trim or split the
 * owner's locks of another type (or all, for F_UNLCK) inside the range,
 * merge those of the same type that overlap or touch it.  @spare holds
 * two preallocated locks; used ones are set to NULL.
 */
static void record_apply(struct file_lock_context *ctx,
			 const struct file_lock *req, struct file_lock **spare)
{
	int64_t s = req->start, e = req->end;
	struct list_node *pos, *tmp;
	struct file_lock *l;

	list_for_each_safe(pos, tmp, &ctx->records) {
		l = list_entry(pos, struct file_lock, node);
		if (l->owner != req->owner)
			continue;
		if (req->type != F_UNLCK && l->type == req->type) {
			if (l->end < s - 1 || l->start - 1 > e)
				continue;       /* neither overlaps nor touches */
			s = MIN(s, l->start);
			e = MAX(e, l->end);
			list_del(&l->node);
			kfree(l);
			continue;
		}
		if (!ranges_overlap(l, req))
			continue;
		if (l->start < req->start && l->end > req->end) {
			struct file_lock *hi = spare[0];

			spare[0] = NULL;
			*hi = *l;
			hi->start = req->end + 1;
			l->end = req->start - 1;
			list_add_tail(&hi->node, &ctx->records);
		} else if (l->start < req->start) {
			l->end = req->start - 1;
		} else if (l->end > req->end) {
			l->start = req->end + 1;
		} else {
			list_del(&l->node);
			kfree(l);
		}
	}
	if (req->type != F_UNLCK) {
		l = spare[1];
		spare[1] = NULL;
		*l = *req;
		l->start = s;
		l->end = e;
		list_add_tail(&l->node, &ctx->records);
	}
	ctx_changed(ctx);
}

/* Would @owner waiting for @blocker close a cycle of waiting POSIX
 * owners?  (flock_mutex held.) */
static bool posix_deadlock(const void *owner, const void *blocker)
{
	for (int i = 0; i < MAX_DEADLK_ITERATIONS; i++) {
		struct lock_waiter *found = NULL;
		struct list_node *pos;

		list_for_each(pos, &blocked_list) {
			struct lock_waiter *w = list_entry(pos, struct lock_waiter,
							   node);
			if (w->owner == blocker) {
				found = w;
				break;
			}
		}
		if (!found)
			return false;
		if (found->blocker == owner)
			return true;
		blocker = found->blocker;
	}
	return false;
}

static void range_to_flock(const struct file_lock *l, struct flock_k *fl)
{
	fl->l_type = (int16_t)l->type;
	fl->l_whence = SEEK_SET;
	fl->l_start = l->start;
	fl->l_len = l->end == OFFSET_MAX ? 0 : l->end - l->start + 1;
	fl->l_pid = l->ofd ? -1 : l->pid;
}

int locks_getlk(struct file *f, bool ofd, struct flock_k *fl)
{
	struct file_lock_context *ctx;
	struct file_lock req = { 0 }, *l;
	int err;

	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK)
		return -EINVAL;
	err = flock_to_range(f, fl, &req);
	if (err)
		return err;
	if (ofd && fl->l_pid != 0)
		return -EINVAL;
	req.owner = ofd ? (const void *)f : (const void *)current_files();
	mutex_lock(&flock_mutex);
	ctx = lock_ctx(f->inode, false);
	l = ctx ? record_conflict(ctx, &req) : NULL;
	if (l)
		range_to_flock(l, fl);
	else
		fl->l_type = F_UNLCK;
	mutex_unlock(&flock_mutex);
	return 0;
}

int locks_setlk(struct file *f, bool ofd, bool wait, struct flock_k *fl)
{
	struct file_lock_context *ctx;
	struct file_lock req = { 0 }, *spare[2] = { NULL, NULL }, *l;
	int err;

	err = flock_to_range(f, fl, &req);
	if (err)
		return err;
	if ((req.type == F_RDLCK && !(f->fmode & FMODE_READ)) ||
	    (req.type == F_WRLCK && !(f->fmode & FMODE_WRITE)))
		return -EBADF;
	if (ofd && fl->l_pid != 0)
		return -EINVAL;
	req.ofd = ofd;
	req.owner = ofd ? (const void *)f : (const void *)current_files();
	req.pid = current_tgid();
	spare[0] = lock_alloc();
	spare[1] = lock_alloc();
	if (!spare[0] || !spare[1]) {
		err = -ENOLCK;
		goto out_free;
	}
	mutex_lock(&flock_mutex);
	ctx = lock_ctx(f->inode, req.type != F_UNLCK);
	if (!ctx) {
		err = req.type == F_UNLCK ? 0 : -ENOLCK;
		goto out;
	}
	while (req.type != F_UNLCK && (l = record_conflict(ctx, &req))) {
		struct lock_waiter w = { .owner = req.owner, .blocker = l->owner };

		if (!wait) {
			err = -EAGAIN;
			goto out;
		}
		if (!ofd && posix_deadlock(req.owner, l->owner)) {
			err = -EDEADLK;
			goto out;
		}
		if (!ofd)
			list_add_tail(&w.node, &blocked_list);
		err = ctx_wait(ctx, ctx->gen);
		if (!ofd)
			list_del(&w.node);
		if (err)
			goto out;
	}
	record_apply(ctx, &req, spare);
out:
	mutex_unlock(&flock_mutex);
out_free:
	kfree(spare[0]);
	kfree(spare[1]);
	return err;
}

/* ---- release on close ---- */

/* Drop every lock of @owner from @list; true if any went. */
static bool remove_owned(struct list_node *list, const void *owner)
{
	struct list_node *pos, *tmp;
	bool any = false;

	list_for_each_safe(pos, tmp, list) {
		struct file_lock *l = list_entry(pos, struct file_lock, node);

		if (l->owner == owner) {
			list_del(&l->node);
			kfree(l);
			any = true;
		}
	}
	return any;
}

void locks_remove_posix(struct file *f, const void *owner)
{
	struct file_lock_context *ctx;

	if (!f->inode || !READ_ONCE(f->inode->flctx))
		return;
	mutex_lock(&flock_mutex);
	ctx = lock_ctx(f->inode, false);
	if (ctx && remove_owned(&ctx->records, owner))
		ctx_changed(ctx);
	mutex_unlock(&flock_mutex);
}

void locks_remove_file(struct file *f)
{
	struct file_lock_context *ctx;
	bool any;

	if (!f->inode || !READ_ONCE(f->inode->flctx))
		return;
	mutex_lock(&flock_mutex);
	ctx = lock_ctx(f->inode, false);
	if (ctx) {
		any = remove_owned(&ctx->flocks, f);
		any |= remove_owned(&ctx->records, f);
		if (any)
			ctx_changed(ctx);
	}
	mutex_unlock(&flock_mutex);
}

void locks_inode_free(struct inode *inode)
{
	struct file_lock_context *ctx = inode->flctx;

	if (!ctx)
		return;
	ASSERT(list_empty(&ctx->flocks) && list_empty(&ctx->records));
	kfree(ctx);
	inode->flctx = NULL;
}
