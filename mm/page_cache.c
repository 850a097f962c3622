/*
 * Page cache (model in mm.h, "page cache").
 *
 * A cache is a radix tree from file page index to frame; the low bit of
 * an entry is the page's dirty flag (frames are page aligned).  The tree
 * holds one frame reference per page.  Pages are read in outside the
 * lock and inserted afterwards; when two readers race, the second one's
 * copy is dropped.
 *
 * End of file: a page is only inserted below the page that contains EOF
 * (unless a writer that excludes truncation asks for it), and the check is
 * made under the lock, after reading.  Truncation stores the new size
 * first (the host does), then unmaps and removes under the lock, so a
 * page that raced with it is either removed by it or never inserted.
 *
 * Writeback: caches whose pages have a backing store (write_page) are on
 * a global list (reclaim walks it) and, while they have dirty pages, on
 * the dirty list in the order they became dirty (dirtied_ns).  Writeback
 * (page_cache_writeback_dirty) pins a cache there (wb_users) so that
 * page_cache_destroy waits for it; sync(2) writes all of them, the
 * flusher thread (writeback.c) those dirty longer than dirty_expire.
 *
 * Reclaim (page_cache_reclaim): when the page allocator runs dry, clean
 * pages that only the cache references (not mapped, not being copied)
 * of caches with a backing store leave the cache; they are read again
 * when needed.  Memory-only caches (tmpfs) are never reclaimed.  Reclaim
 * may run inside any allocation, so it only try-locks.
 *
 * Locking: pc->lock (spinlock) covers the tree and nr_dirty; it is taken
 * inside mm page-table locks and never held across read_page/write_page.
 * pc->mmap_lock covers the list of mapping VMAs (filemap.c).
 * cache_list_lock covers both global lists and the [L] fields; order
 * pc->lock -> cache_list_lock (reclaim takes them the other way round,
 * with try-locks only).  The global counters are atomic.
 */
#include "mm/uvm_internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "time/clock.h"

static uint64_t nr_cached;      /* atomic: pages in all caches */
static uint64_t nr_shmem;       /* atomic: of which memory-only */
static uint64_t nr_dirty;       /* atomic: dirty pages of write-back caches */
static uint64_t nr_writeback;   /* atomic: pages being written now */
static uint64_t nr_reclaimed;   /* atomic: pages reclaimed since boot */

static struct spinlock cache_list_lock = SPINLOCK_INIT("page_cache_list");
static struct list_node all_caches = LIST_HEAD_INIT(all_caches);     /* [L] */
static struct list_node dirty_caches = LIST_HEAD_INIT(dirty_caches); /* [L] */
static unsigned wb_pass_next;   /* [L] */
/* One writeback pass at a time (sync, syncfs, the flusher): the pass
 * marks of concurrent passes would make them revisit each other's
 * caches.  Taken before any page-cache lock. */
static struct mutex wb_mutex = MUTEX_INIT(wb_mutex, "writeback");

static const struct radix_tree_alloc node_mem = { kzalloc, kfree };

static paddr_t entry_frame(uint64_t e)
{
	return e & ~(PAGE_SIZE - 1);
}

void page_cache_count_page(struct page_cache *pc, long delta)
{
	__atomic_add_fetch(&nr_cached, delta, __ATOMIC_RELAXED);
	if (pc->flags & PAGE_CACHE_SHMEM)
		__atomic_add_fetch(&nr_shmem, delta, __ATOMIC_RELAXED);
}

/* pc->lock held.  The dirty list follows nr_dirty's 0 <-> 1 changes. */
static void count_dirty(struct page_cache *pc, long delta)
{
	ASSERT_HELD(&pc->lock);
	pc->nr_dirty += delta;
	if (!pc->ops->write_page)
		return;
	__atomic_add_fetch(&nr_dirty, delta, __ATOMIC_RELAXED);
	if (delta > 0 && pc->nr_dirty == (uint64_t)delta) {
		spin_lock(&cache_list_lock);
		pc->dirtied_ns = clock_uptime_ns();
		list_add_tail(&pc->dirty_node, &dirty_caches);
		spin_unlock(&cache_list_lock);
	} else if (delta < 0 && pc->nr_dirty == 0) {
		spin_lock(&cache_list_lock);
		list_del(&pc->dirty_node);
		list_init(&pc->dirty_node);
		spin_unlock(&cache_list_lock);
	}
}

/* Pages below EOF: indices >= this lie wholly past the end. */
static uint64_t eof_pages(struct page_cache *pc)
{
	return DIV_ROUND_UP(pc->ops->size(pc), PAGE_SIZE);
}

struct page_cache *page_cache_create(const struct page_cache_ops *ops,
				     void *host, unsigned flags)
{
	struct page_cache *pc = kzalloc(sizeof(*pc));

	if (!pc)
		return NULL;
	pc->ops = ops;
	pc->host = host;
	pc->flags = flags;
	spin_lock_init(&pc->lock, "page_cache");
	radix_tree_init(&pc->pages, &node_mem);
	mutex_init(&pc->mmap_lock, "i_mmap");
	list_init(&pc->mappings);
	list_init(&pc->dirty_node);
	list_init(&pc->all_node);
	if (ops->write_page) {
		spin_lock(&cache_list_lock);
		list_add_tail(&pc->all_node, &all_caches);
		spin_unlock(&cache_list_lock);
	}
	return pc;
}

void page_cache_set_owner(struct page_cache *pc, void *owner)
{
	pc->owner = owner;
}

void *page_cache_host(struct page_cache *pc)
{
	return pc->host;
}

/* Remove the pages at index >= @first from the tree and drop the
 * cache's references (pc->lock held; a frame put only takes pmm_lock). */
static void remove_from(struct page_cache *pc, uint64_t first)
{
	uint64_t index = first, e;

	ASSERT_HELD(&pc->lock);
	while (radix_tree_next(&pc->pages, &index, &e)) {
		radix_tree_delete(&pc->pages, index);
		if (e & PC_DIRTY)
			count_dirty(pc, -1);
		page_cache_count_page(pc, -1);
		pmm_frame_put(entry_frame(e));
		if (index == UINT64_MAX)
			break;
		index++;
	}
}

void page_cache_destroy(struct page_cache *pc)
{
	if (!pc)
		return;
	ASSERT(list_empty(&pc->mappings));
	for (;;) {              /* off the global lists once writeback is done */
		spin_lock(&cache_list_lock);
		if (pc->wb_users == 0) {
			list_del(&pc->all_node);
			list_init(&pc->all_node);
			/* Off the dirty list too, so that no writeback pins it
			 * again; remove_from's count_dirty then unlinks a
			 * self-linked node, which is harmless. */
			list_del(&pc->dirty_node);
			list_init(&pc->dirty_node);
			spin_unlock(&cache_list_lock);
			break;
		}
		spin_unlock(&cache_list_lock);
		sched_yield();
	}
	spin_lock(&pc->lock);
	remove_from(pc, 0);
	spin_unlock(&pc->lock);
	ASSERT(pc->pages.nodes == 0);
	kfree(pc);
}

paddr_t page_cache_find(struct page_cache *pc, uint64_t index)
{
	paddr_t pa;

	spin_lock(&pc->lock);
	pa = entry_frame(radix_tree_lookup(&pc->pages, index));
	if (pa)
		pmm_frame_get(pa);
	spin_unlock(&pc->lock);
	return pa;
}

int page_cache_get(struct page_cache *pc, uint64_t index, bool past_eof,
		   paddr_t *out)
{
	paddr_t fresh, pa;
	int err;

	if (!past_eof && index >= eof_pages(pc))
		return -ENXIO;
	pa = page_cache_find(pc, index);
	if (pa) {
		*out = pa;
		return 0;
	}
	fresh = pmm_frame_alloc(!pc->ops->read_page);
	if (!fresh)
		return -ENOMEM;
	if (pc->ops->read_page) {
		err = pc->ops->read_page(pc, index, PHYS_TO_VIRT(fresh));
		if (err) {
			pmm_frame_put(fresh);
			return err;
		}
	}
	spin_lock(&pc->lock);
	if (!past_eof && index >= eof_pages(pc)) {
		err = -ENXIO;           /* truncated while we read */
	} else if ((pa = entry_frame(radix_tree_lookup(&pc->pages, index)))) {
		pmm_frame_get(pa);      /* another reader won: use its page */
		err = 0;
	} else if ((err = radix_tree_insert(&pc->pages, index, fresh)) == 0) {
		pmm_frame_get(fresh);   /* the cache's reference */
		page_cache_count_page(pc, 1);
		pa = fresh;
		fresh = 0;
	}
	spin_unlock(&pc->lock);
	if (fresh)
		pmm_frame_put(fresh);
	if (err)
		return err;
	*out = pa;
	return 0;
}

void page_cache_put(paddr_t pa)
{
	pmm_frame_put(pa);
}

void page_cache_set_dirty(struct page_cache *pc, uint64_t index)
{
	uint64_t *slot;

	spin_lock(&pc->lock);
	slot = radix_tree_slot(&pc->pages, index);
	if (slot && !(*slot & PC_DIRTY)) {
		*slot |= PC_DIRTY;
		count_dirty(pc, 1);
	}
	spin_unlock(&pc->lock);
}

bool page_cache_dirty_exceeded(void)
{
	uint64_t dirty = __atomic_load_n(&nr_dirty, __ATOMIC_RELAXED);

	return dirty * 100 > pmm_total_page_count() * DIRTY_RATIO_PERCENT;
}

bool page_cache_writes_back(struct page_cache *pc)
{
	return pc->ops->write_page != NULL;
}

/* The first dirty page in [*index, last]: its frame with a reference,
 * its dirty flag already cleared; 0 if none. */
static paddr_t take_next_dirty(struct page_cache *pc, uint64_t *index,
			       uint64_t last)
{
	paddr_t pa = 0;
	uint64_t e;

	spin_lock(&pc->lock);
	while (radix_tree_next(&pc->pages, index, &e) && *index <= last) {
		if (e & PC_DIRTY) {
			*radix_tree_slot(&pc->pages, *index) &= ~PC_DIRTY;
			count_dirty(pc, -1);
			pa = entry_frame(e);
			pmm_frame_get(pa);
			break;
		}
		if (*index == UINT64_MAX)
			break;
		(*index)++;
	}
	spin_unlock(&pc->lock);
	return pa;
}

/* Take the dirty pages right after @index (up to @max - 1 of them, not
 * past @last) as take_next_dirty does, into @pas[1..]; how many in all. */
static unsigned take_dirty_run(struct page_cache *pc, uint64_t index,
			       uint64_t last, unsigned max, paddr_t *pas)
{
	unsigned n = 1;

	spin_lock(&pc->lock);
	while (n < max && index + n <= last && index + n != 0) {
		uint64_t *slot = radix_tree_slot(&pc->pages, index + n);

		if (!slot || !(*slot & PC_DIRTY))
			break;
		*slot &= ~PC_DIRTY;
		count_dirty(pc, -1);
		pas[n] = entry_frame(*slot);
		pmm_frame_get(pas[n]);
		n++;
	}
	spin_unlock(&pc->lock);
	return n;
}

/*
 * Order per page: clear the dirty flag, write-protect the page in every
 * shared mapping, then write it.  A store that lands before the
 * write-protection is in the data written; one after it faults and marks
 * the page dirty again, so it is written by a later writeback.  With
 * ->write_pages a run of consecutive dirty pages goes in one call.
 */
int page_cache_writeback(struct page_cache *pc, uint64_t first, uint64_t last)
{
	uint64_t index = first;
	int result = 0;

	if (!pc->ops->write_page)
		return 0;
	while (index <= last) {
		paddr_t pas[WRITEBACK_BATCH];
		void *pages[WRITEBACK_BATCH];
		unsigned n = 1;
		int err;

		pas[0] = take_next_dirty(pc, &index, last);
		if (!pas[0])
			break;
		if (pc->ops->write_pages)
			n = take_dirty_run(pc, index, last, WRITEBACK_BATCH, pas);
		for (unsigned i = 0; i < n; i++) {
			filemap_wrprotect_page(pc, index + i, pas[i]);
			pages[i] = PHYS_TO_VIRT(pas[i]);
		}
		__atomic_add_fetch(&nr_writeback, n, __ATOMIC_RELAXED);
		if (pc->ops->write_pages)
			err = pc->ops->write_pages(pc, index, n, pages);
		else
			err = pc->ops->write_page(pc, index, pages[0]);
		__atomic_sub_fetch(&nr_writeback, n, __ATOMIC_RELAXED);
		for (unsigned i = 0; i < n; i++) {
			if (err)
				page_cache_set_dirty(pc, index + i);
			pmm_frame_put(pas[i]);
		}
		if (err && !result)
			result = err;
		if (index + n - 1 >= last || index + n == 0)
			break;
		index += n;
	}
	return result;
}

void page_cache_truncate(struct page_cache *pc, uint64_t size)
{
	uint64_t first = DIV_ROUND_UP(size, PAGE_SIZE);
	paddr_t pa;

	filemap_unmap_pages(pc, first, UINT64_MAX);
	spin_lock(&pc->lock);
	remove_from(pc, first);
	spin_unlock(&pc->lock);
	if (size % PAGE_SIZE && (pa = page_cache_find(pc, size / PAGE_SIZE))) {
		/* A later extension must read zeros there (and so do shared
		 * mappings now, as on Linux). */
		memset((uint8_t *)PHYS_TO_VIRT(pa) + size % PAGE_SIZE, 0,
		       PAGE_SIZE - size % PAGE_SIZE);
		pmm_frame_put(pa);
	}
}

uint64_t page_cache_nr_pages(struct page_cache *pc)
{
	uint64_t n;

	spin_lock(&pc->lock);
	n = pc->pages.count;
	spin_unlock(&pc->lock);
	return n;
}

bool page_cache_resident(struct page_cache *pc, uint64_t index)
{
	bool present;

	spin_lock(&pc->lock);
	present = radix_tree_lookup(&pc->pages, index) != 0;
	spin_unlock(&pc->lock);
	return present;
}

void page_cache_stats(struct page_cache_stats *st)
{
	st->cached = __atomic_load_n(&nr_cached, __ATOMIC_RELAXED);
	st->shmem = __atomic_load_n(&nr_shmem, __ATOMIC_RELAXED);
	st->dirty = __atomic_load_n(&nr_dirty, __ATOMIC_RELAXED);
	st->writeback = __atomic_load_n(&nr_writeback, __ATOMIC_RELAXED);
	st->reclaimed = __atomic_load_n(&nr_reclaimed, __ATOMIC_RELAXED);
}

/* ---- writeback of many caches ---- */

/* The next cache of this pass matching @owner and dirty since before
 * @cutoff_ns, pinned; NULL when none is left. */
static struct page_cache *next_dirty_cache(unsigned pass, void *owner,
					   uint64_t cutoff_ns)
{
	struct list_node *pos;
	struct page_cache *found = NULL;

	spin_lock(&cache_list_lock);
	list_for_each(pos, &dirty_caches) {
		struct page_cache *pc = list_entry(pos, struct page_cache,
						   dirty_node);

		if (pc->wb_pass == pass)
			continue;
		if (pc->dirtied_ns > cutoff_ns)
			break;          /* the list is in dirtying order */
		if (owner && pc->owner && pc->owner != owner)
			continue;
		pc->wb_pass = pass;
		pc->wb_users++;
		found = pc;
		break;
	}
	spin_unlock(&cache_list_lock);
	return found;
}

int page_cache_writeback_dirty(void *owner, uint64_t cutoff_ns)
{
	struct page_cache *pc;
	unsigned pass;
	int result = 0;

	mutex_lock(&wb_mutex);
	spin_lock(&cache_list_lock);
	pass = ++wb_pass_next;
	spin_unlock(&cache_list_lock);
	while ((pc = next_dirty_cache(pass, owner, cutoff_ns)) != NULL) {
		int err = page_cache_writeback(pc, 0, UINT64_MAX);

		if (err && !result)
			result = err;
		spin_lock(&cache_list_lock);
		pc->wb_users--;
		spin_unlock(&cache_list_lock);
	}
	mutex_unlock(&wb_mutex);
	return result;
}

/* ---- reclaim ---- */

/* Drop up to @want clean pages of @pc that nobody else references
 * (pc->lock held).  Count dropped. */
static uint64_t reclaim_cache(struct page_cache *pc, uint64_t want)
{
	uint64_t index = 0, e, done = 0;

	while (done < want && radix_tree_next(&pc->pages, &index, &e)) {
		paddr_t pa = entry_frame(e);

		if (!(e & PC_DIRTY) && pmm_frame_refs(pa) == 1) {
			radix_tree_delete(&pc->pages, index);
			page_cache_count_page(pc, -1);
			pmm_frame_put(pa);
			done++;
		}
		if (index == UINT64_MAX)
			break;
		index++;
	}
	return done;
}

uint64_t page_cache_reclaim(uint64_t want)
{
	struct list_node *pos;
	uint64_t done = 0;

	if (!spin_trylock(&cache_list_lock))
		return 0;
	list_for_each(pos, &all_caches) {
		struct page_cache *pc = list_entry(pos, struct page_cache,
						   all_node);

		if (done >= want)
			break;
		if (!pc->ops->read_page || !spin_trylock(&pc->lock))
			continue;
		done += reclaim_cache(pc, want - done);
		spin_unlock(&pc->lock);
	}
	spin_unlock(&cache_list_lock);
	__atomic_add_fetch(&nr_reclaimed, done, __ATOMIC_RELAXED);
	return done;
}
