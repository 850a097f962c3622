/*
 * epoll(7): an interest list of (file, fd) pairs and a ready list.
 *
 * Model (Linux's eventpoll): each watched file gets an epitem.  At
 * EPOLL_CTL_ADD the file's ->poll registers, through epoll's poll_table,
 * a callback entry on each of its wait queues (sched.h); a wakeup of one
 * of them runs ep_poll_callback, which puts the item on the ready list
 * (unless the waker's poll key shows events the item does not want) and
 * wakes one thread in epoll_wait plus whoever polls the epoll file itself
 * (poll/select, or an outer epoll: nesting).  Nothing is rescanned:
 * epoll_wait only polls the items on the ready list (a spurious wakeup
 * costs one ->poll), reports those that are ready, and puts
 * level-triggered ones back on the list so that the next call checks them
 * again; edge-triggered items wait for the next wakeup; EPOLLONESHOT
 * items are disabled after one report until EPOLL_CTL_MOD.  EPOLLEXCLUSIVE
 * items are exclusive wait entries: one wakeup runs only the first of
 * them whose epoll had a thread to wake.
 *
 * Lifetime: items hold no reference on their file.  When the last
 * reference to a file goes, eventpoll_release_file() removes it from
 * every interest list before ->release (so closing one of several
 * descriptors of a file removes nothing, as on Linux).  Closing the epoll
 * file frees its items.
 *
 * Locking (outermost first):
 *   epnested_mutex  ADD of an epoll file into another (loop/depth check)
 *   epmutex         eventpoll_release_file and ep_free: an epoll cannot
 *                   go away while a closing file is being removed from it
 *   ep->mtx         the interest list and each item's events/data, held
 *                   across a ready-list scan; an outer epoll's mtx comes
 *                   before an inner one's (scans poll nested epolls)
 *   file->lock      file->ep_links
 *   sched_lock      (callbacks run under it)
 *   ep->lock        the ready list and item states (irq-safe: callbacks
 *                   run from the timer interrupt too); never held while
 *                   waking or polling
 * No file reference is dropped while an ep->mtx is held (a last put would
 * take epmutex).
 */
#include "vfs/sys_util.h"
#include "include/assert.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "process/process.h"
#include "time/clock.h"
#include "time/timespec.h"

#define EPOLLIN 0x001
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLEXCLUSIVE_OK_BITS (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | \
				EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC O_CLOEXEC
#define EP_MAX_NESTS 4                  /* epolls below the outermost */
#define EP_ITEM_QUEUES 4                /* wait queues one file may use */
#define EP_BATCH 256                    /* events reported per scan */
#define EP_STACK_EVENTS 8               /* up to this many: no kmalloc */

struct epoll_event_user {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));
STATIC_ASSERT(sizeof(struct epoll_event_user) == 12, "struct epoll_event");
#define EP_MAX_EVENTS (INT32_MAX / (int)sizeof(struct epoll_event_user))

struct eventpoll {
	struct mutex mtx;
	struct spinlock lock;
	struct list_node items;         /* [mtx] struct epitem.ep_node */
	struct list_node rdllist;       /* [lock] struct epitem.rdl_node */
	struct wait_queue wq;           /* threads in epoll_wait */
	struct wait_queue poll_wq;      /* pollers of the epoll file */
	struct file *file;              /* [I] the epoll file itself */
};

enum epi_state {
	EPI_IDLE,                       /* not on the ready list */
	EPI_READY,                      /* on ep->rdllist */
	EPI_SCAN,                       /* taken off by a scan in progress */
};

struct epitem;

/* One callback entry on a wait queue of the watched file. */
struct ep_wait {
	struct wait_entry entry;
	struct epitem *epi;             /* [I] */
};

struct epitem {
	struct eventpoll *ep;           /* [I] */
	struct file *file;              /* [I] watched, not referenced */
	int fd;                         /* [I] */
	struct list_node ep_node;       /* [mtx] in ep->items */
	struct list_node file_node;     /* [file->lock] in file->ep_links */
	struct list_node rdl_node;      /* [lock] in ep->rdllist */
	enum epi_state state;           /* [lock] */
	bool woken_in_scan;             /* [lock] a wakeup during EPI_SCAN */
	uint32_t events;                /* [mtx] to write, [lock] to read */
	uint64_t data;                  /* [mtx] */
	int nwait;                      /* [mtx] entries in wait[]; -1: too
					 * many queues (ADD fails) */
	struct ep_wait wait[EP_ITEM_QUEUES];
};

static struct mutex epnested_mutex = MUTEX_INIT(epnested_mutex, "epnested");
static struct mutex epmutex = MUTEX_INIT(epmutex, "epmutex");
static const struct file_operations eventpoll_fops;

static bool is_epoll(struct file *f)
{
	return f->ops == &eventpoll_fops;
}

/* Put @epi on the ready list if it is idle (ep->lock held). */
static void ep_mark_ready(struct eventpoll *ep, struct epitem *epi)
{
	if (epi->state == EPI_IDLE) {
		list_add_tail(&epi->rdl_node, &ep->rdllist);
		epi->state = EPI_READY;
	} else if (epi->state == EPI_SCAN) {
		epi->woken_in_scan = true;
	}
}

/*
 * A wait queue of a watched file was woken (sched_lock held, interrupts
 * off).  Returns whether it counts as a wakeup for exclusive entries.
 */
static bool ep_poll_callback(struct wait_entry *e, unsigned key)
{
	struct epitem *epi = container_of(e, struct ep_wait, entry)->epi;
	struct eventpoll *ep = epi->ep;
	uint64_t irq;
	uint32_t events;
	int woken;

	if (key & POLLFREE)
		return false;   /* the queue goes away; sched detaches us */
	irq = spin_lock_irqsave(&ep->lock);
	events = epi->events;
	if (!(events & ~EP_PRIVATE_BITS) ||     /* a disabled ONESHOT */
	    (key && !(key & events))) {
		spin_unlock_irqrestore(&ep->lock, irq);
		return false;
	}
	ep_mark_ready(ep, epi);
	spin_unlock_irqrestore(&ep->lock, irq);
	woken = sched_wake_one_locked(&ep->wq);
	sched_wake_locked(&ep->poll_wq, POLLIN | POLLRDNORM);
	if (!(events & EPOLLEXCLUSIVE))
		return true;
	/* Exclusive: a wakeup only if it found a waiter that wants it. */
	return woken && (!(key & (EPOLLIN | EPOLLOUT)) ||
			 (key & events & (EPOLLIN | EPOLLOUT)));
}

struct ep_pqueue {
	struct poll_table pt;
	struct epitem *epi;
};

/* epoll's poll_table: a callback entry per queue of the watched file. */
static void ep_queue_proc(struct poll_table *pt, struct file *f,
			  struct wait_queue *wq)
{
	struct epitem *epi = container_of(pt, struct ep_pqueue, pt)->epi;
	struct ep_wait *w;

	if (epi->nwait < 0)
		return;
	if (epi->nwait == EP_ITEM_QUEUES) {
		epi->nwait = -1;
		return;
	}
	w = &epi->wait[epi->nwait++];
	w->epi = epi;
	sched_wait_entry_add_func(wq, &w->entry, ep_poll_callback,
				  epi->events & EPOLLEXCLUSIVE);
}

/* The events of @epi that are ready now (ep->mtx held). */
static uint32_t ep_item_poll(struct epitem *epi, struct poll_table *pt)
{
	return vfs_poll(epi->file, pt) & epi->events;
}

/* Wake one epoll_wait thread and the pollers of the epoll file. */
static void ep_wake(struct eventpoll *ep)
{
	sched_wake_one(&ep->wq);
	sched_wake_all_key(&ep->poll_wq, POLLIN | POLLRDNORM);
}

/* ---- the interest list (ep->mtx held) ---- */

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct list_node *pos;

	ASSERT(mutex_is_held(&ep->mtx));
	list_for_each(pos, &ep->items) {
		struct epitem *epi = list_entry(pos, struct epitem, ep_node);

		if (epi->file == f && epi->fd == fd)
			return epi;
	}
	return NULL;
}

static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	uint64_t irq;

	ASSERT(mutex_is_held(&ep->mtx));
	for (int i = 0; i < epi->nwait; i++)
		sched_wait_entry_remove(&epi->wait[i].entry);
	/* No callback runs for @epi any more. */
	irq = spin_lock_irqsave(&epi->file->lock);
	list_del(&epi->file_node);
	spin_unlock_irqrestore(&epi->file->lock, irq);
	list_del(&epi->ep_node);
	irq = spin_lock_irqsave(&ep->lock);
	if (epi->state == EPI_READY)
		list_del(&epi->rdl_node);
	spin_unlock_irqrestore(&ep->lock, irq);
	kfree(epi);
}

static int ep_insert(struct eventpoll *ep, const struct epoll_event_user *ev,
		     struct file *f, int fd)
{
	struct ep_pqueue pq = { .pt.queue = ep_queue_proc };
	struct epitem *epi;
	uint32_t ready;
	uint64_t irq;

	ASSERT(mutex_is_held(&ep->mtx));
	epi = kzalloc(sizeof(*epi));
	if (!epi)
		return -ENOMEM;
	epi->ep = ep;
	epi->file = f;
	epi->fd = fd;
	epi->events = ev->events;
	epi->data = ev->data;
	list_init(&epi->rdl_node);
	list_add_tail(&epi->ep_node, &ep->items);
	irq = spin_lock_irqsave(&f->lock);
	list_add_tail(&epi->file_node, &f->ep_links);
	spin_unlock_irqrestore(&f->lock, irq);
	pq.epi = epi;
	ready = ep_item_poll(epi, &pq.pt);
	if (epi->nwait < 0) {
		static bool warned;

		if (!warned)
			pr_warn("epoll: a file uses more than %d wait queues\n",
				EP_ITEM_QUEUES);
		warned = true;
		epi->nwait = EP_ITEM_QUEUES;
		ep_remove(ep, epi);
		return -ENOMEM;
	}
	if (ready) {
		irq = spin_lock_irqsave(&ep->lock);
		ep_mark_ready(ep, epi);
		spin_unlock_irqrestore(&ep->lock, irq);
		ep_wake(ep);
	}
	return 0;
}

static int ep_modify(struct eventpoll *ep, struct epitem *epi,
		     const struct epoll_event_user *ev)
{
	uint64_t irq;

	ASSERT(mutex_is_held(&ep->mtx));
	irq = spin_lock_irqsave(&ep->lock);
	epi->events = ev->events;
	spin_unlock_irqrestore(&ep->lock, irq);
	epi->data = ev->data;
	if (ep_item_poll(epi, NULL)) {
		irq = spin_lock_irqsave(&ep->lock);
		ep_mark_ready(ep, epi);
		spin_unlock_irqrestore(&ep->lock, irq);
		ep_wake(ep);
	}
	return 0;
}

/* ---- scanning the ready list ---- */

/*
 * Poll the items on the ready list.  With @out, report up to @max ready
 * ones (consuming edge-triggered and one-shot events); without, stop at
 * the first ready one and consume nothing.  Items found not ready leave
 * the list.  Returns the count reported (or 1/0 without @out).
 */
static int ep_scan(struct eventpoll *ep, struct epoll_event_user *out,
		   int max)
{
	struct list_node txlist, *pos;
	bool more = false;
	uint64_t irq;
	int n = 0;

	mutex_lock(&ep->mtx);
	irq = spin_lock_irqsave(&ep->lock);
	list_init(&txlist);
	if (!list_empty(&ep->rdllist)) {
		/* Move the whole ready list over. */
		txlist.next = ep->rdllist.next;
		txlist.prev = ep->rdllist.prev;
		txlist.next->prev = &txlist;
		txlist.prev->next = &txlist;
		list_init(&ep->rdllist);
	}
	list_for_each(pos, &txlist) {
		struct epitem *epi = list_entry(pos, struct epitem, rdl_node);

		epi->state = EPI_SCAN;
		epi->woken_in_scan = false;
	}
	spin_unlock_irqrestore(&ep->lock, irq);

	while (!list_empty(&txlist)) {
		struct epitem *epi = list_first_entry(&txlist, struct epitem,
						      rdl_node);
		bool requeue = false, stop = out ? n == max : n == 1;
		uint32_t ready = 0;

		list_del(&epi->rdl_node);
		if (!stop)
			ready = ep_item_poll(epi, NULL);
		if (stop) {
			requeue = true;
		} else if (ready && !out) {
			n = 1;
			requeue = true;
		} else if (ready) {
			out[n].events = ready;
			out[n].data = epi->data;
			n++;
			if (epi->events & EPOLLONESHOT)
				requeue = false;
			else
				requeue = !(epi->events & EPOLLET);
		}
		irq = spin_lock_irqsave(&ep->lock);
		if (ready && out && (epi->events & EPOLLONESHOT))
			epi->events &= EP_PRIVATE_BITS;
		if (requeue || epi->woken_in_scan) {
			list_add_tail(&epi->rdl_node, &ep->rdllist);
			epi->state = EPI_READY;
		} else {
			epi->state = EPI_IDLE;
		}
		/* A waiter queues on ep->wq before it looks at the ready
		 * list under ep->lock (ep_poll), so under ep->lock an empty
		 * ep->wq means no waiter can miss these items. */
		more = !list_empty(&ep->rdllist) && wait_queue_active(&ep->wq);
		spin_unlock_irqrestore(&ep->lock, irq);
	}
	mutex_unlock(&ep->mtx);
	if (out && more)
		sched_wake_one(&ep->wq);        /* let another waiter look */
	return n;
}

static bool ep_has_ready(struct eventpoll *ep)
{
	uint64_t irq = spin_lock_irqsave(&ep->lock);
	bool ready = !list_empty(&ep->rdllist);

	spin_unlock_irqrestore(&ep->lock, irq);
	return ready;
}

/*
 * Wait for events: up to @max into @out.  @timeout_ns < 0 waits forever.
 * Count, 0 on timeout, or -EINTR (epoll_wait is never restarted).
 */
static int ep_poll(struct eventpoll *ep, struct epoll_event_user *out,
		   int max, int64_t timeout_ns)
{
	uint64_t deadline = 0;
	bool last = timeout_ns == 0;

	if (timeout_ns > 0)
		deadline = time_ns_add_sat((int64_t)clock_uptime_ns(),
					   timeout_ns);
	for (;;) {
		int n = ep_scan(ep, out, max);

		if (n || last)
			return n;
		if (signal_pending())
			return -EINTR;
		sched_prepare_wait(&ep->wq, deadline);
		if (!ep_has_ready(ep) && !signal_pending())
			schedule();
		if (sched_finish_wait(&ep->wq) == -ETIMEDOUT &&
		    clock_uptime_ns() >= deadline)
			last = true;            /* one more look, then 0 */
	}
}

/* ---- the epoll file ---- */

static unsigned ep_eventpoll_poll(struct file *f, struct poll_table *pt)
{
	struct eventpoll *ep = f->private;

	poll_wait(f, &ep->poll_wq, pt);
	return ep_scan(ep, NULL, 0) ? POLLIN | POLLRDNORM : 0;
}

static void ep_free(struct eventpoll *ep)
{
	mutex_lock(&epmutex);
	mutex_lock(&ep->mtx);
	while (!list_empty(&ep->items))
		ep_remove(ep, list_first_entry(&ep->items, struct epitem,
					       ep_node));
	mutex_unlock(&ep->mtx);
	mutex_unlock(&epmutex);
	sched_wake_all_detach(&ep->poll_wq, POLLFREE);
	sched_wake_all_detach(&ep->wq, POLLFREE);
	kfree(ep);
}

static void ep_eventpoll_release(struct file *f)
{
	ep_free(f->private);
}

static const struct file_operations eventpoll_fops = {
	.llseek = vfs_noop_llseek,
	.poll = ep_eventpoll_poll,
	.release = ep_eventpoll_release,
};

void eventpoll_release_file(struct file *f)
{
	uint64_t irq;

	mutex_lock(&epmutex);
	for (;;) {
		struct epitem *epi = NULL;
		struct eventpoll *ep;

		irq = spin_lock_irqsave(&f->lock);
		if (!list_empty(&f->ep_links))
			epi = list_first_entry(&f->ep_links, struct epitem,
					       file_node);
		spin_unlock_irqrestore(&f->lock, irq);
		if (!epi)
			break;
		/* epmutex keeps epi->ep alive; its mtx keeps epi. */
		ep = epi->ep;
		mutex_lock(&ep->mtx);
		ep_remove(ep, epi);
		mutex_unlock(&ep->mtx);
	}
	mutex_unlock(&epmutex);
}

/* ---- nesting: loops and depth (epnested_mutex held) ---- */

/* Levels of epoll below @ep (0: it watches no epoll), or -ELOOP if
 * @forbidden is reachable or the chain is too deep. */
static int ep_depth_below(struct eventpoll *ep, struct eventpoll *forbidden,
			  int depth)
{
	struct list_node *pos;
	int max = 0;

	if (ep == forbidden || depth > EP_MAX_NESTS)
		return -ELOOP;
	mutex_lock(&ep->mtx);
	list_for_each(pos, &ep->items) {
		struct epitem *epi = list_entry(pos, struct epitem, ep_node);
		int d;

		if (!is_epoll(epi->file))
			continue;
		d = ep_depth_below(epi->file->private, forbidden, depth + 1);
		if (d < 0) {
			max = d;
			break;
		}
		if (d + 1 > max)
			max = d + 1;
	}
	mutex_unlock(&ep->mtx);
	return max;
}

/* Levels of epoll above @ep (epolls that watch it, transitively). */
static int ep_depth_above(struct eventpoll *ep, int depth)
{
	struct list_node *pos;
	uint64_t irq;
	int max = 0;

	if (depth > EP_MAX_NESTS)
		return depth;
	irq = spin_lock_irqsave(&ep->file->lock);
	list_for_each(pos, &ep->file->ep_links) {
		struct epitem *epi = list_entry(pos, struct epitem, file_node);
		int d = 1 + ep_depth_above(epi->ep, depth + 1);

		if (d > max)
			max = d;
	}
	spin_unlock_irqrestore(&ep->file->lock, irq);
	return max;
}

/* May @tep be added to @ep?  0 or -ELOOP. */
static int ep_loop_check(struct eventpoll *ep, struct eventpoll *tep)
{
	int below = ep_depth_below(tep, ep, 0);

	if (below < 0)
		return below;
	if (ep_depth_above(ep, 0) + 1 + below > EP_MAX_NESTS)
		return -ELOOP;
	return 0;
}

/* ---- system calls ---- */

static long do_epoll_create(int flags)
{
	struct eventpoll *ep;
	struct file *f;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->mtx, "epoll");
	spin_lock_init(&ep->lock, "epoll ready");
	list_init(&ep->items);
	list_init(&ep->rdllist);
	wait_queue_init(&ep->wq);
	wait_queue_init(&ep->poll_wq);
	f = anon_inode_getfile("[eventpoll]", &eventpoll_fops, ep, O_RDWR);
	if (IS_ERR(f)) {
		kfree(ep);
		return PTR_ERR(f);
	}
	ep->file = f;
	fd = fd_install(f, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		file_put(f);            /* frees @ep */
	return fd;
}

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	return do_epoll_create(flags);
}

SYSCALL_DEFINE1(epoll_create, int, size)
{
	if (size <= 0)
		return -EINVAL;
	return do_epoll_create(0);
}

static bool op_has_event(int op)
{
	return op != EPOLL_CTL_DEL;
}

/* The checks before any lock, in Linux's order (do_epoll_ctl). */
static int ctl_check(int op, struct file *f, struct file *tf,
		     const struct epoll_event_user *ev)
{
	if (!tf->ops || !tf->ops->poll)
		return -EPERM;          /* regular files, directories */
	if (f == tf || !is_epoll(f))
		return -EINVAL;
	if (op_has_event(op) && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (is_epoll(tf) || (ev->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	return 0;
}

static long do_epoll_ctl(int epfd, int op, int fd,
			 struct epoll_event_user *ev)
{
	struct file *f, *tf;
	struct eventpoll *ep;
	struct epitem *epi;
	bool nested = false;
	long err;

	f = fd_get_io(epfd);
	if (!f)
		return -EBADF;
	tf = fd_get_io(fd);
	if (!tf) {
		err = -EBADF;
		goto out_f;
	}
	err = ctl_check(op, f, tf, ev);
	if (err)
		goto out_tf;
	ep = f->private;
	if (op == EPOLL_CTL_ADD && is_epoll(tf)) {
		mutex_lock(&epnested_mutex);
		nested = true;
		err = ep_loop_check(ep, tf->private);
		if (err)
			goto out_nested;
	}
	if (op_has_event(op))
		ev->events |= EPOLLERR | EPOLLHUP;
	mutex_lock(&ep->mtx);
	epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		err = epi ? -EEXIST : ep_insert(ep, ev, tf, fd);
		break;
	case EPOLL_CTL_DEL:
		err = -ENOENT;
		if (epi) {
			ep_remove(ep, epi);
			err = 0;
		}
		break;
	case EPOLL_CTL_MOD:
		err = -ENOENT;
		if (epi)
			err = (epi->events & EPOLLEXCLUSIVE)
			      ? -EINVAL : ep_modify(ep, epi, ev);
		break;
	default:
		err = -EINVAL;
		break;
	}
	mutex_unlock(&ep->mtx);
out_nested:
	if (nested)
		mutex_unlock(&epnested_mutex);
out_tf:
	file_put(tf);
out_f:
	file_put(f);
	return err;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd, uaddr_t, uevent)
{
	struct epoll_event_user ev = { 0 };

	if (op_has_event(op) && copy_from_user(&ev, uevent, sizeof(ev)))
		return -EFAULT;
	return do_epoll_ctl(epfd, op, fd, &ev);
}

static long do_epoll_wait(int epfd, uaddr_t uevents, int maxevents,
			  int64_t timeout_ns)
{
	struct epoll_event_user small[EP_STACK_EVENTS], *buf;
	struct file *f;
	int n;
	long ret;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok(uevents, (size_t)maxevents * sizeof(*buf)))
		return -EFAULT;
	f = fd_get_io(epfd);
	if (!f)
		return -EBADF;
	if (!is_epoll(f)) {
		file_put(f);
		return -EINVAL;
	}
	n = MIN(maxevents, EP_BATCH);
	buf = n <= EP_STACK_EVENTS ? small : kmalloc((size_t)n * sizeof(*buf));
	if (!buf) {
		file_put(f);
		return -ENOMEM;
	}
	ret = ep_poll(f->private, buf, n, timeout_ns);
	if (ret > 0 && copy_to_user(uevents, buf, (size_t)ret * sizeof(*buf)))
		ret = -EFAULT;
	if (buf != small)
		kfree(buf);
	file_put(f);
	return ret;
}

static int64_t ms_timeout(int ms)
{
	return ms < 0 ? -1 : (int64_t)ms * 1000000;
}

SYSCALL_DEFINE4(epoll_wait, int, epfd, uaddr_t, events, int, maxevents,
		int, timeout)
{
	return do_epoll_wait(epfd, events, maxevents, ms_timeout(timeout));
}

/* epoll_pwait's temporary signal mask: 0 or -errno. */
static int set_temporary_sigmask(uaddr_t usigmask, size_t sigsetsize)
{
	sigset_t mask;

	if (!usigmask)
		return 0;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, usigmask, sizeof(mask)))
		return -EFAULT;
	signal_set_temporary_mask(mask);
	return 0;
}

SYSCALL_DEFINE6(epoll_pwait, int, epfd, uaddr_t, events, int, maxevents,
		int, timeout, uaddr_t, sigmask, size_t, sigsetsize)
{
	int err = set_temporary_sigmask(sigmask, sigsetsize);

	if (err)
		return err;
	return do_epoll_wait(epfd, events, maxevents, ms_timeout(timeout));
}

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, uaddr_t, events, int, maxevents,
		uaddr_t, utimeout, uaddr_t, sigmask, size_t, sigsetsize)
{
	struct __kernel_timespec ts;
	int64_t timeout = -1;
	int err;

	if (utimeout) {
		if (copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (!timespec_valid(&ts))
			return -EINVAL;
		timeout = timespec_to_ns(&ts);
	}
	err = set_temporary_sigmask(sigmask, sigsetsize);
	if (err)
		return err;
	return do_epoll_wait(epfd, events, maxevents, timeout);
}
