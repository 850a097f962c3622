/*
 * The flusher: a kernel thread that writes dirty page-cache pages back
 * in the background, with Linux's default tunables: every
 * dirty_writeback_centisecs (5 s) it writes the caches that have been
 * dirty for dirty_expire_centisecs (30 s), and all of them once dirty
 * pages pass dirty_background_ratio (10 %) of memory.  It also trims the
 * metadata buffer cache (block/buffer.h's buffer_shrink, which may sleep
 * and so is kept out of the allocator's own reclaim) when free memory
 * is low.  It registers the page cache's reclaim with the allocator.
 *
 * Locking: `kicked` is atomic; everything else is the page cache's.
 */
#include "mm/uvm_internal.h"
#include "block/buffer.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "time/clock.h"

static struct wait_queue flusher_wait = WAIT_QUEUE_INIT(flusher_wait);
static bool kicked;             /* atomic */

/* Stand-in while no buffer cache is linked in (block/buffer.c). */
__attribute__((weak)) size_t buffer_shrink(size_t target)
{
	(void)target;
	return 0;
}

void writeback_kick(void)
{
	__atomic_store_n(&kicked, true, __ATOMIC_RELEASE);
	sched_wake_all(&flusher_wait);
}

static bool over_background(void)
{
	struct page_cache_stats st;

	page_cache_stats(&st);
	return st.dirty * 10 > pmm_total_page_count();
}

static void flusher(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t now, cutoff;
		bool all;

		wait_event_timeout(&flusher_wait,
				   __atomic_load_n(&kicked, __ATOMIC_ACQUIRE),
				   WRITEBACK_INTERVAL_NS);
		all = __atomic_exchange_n(&kicked, false, __ATOMIC_ACQ_REL) ||
		      over_background();
		now = clock_uptime_ns();
		cutoff = all ? UINT64_MAX
		       : now > WRITEBACK_EXPIRE_NS ? now - WRITEBACK_EXPIRE_NS : 0;
		page_cache_writeback_dirty(NULL, cutoff);
		if (pmm_free_page_count() * 32 < pmm_total_page_count())
			buffer_shrink(pmm_total_page_count() / 64 * PAGE_SIZE);
	}
}

void writeback_init(void)
{
	pmm_set_reclaim(page_cache_reclaim);
	if (!thread_spawn("flusher", flusher, NULL))
		printk(KERN_ERR "writeback: no flusher thread\n");
}
