/*
 * Buddy allocator core: blocks of 2^order page frames, order 0 to
 * BUDDY_MAX_ORDER, over one zone of consecutive frame numbers.
 *
 * Model.  Every frame has a struct buddy_page.  A managed block is a run
 * of 2^k frames starting at a frame number that is a multiple of 2^k; its
 * first page (the head) records the order and whether the block is FREE
 * or ALLOCATED, every other page is a TAIL.  Frames never handed to the
 * allocator stay RESERVED, so a block and its buddy (pfn ^ 2^k) can only
 * merge when the buddy is a FREE head of the same order, which also
 * stops merging at holes and at the zone edges.  Free heads sit on one
 * list per order, linked by page index.
 *
 * Invariants (checked by buddy_check): each FREE head is on the list of
 * its order exactly once; no two free buddies of the same order exist
 * (they would have merged); free_pages is the sum of the free blocks.
 *
 * This file is pure: no locks (the caller serialises), no arch code, no
 * panics (misuse returns -EINVAL).  Host tests compile it as it is.
 */
#include "mm/internal.h"
#include "include/errno.h"
#include "lib/string.h"

static struct buddy_page *page_at(struct buddy_zone *z, uint32_t idx)
{
	return &z->pages[idx];
}

static void free_list_push(struct buddy_zone *z, uint32_t idx, unsigned order)
{
	struct buddy_page *p = page_at(z, idx);
	uint32_t head = z->free_head[order];

	p->state = BUDDY_FREE;
	p->order = order;
	p->prev = BUDDY_NIL;
	p->next = head;
	p->priv = 0;
	if (head != BUDDY_NIL)
		page_at(z, head)->prev = idx;
	z->free_head[order] = idx;
	z->free_blocks[order]++;
}

static void free_list_remove(struct buddy_zone *z, uint32_t idx)
{
	struct buddy_page *p = page_at(z, idx);
	unsigned order = p->order;

	if (p->prev != BUDDY_NIL)
		page_at(z, p->prev)->next = p->next;
	else
		z->free_head[order] = p->next;
	if (p->next != BUDDY_NIL)
		page_at(z, p->next)->prev = p->prev;
	p->next = p->prev = BUDDY_NIL;
	p->state = BUDDY_TAIL;
	z->free_blocks[order]--;
}

void buddy_init(struct buddy_zone *z, uint64_t base_pfn, uint64_t npages,
		struct buddy_page *pages)
{
	memset(z, 0, sizeof(*z));
	z->base_pfn = base_pfn;
	z->npages = npages < BUDDY_NIL ? npages : BUDDY_NIL - 1;
	z->pages = pages;
	memset(pages, 0, z->npages * sizeof(*pages));
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		z->free_head[k] = BUDDY_NIL;
}

struct buddy_page *buddy_page_of(struct buddy_zone *z, uint64_t pfn)
{
	if (pfn < z->base_pfn || pfn - z->base_pfn >= z->npages)
		return NULL;
	return &z->pages[pfn - z->base_pfn];
}

/*
 * Put the block at page index @idx of order @order on the free lists,
 * merging with its buddy as long as the buddy is a free block of the
 * same order.  The block's pages must be marked TAIL (head included).
 */
static void release_block(struct buddy_zone *z, uint32_t idx, unsigned order)
{
	uint64_t pfn = z->base_pfn + idx;

	z->free_pages += 1UL << order;
	while (order < BUDDY_MAX_ORDER) {
		uint64_t buddy_pfn = pfn ^ (1UL << order);
		struct buddy_page *b = buddy_page_of(z, buddy_pfn);

		if (!b || b->state != BUDDY_FREE || b->order != order)
			break;
		free_list_remove(z, (uint32_t)(buddy_pfn - z->base_pfn));
		pfn &= ~(1UL << order);
		order++;
	}
	free_list_push(z, (uint32_t)(pfn - z->base_pfn), order);
}

int buddy_add_range(struct buddy_zone *z, uint64_t pfn, uint64_t count)
{
	uint64_t end = pfn + count;

	if (end < pfn || pfn < z->base_pfn || end - z->base_pfn > z->npages)
		return -EINVAL;
	for (uint64_t p = pfn; p < end; p++)
		if (z->pages[p - z->base_pfn].state != BUDDY_RESERVED)
			return -EINVAL;
	while (pfn < end) {
		unsigned order = 0;

		/* Largest naturally aligned block that fits. */
		while (order < BUDDY_MAX_ORDER &&
		       !(pfn & ((2UL << order) - 1)) &&
		       pfn + (2UL << order) <= end)
			order++;
		for (uint64_t p = pfn; p < pfn + (1UL << order); p++)
			z->pages[p - z->base_pfn].state = BUDDY_TAIL;
		z->total_pages += 1UL << order;
		release_block(z, (uint32_t)(pfn - z->base_pfn), order);
		pfn += 1UL << order;
	}
	return 0;
}

int buddy_alloc(struct buddy_zone *z, unsigned order, uint64_t *pfn)
{
	unsigned k = order;
	uint32_t idx;

	if (order > BUDDY_MAX_ORDER)
		return -EINVAL;
	while (k <= BUDDY_MAX_ORDER && z->free_head[k] == BUDDY_NIL)
		k++;
	if (k > BUDDY_MAX_ORDER)
		return -ENOMEM;
	idx = z->free_head[k];
	free_list_remove(z, idx);
	/* Split: give the upper halves back, keep the lower one. */
	while (k > order) {
		k--;
		free_list_push(z, idx + (1U << k), k);
	}
	for (uint32_t i = 0; i < (1U << order); i++)
		page_at(z, idx + i)->priv = 0;
	page_at(z, idx)->state = BUDDY_ALLOCATED;
	page_at(z, idx)->order = order;
	z->free_pages -= 1UL << order;
	*pfn = z->base_pfn + idx;
	return 0;
}

int buddy_free(struct buddy_zone *z, uint64_t pfn, unsigned order)
{
	struct buddy_page *p = buddy_page_of(z, pfn);
	uint32_t idx;

	if (!p || order > BUDDY_MAX_ORDER || (pfn & ((1UL << order) - 1)))
		return -EINVAL;
	if (p->state != BUDDY_ALLOCATED || p->order != order)
		return -EINVAL;
	idx = (uint32_t)(pfn - z->base_pfn);
	for (uint32_t i = 0; i < (1U << order); i++)
		page_at(z, idx + i)->priv = 0;
	p->state = BUDDY_TAIL;
	release_block(z, idx, order);
	return 0;
}

/* Walk one free list; count its blocks and pages, check each head. */
static int check_list(const struct buddy_zone *z, unsigned order,
		      uint64_t *pages)
{
	uint64_t n = 0;
	uint32_t prev = BUDDY_NIL;

	for (uint32_t i = z->free_head[order]; i != BUDDY_NIL;
	     i = z->pages[i].next) {
		const struct buddy_page *p = &z->pages[i];
		uint64_t pfn = z->base_pfn + i;
		uint64_t buddy = pfn ^ (1UL << order);

		if (i >= z->npages || n > z->npages || p->prev != prev)
			return -EUCLEAN;
		if (p->state != BUDDY_FREE || p->order != order || p->priv)
			return -EUCLEAN;
		if ((pfn & ((1UL << order) - 1)) ||
		    i + (1UL << order) > z->npages)
			return -EUCLEAN;
		for (uint64_t t = 1; t < (1UL << order); t++)
			if (z->pages[i + t].state != BUDDY_TAIL)
				return -EUCLEAN;
		/* A free buddy of the same order should have merged. */
		if (order < BUDDY_MAX_ORDER && buddy >= z->base_pfn &&
		    buddy - z->base_pfn < z->npages &&
		    z->pages[buddy - z->base_pfn].state == BUDDY_FREE &&
		    z->pages[buddy - z->base_pfn].order == order)
			return -EUCLEAN;
		prev = i;
		n++;
	}
	if (n != z->free_blocks[order])
		return -EUCLEAN;
	*pages += n << order;
	return 0;
}

int buddy_check(const struct buddy_zone *z)
{
	uint64_t free_pages = 0, heads = 0;

	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		if (check_list(z, k, &free_pages))
			return -EUCLEAN;
	for (uint64_t i = 0; i < z->npages; i++)
		if (z->pages[i].state == BUDDY_FREE)
			heads++;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		heads -= z->free_blocks[k];
	if (heads || free_pages != z->free_pages ||
	    z->free_pages > z->total_pages)
		return -EUCLEAN;
	return 0;
}
