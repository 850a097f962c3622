/*
 * inotify(7): watches on inodes, the event queue an inotify instance
 * reads, and the VFS hooks (fsnotify_*, vfs/internal.h) that feed them.
 *
 * Model (Linux's inotify over fsnotify): an instance is an open file on
 * an anonymous inode ("anon_inode:inotify") with a queue of events and a
 * set of watches.  A watch ties one inode to one instance with an event
 * mask and a watch descriptor (per instance, handed out cyclically from
 * 1); an inode has at most one watch per instance and adding it again
 * updates the mask and returns the same wd.  An event on an inode goes
 * first to the watches of its parent directory, with the child's name,
 * if it is one that can happen to a directory's child (open, access,
 * modify, attrib, close), then to the inode's own watches.
 *
 * A watch does not pin its inode.  It goes away, queueing IN_IGNORED,
 * when the inode is deleted (IN_DELETE_SELF: the last link and the last
 * dentry are gone), unmounted (IN_UNMOUNT) or freed, and on
 * inotify_rm_watch, after an IN_ONESHOT event, or silently when the
 * instance is closed.
 *
 * Queue: struct inotify_event followed by the NUL-padded name, its
 * length rounded up to a multiple of the header size so the next event
 * is aligned.  A new event equal to the last one queued is dropped (as
 * Linux merges them); a queue holding max_queued_events gets a single
 * IN_Q_OVERFLOW event instead of further events.
 *
 * Locking: notify_mutex protects every watch (the per-inode and
 * per-instance lists, masks, wd allocation, watch_count); an instance's
 * queue_lock protects its queue.  Order: vfs_lock -> notify_mutex ->
 * queue_lock.  The namespace hooks run under vfs_lock (held by their
 * callers); the file I/O hooks take vfs_lock themselves to reach the
 * parent dentry, but only while at least one watch exists (watch_count
 * is read without the lock as a fast path: a watch being added while an
 * event happens may miss that event, as it may on Linux).
 */
#include "vfs/sys_util.h"
#include "include/assert.h"
#include "lib/string.h"
#include "process/process.h"

/* inotify(7) event bits and watch flags. */
#define IN_ACCESS 0x00000001
#define IN_MODIFY 0x00000002
#define IN_ATTRIB 0x00000004
#define IN_CLOSE_WRITE 0x00000008
#define IN_CLOSE_NOWRITE 0x00000010
#define IN_OPEN 0x00000020
#define IN_MOVED_FROM 0x00000040
#define IN_MOVED_TO 0x00000080
#define IN_CREATE 0x00000100
#define IN_DELETE 0x00000200
#define IN_DELETE_SELF 0x00000400
#define IN_MOVE_SELF 0x00000800
#define IN_ALL_EVENTS 0x00000fff
#define IN_UNMOUNT 0x00002000
#define IN_Q_OVERFLOW 0x00004000
#define IN_IGNORED 0x00008000
#define IN_ONLYDIR 0x01000000
#define IN_DONT_FOLLOW 0x02000000
#define IN_EXCL_UNLINK 0x04000000
#define IN_MASK_CREATE 0x10000000
#define IN_MASK_ADD 0x20000000
#define IN_ISDIR 0x40000000
#define IN_ONESHOT 0x80000000
#define IN_ALL_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | \
		     IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW |       \
		     IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD |  \
		     IN_ISDIR | IN_ONESHOT)
#define IN_USER_MASK (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK)
/* Events that a directory's watch also sees for its children. */
#define IN_CHILD_EVENTS (IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | \
			 IN_CLOSE_NOWRITE | IN_OPEN)

#define IN_CLOEXEC O_CLOEXEC
#define IN_NONBLOCK O_NONBLOCK


#define FIONREAD 0x541B

/* struct inotify_event (inotify(7)); the name follows. */
struct inotify_event_user {
	int32_t wd;
	uint32_t mask;
	uint32_t cookie;
	uint32_t len;                   /* bytes of name with its padding */
};
STATIC_ASSERT(sizeof(struct inotify_event_user) == 16, "inotify_event");

struct inotify_instance;

struct inotify_watch {
	struct list_node inode_node;    /* [N] inode->watches */
	struct list_node inst_node;     /* [N] instance->watches */
	struct list_node all_node;      /* [N] all_watches */
	struct inode *inode;            /* [N] not referenced (see above) */
	struct inotify_instance *inst;  /* [I] */
	int wd;                         /* [I] */
	uint32_t mask;                  /* [N] IN_USER_MASK bits */
};

struct inotify_kevent {
	struct list_node node;          /* [q] instance->events */
	int32_t wd;
	uint32_t mask, cookie;
	uint32_t name_len;              /* without the NUL; 0: no name */
	char name[];
};

struct inotify_instance {
	struct mutex queue_lock;
	struct list_node events;        /* [q] struct inotify_kevent */
	unsigned queued;                /* [q] events in the queue */
	size_t queued_bytes;            /* [q] what read would return (FIONREAD) */
	struct inotify_kevent *overflow; /* [I] the IN_Q_OVERFLOW event */
	bool overflow_queued;           /* [q] */
	struct wait_queue wq;           /* readers and pollers */
	struct list_node watches;       /* [N] struct inotify_watch.inst_node */
	int last_wd;                    /* [N] */
};

static struct mutex notify_mutex = MUTEX_INIT(notify_mutex, "inotify");
static struct list_node all_watches = LIST_HEAD_INIT(all_watches); /* [N] */
static unsigned watch_count;            /* [N] length of all_watches */
static uint32_t next_cookie = 1;        /* [N] for IN_MOVED_FROM/TO pairs */

static struct super_block *anon_sb;     /* [V] "anon_inodefs" */
static struct inode *anon_inode;        /* [V] shared by every instance */

static size_t padded_name_len(uint32_t name_len)
{
	return name_len ? ALIGN_UP(name_len + 1, sizeof(struct inotify_event_user))
			: 0;
}

static size_t kevent_size(const struct inotify_kevent *ev)
{
	return sizeof(struct inotify_event_user) + padded_name_len(ev->name_len);
}

/* ---- the queue ---- */

static bool kevent_equal(const struct inotify_kevent *a,
			 const struct inotify_kevent *b)
{
	return a->wd == b->wd && a->mask == b->mask && a->cookie == b->cookie &&
	       a->name_len == b->name_len &&
	       memcmp(a->name, b->name, a->name_len) == 0;
}

/* Queue an event (ownership of @ev passes; NULL: allocation failed). */
static void queue_kevent(struct inotify_instance *in, struct inotify_kevent *ev)
{
	struct inotify_kevent *add = ev;

	mutex_lock(&in->queue_lock);
	if (!ev || in->queued >= INOTIFY_MAX_QUEUED_EVENTS) {
		add = in->overflow_queued ? NULL : in->overflow;
		in->overflow_queued = true;
	} else if (!list_empty(&in->events) &&
		   kevent_equal(list_entry(in->events.prev,
					   struct inotify_kevent, node), ev)) {
		add = NULL;             /* merged with the last one */
	}
	if (add) {
		list_add_tail(&add->node, &in->events);
		in->queued++;
		in->queued_bytes += kevent_size(add);
	}
	mutex_unlock(&in->queue_lock);
	if (ev && add != ev)
		kfree(ev);
	if (add)
		sched_wake_all(&in->wq);
}

static void queue_event(struct inotify_instance *in, int wd, uint32_t mask,
			uint32_t cookie, const char *name, size_t len)
{
	struct inotify_kevent *ev = kmalloc(sizeof(*ev) + len + 1);

	if (ev) {
		ev->wd = wd;
		ev->mask = mask;
		ev->cookie = cookie;
		ev->name_len = (uint32_t)len;
		if (len)
			memcpy(ev->name, name, len);
		ev->name[len] = '\0';
	}
	queue_kevent(in, ev);
}

/* ---- watches ---- */

/* Remove @w (notify_mutex held), queueing IN_IGNORED unless @silent. */
static void watch_remove(struct inotify_watch *w, bool silent)
{
	ASSERT(mutex_is_held(&notify_mutex));
	list_del(&w->inode_node);
	list_del(&w->inst_node);
	list_del(&w->all_node);
	watch_count--;
	if (!silent)
		queue_event(w->inst, w->wd, IN_IGNORED, 0, NULL, 0);
	kfree(w);
}

/* Give one event to @w if its mask wants it (notify_mutex held). */
static void watch_deliver(struct inotify_watch *w, uint32_t mask,
			  uint32_t cookie, const char *name, size_t len,
			  bool unlinked)
{
	uint32_t ev = mask & IN_ALL_EVENTS;

	if (ev && !(w->mask & ev))
		return;
	if (unlinked && (w->mask & IN_EXCL_UNLINK))
		return;
	queue_event(w->inst, w->wd, mask, cookie, name, len);
	if (w->mask & IN_ONESHOT)
		watch_remove(w, false);
}

/* Deliver to every watch on @inode (notify_mutex held). */
static void inode_deliver(struct inode *inode, uint32_t mask, uint32_t cookie,
			  const char *name, size_t len, bool unlinked)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, &inode->watches)
		watch_deliver(list_entry(pos, struct inotify_watch, inode_node),
			      mask, cookie, name, len, unlinked);
}

static bool no_watches(void)
{
	return READ_ONCE(watch_count) == 0;
}

/* ---- hooks (see vfs/internal.h) ---- */

/* An event on the object of @d (vfs_lock held): the parent's watches
 * with the name, then its own.  @path_event: a file I/O event, which
 * IN_EXCL_UNLINK filters once the name is gone. */
static void notify_dentry(struct dentry *d, struct inode *inode,
			  uint32_t mask, bool path_event)
{
	bool unlinked = false;

	ASSERT(vfs_lock_held());
	if (S_ISDIR(inode->mode))
		mask |= IN_ISDIR;
	mutex_lock(&notify_mutex);
	if (d) {
		struct dentry *parent = d->parent;

		unlinked = path_event && !d->linked && parent != d;
		if (parent != d && parent->inode && (mask & IN_CHILD_EVENTS))
			inode_deliver(parent->inode, mask, 0, d->name,
				      d->name_len, unlinked);
	}
	inode_deliver(inode, mask, 0, NULL, 0, unlinked);
	mutex_unlock(&notify_mutex);
}

static void notify_file(struct file *f, uint32_t mask, bool locked)
{
	if (no_watches() || (f->fmode & FMODE_PATH) || !f->inode)
		return;
	if (!locked)
		vfs_lock();
	notify_dentry(f->path.dentry, f->inode, mask, true);
	if (!locked)
		vfs_unlock();
}

void fsnotify_open(struct file *f)
{
	notify_file(f, IN_OPEN, false);
}

void fsnotify_access(struct file *f)
{
	notify_file(f, IN_ACCESS, false);
}

void fsnotify_modify(struct file *f)
{
	notify_file(f, IN_MODIFY, false);
}

void fsnotify_close(struct file *f)
{
	if (!f->ops)
		return;                 /* never opened */
	notify_file(f, (f->fmode & FMODE_WRITE) ? IN_CLOSE_WRITE
						: IN_CLOSE_NOWRITE, true);
}

void fsnotify_change(struct dentry *d, struct inode *inode, unsigned valid)
{
	uint32_t mask = 0;

	if (no_watches())
		return;
	if (valid & (ATTR_UID | ATTR_GID | ATTR_MODE))
		mask |= IN_ATTRIB;
	if (valid & ATTR_SIZE)
		mask |= IN_MODIFY;
	if ((valid & (ATTR_ATIME | ATTR_MTIME)) == (ATTR_ATIME | ATTR_MTIME))
		mask |= IN_ATTRIB;
	else if (valid & ATTR_ATIME)
		mask |= IN_ACCESS;
	else if (valid & ATTR_MTIME)
		mask |= IN_MODIFY;
	if (mask)
		notify_dentry(d, inode, mask, false);
}

void fsnotify_link_count(struct inode *inode)
{
	if (no_watches())
		return;
	notify_dentry(NULL, inode, IN_ATTRIB, false);
}

void fsnotify_create(struct dentry *d)
{
	uint32_t mask = IN_CREATE;

	ASSERT(vfs_lock_held());
	if (no_watches())
		return;
	if (S_ISDIR(d->inode->mode))
		mask |= IN_ISDIR;
	mutex_lock(&notify_mutex);
	inode_deliver(d->parent->inode, mask, 0, d->name, d->name_len, false);
	mutex_unlock(&notify_mutex);
}

void fsnotify_delete(struct inode *dir, struct dentry *d, bool isdir)
{
	ASSERT(vfs_lock_held());
	if (no_watches())
		return;
	mutex_lock(&notify_mutex);
	inode_deliver(dir, IN_DELETE | (isdir ? IN_ISDIR : 0), 0, d->name,
		      d->name_len, false);
	mutex_unlock(&notify_mutex);
}

void fsnotify_move(struct inode *odir, const char *oname, size_t olen,
		   struct inode *ndir, const char *nname, size_t nlen,
		   struct inode *moved, struct inode *target)
{
	uint32_t isdir = S_ISDIR(moved->mode) ? IN_ISDIR : 0, cookie;

	ASSERT(vfs_lock_held());
	if (no_watches())
		return;
	mutex_lock(&notify_mutex);
	cookie = next_cookie++;
	if (!next_cookie)
		next_cookie = 1;
	inode_deliver(odir, IN_MOVED_FROM | isdir, cookie, oname, olen, false);
	inode_deliver(ndir, IN_MOVED_TO | isdir, cookie, nname, nlen, false);
	mutex_unlock(&notify_mutex);
	if (target)
		fsnotify_link_count(target);
	mutex_lock(&notify_mutex);
	inode_deliver(moved, IN_MOVE_SELF, 0, NULL, 0, false);
	mutex_unlock(&notify_mutex);
}

/* Drop every watch of @inode after queueing @mask (0: none) to it. */
static void inode_watches_end(struct inode *inode, uint32_t mask)
{
	struct list_node *pos, *tmp;

	if (no_watches())
		return;
	mutex_lock(&notify_mutex);
	if (mask)
		inode_deliver(inode, mask, 0, NULL, 0, false);
	list_for_each_safe(pos, tmp, &inode->watches)
		watch_remove(list_entry(pos, struct inotify_watch, inode_node),
			     false);
	mutex_unlock(&notify_mutex);
}

void fsnotify_inode_removed(struct inode *inode)
{
	inode_watches_end(inode, IN_DELETE_SELF);
}

void fsnotify_inode_free(struct inode *inode)
{
	inode_watches_end(inode, 0);
}

void fsnotify_unmount(struct super_block *sb)
{
	struct list_node *pos;

	if (no_watches())
		return;
	mutex_lock(&notify_mutex);
	for (;;) {
		struct inode *victim = NULL;

		list_for_each(pos, &all_watches) {
			struct inotify_watch *w = list_entry(pos,
				struct inotify_watch, all_node);
			if (w->inode->sb == sb) {
				victim = w->inode;
				break;
			}
		}
		if (!victim)
			break;
		inode_deliver(victim, IN_UNMOUNT |
			      (S_ISDIR(victim->mode) ? IN_ISDIR : 0),
			      0, NULL, 0, false);
		while (!list_empty(&victim->watches))
			watch_remove(list_first_entry(&victim->watches,
						      struct inotify_watch,
						      inode_node), false);
	}
	mutex_unlock(&notify_mutex);
}

/* ---- the instance file ---- */

static struct inotify_instance *file_instance(struct file *f)
{
	return f->private;
}

/* Take the first event if it fits in @room bytes: the event, NULL if
 * the queue is empty, ERR_PTR(-EINVAL) if it does not fit. */
static struct inotify_kevent *dequeue(struct inotify_instance *in, size_t room)
{
	struct inotify_kevent *ev = NULL;

	mutex_lock(&in->queue_lock);
	if (!list_empty(&in->events)) {
		ev = list_first_entry(&in->events, struct inotify_kevent, node);
		if (kevent_size(ev) > room) {
			ev = ERR_PTR(-EINVAL);
		} else {
			list_del(&ev->node);
			in->queued--;
			in->queued_bytes -= kevent_size(ev);
			if (ev == in->overflow)
				in->overflow_queued = false;
		}
	}
	mutex_unlock(&in->queue_lock);
	return ev;
}

/* Copy @ev to @b at @off: header, name, NUL padding.  0 or -EFAULT. */
static int copy_kevent(struct iobuf *b, size_t off,
		       const struct inotify_kevent *ev)
{
	static const char zeros[sizeof(struct inotify_event_user)];
	struct inotify_event_user u = {
		.wd = ev->wd, .mask = ev->mask, .cookie = ev->cookie,
		.len = (uint32_t)padded_name_len(ev->name_len),
	};
	size_t pad = u.len - ev->name_len;
	int err;

	err = iobuf_copy_out(b, off, &u, sizeof(u));
	off += sizeof(u);
	if (!err && ev->name_len)
		err = iobuf_copy_out(b, off, ev->name, ev->name_len);
	off += ev->name_len;
	while (!err && pad) {
		size_t n = MIN(pad, sizeof(zeros));

		err = iobuf_copy_out(b, off, zeros, n);
		off += n;
		pad -= n;
	}
	return err;
}

static long inotify_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct inotify_instance *in = file_instance(f);
	size_t done = 0;
	long ret;

	for (;;) {
		struct inotify_kevent *ev = dequeue(in, b->len - done);

		if (IS_ERR(ev)) {
			ret = PTR_ERR(ev);
			break;
		}
		if (ev) {
			size_t size = kevent_size(ev);

			ret = copy_kevent(b, done, ev);
			if (ev != in->overflow)
				kfree(ev);
			if (ret)
				break;
			done += size;
			continue;
		}
		if (done)
			break;
		if (file_flags(f) & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		if (wait_event_interruptible(&in->wq, READ_ONCE(in->queued) > 0)) {
			ret = -ERESTARTSYS;
			break;
		}
	}
	if (done && ret != -EFAULT)
		return (long)done;
	return ret;
}

static unsigned inotify_poll(struct file *f, struct poll_table *pt)
{
	struct inotify_instance *in = file_instance(f);

	poll_wait(f, &in->wq, pt);
	return READ_ONCE(in->queued) ? POLLIN | POLLRDNORM : 0;
}

static long inotify_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct inotify_instance *in = file_instance(f);
	int32_t n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&in->queue_lock);
	n = (int32_t)in->queued_bytes;
	mutex_unlock(&in->queue_lock);
	return copy_to_user(arg, &n, sizeof(n)) ? -EFAULT : 0;
}

static long inotify_llseek(struct file *f, long offset, int whence)
{
	return 0;                       /* Linux's noop_llseek */
}

static void inotify_release(struct file *f)
{
	struct inotify_instance *in = file_instance(f);

	mutex_lock(&notify_mutex);
	while (!list_empty(&in->watches))
		watch_remove(list_first_entry(&in->watches, struct inotify_watch,
					      inst_node), true);
	mutex_unlock(&notify_mutex);
	while (!list_empty(&in->events)) {
		struct inotify_kevent *ev = list_first_entry(&in->events,
			struct inotify_kevent, node);

		list_del(&ev->node);
		if (ev != in->overflow)
			kfree(ev);
	}
	kfree(in->overflow);
	kfree(in);
}

const struct file_operations inotify_fops = {
	.read = inotify_read,
	.poll = inotify_poll,
	.ioctl = inotify_ioctl,
	.llseek = inotify_llseek,
	.release = inotify_release,
};

static const struct fs_type anon_inodefs_type = {
	.name = "anon_inodefs",
	.nodev = true,
};

/* A file on the shared anonymous inode (created on first use). */
static struct file *anon_file(const struct file_operations *fops,
			      unsigned flags, void *private)
{
	struct file *f;
	struct inode *inode;

	vfs_lock();
	if (!anon_sb)
		anon_sb = sb_alloc(&anon_inodefs_type, NULL, 0x09041934);
	if (anon_sb && !anon_inode) {
		anon_inode = inode_alloc(anon_sb, 0600);  /* no type bits */
		if (anon_inode)
			anon_inode->uid = anon_inode->gid = 0;  /* the kernel's */
	}
	inode = anon_inode;
	if (inode)
		inode_get(inode);
	vfs_unlock();
	if (!inode)
		return ERR_PTR(-ENOMEM);
	f = file_alloc(NULL, inode, flags, fops);
	if (!f) {
		vfs_lock();
		inode_put(inode);
		vfs_unlock();
		return ERR_PTR(-ENOMEM);
	}
	f->fmode = FMODE_READ;
	f->private = private;
	return f;
}

static long do_inotify_init(int flags)
{
	struct inotify_instance *in;
	struct file *f;
	int fd;

	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	in = kzalloc(sizeof(*in));
	if (!in)
		return -ENOMEM;
	in->overflow = kzalloc(sizeof(*in->overflow) + 1);
	if (!in->overflow) {
		kfree(in);
		return -ENOMEM;
	}
	in->overflow->wd = -1;
	in->overflow->mask = IN_Q_OVERFLOW;
	mutex_init(&in->queue_lock, "inotify queue");
	list_init(&in->events);
	list_init(&in->watches);
	wait_queue_init(&in->wq);
	f = anon_file(&inotify_fops, O_RDONLY | (flags & IN_NONBLOCK), in);
	if (IS_ERR(f)) {
		kfree(in->overflow);
		kfree(in);
		return PTR_ERR(f);
	}
	fd = fd_install(f, flags & IN_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE0(inotify_init)
{
	return do_inotify_init(0);
}

SYSCALL_DEFINE1(inotify_init1, int, flags)
{
	return do_inotify_init(flags);
}

/* The next free wd after in->last_wd, cyclically from 1 (notify_mutex). */
static int alloc_wd(struct inotify_instance *in)
{
	int wd = in->last_wd;

	for (;;) {
		struct list_node *pos;
		bool used = false;

		wd = wd == INT32_MAX ? 1 : wd + 1;
		list_for_each(pos, &in->watches)
			if (list_entry(pos, struct inotify_watch, inst_node)->wd == wd)
				used = true;
		if (!used)
			break;
	}
	in->last_wd = wd;
	return wd;
}

/* Add or update the watch of @in on @inode (notify_mutex held). */
static int update_watch(struct inotify_instance *in, struct inode *inode,
			uint32_t mask)
{
	uint32_t bits = mask & IN_USER_MASK;
	struct inotify_watch *w;
	struct list_node *pos;

	list_for_each(pos, &inode->watches) {
		w = list_entry(pos, struct inotify_watch, inode_node);
		if (w->inst != in)
			continue;
		if (mask & IN_MASK_CREATE)
			return -EEXIST;
		w->mask = (mask & IN_MASK_ADD) ? w->mask | bits : bits;
		return w->wd;
	}
	if (watch_count >= INOTIFY_MAX_WATCHES)
		return -ENOSPC;
	w = kzalloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->inode = inode;
	w->inst = in;
	w->mask = bits;
	w->wd = alloc_wd(in);
	list_add_tail(&w->inode_node, &inode->watches);
	list_add_tail(&w->inst_node, &in->watches);
	list_add_tail(&w->all_node, &all_watches);
	watch_count++;
	return w->wd;
}

SYSCALL_DEFINE3(inotify_add_watch, int, fd, uaddr_t, upath, uint32_t, mask)
{
	unsigned lf = LOOKUP_FOLLOW;
	struct file *f;
	struct path p;
	char *name;
	long ret;

	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	if (!(mask & IN_ALL_BITS) || (mask & ~IN_ALL_BITS))
		return -EINVAL;
	f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (f->ops != &inotify_fops) {
		ret = -EINVAL;
		goto out_file;
	}
	ret = getname(upath, &name);
	if (ret)
		goto out_file;
	if (mask & IN_DONT_FOLLOW)
		lf = 0;
	if (mask & IN_ONLYDIR)
		lf |= LOOKUP_DIRECTORY;
	ret = vfs_lookup(AT_FDCWD, name, lf, &p);
	kfree(name);
	if (ret)
		goto out_file;
	vfs_lock();
	ret = inode_permission(p.dentry->inode, MAY_READ);
	if (!ret) {
		mutex_lock(&notify_mutex);
		ret = update_watch(file_instance(f), p.dentry->inode, mask);
		mutex_unlock(&notify_mutex);
	}
	path_put_locked(&p);
	vfs_unlock();
out_file:
	file_put(f);
	return ret;
}

SYSCALL_DEFINE2(inotify_rm_watch, int, fd, int32_t, wd)
{
	struct inotify_instance *in;
	struct list_node *pos;
	struct file *f = fd_get(fd);
	long ret = -EINVAL;

	if (!f)
		return -EBADF;
	if (f->ops != &inotify_fops)
		goto out;
	in = file_instance(f);
	mutex_lock(&notify_mutex);
	list_for_each(pos, &in->watches) {
		struct inotify_watch *w = list_entry(pos, struct inotify_watch,
						     inst_node);
		if (w->wd == wd) {
			watch_remove(w, false);
			ret = 0;
			break;
		}
	}
	mutex_unlock(&notify_mutex);
out:
	file_put(f);
	return ret;
}
