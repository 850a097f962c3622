/*
 * poll, ppoll, select, pselect6 and getrandom.  select is built on the
 * poll machinery (vfs_do_poll) by turning the three fd_sets into pollfd
 * entries.  The signal masks of ppoll and pselect6 are not applied yet
 * (needs the process layer's sigprocmask; TODO).
 */
#include "vfs/sys_util.h"
#include "lib/string.h"
#include "process/process.h"
#include "time/clock.h"

#define NSEC_PER_SEC 1000000000LL

struct timespec_user {
	int64_t tv_sec;
	long tv_nsec;
};

struct timeval_user {
	int64_t tv_sec;
	long tv_usec;
};

static long do_poll(uaddr_t ufds, unsigned nfds, int64_t timeout_ns)
{
	struct pollfd_k *fds = NULL;
	long ret;

	if (nfds > fd_limit())
		return -EINVAL;
	if (nfds) {
		fds = kmalloc(nfds * sizeof(*fds));
		if (!fds)
			return -ENOMEM;
		if (copy_from_user(fds, ufds, nfds * sizeof(*fds))) {
			kfree(fds);
			return -EFAULT;
		}
	}
	ret = vfs_do_poll(fds, nfds, timeout_ns);
	if (ret >= 0 && nfds) {
		/* Only revents changes; write back the whole array. */
		if (copy_to_user(ufds, fds, nfds * sizeof(*fds)))
			ret = -EFAULT;
	}
	kfree(fds);
	if (ret == -ERESTARTNOHAND)
		ret = -EINTR;           /* TODO: restart_syscall for poll */
	return ret;
}

SYSCALL_DEFINE3(poll, uaddr_t, fds, unsigned, nfds, int, timeout_ms)
{
	return do_poll(fds, nfds, timeout_ms < 0 ? -1
			: (int64_t)timeout_ms * 1000000LL);
}

static int get_timeout(uaddr_t uts, int64_t *ns)
{
	struct timespec_user ts;

	*ns = -1;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*ns = ts.tv_sec > INT64_MAX / NSEC_PER_SEC - 1 ? INT64_MAX / 2
	      : ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

SYSCALL_DEFINE5(ppoll, uaddr_t, fds, unsigned, nfds, uaddr_t, tsp,
		uaddr_t, sigmask, size_t, sigsetsize)
{
	int64_t ns;
	int err;

	sigset_t mask;

	if (sigmask && sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	err = get_timeout(tsp, &ns);
	if (err)
		return err;
	if (sigmask) {
		if (copy_from_user(&mask, sigmask, sizeof(mask)))
			return -EFAULT;
		signal_set_temporary_mask(mask);
	}
	return do_poll(fds, nfds, ns);
}

/* select: sets of @n descriptors as 64-bit words. */
static long do_select(int n, uaddr_t uin, uaddr_t uout, uaddr_t uex,
		      int64_t timeout_ns)
{
	size_t words, bytes;
	uint64_t *sets;                 /* in, out, ex, then results */
	struct pollfd_k *fds = NULL;
	unsigned count = 0, k = 0;
	long ret;

	if (n < 0)
		return -EINVAL;
	if ((unsigned)n > fd_limit())
		n = (int)fd_limit();
	words = DIV_ROUND_UP((size_t)n, 64);
	bytes = words * 8;
	sets = kzalloc(6 * bytes + 8);
	if (!sets)
		return -ENOMEM;
	if ((uin && copy_from_user(sets, uin, bytes)) ||
	    (uout && copy_from_user(sets + words, uout, bytes)) ||
	    (uex && copy_from_user(sets + 2 * words, uex, bytes))) {
		ret = -EFAULT;
		goto out;
	}
	for (int fd = 0; fd < n; fd++) {
		uint64_t bit = 1ull << (fd % 64);
		size_t w = (size_t)fd / 64;

		if ((sets[w] | sets[words + w] | sets[2 * words + w]) & bit)
			count++;
	}
	fds = count ? kmalloc(count * sizeof(*fds)) : NULL;
	if (count && !fds) {
		ret = -ENOMEM;
		goto out;
	}
	for (int fd = 0; fd < n; fd++) {
		uint64_t bit = 1ull << (fd % 64);
		size_t w = (size_t)fd / 64;
		short ev = 0;

		if (sets[w] & bit)
			ev |= POLLIN | POLLRDNORM | POLLHUP | POLLERR;
		if (sets[words + w] & bit)
			ev |= POLLOUT | POLLWRNORM | POLLERR;
		if (sets[2 * words + w] & bit)
			ev |= POLLPRI;
		if (ev)
			fds[k++] = (struct pollfd_k){ .fd = fd, .events = ev };
	}
	ret = vfs_do_poll(fds, count, timeout_ns);
	if (ret < 0)
		goto out;
	ret = 0;
	for (unsigned i = 0; i < count; i++) {
		int fd = fds[i].fd;
		uint64_t bit = 1ull << (fd % 64);
		size_t w = (size_t)fd / 64;
		unsigned rev = (unsigned short)fds[i].revents;

		if (rev & POLLNVAL) {
			ret = -EBADF;
			goto out;
		}
		if ((sets[w] & bit) &&
		    (rev & (POLLIN | POLLRDNORM | POLLHUP | POLLERR))) {
			sets[3 * words + w] |= bit;
			ret++;
		}
		if ((sets[words + w] & bit) &&
		    (rev & (POLLOUT | POLLWRNORM | POLLERR))) {
			sets[4 * words + w] |= bit;
			ret++;
		}
		if ((sets[2 * words + w] & bit) && (rev & POLLPRI)) {
			sets[5 * words + w] |= bit;
			ret++;
		}
	}
	if ((uin && copy_to_user(uin, sets + 3 * words, bytes)) ||
	    (uout && copy_to_user(uout, sets + 4 * words, bytes)) ||
	    (uex && copy_to_user(uex, sets + 5 * words, bytes)))
		ret = -EFAULT;
out:
	kfree(fds);
	kfree(sets);
	if (ret == -ERESTARTNOHAND)
		ret = -EINTR;
	return ret;
}

SYSCALL_DEFINE5(select, int, n, uaddr_t, in, uaddr_t, out, uaddr_t, ex,
		uaddr_t, utv)
{
	struct timeval_user tv;
	int64_t ns = -1;
	uint64_t start = clock_uptime_ns();
	long ret;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		ns = tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * 1000;
	}
	ret = do_select(n, in, out, ex, ns);
	if (utv && ret >= 0) {          /* Linux reports the time left */
		int64_t left = ns - (int64_t)(clock_uptime_ns() - start);

		if (left < 0)
			left = 0;
		tv.tv_sec = left / NSEC_PER_SEC;
		tv.tv_usec = (left % NSEC_PER_SEC) / 1000;
		copy_to_user(utv, &tv, sizeof(tv));
	}
	return ret;
}

SYSCALL_DEFINE6(pselect6, int, n, uaddr_t, in, uaddr_t, out, uaddr_t, ex,
		uaddr_t, tsp, uaddr_t, sig)
{
	struct {
		uint64_t ss;
		uint64_t ss_len;
	} s;
	int64_t ns;
	sigset_t mask;
	int err;

	if (sig) {
		if (copy_from_user(&s, sig, sizeof(s)))
			return -EFAULT;
		if (s.ss && s.ss_len != sizeof(sigset_t))
			return -EINVAL;
	}
	err = get_timeout(tsp, &ns);
	if (err)
		return err;
	if (sig && s.ss) {
		if (copy_from_user(&mask, s.ss, sizeof(mask)))
			return -EFAULT;
		signal_set_temporary_mask(mask);
	}
	return do_select(n, in, out, ex, ns);
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

SYSCALL_DEFINE3(getrandom, uaddr_t, buf, size_t, count, unsigned, flags)
{
	uint8_t tmp[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	if (count > 0x7fffffff)
		count = 0x7fffffff;
	while (done < count) {
		size_t n = MIN(count - done, sizeof(tmp));

		random_get_bytes(tmp, n);
		if (copy_to_user(buf + done, tmp, n)) {
			memset(tmp, 0, sizeof(tmp));
			return done ? (long)done : -EFAULT;
		}
		done += n;
		if (done < count && signal_pending())
			break;
	}
	memset(tmp, 0, sizeof(tmp));
	return (long)done;
}
