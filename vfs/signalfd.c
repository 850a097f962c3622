/*
 * signalfd(2): read pending signals as struct signalfd_siginfo.
 *
 * A signalfd holds a signal mask (never SIGKILL or SIGSTOP).  read(2)
 * consumes pending signals of that mask from the reading thread (its own
 * first, then its process's shared ones), as many 128-byte records as fit
 * (EINVAL for less than one), waiting while there are none (EAGAIN with
 * O_NONBLOCK).  The signals are normally blocked so that they stay pending
 * for the descriptor; a deliverable signal outside the mask interrupts a
 * wait.  poll reports POLLIN while one of them is pending for the polling
 * thread.  signalfd4 with an existing signalfd replaces its mask.
 *
 * Wakeups come from the process's signal wait queue (process/signal.c
 * wakes it whenever a signal is queued).  Locking: ctx->mask is read and
 * written atomically; the signal state is the process layer's.
 */
#include "vfs/sys_util.h"
#include "lib/string.h"
#include "process/process.h"

#define SFD_CLOEXEC O_CLOEXEC
#define SFD_NONBLOCK O_NONBLOCK
#define SIGBIT(sig) (1ULL << ((sig) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* struct signalfd_siginfo (include/uapi/linux/signalfd.h). */
struct signalfd_siginfo {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};
STATIC_ASSERT(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo");
STATIC_ASSERT(offsetof(struct signalfd_siginfo, ssi_ptr) == 48, "ssi_ptr");
STATIC_ASSERT(offsetof(struct signalfd_siginfo, ssi_addr_lsb) == 80,
	      "ssi_addr_lsb");
STATIC_ASSERT(offsetof(struct signalfd_siginfo, ssi_arch) == 96, "ssi_arch");

struct signalfd_ctx {
	sigset_t mask;                  /* [a] */
};

static const struct file_operations signalfd_fops;

static sigset_t ctx_mask(struct signalfd_ctx *ctx)
{
	return __atomic_load_n(&ctx->mask, __ATOMIC_RELAXED);
}

/* The siginfo fields Linux copies for each siginfo layout
 * (signalfd_copyinfo, siginfo_layout). */
static void to_signalfd_info(const struct ksiginfo *si,
			     struct signalfd_siginfo *out)
{
	int code = si->si_code, sig = si->si_signo;

	memset(out, 0, sizeof(*out));
	out->ssi_signo = (uint32_t)sig;
	out->ssi_errno = si->si_errno;
	out->ssi_code = code;
	if (code > SI_USER && code < SI_KERNEL) {
		if (sig == SIGCHLD) {
			out->ssi_pid = (uint32_t)si->chld.pid;
			out->ssi_uid = si->chld.uid;
			out->ssi_status = si->chld.status;
			out->ssi_utime = (uint64_t)si->chld.utime;
			out->ssi_stime = (uint64_t)si->chld.stime;
		} else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
			   sig == SIGFPE || sig == SIGTRAP) {
			out->ssi_addr = si->fault.addr;
			out->ssi_addr_lsb = si->fault.addr_lsb;
		}
		return;
	}
	if (code == SI_TIMER) {
		out->ssi_tid = (uint32_t)si->timer.tid;
		out->ssi_overrun = (uint32_t)si->timer.overrun;
		out->ssi_ptr = si->timer.value;
		out->ssi_int = (int32_t)si->timer.value;
	} else if (code < 0) {          /* sigqueue, tgkill: SIL_RT */
		out->ssi_pid = (uint32_t)si->kill.pid;
		out->ssi_uid = si->kill.uid;
		out->ssi_ptr = si->kill.value;
		out->ssi_int = (int32_t)si->kill.value;
	} else {                        /* SI_USER, SI_KERNEL: SIL_KILL */
		out->ssi_pid = (uint32_t)si->kill.pid;
		out->ssi_uid = si->kill.uid;
	}
}

/* Dequeue one signal of the mask into @out, waiting unless @nonblock:
 * 1, -EAGAIN or -ERESTARTSYS. */
static int signalfd_dequeue(struct signalfd_ctx *ctx, bool nonblock,
			    struct signalfd_siginfo *out)
{
	struct wait_queue *wq = signal_fd_wait_queue();
	struct ksiginfo si;

	for (;;) {
		sigset_t mask = ctx_mask(ctx);

		sched_prepare_wait(wq, 0);
		if (signal_dequeue_set(mask, &si)) {
			sched_finish_wait(wq);
			to_signalfd_info(&si, out);
			return 1;
		}
		if (nonblock) {
			sched_finish_wait(wq);
			return -EAGAIN;
		}
		if (signal_pending()) {
			sched_finish_wait(wq);
			return -ERESTARTSYS;
		}
		schedule();
		sched_finish_wait(wq);
	}
}

static long signalfd_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	struct signalfd_ctx *ctx = f->private;
	struct signalfd_siginfo info;
	bool nonblock = file_flags(f) & O_NONBLOCK;
	size_t count = b->len / sizeof(info), done = 0;

	if (!count)
		return -EINVAL;
	while (done < count) {
		/* Only the first record may wait. */
		int ret = signalfd_dequeue(ctx, nonblock || done, &info);

		if (ret < 0)
			return done ? (long)(done * sizeof(info)) : ret;
		if (iobuf_copy_out(b, done * sizeof(info), &info, sizeof(info)))
			return done ? (long)(done * sizeof(info)) : -EFAULT;
		done++;
	}
	return (long)(done * sizeof(info));
}

static unsigned signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd_ctx *ctx = f->private;

	if (!current_process())
		return 0;
	poll_wait(f, signal_fd_wait_queue(), pt);
	return (signal_pending_set() & ctx_mask(ctx)) ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_operations signalfd_fops = {
	.llseek = vfs_noop_llseek,
	.read = signalfd_read,
	.poll = signalfd_poll,
	.release = signalfd_release,
};

static long do_signalfd4(int fd, uaddr_t umask, size_t sizemask, int flags)
{
	struct signalfd_ctx *ctx;
	struct file *f;
	sigset_t mask;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (sizemask != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~UNBLOCKABLE;
	if (fd == -1) {
		ctx = kzalloc(sizeof(*ctx));
		if (!ctx)
			return -ENOMEM;
		ctx->mask = mask;
		fd = anon_inode_getfd("[signalfd]", &signalfd_fops, ctx,
				      O_RDWR | (flags & (O_NONBLOCK | O_CLOEXEC)));
		if (fd < 0)
			kfree(ctx);
		return fd;
	}
	f = fd_get_io(fd);
	if (!f)
		return -EBADF;
	if (f->ops != &signalfd_fops) {
		file_put(f);
		return -EINVAL;
	}
	ctx = f->private;
	__atomic_store_n(&ctx->mask, mask, __ATOMIC_RELAXED);
	/* Waiters re-check with the new mask. */
	sched_wake_all_key(signal_fd_wait_queue(), POLLIN);
	file_put(f);
	return fd;
}

SYSCALL_DEFINE4(signalfd4, int, fd, uaddr_t, umask, size_t, sizemask,
		int, flags)
{
	return do_signalfd4(fd, umask, sizemask, flags);
}

SYSCALL_DEFINE3(signalfd, int, fd, uaddr_t, umask, size_t, sizemask)
{
	return do_signalfd4(fd, umask, sizemask, 0);
}
