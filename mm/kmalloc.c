/*
 * kmalloc/kzalloc/kfree: the slab core (slab.c) on pages from pmm, reached
 * through the direct map.  Page tags are pmm's per-page owner words.
 * Heap corruption (overflow, write after free, double or invalid free)
 * panics.  Poisoning and redzones are on in debug builds (KERNEL_DEBUG).
 *
 * Locking: heap_lock (irqsave, so kmalloc works in interrupt handlers)
 * protects the whole heap.  Lock order: heap_lock before pmm_lock.
 */
#include "mm/internal.h"
#include "include/assert.h"
#include "lib/string.h"
#include "sched/spinlock.h"

#ifdef KERNEL_DEBUG
#define KMALLOC_DEBUG true
#else
#define KMALLOC_DEBUG false
#endif

static struct spinlock heap_lock = SPINLOCK_INIT("kmalloc");
static struct slab_heap heap;                   /* [h] heap_lock */

static void *heap_page_alloc(unsigned order, void *ctx)
{
	paddr_t pa = pmm_alloc_pages(order);

	return pa ? PHYS_TO_VIRT(pa) : NULL;
}

static void heap_page_free(void *va, unsigned order, void *ctx)
{
	pmm_free_pages(VIRT_TO_PHYS(va), order);
}

static uint64_t *heap_page_tag(const void *va, void *ctx)
{
	if ((vaddr_t)va < PHYS_MAP_BASE || (vaddr_t)va >= KERNEL_VAREA_BASE)
		return NULL;
	return pmm_page_tag(VIRT_TO_PHYS(va));
}

static void heap_report(const char *what, const void *ptr, void *ctx)
{
	panic("kmalloc: %s at %p", what, ptr);
}

void kmalloc_init(void)
{
	static const struct slab_backend backend = {
		.page_alloc = heap_page_alloc,
		.page_free = heap_page_free,
		.page_tag = heap_page_tag,
		.report = heap_report,
	};

	slab_heap_init(&heap, &backend, KMALLOC_DEBUG);
}

/* The buddy order that holds @size bytes. */
static unsigned size_order(size_t size)
{
	unsigned order = 0;

	while (((size_t)PAGE_SIZE << order) < size && order < 20)
		order++;
	return order;
}

void *kmalloc(size_t size)
{
	for (int tries = 0; ; tries++) {
		unsigned long irq = spin_lock_irqsave(&heap_lock);
		void *p = slab_alloc(&heap, size);

		spin_unlock_irqrestore(&heap_lock, irq);
		/* Out of pages: reclaim (which frees into this heap too)
		 * runs outside heap_lock, then one more try. */
		if (p || tries == 1 || !pmm_reclaim(size_order(size)))
			return p;
	}
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *ptr)
{
	unsigned long irq;

	if (!ptr)
		return;
	irq = spin_lock_irqsave(&heap_lock);
	slab_free(&heap, ptr);
	spin_unlock_irqrestore(&heap_lock, irq);
}
