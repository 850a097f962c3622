/*
 * In-kernel tests of page-cache writeback, reclaim and read-ahead
 * (mm/page_cache.c, mm/writeback.c, mm/readahead.c) through a fake file
 * system over memory: it counts write_page calls per page, read_page
 * calls, and ->readahead calls with their sizes.
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "sched/sched.h"

#define FAKE_PAGES 256

struct wb_file {
	uint64_t size;
	int reads;                      /* read_page calls */
	int ra_calls;                   /* ->readahead calls */
	unsigned ra_max;                /* largest ->readahead */
	uint8_t writes[FAKE_PAGES];     /* write_page calls per page */
};

static int wb_read(struct page_cache *pc, uint64_t index, void *page)
{
	struct wb_file *wf = page_cache_host(pc);

	wf->reads++;
	memset(page, (int)(index & 0xff), PAGE_SIZE);
	return 0;
}

static int wb_readahead(struct page_cache *pc, uint64_t index, unsigned nr,
			void *const *pages)
{
	struct wb_file *wf = page_cache_host(pc);

	wf->ra_calls++;
	wf->ra_max = MAX(wf->ra_max, nr);
	for (unsigned i = 0; i < nr; i++)
		memset(pages[i], (int)((index + i) & 0xff), PAGE_SIZE);
	return 0;
}

static int wb_write(struct page_cache *pc, uint64_t index, const void *page)
{
	struct wb_file *wf = page_cache_host(pc);

	if (index < FAKE_PAGES)
		wf->writes[index]++;
	return 0;
}

static uint64_t wb_size(struct page_cache *pc)
{
	return ((struct wb_file *)page_cache_host(pc))->size;
}

static const struct page_cache_ops wb_ops = {
	.read_page = wb_read,
	.write_page = wb_write,
	.size = wb_size,
};

static const struct page_cache_ops wb_ra_ops = {
	.read_page = wb_read,
	.write_page = wb_write,
	.size = wb_size,
	.readahead = wb_readahead,
};

/* Bring page @i in and mark it dirty. */
static void dirty_page(struct page_cache *pc, uint64_t i)
{
	paddr_t pa;

	if (page_cache_get(pc, i, false, &pa) == 0) {
		page_cache_set_dirty(pc, i);
		page_cache_put(pa);
	}
}

KTEST(writeback_by_owner_and_age)
{
	static struct wb_file a, b;
	struct page_cache *pa, *pb;
	struct page_cache_stats st0, st1;
	int owner_a, owner_b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.size = b.size = 8 * PAGE_SIZE;
	pa = page_cache_create(&wb_ops, &a, 0);
	pb = page_cache_create(&wb_ops, &b, 0);
	KEXPECT(pa && pb);
	page_cache_set_owner(pa, &owner_a);
	page_cache_set_owner(pb, &owner_b);
	page_cache_stats(&st0);
	dirty_page(pa, 1);
	dirty_page(pa, 2);
	dirty_page(pb, 3);
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.dirty, st0.dirty + 3);
	/* Not dirty long enough: nothing. */
	KEXPECT_EQ(page_cache_writeback_dirty(NULL, 0), 0);
	KEXPECT_EQ(a.writes[1] + a.writes[2] + b.writes[3], 0);
	/* syncfs of a's owner: a's pages only. */
	KEXPECT_EQ(page_cache_writeback_dirty(&owner_a, UINT64_MAX), 0);
	KEXPECT_EQ(a.writes[1], 1);
	KEXPECT_EQ(a.writes[2], 1);
	KEXPECT_EQ(b.writes[3], 0);
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.dirty, st0.dirty + 1);
	KEXPECT_EQ(st1.writeback, 0);
	/* sync: the rest, once. */
	KEXPECT_EQ(page_cache_writeback_dirty(NULL, UINT64_MAX), 0);
	KEXPECT_EQ(b.writes[3], 1);
	KEXPECT_EQ(a.writes[1], 1);
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.dirty, st0.dirty);
	page_cache_destroy(pa);
	page_cache_destroy(pb);
}

KTEST(writeback_flusher_thread)
{
	static struct wb_file a;
	struct page_cache *pc;

	memset(&a, 0, sizeof(a));
	a.size = 4 * PAGE_SIZE;
	pc = page_cache_create(&wb_ops, &a, 0);
	KEXPECT(pc != NULL);
	dirty_page(pc, 2);
	writeback_kick();
	for (int i = 0; i < 200 && !a.writes[2]; i++)
		sched_sleep_ns(10000000ULL);
	KEXPECT_EQ(a.writes[2], 1);
	KEXPECT(!page_cache_resident(pc, 0));
	page_cache_destroy(pc);
}

KTEST(reclaim_clean_unreferenced_pages)
{
	static struct wb_file a;
	struct page_cache *pc, *mem;
	static const struct page_cache_ops mem_ops = { .size = wb_size };
	struct page_cache_stats st0, st1;
	paddr_t held, pa;
	uint64_t got;

	memset(&a, 0, sizeof(a));
	a.size = 8 * PAGE_SIZE;
	pc = page_cache_create(&wb_ops, &a, 0);
	mem = page_cache_create(&mem_ops, &a, PAGE_CACHE_SHMEM);
	KEXPECT(pc && mem);
	for (uint64_t i = 0; i < 8; i++) {
		if (page_cache_get(pc, i, false, &pa) == 0)
			page_cache_put(pa);
		if (page_cache_get(mem, i, false, &pa) == 0)
			page_cache_put(pa);
	}
	dirty_page(pc, 3);
	KEXPECT_EQ(page_cache_get(pc, 5, false, &held), 0);
	page_cache_stats(&st0);
	got = page_cache_reclaim(1000);
	KEXPECT(got >= 6);
	page_cache_stats(&st1);
	KEXPECT(st1.reclaimed >= st0.reclaimed + 6);
	/* The dirty page and the one in use stay; the others went. */
	KEXPECT(page_cache_resident(pc, 3));
	KEXPECT(page_cache_resident(pc, 5));
	KEXPECT(!page_cache_resident(pc, 0));
	KEXPECT(!page_cache_resident(pc, 7));
	/* Memory-only pages are never reclaimed. */
	KEXPECT_EQ(page_cache_nr_pages(mem), 8);
	/* A reclaimed page is read again on the next use. */
	a.reads = 0;
	KEXPECT_EQ(page_cache_get(pc, 0, false, &pa), 0);
	KEXPECT_EQ(a.reads, 1);
	KEXPECT_EQ(*(uint8_t *)PHYS_TO_VIRT(pa), 0);
	page_cache_put(pa);
	page_cache_put(held);
	page_cache_destroy(pc);
	page_cache_destroy(mem);
}

KTEST(readahead_sequential_window_grows)
{
	static struct wb_file a;
	struct file_ra_state ra = { 0 };
	struct page_cache *pc;
	bool all_cached = true;

	memset(&a, 0, sizeof(a));
	a.size = 200 * PAGE_SIZE;
	pc = page_cache_create(&wb_ra_ops, &a, 0);
	KEXPECT(pc != NULL);
	for (uint64_t i = 0; i < 128; i++) {
		page_cache_readahead(pc, &ra, i, 1);
		if (!page_cache_resident(pc, i))
			all_cached = false;
	}
	/* Every page was there before it was needed, read in windows of
	 * 4, 8, 16, then 32 pages: few calls, none page by page. */
	KEXPECT(all_cached);
	KEXPECT_EQ(a.reads, 0);
	KEXPECT_EQ(a.ra_max, RA_MAX_PAGES);
	KEXPECT(a.ra_calls <= 8);
	KEXPECT(ra.size == RA_MAX_PAGES);
	/* Never beyond EOF. */
	for (uint64_t i = 128; i < 200; i++)
		page_cache_readahead(pc, &ra, i, 1);
	KEXPECT_EQ(page_cache_nr_pages(pc), 200);
	page_cache_destroy(pc);
}

KTEST(readahead_random_reads_only_what_is_needed)
{
	static struct wb_file a;
	struct file_ra_state ra = { 0 };
	struct page_cache *pc;

	memset(&a, 0, sizeof(a));
	a.size = 200 * PAGE_SIZE;
	pc = page_cache_create(&wb_ops, &a, 0);   /* no ->readahead */
	KEXPECT(pc != NULL);
	page_cache_readahead(pc, &ra, 150, 1);
	page_cache_readahead(pc, &ra, 40, 1);
	page_cache_readahead(pc, &ra, 90, 2);
	KEXPECT_EQ(a.reads, 4);
	KEXPECT_EQ(page_cache_nr_pages(pc), 4);
	KEXPECT(page_cache_resident(pc, 91));
	/* A sequential read from the start reads its first window with
	 * read_page, page by page. */
	struct file_ra_state ra2 = { 0 };
	page_cache_readahead(pc, &ra2, 0, 1);
	KEXPECT_EQ(a.reads, 4 + RA_INIT_PAGES);
	page_cache_destroy(pc);
}
