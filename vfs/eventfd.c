/*
 * eventfd(2): a 64-bit counter behind an anonymous-inode file.
 *
 * write(2) adds an 8-byte value (exactly 8 bytes; UINT64_MAX is EINVAL),
 * waiting while the
 * sum would exceed UINT64_MAX - 1; read(2) returns the counter and resets
 * it to 0, or with EFD_SEMAPHORE returns 1 and decrements it, waiting
 * while it is 0.  Buffers shorter than 8 bytes are EINVAL; O_NONBLOCK
 * turns the waits into EAGAIN.  poll: POLLIN while the counter is
 * non-zero, POLLOUT while another 1 fits.
 *
 * Locking: ctx->lock (spinlock, a leaf) protects the counter.  Readers
 * and writers sleep on ctx->wq without it; every change wakes the queue
 * with the events that became ready (POLLIN after a write, POLLOUT after
 * a read).
 */
#include "vfs/internal.h"
#include "include/errno.h"
#include "lib/format.h"
#include "mm/mm.h"
#include "process/process.h"
#include "syscall/syscall.h"

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK
#define EFD_FLAGS (EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)
#define EVENTFD_MAX (UINT64_MAX - 1)

struct eventfd_ctx {
	struct spinlock lock;
	uint64_t count;                 /* [l] */
	bool semaphore;                 /* [I] */
	int id;                         /* [I] for fdinfo */
	struct wait_queue wq;
};

static int eventfd_next_id;             /* [a] */

static const struct file_operations eventfd_fops;

static bool nonblocking(struct file *f)
{
	return file_flags(f) & O_NONBLOCK;
}

/* Take the value a read returns, if any (0: the counter is 0). */
static uint64_t eventfd_take(struct eventfd_ctx *ctx)
{
	uint64_t irq = spin_lock_irqsave(&ctx->lock);
	uint64_t v = 0;

	if (ctx->count) {
		v = ctx->semaphore ? 1 : ctx->count;
		ctx->count -= v;
	}
	spin_unlock_irqrestore(&ctx->lock, irq);
	return v;
}

static long eventfd_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct eventfd_ctx *ctx = f->private;
	uint64_t v;

	if (b->len < sizeof(v))
		return -EINVAL;
	while ((v = eventfd_take(ctx)) == 0) {
		if (nonblocking(f))
			return -EAGAIN;
		if (wait_event_interruptible(&ctx->wq, READ_ONCE(ctx->count)))
			return -ERESTARTSYS;
	}
	sched_wake_all_key(&ctx->wq, POLLOUT | POLLWRNORM);
	/* As on Linux, a bad buffer loses the value taken. */
	return iobuf_copy_out(b, 0, &v, sizeof(v)) ? -EFAULT : (long)sizeof(v);
}

/* Add @v if it fits; true if it did. */
static bool eventfd_add(struct eventfd_ctx *ctx, uint64_t v)
{
	uint64_t irq = spin_lock_irqsave(&ctx->lock);
	bool ok = EVENTFD_MAX - ctx->count >= v;

	if (ok)
		ctx->count += v;
	spin_unlock_irqrestore(&ctx->lock, irq);
	return ok;
}

static long eventfd_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct eventfd_ctx *ctx = f->private;
	uint64_t v;

	if (b->len != sizeof(v))        /* exactly 8 (reads take more) */
		return -EINVAL;
	if (iobuf_copy_in(&v, b, 0, sizeof(v)))
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	while (!eventfd_add(ctx, v)) {
		if (nonblocking(f))
			return -EAGAIN;
		if (wait_event_interruptible(&ctx->wq,
				EVENTFD_MAX - READ_ONCE(ctx->count) >= v))
			return -ERESTARTSYS;
	}
	if (v)
		sched_wake_all_key(&ctx->wq, POLLIN | POLLRDNORM);
	return sizeof(v);
}

static unsigned eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd_ctx *ctx = f->private;
	uint64_t count;
	unsigned mask = 0;

	poll_wait(f, &ctx->wq, pt);
	count = READ_ONCE(ctx->count);
	if (count)
		mask |= POLLIN | POLLRDNORM;
	if (count == UINT64_MAX)
		mask |= POLLERR;
	if (count < EVENTFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void eventfd_release(struct file *f)
{
	struct eventfd_ctx *ctx = f->private;

	/* A poll(2) of another thread may still have an entry queued. */
	sched_wake_all_detach(&ctx->wq, POLLFREE);
	kfree(ctx);
}

static const struct file_operations eventfd_fops = {
	.llseek = vfs_noop_llseek,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.release = eventfd_release,
};

int eventfd_show_fdinfo(struct file *f, char *buf, size_t size)
{
	struct eventfd_ctx *ctx = f->private;

	if (f->ops != &eventfd_fops)
		return 0;
	return format_snprintf(buf, size, "eventfd-count: %16lx\n"
			       "eventfd-id: %d\neventfd-semaphore: %d\n",
			       (unsigned long)READ_ONCE(ctx->count), ctx->id,
			       ctx->semaphore ? 1 : 0);
}

SYSCALL_DEFINE2(eventfd2, unsigned, initval, int, flags)
{
	struct eventfd_ctx *ctx;
	int fd;

	if (flags & ~EFD_FLAGS)
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	spin_lock_init(&ctx->lock, "eventfd");
	wait_queue_init(&ctx->wq);
	ctx->count = initval;
	ctx->semaphore = flags & EFD_SEMAPHORE;
	ctx->id = __atomic_fetch_add(&eventfd_next_id, 1, __ATOMIC_RELAXED);
	fd = anon_inode_getfd("[eventfd]", &eventfd_fops, ctx,
			      O_RDWR | (flags & (O_NONBLOCK | O_CLOEXEC)));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

SYSCALL_DEFINE1(eventfd, unsigned, initval)
{
	return sys_eventfd2(initval, 0, 0, 0, 0, 0);
}
