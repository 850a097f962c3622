/*
 * poll/select machinery.  A poll_table says how a file's ->poll registers
 * the wait queues that change its readiness (poll_wait()).  poll/select
 * use a poll_wait_set, which queues an entry of the calling thread on each;
 * epoll supplies its own queue function (callback entries).  poll/select
 * then sleep until any of those queues is woken,
 * the timeout passes or a signal arrives, and scans again.  A wakeup
 * between the scan and the sleep is not lost: the entries record it
 * (sched_wait_entry_woken) and are checked after the thread is marked
 * blocked.  With more than POLL_MAX_ENTRIES queues the extra files are
 * re-polled every 10 ms.
 */
#include "vfs/internal.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "process/process.h"
#include "time/clock.h"

#define POLL_OVERFLOW_NS 10000000ULL

void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	if (!pt || !wq)
		return;
	pt->queue(pt, f, wq);
}

/* The poll/select queue function: one entry of the current thread. */
static void poll_set_queue(struct poll_table *pt, struct file *f,
			   struct wait_queue *wq)
{
	struct poll_wait_set *ws = container_of(pt, struct poll_wait_set, pt);

	if (ws->count == POLL_MAX_ENTRIES) {
		ws->overflow = true;
		return;
	}
	sched_wait_entry_add(wq, &ws->entries[ws->count++]);
}

struct poll_wait_set *poll_wait_set_alloc(void)
{
	struct poll_wait_set *ws = kzalloc(sizeof(*ws));

	if (ws)
		ws->pt.queue = poll_set_queue;
	return ws;
}

unsigned vfs_poll(struct file *f, struct poll_table *pt)
{
	if (f->fmode & FMODE_PATH)
		return POLLNVAL;
	if (!f->ops || !f->ops->poll)   /* regular files: always ready */
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return f->ops->poll(f, pt);
}

void poll_wait_set_clear(struct poll_wait_set *ws)
{
	for (int i = 0; i < ws->count; i++)
		sched_wait_entry_remove(&ws->entries[i]);
	ws->count = 0;
	ws->overflow = false;
}

static bool poll_wait_set_woken(struct poll_wait_set *ws)
{
	for (int i = 0; i < ws->count; i++)
		if (sched_wait_entry_woken(&ws->entries[i]))
			return true;
	return false;
}

/* One scan: fill revents; register queues in @pt if given. */
static int poll_scan(struct pollfd_k *fds, unsigned n, struct poll_table *pt)
{
	int count = 0;

	for (unsigned i = 0; i < n; i++) {
		struct file *f;
		unsigned mask;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fd_get(fds[i].fd);
		if (!f) {
			fds[i].revents = POLLNVAL;
			count++;
			continue;
		}
		mask = vfs_poll(f, count ? NULL : pt);
		file_put(f);
		mask &= (unsigned)fds[i].events | POLLERR | POLLHUP | POLLNVAL;
		fds[i].revents = (short)mask;
		if (mask)
			count++;
	}
	return count;
}

int vfs_do_poll(struct pollfd_k *fds, unsigned n, int64_t timeout_ns)
{
	struct poll_wait_set *ws = NULL;
	uint64_t deadline = 0;
	int count;

	if (timeout_ns > 0)
		deadline = clock_uptime_ns() + (uint64_t)timeout_ns;
	if (timeout_ns != 0) {
		ws = poll_wait_set_alloc();
		if (!ws)
			return -ENOMEM;
	}
	for (;;) {
		uint64_t sleep_until = deadline;
		bool timed_out;

		count = poll_scan(fds, n, ws ? &ws->pt : NULL);
		if (count || timeout_ns == 0)
			break;
		if (signal_pending()) {
			count = -ERESTARTNOHAND;
			break;
		}
		if (ws->overflow) {
			uint64_t soon = clock_uptime_ns() + POLL_OVERFLOW_NS;

			if (!sleep_until || soon < sleep_until)
				sleep_until = soon;
		}
		sched_prepare_wait(NULL, sleep_until);
		if (!poll_wait_set_woken(ws) && !signal_pending())
			schedule();
		timed_out = sched_finish_wait(NULL) == -ETIMEDOUT;
		poll_wait_set_clear(ws);
		if (timed_out && deadline && clock_uptime_ns() >= deadline)
			timeout_ns = 0;         /* one last scan */
	}
	if (ws) {
		poll_wait_set_clear(ws);
		kfree(ws);
	}
	return count;
}
