/*
 * Physical memory manager: the buddy core (buddy.c) over one zone that
 * spans every available frame from 1 MiB up to the top of the highest
 * available region of the multiboot2 memory map.
 *
 * Frames never handed out: everything below 1 MiB (real-mode structures,
 * BIOS data, page 0 so that physical address 0 can mean "no page"), the
 * kernel image, the multiboot2 information block, every boot module (the
 * initramfs) and the per-page metadata array itself.  Frames that are not
 * BOOT_MEM_AVAILABLE stay RESERVED in the zone.
 *
 * Bring-up in two steps: pmm_init() runs on the boot page tables, which
 * map only the first 4 GiB, so it places the metadata and frees only the
 * frames below 4 GiB (page tables built from them are reachable);
 * pmm_init_high() adds the rest once vmm_init() has switched to a direct
 * map of all memory.
 *
 * Locking: pmm_lock (irqsave, taken from any context) protects the zone:
 * its lists, counters and the state of every struct buddy_page.  The
 * priv word of an allocated page belongs to whoever allocated it and is
 * not covered by the lock.  pmm_lock is a leaf: nothing else is taken
 * while it is held.
 */
#include "mm/internal.h"
#include "boot/multiboot2.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/spinlock.h"
#include "cpu/percpu.h"

#define LOCAL_TRACE 0

#define LOW_MEMORY_END (1UL << 20)
#define BOOT_MAP_END (4UL << 30)        /* what entry.asm's tables map */
#define MAX_EXCLUDED (4 + BOOT_MAX_MODULES)

struct phys_range {
	paddr_t start, end;             /* [start, end), page aligned */
};

extern char __kernel_start[], __kernel_end[];

static struct spinlock pmm_lock = SPINLOCK_INIT("pmm");
static struct buddy_zone zone;          /* [p] pmm_lock; [I] layout */

/* Frames kept out of the allocator, sorted by start.  [I] after init. */
static struct phys_range excluded[MAX_EXCLUDED];
static unsigned nr_excluded;

static void exclude(paddr_t start, paddr_t end)
{
	unsigned i;

	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (start >= end)
		return;
	ASSERT(nr_excluded < MAX_EXCLUDED);
	for (i = nr_excluded; i > 0 && excluded[i - 1].start > start; i--)
		excluded[i] = excluded[i - 1];
	excluded[i] = (struct phys_range){ start, end };
	nr_excluded++;
}

typedef void (*range_fn)(paddr_t start, paddr_t end, void *arg);

/* Call @fn for each page-aligned piece of available memory inside
 * [lo, hi) that no exclusion covers. */
static void for_each_free_range(const struct boot_info *bi, paddr_t lo,
				paddr_t hi, range_fn fn, void *arg)
{
	for (unsigned r = 0; r < bi->mem_count; r++) {
		const struct boot_mem_region *m = &bi->mem[r];
		paddr_t s = ALIGN_UP(m->base, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(m->base + m->length, PAGE_SIZE);

		if (m->type != BOOT_MEM_AVAILABLE)
			continue;
		s = MAX(s, lo);
		e = MIN(e, hi);
		for (unsigned i = 0; i < nr_excluded && s < e; i++) {
			if (excluded[i].end <= s)
				continue;
			if (excluded[i].start >= e)
				break;
			if (excluded[i].start > s)
				fn(s, excluded[i].start, arg);
			s = MAX(s, excluded[i].end);
		}
		if (s < e)
			fn(s, e, arg);
	}
}

static void note_bounds(paddr_t start, paddr_t end, void *arg)
{
	struct phys_range *b = arg;

	b->start = MIN(b->start, start);
	b->end = MAX(b->end, end);
}

struct fit {
	size_t size;
	paddr_t found;
};

static void note_fit(paddr_t start, paddr_t end, void *arg)
{
	struct fit *f = arg;

	if (!f->found && end - start >= f->size)
		f->found = start;
}

static void add_to_zone(paddr_t start, paddr_t end, void *arg)
{
	uint64_t *added = arg;
	int err = buddy_add_range(&zone, start >> PAGE_SHIFT,
				  (end - start) >> PAGE_SHIFT);

	LTRACEF("%#llx-%#llx\n", (unsigned long long)start,
		(unsigned long long)end);
	if (err) {
		pr_warn("pmm: memory map overlaps at %#llx-%#llx, skipped\n",
			(unsigned long long)start, (unsigned long long)end);
		return;
	}
	*added += (end - start) >> PAGE_SHIFT;
}

paddr_t pmm_map_top(const struct boot_info *bi)
{
	paddr_t top = 0;

	/* RAM only: reserved ranges (e.g. QEMU's 1 TiB hole) are device
	 * memory and go through vmm_map_mmio when needed. */
	for (unsigned r = 0; r < bi->mem_count; r++)
		if (bi->mem[r].type == BOOT_MEM_AVAILABLE ||
		    bi->mem[r].type == BOOT_MEM_ACPI_RECLAIMABLE ||
		    bi->mem[r].type == BOOT_MEM_NVS)
			top = MAX(top, bi->mem[r].base + bi->mem[r].length);
	return top;
}

/* Place the zone's metadata below 4 GiB and free the memory there. */
void pmm_init(const struct boot_info *bi)
{
	struct phys_range bounds = { UINT64_MAX, 0 };
	struct fit fit;
	uint64_t npages, added = 0;
	unsigned long flags;

	exclude(0, LOW_MEMORY_END);
	exclude(KERNEL_IMAGE_TO_PHYS(__kernel_start),
		KERNEL_IMAGE_TO_PHYS(__kernel_end));
	exclude(bi->info_phys_start, bi->info_phys_end);
	for (unsigned i = 0; i < bi->module_count; i++)
		exclude(bi->modules[i].start, bi->modules[i].end);

	for_each_free_range(bi, 0, UINT64_MAX, note_bounds, &bounds);
	if (bounds.start >= bounds.end)
		panic("pmm: no usable memory in the memory map");
	npages = (bounds.end - bounds.start) >> PAGE_SHIFT;
	if (npages >= BUDDY_NIL) {
		pr_warn("pmm: only the first %u frames are managed\n",
			BUDDY_NIL - 1);
		npages = BUDDY_NIL - 1;
	}

	fit.size = ALIGN_UP(npages * sizeof(struct buddy_page), PAGE_SIZE);
	fit.found = 0;
	for_each_free_range(bi, 0, BOOT_MAP_END, note_fit, &fit);
	if (!fit.found)
		panic("pmm: no room below 4 GiB for %zu bytes of page metadata",
		      fit.size);
	exclude(fit.found, fit.found + fit.size);

	flags = spin_lock_irqsave(&pmm_lock);
	buddy_init(&zone, bounds.start >> PAGE_SHIFT, npages,
		   PHYS_TO_VIRT(fit.found));
	for_each_free_range(bi, 0, BOOT_MAP_END, add_to_zone, &added);
	spin_unlock_irqrestore(&pmm_lock, flags);
	pr_info("pmm: %llu frames managed from %#llx, metadata %zu KiB at %#llx\n",
		(unsigned long long)npages, (unsigned long long)bounds.start,
		fit.size >> 10, (unsigned long long)fit.found);
}

/* Free the available memory above 4 GiB (needs the new direct map). */
void pmm_init_high(const struct boot_info *bi)
{
	uint64_t added = 0;
	unsigned long flags = spin_lock_irqsave(&pmm_lock);

	for_each_free_range(bi, BOOT_MAP_END, UINT64_MAX, add_to_zone, &added);
	spin_unlock_irqrestore(&pmm_lock, flags);
	if (added)
		pr_info("pmm: %llu MiB above 4 GiB\n",
			(unsigned long long)(added >> (20 - PAGE_SHIFT)));
}

static uint64_t (*reclaim_fn)(uint64_t want);  /* [I] after boot */
static int reclaiming;                          /* atomic: one at a time */

void pmm_set_reclaim(uint64_t (*fn)(uint64_t want))
{
	reclaim_fn = fn;
}

bool pmm_reclaim(unsigned order)
{
	uint64_t got = 0;

	if (!reclaim_fn || this_cpu()->irq_depth > 0 ||
	    __atomic_exchange_n(&reclaiming, 1, __ATOMIC_ACQUIRE))
		return false;
	/* A batch, so that the next allocations do not come back at once. */
	got = reclaim_fn(MAX(32ULL, 2ULL << order));
	__atomic_store_n(&reclaiming, 0, __ATOMIC_RELEASE);
	return got > 0;
}

paddr_t pmm_alloc_pages(unsigned order)
{
	unsigned long flags;
	uint64_t pfn;
	int err;

	flags = spin_lock_irqsave(&pmm_lock);
	err = buddy_alloc(&zone, order, &pfn);
	spin_unlock_irqrestore(&pmm_lock, flags);
	return err ? 0 : pfn << PAGE_SHIFT;
}

void pmm_free_pages(paddr_t pa, unsigned order)
{
	unsigned long flags;
	int err = -EINVAL;

	if (IS_ALIGNED(pa, PAGE_SIZE)) {
		flags = spin_lock_irqsave(&pmm_lock);
		err = buddy_free(&zone, pa >> PAGE_SHIFT, order);
		spin_unlock_irqrestore(&pmm_lock, flags);
	}
	if (err)
		panic("pmm: freeing %#llx order %u, which is not an allocated "
		      "block (double free?)", (unsigned long long)pa, order);
}

uint64_t pmm_free_page_count(void)
{
	return READ_ONCE(zone.free_pages);
}

uint64_t pmm_total_page_count(void)
{
	return READ_ONCE(zone.total_pages);
}

uint64_t *pmm_page_tag(paddr_t pa)
{
	struct buddy_page *p = buddy_page_of(&zone, pa >> PAGE_SHIFT);

	return p ? &p->priv : NULL;
}

/* ---- reference-counted frames ----
 * The count lives in the priv word of the frame's buddy_page, which
 * belongs to whoever allocated the frame (here: these functions). */

paddr_t pmm_frame_alloc(bool zero)
{
	paddr_t pa = pmm_alloc_page();

	for (int tries = 0; !pa && tries < 2 && pmm_reclaim(0); tries++)
		pa = pmm_alloc_page();

	if (pa) {
		if (zero)
			memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
		*pmm_page_tag(pa) = 1;
	}
	return pa;
}

void pmm_frame_get(paddr_t pa)
{
	uint64_t old = __atomic_fetch_add(pmm_page_tag(pa), 1, __ATOMIC_RELAXED);

	ASSERT(old > 0);
}

void pmm_frame_put(paddr_t pa)
{
	uint64_t *tag = pmm_page_tag(pa);

	ASSERT(*tag > 0);
	if (__atomic_sub_fetch(tag, 1, __ATOMIC_ACQ_REL) == 0)
		pmm_free_page(pa);
}

uint64_t pmm_frame_refs(paddr_t pa)
{
	return __atomic_load_n(pmm_page_tag(pa), __ATOMIC_ACQUIRE);
}
