/*
 * Read-ahead (model in mm.h, "read-ahead"): reading file pages before
 * they are asked for, in windows that grow while a file is read
 * sequentially, so that a device sees few large requests instead of one
 * per page.
 *
 * A window is read with the cache's ->readahead op (one call for a run
 * of uncached pages) or page by page with ->read_page.  Pages are
 * inserted as page_cache_get inserts them: only below EOF (checked under
 * the lock after reading), and a page that appeared meanwhile wins.
 *
 * Locking: the state belongs to one open file; callers serialize use of
 * it (the file's pos_lock, as read(2) holds it).  The cache's own locks
 * are taken by page_cache.c's rules.
 */
#include "mm/uvm_internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"

#define RA_BATCH 32             /* frames allocated per ->readahead call */

static uint64_t eof_index(struct page_cache *pc)
{
	return DIV_ROUND_UP(pc->ops->size(pc), PAGE_SIZE);
}

/* Insert the read page @fresh (our reference) at @index unless it is
 * past EOF or cached already.  Consumes our reference. */
static bool insert_read_page(struct page_cache *pc, uint64_t index,
			     paddr_t fresh)
{
	bool added = false;

	spin_lock(&pc->lock);
	if (index < eof_index(pc) &&
	    !radix_tree_lookup(&pc->pages, index) &&
	    radix_tree_insert(&pc->pages, index, fresh) == 0) {
		pmm_frame_get(fresh);   /* the cache's reference */
		page_cache_count_page(pc, 1);
		added = true;
	}
	spin_unlock(&pc->lock);
	pmm_frame_put(fresh);
	return added;
}

/* Read the run of uncached pages starting at @index (at most @nr). */
static unsigned read_run(struct page_cache *pc, uint64_t index, unsigned nr)
{
	paddr_t frames[RA_BATCH];
	void *pages[RA_BATCH];
	unsigned n = 0, done = 0;
	int err;

	nr = MIN(nr, RA_BATCH);
	while (n < nr && !page_cache_resident(pc, index + n)) {
		frames[n] = pmm_frame_alloc(false);
		if (!frames[n])
			break;
		pages[n] = PHYS_TO_VIRT(frames[n]);
		n++;
	}
	if (n == 0)
		return 0;
	if (pc->ops->readahead) {
		err = pc->ops->readahead(pc, index, n, pages);
		done = err ? 0 : n;
	} else {
		while (done < n &&
		       pc->ops->read_page(pc, index + done, pages[done]) == 0)
			done++;
	}
	for (unsigned i = 0; i < n; i++) {
		if (i < done)
			insert_read_page(pc, index + i, frames[i]);
		else
			pmm_frame_put(frames[i]);
	}
	return done;
}

/* Read the pages [@index, @index + @nr) into the cache in one go (the
 * ones not cached yet, stopping at EOF).  Pages read. */
static unsigned read_window(struct page_cache *pc, uint64_t index,
			    unsigned nr)
{
	uint64_t end = index + nr, eof = eof_index(pc);
	unsigned total = 0;

	if (!pc->ops->read_page)
		return 0;               /* nothing to read from */
	end = MIN(end, eof);
	while (index < end) {
		unsigned got;

		if (page_cache_resident(pc, index)) {
			index++;
			continue;
		}
		got = read_run(pc, index, (unsigned)(end - index));
		if (got == 0)
			break;          /* error or no memory: the read will tell */
		total += got;
		index += got;
	}
	return total;
}

/* Start the window at @start of @size pages and read it. */
static void ra_new_window(struct page_cache *pc, struct file_ra_state *ra,
			  uint64_t start, unsigned size)
{
	ra->start = start;
	ra->size = size;
	ra->async_size = size / 2;
	read_window(pc, start, size);
}

void page_cache_readahead(struct page_cache *pc, struct file_ra_state *ra,
			  uint64_t index, uint64_t nr)
{
	uint64_t last = index + (nr ? nr : 1) - 1;
	bool sequential = index == ra->prev_index ||
			  index == ra->prev_index + 1 ||
			  (index == 0 && ra->size == 0);

	ra->prev_index = last;
	if (!sequential) {              /* random: what is needed, no more */
		ra->size = 0;
		read_window(pc, index, (unsigned)MIN(nr, RA_MAX_PAGES));
		return;
	}
	if (ra->size == 0 || index >= ra->start + ra->size) {
		/* A sequential reader inside the previous window (behind
		 * ra->start) is fine; one past the frontier starts over. */
		unsigned size = RA_INIT_PAGES;

		while (size < nr && size < RA_MAX_PAGES)
			size *= 2;
		ra_new_window(pc, ra, index, size);
	}
	/* Reaching the trigger part of the window reads the next one; the
	 * loop ends with [index, last] read (or past EOF), and pages behind
	 * ra->start were read by the earlier windows: nothing is left for
	 * the read to fetch here. */
	while (last >= ra->start + ra->size - ra->async_size &&
	       ra->start + ra->size < eof_index(pc)) {
		ra_new_window(pc, ra, ra->start + ra->size,
			      MIN(ra->size * 2, (unsigned)RA_MAX_PAGES));
	}
}
