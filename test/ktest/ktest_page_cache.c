/*
 * In-kernel tests of the page cache (mm/page_cache.c) through a fake file
 * system: read_page fills a pattern, write_page records what it is given
 * (and can fail), the size is a variable.  Checks page sharing and
 * references, EOF, dirty tracking and writeback, truncation, the global
 * counters, and that every frame comes back when the cache goes.
 * Mappings are covered by the contract tests (test/contract/vm).
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

struct fake_file {
	uint64_t size;
	int reads;
	int writes[8];          /* write_page calls per index */
	uint8_t written[8];     /* first byte of the page last written */
	int fail_writes;        /* fail this many write_page calls with EIO */
};

static int fake_read(struct page_cache *pc, uint64_t index, void *page)
{
	struct fake_file *ff = page_cache_host(pc);

	ff->reads++;
	memset(page, 'a' + (int)(index % 26), PAGE_SIZE);
	return index == 7 ? -EIO : 0;   /* page 7 is unreadable */
}

static int fake_write(struct page_cache *pc, uint64_t index, const void *page)
{
	struct fake_file *ff = page_cache_host(pc);

	if (ff->fail_writes) {
		ff->fail_writes--;
		return -EIO;
	}
	if (index < 8) {
		ff->writes[index]++;
		ff->written[index] = *(const uint8_t *)page;
	}
	return 0;
}

static uint64_t fake_size(struct page_cache *pc)
{
	return ((struct fake_file *)page_cache_host(pc))->size;
}

static const struct page_cache_ops fake_ops = {
	.read_page = fake_read,
	.write_page = fake_write,
	.size = fake_size,
};

/* Free frames once the heap has what a cache needs, so that a count
 * taken now and after a test differs only by leaked frames. */
static uint64_t free_pages_warm(void)
{
	struct fake_file ff = { .size = 8 * PAGE_SIZE };
	struct page_cache *pc = page_cache_create(&fake_ops, &ff, 0);
	paddr_t pa;

	for (uint64_t i = 0; pc && i < 6; i++)
		if (page_cache_get(pc, i, false, &pa) == 0)
			page_cache_put(pa);
	page_cache_destroy(pc);
	return pmm_free_page_count();
}

KTEST(page_cache_read_share_and_eof)
{
	uint64_t free_before = free_pages_warm();
	struct fake_file ff = { .size = 3 * PAGE_SIZE + 1 };
	struct page_cache *pc = page_cache_create(&fake_ops, &ff, 0);
	struct page_cache_stats st0, st1;
	paddr_t a, b;

	KEXPECT(pc != NULL);
	page_cache_stats(&st0);
	KEXPECT_EQ(page_cache_find(pc, 1), 0);
	KEXPECT_EQ(page_cache_get(pc, 1, false, &a), 0);
	KEXPECT_EQ(ff.reads, 1);
	KEXPECT_EQ(*(uint8_t *)PHYS_TO_VIRT(a), 'b');
	KEXPECT_EQ(pmm_frame_refs(a), 2);               /* cache + us */
	/* The second user gets the same frame without another read. */
	KEXPECT_EQ(page_cache_get(pc, 1, false, &b), 0);
	KEXPECT_EQ(a, b);
	KEXPECT_EQ(ff.reads, 1);
	KEXPECT_EQ(page_cache_find(pc, 1), a);
	KEXPECT_EQ(pmm_frame_refs(a), 4);
	page_cache_put(a);
	page_cache_put(a);
	page_cache_put(a);
	KEXPECT_EQ(pmm_frame_refs(a), 1);
	KEXPECT(page_cache_resident(pc, 1));
	KEXPECT(!page_cache_resident(pc, 0));
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.cached, st0.cached + 1);
	KEXPECT_EQ(st1.shmem, st0.shmem);

	/* Page 3 holds EOF; page 4 lies wholly past it. */
	KEXPECT_EQ(page_cache_get(pc, 3, false, &a), 0);
	page_cache_put(a);
	KEXPECT_EQ(page_cache_get(pc, 4, false, &a), -ENXIO);
	KEXPECT_EQ(page_cache_get(pc, 4, true, &a), 0);  /* a writer may */
	page_cache_put(a);
	/* A read error is returned and nothing is cached. */
	ff.size = 10 * PAGE_SIZE;
	KEXPECT_EQ(page_cache_get(pc, 7, false, &a), -EIO);
	KEXPECT(!page_cache_resident(pc, 7));
	KEXPECT_EQ(page_cache_nr_pages(pc), 3);

	page_cache_destroy(pc);
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.cached, st0.cached);
	KEXPECT_EQ(pmm_free_page_count(), free_before);
}

KTEST(page_cache_dirty_writeback)
{
	uint64_t free_before = free_pages_warm();
	struct fake_file ff = { .size = 8 * PAGE_SIZE };
	struct page_cache *pc = page_cache_create(&fake_ops, &ff, 0);
	struct page_cache_stats st0, st1;
	paddr_t pa;

	KEXPECT(pc != NULL);
	KEXPECT(page_cache_writes_back(pc));
	page_cache_stats(&st0);
	for (uint64_t i = 0; i < 4; i++) {
		KEXPECT_EQ(page_cache_get(pc, i, false, &pa), 0);
		*(uint8_t *)PHYS_TO_VIRT(pa) = (uint8_t)('0' + i);
		if (i != 2)
			page_cache_set_dirty(pc, i);
		page_cache_put(pa);
	}
	page_cache_set_dirty(pc, 1);            /* twice: still one page */
	page_cache_set_dirty(pc, 6);            /* not cached: nothing */
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.dirty, st0.dirty + 3);

	/* A range writes only its dirty pages, once. */
	KEXPECT_EQ(page_cache_writeback(pc, 1, 2), 0);
	KEXPECT_EQ(ff.writes[0], 0);
	KEXPECT_EQ(ff.writes[1], 1);
	KEXPECT_EQ(ff.writes[2], 0);
	KEXPECT_EQ(ff.written[1], '1');
	KEXPECT_EQ(page_cache_writeback(pc, 1, 2), 0);
	KEXPECT_EQ(ff.writes[1], 1);

	/* An error is reported and the page stays dirty for the next try. */
	ff.fail_writes = 1;
	KEXPECT_EQ(page_cache_writeback(pc, 0, UINT64_MAX), -EIO);
	KEXPECT_EQ(ff.writes[0] + ff.writes[3], 1);
	KEXPECT_EQ(page_cache_writeback(pc, 0, UINT64_MAX), 0);
	KEXPECT_EQ(ff.writes[0], 1);
	KEXPECT_EQ(ff.writes[3], 1);
	page_cache_stats(&st1);
	KEXPECT_EQ(st1.dirty, st0.dirty);
	page_cache_destroy(pc);
	KEXPECT_EQ(pmm_free_page_count(), free_before);
}

KTEST(page_cache_truncate_drops_and_zeroes)
{
	uint64_t free_before = free_pages_warm();
	struct fake_file ff = { .size = 5 * PAGE_SIZE };
	struct page_cache *pc = page_cache_create(&fake_ops, &ff, 0);
	paddr_t pa, held;
	uint8_t *p;

	KEXPECT(pc != NULL);
	for (uint64_t i = 0; i < 5; i++) {
		KEXPECT_EQ(page_cache_get(pc, i, false, &pa), 0);
		page_cache_set_dirty(pc, i);
		if (i == 4)
			held = pa;      /* someone still uses page 4 */
		else
			page_cache_put(pa);
	}
	ff.size = PAGE_SIZE + 100;
	page_cache_truncate(pc, ff.size);
	KEXPECT_EQ(page_cache_nr_pages(pc), 2);
	KEXPECT(!page_cache_resident(pc, 2));
	/* The holder's frame survives the truncation, outside the cache. */
	KEXPECT_EQ(pmm_frame_refs(held), 1);
	KEXPECT_EQ(*(uint8_t *)PHYS_TO_VIRT(held), 'e');
	page_cache_put(held);
	/* The tail of the partial page reads zeros. */
	pa = page_cache_find(pc, 1);
	KEXPECT(pa != 0);
	p = PHYS_TO_VIRT(pa);
	KEXPECT_EQ(p[99], 'b');
	KEXPECT_EQ(p[100], 0);
	KEXPECT_EQ(p[PAGE_SIZE - 1], 0);
	page_cache_put(pa);
	/* Dropped dirty pages are not written back. */
	KEXPECT_EQ(page_cache_writeback(pc, 0, UINT64_MAX), 0);
	KEXPECT_EQ(ff.writes[0] + ff.writes[1], 2);
	KEXPECT_EQ(ff.writes[2] + ff.writes[3] + ff.writes[4], 0);
	page_cache_truncate(pc, 0);
	KEXPECT_EQ(page_cache_nr_pages(pc), 0);
	page_cache_destroy(pc);
	KEXPECT_EQ(pmm_free_page_count(), free_before);
}
