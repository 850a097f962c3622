/*
 * What the files of mm/ share and nobody else may use.
 *
 * Two pure cores, compiled into the kernel and into the host unit tests
 * (no arch code, no locks, no panics: they return errors and the kernel
 * glue decides what is fatal):
 *   buddy.c  power-of-two blocks of page frames over a caller-provided
 *            per-page metadata array (glue: pmm.c)
 *   slab.c   size-class object allocator over a page provider
 *            (glue: kmalloc.c)
 * and the kernel-only glue entry points that mm.c calls in order.
 *
 * Lock order in mm/ (outermost first; see each structure's legend):
 *   mm->lock (mutex)  ->  page_cache->mmap_lock (mutex)
 *     ->  mm->pt_lock  ->  page_cache->lock, shared_lock (uvm.c)
 *     ->  heap_lock (kmalloc.c)  ->  pmm_lock (pmm.c)
 *   vmm_lock (vmm.c)  ->  pmm_lock
 *   kstack_lock (kstack.c) is held alone; pmm_lock is a leaf.
 * Outside mm/: vfs_lock -> inode data_lock -> mm->lock (a read(2) into
 * user memory faults with the data lock held), so nothing in mm/ takes a
 * VFS lock while it holds one of its own: struct file references that
 * VMAs drop are put after mm->lock is released.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include "include/compiler.h"
#include "include/list.h"
#include "mm/mm.h"

/* ---- buddy core (mm/buddy.c) ---- */

#define BUDDY_MAX_ORDER PMM_MAX_ORDER
#define BUDDY_NIL UINT32_MAX        /* "no page" in the index-linked lists */

enum buddy_page_state {
	BUDDY_RESERVED = 0,     /* not managed: hole, kernel, firmware, ... */
	BUDDY_FREE,             /* first page of a free block */
	BUDDY_ALLOCATED,        /* first page of an allocated block */
	BUDDY_TAIL,             /* any other page of a managed block */
};

/*
 * Per-page metadata, one per frame of the zone.  24 bytes: the free lists
 * are linked by 32-bit page indices instead of pointers.
 */
struct buddy_page {
	uint32_t next, prev;    /* free-list links (state FREE only) */
	uint64_t priv;          /* owner's word while allocated; 0 when free */
	uint8_t order;          /* block order (FREE and ALLOCATED heads) */
	uint8_t state;          /* enum buddy_page_state */
};

/*
 * A contiguous range of page frames [base_pfn, base_pfn + npages).  Blocks
 * are aligned to their size in absolute frame numbers, so a block of
 * order k starts at a physical address that is a multiple of 4 KiB << k.
 */
struct buddy_zone {
	uint64_t base_pfn;
	uint64_t npages;
	struct buddy_page *pages;               /* npages entries */
	uint32_t free_head[BUDDY_MAX_ORDER + 1];
	uint64_t free_blocks[BUDDY_MAX_ORDER + 1];
	uint64_t total_pages;                   /* managed (added) pages */
	uint64_t free_pages;
};

/* Set up an empty zone; @pages (npages entries) is cleared to RESERVED. */
void buddy_init(struct buddy_zone *z, uint64_t base_pfn, uint64_t npages,
		struct buddy_page *pages);
/* Hand frames [pfn, pfn + count) to the allocator.  0 or -EINVAL. */
int buddy_add_range(struct buddy_zone *z, uint64_t pfn, uint64_t count);
/* Allocate a block of 2^order frames.  0 and *pfn, or -ENOMEM/-EINVAL. */
int buddy_alloc(struct buddy_zone *z, unsigned order, uint64_t *pfn);
/* Free a block; -EINVAL if it is not exactly an allocated block (double
 * free, wrong order, tail page, reserved page, outside the zone). */
int buddy_free(struct buddy_zone *z, uint64_t pfn, unsigned order);
/* Metadata of @pfn, or NULL if it is outside the zone. */
struct buddy_page *buddy_page_of(struct buddy_zone *z, uint64_t pfn);
/* Verify every invariant (lists, states, counters).  0 or -EUCLEAN. */
int buddy_check(const struct buddy_zone *z);

/* ---- slab core (mm/slab.c) ---- */

#define SLAB_MIN_SIZE 16
#define SLAB_MAX_SIZE 2048
#define SLAB_NR_CLASSES 8       /* 16, 32, ..., 2048 */
#define SLAB_ALIGN 16           /* every object is at least this aligned */
#define SLAB_REDZONE 16         /* debug: trailer after each object */
#define SLAB_POISON_FREE 0x6b   /* debug: freed object contents */
#define SLAB_POISON_RED 0xbb    /* debug: redzone and unused tail bytes */

/*
 * Where the slab core gets memory.  page_alloc returns the address of a
 * block of 2^order pages aligned to its size, or NULL.  page_tag returns
 * a word that belongs to the allocator of the block containing @va for as
 * long as the block is allocated (0 when it comes from page_alloc, must be
 * 0 again before page_free), or NULL if @va is not page_alloc memory.
 * report is called for each detected heap corruption or invalid free.
 */
struct slab_backend {
	void *(*page_alloc)(unsigned order, void *ctx);
	void (*page_free)(void *va, unsigned order, void *ctx);
	uint64_t *(*page_tag)(const void *va, void *ctx);
	void (*report)(const char *what, const void *ptr, void *ctx);
	void *ctx;
};

struct slab_cache {
	uint32_t size;                  /* object size (class) */
	uint32_t stride;                /* size + redzone trailer if debug */
	uint32_t objs_per_slab;
	uint8_t order;                  /* slab = 2^order pages */
	struct list_node partial;       /* slabs with free and used objects */
	struct list_node full;          /* slabs with no free object */
	struct list_node empty;         /* at most SLAB_KEEP_EMPTY fully free */
	uint32_t nr_empty;
	uint64_t nr_slabs;
	uint64_t objs_in_use;
};

struct slab_heap {
	struct slab_cache caches[SLAB_NR_CLASSES];
	struct slab_backend backend;
	bool debug;                     /* poison + redzones */
	uint64_t large_in_use;          /* page-backed allocations */
	uint64_t errors;                /* reports made */
};

/* Initialise @h; @debug enables poisoning and redzones. */
void slab_heap_init(struct slab_heap *h, const struct slab_backend *be,
		    bool debug);
/* Allocate @size bytes (SLAB_ALIGN aligned; page aligned above
 * SLAB_MAX_SIZE); NULL if out of memory or too large. */
void *slab_alloc(struct slab_heap *h, size_t size);
/* Free; NULL is a no-op.  0, or -EINVAL after reporting a bad free or
 * a detected overflow (the object is then leaked, not reused). */
int slab_free(struct slab_heap *h, void *ptr);
/* Usable size of an allocation (its class or page block size). */
size_t slab_usable_size(struct slab_heap *h, const void *ptr);

/* ---- kernel glue (not in host tests) ---- */

/* pmm.c: allocator over the available memory below 4 GiB (reachable
 * through the boot page tables); pmm_init_high adds the rest once the
 * new direct map is live. */
void pmm_init(const struct boot_info *bi);
void pmm_init_high(const struct boot_info *bi);
/* Owner word of the page at @pa (see struct buddy_page.priv), or NULL. */
uint64_t *pmm_page_tag(paddr_t pa);
/* Highest physical address (exclusive) listed in the memory map. */
paddr_t pmm_map_top(const struct boot_info *bi);

/* vmm.c: build the kernel page tables and switch CR3 to them. */
void vmm_init(const struct boot_info *bi);

/* kmalloc.c */
void kmalloc_init(void);
/* PTE_NX if the CPU enforces no-execute, else 0. */
uint64_t vmm_pte_nx(void);

/* kstack.c: first virtual address of the stack area, for vmm's layout. */
/* Page-table entry bits (SDM vol. 3A, 4.5, tables 4-14 to 4-19). */
#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_PS (1UL << 7)               /* PDPTE/PDE: large page */
#define PTE_PAT_4K (1UL << 7)           /* PTE: PAT bit */
#define PTE_G (1UL << 8)
#define PTE_PAT_LARGE (1UL << 12)       /* PDPTE/PDE with PS: PAT bit */
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000ffffffffff000UL

#define KSTACK_AREA_BASE KERNEL_VAREA_BASE
#define KSTACK_AREA_SIZE (KERNEL_VAREA_SIZE / 2)
#define MMIO_AREA_BASE (KERNEL_VAREA_BASE + KERNEL_VAREA_SIZE / 2)
#define MMIO_AREA_SIZE (KERNEL_VAREA_SIZE / 2)

#endif
