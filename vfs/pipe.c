/*
 * Pipes and FIFOs (pipe(7), fifo(7)).
 *
 * A struct pipe is a ring buffer (64 KiB by default, allocated on the
 * first write and dropped when every end is closed) with reader and
 * writer counts.  pipe(2) makes an inode of the internal "pipefs" (with
 * a path "pipe:[ino]" in its internal mount, so /proc/<pid>/fd/N can be
 * opened like a FIFO: another reader or writer of the same pipe) and two
 * files; a FIFO's inode gets its pipe on the first open and keeps it
 * until the inode is evicted.
 *
 * Semantics: reads return what is there (blocking while empty and a
 * writer exists, EOF without writers); writes of at most PIPE_BUF bytes
 * are atomic, larger ones may interleave; writing without readers gives
 * EPIPE and SIGPIPE; O_NONBLOCK gives EAGAIN instead of waiting.  FIFO
 * opens wait for the other side unless O_NONBLOCK (read-only then
 * succeeds, write-only fails with ENXIO) or O_RDWR.
 *
 * Locking: pipe->lock (mutex) protects everything in struct pipe; waits
 * happen with it released, on rd_wait (data or no writers) and wr_wait
 * (room or no readers).  Lock order: vfs_lock -> pipe->lock.
 */
#include "vfs/internal.h"
#include "syscall/uaccess.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "time/clock.h"

#define SIGPIPE 13
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#define PIPE_MAX_SIZE (1024 * 1024)     /* /proc/sys/fs/pipe-max-size */

struct pipe {
	struct mutex lock;
	uint8_t *buf;                   /* [l] NULL until the first write */
	size_t cap;                     /* [l] bytes, a power of two pages */
	size_t head, len;               /* [l] read index, bytes queued */
	int readers, writers;           /* [l] open ends */
	unsigned r_counter, w_counter;  /* [l] opens ever, for FIFO waits */
	struct wait_queue rd_wait, wr_wait;
};

#define PIPEFS_MAGIC 0x50495045
static struct mount *pipefs_mnt;        /* [V] created on first use */

static unsigned size_order(size_t cap)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < cap)
		order++;
	return order;
}

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	mutex_init(&p->lock, "pipe");
	wait_queue_init(&p->rd_wait);
	wait_queue_init(&p->wr_wait);
	p->cap = PIPE_DEFAULT_SIZE;
	return p;
}

static void pipe_drop_buffer(struct pipe *p)
{
	if (p->buf)
		pmm_free_pages(VIRT_TO_PHYS(p->buf), size_order(p->cap));
	p->buf = NULL;
	p->head = p->len = 0;
}

void pipe_free(struct pipe *p)
{
	if (!p)
		return;
	pipe_drop_buffer(p);
	/* A poll(2) of another thread may still have an entry queued. */
	sched_wake_all_detach(&p->rd_wait, POLLFREE);
	sched_wake_all_detach(&p->wr_wait, POLLFREE);
	kfree(p);
}

static struct pipe *file_pipe(struct file *f)
{
	return f->inode->pipe;
}

static bool pipe_nonblock(struct file *f)
{
	return file_flags(f) & O_NONBLOCK;
}

static long pipe_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct pipe *p = file_pipe(f);
	long ret;

	if (b->len == 0)
		return 0;
	mutex_lock(&p->lock);
	for (;;) {
		if (p->len > 0) {
			size_t n = MIN(b->len, p->len), first;
			int err;

			first = MIN(n, p->cap - p->head);
			err = iobuf_copy_out(b, 0, p->buf + p->head, first);
			if (!err && n > first)
				err = iobuf_copy_out(b, first, p->buf, n - first);
			if (err) {
				ret = err;
				break;
			}
			p->head = (p->head + n) & (p->cap - 1);
			p->len -= n;
			sched_wake_all_key(&p->wr_wait, POLLOUT | POLLWRNORM);
			ret = (long)n;
			break;
		}
		if (p->writers == 0) {
			ret = 0;
			break;
		}
		if (pipe_nonblock(f)) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&p->lock);
		if (wait_event_interruptible(&p->rd_wait, READ_ONCE(p->len) > 0 ||
					     READ_ONCE(p->writers) == 0))
			return -ERESTARTSYS;
		mutex_lock(&p->lock);
	}
	mutex_unlock(&p->lock);
	return ret;
}

/* Append @n bytes of @b at @off into the ring (room checked). */
static int pipe_put(struct pipe *p, struct iobuf *b, size_t off, size_t n)
{
	size_t tail = (p->head + p->len) & (p->cap - 1);
	size_t first = MIN(n, p->cap - tail);
	int err = iobuf_copy_in(p->buf + tail, b, off, first);

	if (!err && n > first)
		err = iobuf_copy_in(p->buf, b, off + first, n - first);
	if (!err)
		p->len += n;
	return err;
}

static long pipe_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct pipe *p = file_pipe(f);
	size_t done = 0;
	long ret;

	if (b->len == 0)
		return 0;
	mutex_lock(&p->lock);
	if (!p->buf) {
		paddr_t pa = pmm_alloc_pages(size_order(p->cap));

		if (!pa) {
			mutex_unlock(&p->lock);
			return -ENOMEM;
		}
		p->buf = PHYS_TO_VIRT(pa);
	}
	for (;;) {
		size_t left = b->len - done;
		size_t need = left <= PIPE_BUF ? left : 1;
		size_t room = p->cap - p->len;

		if (p->readers == 0) {
			signal_raise_current(SIGPIPE);
			ret = done ? (long)done : -EPIPE;
			break;
		}
		if (room >= need) {
			size_t n = MIN(room, left);
			int err = pipe_put(p, b, done, n);

			if (err) {
				ret = done ? (long)done : err;
				break;
			}
			done += n;
			sched_wake_all_key(&p->rd_wait, POLLIN | POLLRDNORM);
			if (done == b->len) {
				ret = (long)done;
				break;
			}
			continue;
		}
		if (pipe_nonblock(f)) {
			ret = done ? (long)done : -EAGAIN;
			break;
		}
		mutex_unlock(&p->lock);
		if (wait_event_interruptible(&p->wr_wait,
					     READ_ONCE(p->cap) - READ_ONCE(p->len) >= need ||
					     READ_ONCE(p->readers) == 0))
			return done ? (long)done : -ERESTARTSYS;
		mutex_lock(&p->lock);
	}
	if (done) {
		mutex_lock(&f->inode->data_lock);
		vfs_now(&f->inode->mtime);
		f->inode->ctime = f->inode->mtime;
		mutex_unlock(&f->inode->data_lock);
	}
	mutex_unlock(&p->lock);
	return ret;
}

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = file_pipe(f);
	unsigned mask = 0;

	if (f->fmode & FMODE_READ)
		poll_wait(f, &p->rd_wait, pt);
	if (f->fmode & FMODE_WRITE)
		poll_wait(f, &p->wr_wait, pt);
	mutex_lock(&p->lock);
	if (f->fmode & FMODE_READ) {
		if (p->len)
			mask |= POLLIN | POLLRDNORM;
		if (p->writers == 0 && p->w_counter != f->pipe_wseen)
			mask |= POLLHUP;
	}
	if (f->fmode & FMODE_WRITE) {
		if (p->cap - p->len >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			mask |= POLLERR;
	}
	mutex_unlock(&p->lock);
	return mask;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = file_pipe(f);

	mutex_lock(&p->lock);
	if (f->fmode & FMODE_READ)
		p->readers--;
	if (f->fmode & FMODE_WRITE)
		p->writers--;
	if (p->readers == 0 && p->writers == 0)
		pipe_drop_buffer(p);
	sched_wake_all_key(&p->rd_wait, POLLHUP);
	sched_wake_all_key(&p->wr_wait, POLLERR);
	mutex_unlock(&p->lock);
}

/* Wait (pipe->lock held, dropped while sleeping) until *@counter moves. */
static int fifo_wait(struct pipe *p, struct wait_queue *wq,
		     unsigned *counter)
{
	unsigned seen = *counter;
	int err;

	mutex_unlock(&p->lock);
	err = wait_event_interruptible(wq, READ_ONCE(*counter) != seen);
	mutex_lock(&p->lock);
	return err ? -ERESTARTSYS : 0;
}

static int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe *p;
	bool is_pipe;
	int err = 0;

	vfs_lock();
	if (!inode->pipe)
		inode->pipe = pipe_alloc();
	p = inode->pipe;
	vfs_unlock();
	if (!p)
		return -ENOMEM;
	/* A pipe (reopened through /proc/<pid>/fd) never waits for the
	 * other end and never fails for lack of it; only named FIFOs do. */
	is_pipe = pipefs_mnt && inode->sb == pipefs_mnt->sb;
	mutex_lock(&p->lock);
	f->pipe_wseen = p->w_counter;
	switch (f->fmode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		p->readers++;
		p->r_counter++;
		sched_wake_all(&p->wr_wait);
		if (p->writers == 0 && !is_pipe && !(f->flags & O_NONBLOCK)) {
			err = fifo_wait(p, &p->rd_wait, &p->w_counter);
			if (err)
				p->readers--;
		}
		break;
	case FMODE_WRITE:
		if (p->readers == 0 && !is_pipe && (f->flags & O_NONBLOCK)) {
			err = -ENXIO;
			break;
		}
		p->writers++;
		p->w_counter++;
		sched_wake_all(&p->rd_wait);
		if (p->readers == 0 && !is_pipe) {
			err = fifo_wait(p, &p->wr_wait, &p->r_counter);
			if (err)
				p->writers--;
		}
		break;
	default:                        /* O_RDWR: never waits */
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		sched_wake_all(&p->rd_wait);
		sched_wake_all(&p->wr_wait);
		break;
	}
	if (err && p->readers == 0 && p->writers == 0)
		pipe_drop_buffer(p);
	mutex_unlock(&p->lock);
	return err;
}

#define FIONREAD 0x541B

/* FIONREAD: bytes waiting in the pipe. */
static long pipe_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct pipe *p = file_pipe(f);
	int32_t avail;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&p->lock);
	avail = (int32_t)p->len;
	mutex_unlock(&p->lock);
	return copy_to_user(arg, &avail, sizeof(avail)) ? -EFAULT : 0;
}

const struct file_operations fifo_fops = {
	.open = fifo_open,
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.release = pipe_release,
	.ioctl = pipe_ioctl,
};

long pipe_fcntl(struct file *f, int cmd, unsigned long arg)
{
	struct pipe *p;
	size_t cap;
	long ret;

	if (!S_ISFIFO(f->inode->mode) || f->ops != &fifo_fops)
		return -EBADF;
	p = file_pipe(f);
	if (cmd == F_GETPIPE_SZ)
		return (long)READ_ONCE(p->cap);
	if (cmd != F_SETPIPE_SZ)
		return -EINVAL;
	if (arg > PIPE_MAX_SIZE && current_cred()->euid != 0)
		return -EPERM;
	if (arg > (1ul << 31))
		return -EINVAL;
	for (cap = PAGE_SIZE; cap < arg; cap *= 2)
		;
	mutex_lock(&p->lock);
	if (cap < p->len) {
		ret = -EBUSY;
	} else {
		uint8_t *nb = NULL;

		if (p->buf) {
			paddr_t pa = pmm_alloc_pages(size_order(cap));

			if (!pa) {
				mutex_unlock(&p->lock);
				return -ENOMEM;
			}
			nb = PHYS_TO_VIRT(pa);
			for (size_t i = 0; i < p->len; i++)
				nb[i] = p->buf[(p->head + i) & (p->cap - 1)];
			pmm_free_pages(VIRT_TO_PHYS(p->buf), size_order(p->cap));
		}
		p->buf = nb;
		p->head = 0;
		p->cap = cap;
		ret = (long)cap;
		sched_wake_all(&p->wr_wait);
	}
	mutex_unlock(&p->lock);
	return ret;
}

/* ---- pipe(2) ---- */

static void pipefs_evict(struct inode *inode)
{
	pipe_free(inode->pipe);
}

static const struct super_operations pipefs_sops = {
	.evict = pipefs_evict,
};

static const struct fs_type pipefs_type = {
	.name = "pipefs",
	.nodev = true,
};

/* A pipefs inode with pipe @p and its path "pipe:[ino]" (vfs_lock held). */
static int pipefs_new(struct pipe *p, struct path *out)
{
	char name[32];
	struct inode *inode;
	int err;

	ASSERT(vfs_lock_held());
	if (!pipefs_mnt)
		pipefs_mnt = pseudofs_mount(&pipefs_type, &pipefs_sops,
					    PIPEFS_MAGIC);
	inode = pipefs_mnt ? inode_alloc(pipefs_mnt->sb, S_IFIFO | 0600) : NULL;
	if (!inode)
		return -ENOMEM;
	inode->f_op = &fifo_fops;
	format_snprintf(name, sizeof(name), "pipe:[%lu]",
			(unsigned long)inode->ino);
	err = pseudofs_path(pipefs_mnt, inode, name, out);
	if (err) {
		inode->nlink = 0;
		inode_put(inode);
		return err;
	}
	inode->pipe = p;
	return 0;
}

int pipe_create(struct file *files[2], int flags)
{
	struct path path;
	struct pipe *p;
	struct file *r, *w;
	int err;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT))
		return -EINVAL;
	p = pipe_alloc();
	if (!p)
		return -ENOMEM;
	vfs_lock();
	err = pipefs_new(p, &path);
	if (!err)
		path_get_locked(&path);         /* one reference per end */
	vfs_unlock();
	if (err) {
		pipe_free(p);
		return err;
	}
	r = file_alloc(&path, path.dentry->inode,
		       O_RDONLY | (flags & O_NONBLOCK), &fifo_fops);
	w = file_alloc(&path, path.dentry->inode,
		       O_WRONLY | (flags & O_NONBLOCK), &fifo_fops);
	if (!r || !w) {
		kfree(r);
		kfree(w);
		vfs_lock();
		path_put_locked(&path);
		path_put_locked(&path);         /* frees the inode and pipe */
		vfs_unlock();
		return -ENOMEM;
	}
	r->fmode = FMODE_READ;
	w->fmode = FMODE_WRITE;
	p->readers = p->writers = 1;
	p->r_counter = p->w_counter = 1;
	files[0] = r;
	files[1] = w;
	return 0;
}
