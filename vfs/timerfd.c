/*
 * timerfd(2): a POSIX-style timer whose expirations are read from a file.
 *
 * Model: a timer counts on a base clock, the monotonic clock (uptime;
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME are the same here, and a relative
 * CLOCK_REALTIME timer counts like them, as Linux's hrtimers do) or, for
 * an absolute CLOCK_REALTIME timer, the wall clock.  ctx->expires is the
 * next expiration on that clock.  Expirations are counted lazily by
 * timerfd_expire(): whenever the timer is looked at (the kernel timer
 * firing, read, poll, gettime), every period that has passed is added to
 * ticks, so a period shorter than the tick still counts right.  A kernel
 * timer (time/timer.h, on uptime) fires at the next expiration so that
 * readers and pollers are woken.
 *
 * Setting CLOCK_REALTIME moves absolute realtime timers (their kernel
 * timer is re-armed from a callback on the clock's change queue) and
 * cancels those armed with TFD_TIMER_CANCEL_ON_SET: read then fails once
 * with ECANCELED.
 *
 * Locking: ctx->lock (irq-safe spinlock: the kernel timer runs in the
 * timer interrupt) protects everything below [l]; it is never held while
 * waking (sched_lock) and is taken inside sched_lock by the clock-change
 * callback.  Order: sched_lock -> ctx->lock -> the kernel timer lock.
 * The kernel timer callback runs on the CPU of the tick; release cancels
 * it first (one CPU: it cannot be running meanwhile).
 */
#include "vfs/sys_util.h"
#include "lib/string.h"
#include "process/process.h"
#include "time/clock.h"
#include "time/timer.h"
#include "time/timespec.h"

#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_SETTIME_FLAGS (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)
#define TFD_CLOEXEC O_CLOEXEC
#define TFD_NONBLOCK O_NONBLOCK

struct itimerspec_user {
	struct __kernel_timespec it_interval;
	struct __kernel_timespec it_value;
};
STATIC_ASSERT(sizeof(struct itimerspec_user) == 32, "struct itimerspec");

struct timerfd_ctx {
	struct spinlock lock;
	int clockid;                    /* [I] as created */
	bool armed;                     /* [l] an expiration is ahead */
	bool realtime_base;             /* [l] expires is CLOCK_REALTIME */
	bool cancel_on_set;             /* [l] */
	bool canceled;                  /* [l] the clock was set: ECANCELED */
	int64_t expires;                /* [l] next expiration, base clock */
	int64_t interval;               /* [l] 0: one-shot */
	uint64_t ticks;                 /* [l] expirations not yet read */
	struct ktimer timer;
	struct wait_entry clock_set;    /* CLOCK_REALTIME timers: on the
					 * clock's change queue */
	struct wait_queue wq;           /* readers and pollers */
};

static const struct file_operations timerfd_fops;

static int64_t base_now(const struct timerfd_ctx *ctx)
{
	return ctx->realtime_base ? clock_realtime_ns()
				  : (int64_t)clock_uptime_ns();
}

/* Arm the kernel timer for ctx->expires (ctx->lock held). */
static void timerfd_arm_locked(struct timerfd_ctx *ctx)
{
	int64_t deadline = ctx->expires;

	if (ctx->realtime_base)         /* wall time -> uptime */
		deadline -= clock_realtime_ns() - (int64_t)clock_uptime_ns();
	ktimer_arm(&ctx->timer, deadline > 0 ? (uint64_t)deadline : 0);
}

/* Count the expirations up to now and re-arm (ctx->lock held); true if
 * there were new ones (the caller wakes ctx->wq after unlocking). */
static bool timerfd_expire(struct timerfd_ctx *ctx)
{
	int64_t now;

	if (!ctx->armed)
		return false;
	now = base_now(ctx);
	if (now < ctx->expires) {
		timerfd_arm_locked(ctx);        /* it may have fired early */
		return false;
	}
	if (ctx->interval) {
		uint64_t n = 1 + (uint64_t)(now - ctx->expires) /
				 (uint64_t)ctx->interval;
		int64_t step = n > (uint64_t)(TIME_NS_MAX / ctx->interval)
			       ? TIME_NS_MAX : (int64_t)n * ctx->interval;

		ctx->ticks += n;
		ctx->expires = time_ns_add_sat(ctx->expires, step);
		timerfd_arm_locked(ctx);
	} else {
		ctx->ticks++;
		ctx->armed = false;
		ktimer_cancel(&ctx->timer);
	}
	return true;
}

static bool timerfd_update(struct timerfd_ctx *ctx)
{
	uint64_t irq = spin_lock_irqsave(&ctx->lock);
	bool fired = timerfd_expire(ctx);

	spin_unlock_irqrestore(&ctx->lock, irq);
	return fired;
}

/* The kernel timer (timer interrupt). */
static void timerfd_fire(struct ktimer *t)
{
	struct timerfd_ctx *ctx = container_of(t, struct timerfd_ctx, timer);

	if (timerfd_update(ctx))
		sched_wake_all_key(&ctx->wq, POLLIN | POLLRDNORM);
}

/* CLOCK_REALTIME was set (wait callback, sched_lock held). */
static bool timerfd_clock_was_set(struct wait_entry *e, unsigned key)
{
	struct timerfd_ctx *ctx = container_of(e, struct timerfd_ctx, clock_set);
	uint64_t irq = spin_lock_irqsave(&ctx->lock);
	bool wake = false;

	if (ctx->cancel_on_set && !ctx->canceled) {
		ctx->canceled = true;
		wake = true;
	}
	if (ctx->armed && ctx->realtime_base)
		timerfd_arm_locked(ctx);        /* the same wall time */
	spin_unlock_irqrestore(&ctx->lock, irq);
	if (wake)
		sched_wake_locked(&ctx->wq, POLLIN | POLLRDNORM);
	return wake;
}

static long timerfd_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct timerfd_ctx *ctx = f->private;

	if (b->len < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		uint64_t irq = spin_lock_irqsave(&ctx->lock);
		uint64_t ticks;

		timerfd_expire(ctx);
		if (ctx->canceled) {
			ctx->canceled = false;
			ctx->ticks = 0;
			spin_unlock_irqrestore(&ctx->lock, irq);
			return -ECANCELED;
		}
		ticks = ctx->ticks;
		ctx->ticks = 0;
		spin_unlock_irqrestore(&ctx->lock, irq);
		if (ticks)
			return iobuf_copy_out(b, 0, &ticks, sizeof(ticks))
			       ? -EFAULT : (long)sizeof(ticks);
		if (file_flags(f) & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(&ctx->wq, READ_ONCE(ctx->ticks) ||
					     READ_ONCE(ctx->canceled)))
			return -ERESTARTSYS;
	}
}

static unsigned timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd_ctx *ctx = f->private;
	unsigned mask = 0;
	uint64_t irq;
	bool fired;

	poll_wait(f, &ctx->wq, pt);
	irq = spin_lock_irqsave(&ctx->lock);
	fired = timerfd_expire(ctx);
	if (ctx->ticks || ctx->canceled)
		mask = POLLIN | POLLRDNORM;
	spin_unlock_irqrestore(&ctx->lock, irq);
	if (fired)      /* counted here, not by the timer: tell the others */
		sched_wake_all_key(&ctx->wq, POLLIN | POLLRDNORM);
	return mask;
}

static void timerfd_release(struct file *f)
{
	struct timerfd_ctx *ctx = f->private;

	ktimer_cancel(&ctx->timer);
	sched_wait_entry_remove(&ctx->clock_set);
	/* A poll(2) of another thread may still have an entry queued. */
	sched_wake_all_detach(&ctx->wq, POLLFREE);
	kfree(ctx);
}

static const struct file_operations timerfd_fops = {
	.llseek = vfs_noop_llseek,
	.read = timerfd_read,
	.poll = timerfd_poll,
	.release = timerfd_release,
};

static bool clock_ok(int clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_MONOTONIC ||
	       clockid == CLOCK_BOOTTIME || clockid == CLOCK_REALTIME_ALARM ||
	       clockid == CLOCK_BOOTTIME_ALARM;
}

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	struct timerfd_ctx *ctx;
	int fd;

	if ((flags & ~(TFD_CLOEXEC | TFD_NONBLOCK)) || !clock_ok(clockid))
		return -EINVAL;
	if ((clockid == CLOCK_REALTIME_ALARM ||
	     clockid == CLOCK_BOOTTIME_ALARM) && current_cred()->euid != 0)
		return -EPERM;          /* CAP_WAKE_ALARM */
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	spin_lock_init(&ctx->lock, "timerfd");
	wait_queue_init(&ctx->wq);
	ktimer_init(&ctx->timer, timerfd_fire);
	ctx->clockid = clockid == CLOCK_REALTIME_ALARM ? CLOCK_REALTIME
		       : clockid == CLOCK_BOOTTIME_ALARM ? CLOCK_BOOTTIME
		       : clockid;
	if (ctx->clockid == CLOCK_REALTIME)
		sched_wait_entry_add_func(clock_realtime_change_queue(),
					  &ctx->clock_set,
					  timerfd_clock_was_set, false);
	fd = anon_inode_getfd("[timerfd]", &timerfd_fops, ctx,
			      O_RDWR | (flags & (O_NONBLOCK | O_CLOEXEC)));
	if (fd < 0) {
		sched_wait_entry_remove(&ctx->clock_set);
		kfree(ctx);
	}
	return fd;
}

/* The timerfd behind @fd, referenced: -EBADF or -EINVAL (not a timerfd). */
static struct file *timerfd_get(int fd)
{
	struct file *f = fd_get_io(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->ops != &timerfd_fops) {
		file_put(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* The current setting (ctx->lock held, expirations counted). */
static struct itimerspec_user timerfd_current(struct timerfd_ctx *ctx)
{
	struct itimerspec_user cur;
	int64_t left = 0;

	if (ctx->armed) {
		left = ctx->expires - base_now(ctx);
		if (left <= 0)
			left = 1;       /* due: not yet counted */
	}
	cur.it_value = ns_to_timespec(left);
	cur.it_interval = ns_to_timespec(ctx->interval);
	return cur;
}

SYSCALL_DEFINE4(timerfd_settime, int, fd, int, flags, uaddr_t, unew,
		uaddr_t, uold)
{
	struct itimerspec_user nv, old;
	struct timerfd_ctx *ctx;
	struct file *f;
	uint64_t irq;
	bool fired;

	if (copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (!timespec_valid(&nv.it_value) || !timespec_valid(&nv.it_interval) ||
	    (flags & ~TFD_SETTIME_FLAGS))
		return -EINVAL;
	f = timerfd_get(fd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ctx = f->private;
	irq = spin_lock_irqsave(&ctx->lock);
	fired = timerfd_expire(ctx);
	old = timerfd_current(ctx);
	ktimer_cancel(&ctx->timer);
	ctx->ticks = 0;
	ctx->canceled = false;
	ctx->armed = nv.it_value.tv_sec || nv.it_value.tv_nsec;
	ctx->realtime_base = ctx->clockid == CLOCK_REALTIME &&
			     (flags & TFD_TIMER_ABSTIME);
	ctx->cancel_on_set = ctx->realtime_base &&
			     (flags & TFD_TIMER_CANCEL_ON_SET);
	ctx->interval = timespec_to_ns(&nv.it_interval);
	if (ctx->armed) {
		ctx->expires = timespec_to_ns(&nv.it_value);
		if (!(flags & TFD_TIMER_ABSTIME))
			ctx->expires = time_ns_add_sat(base_now(ctx),
						       ctx->expires);
		timerfd_arm_locked(ctx);
	}
	spin_unlock_irqrestore(&ctx->lock, irq);
	if (fired)
		sched_wake_all_key(&ctx->wq, POLLIN | POLLRDNORM);
	file_put(f);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timerfd_gettime, int, fd, uaddr_t, ucur)
{
	struct itimerspec_user cur;
	struct timerfd_ctx *ctx;
	struct file *f = timerfd_get(fd);
	uint64_t irq;
	bool fired;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ctx = f->private;
	irq = spin_lock_irqsave(&ctx->lock);
	fired = timerfd_expire(ctx);
	cur = timerfd_current(ctx);
	spin_unlock_irqrestore(&ctx->lock, irq);
	if (fired)
		sched_wake_all_key(&ctx->wq, POLLIN | POLLRDNORM);
	file_put(f);
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}
