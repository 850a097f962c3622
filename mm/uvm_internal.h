/*
 * What the user-memory files of mm/ share (uvm.c, uvm_range.c,
 * filemap.c, page_cache.c): address spaces, VMAs, page caches.  Kernel
 * only; the pure cores and their host tests use mm/internal.h.
 */
#ifndef MM_UVM_INTERNAL_H
#define MM_UVM_INTERNAL_H

#include "mm/internal.h"
#include "lib/radix_tree.h"
#include "sched/sched.h"
#include "sched/spinlock.h"

struct file;

/*
 * A page cache (page_cache.c; the public API is in mm.h).
 * Legend: [I] immutable, [l] lock, [m] mmap_lock.
 */
struct page_cache {
	const struct page_cache_ops *ops;       /* [I] */
	void *host;                             /* [I] the inode */
	unsigned flags;                         /* [I] PAGE_CACHE_* */
	struct spinlock lock;
	struct radix_tree pages;                /* [l] index -> frame | PC_DIRTY */
	uint64_t nr_dirty;                      /* [l] */
	struct mutex mmap_lock;
	struct list_node mappings;              /* [m] struct vma.file_node */
	/* Writeback and reclaim (page_cache.c; [L] cache_list_lock): */
	void *owner;                            /* [I] e.g. its super block */
	struct list_node all_node;              /* [L] every cache with
						 * write_page (reclaim) */
	struct list_node dirty_node;            /* [L] dirty_caches while
						 * nr_dirty > 0 */
	uint64_t dirtied_ns;                    /* [L] uptime of 0 -> 1 dirty */
	unsigned wb_users;                      /* [L] pins by writeback */
	unsigned wb_pass;                       /* [L] last writeback pass */
};

#define PC_DIRTY 0x1UL                  /* radix entry flag: page is dirty */
/* Count @delta pages in or out of the global counters (pc->lock held). */
void page_cache_count_page(struct page_cache *pc, long delta);

struct anon_shared;

/*
 * A VMA: a page-aligned range of one address space with one protection,
 * mapping private anonymous memory, shared anonymous memory (@shared), a
 * file (@file, @cache), or kernel pages (@special: [vdso], [vvar]),
 * starting at object page @pgoff.  A special VMA is never split or grown
 * (see struct mm_special).
 * Legend: [I] immutable, [M] mm->lock, [m] cache->mmap_lock as well for
 * file VMAs (the truncation walk reads them holding only that).
 */
struct vma {
	struct mm *mm;                  /* [I] */
	uaddr_t start, end;             /* [M][m] page aligned */
	uint64_t pgoff;                 /* [M][m] object page at @start */
	unsigned prot;                  /* [M] VM_READ | VM_WRITE | VM_EXEC */
	unsigned maxprot;               /* [I] what mprotect may grant */
	unsigned vflags;                /* [I] VMA_SHARED, VMA_GROWSDOWN */
	struct anon_shared *shared;     /* [I] shared anonymous memory */
	struct file *file;              /* [I] file mapping: a reference */
	struct page_cache *cache;       /* [I] file->inode's page cache */
	const struct mm_special *special; /* [I] kernel pages, or NULL */
	struct list_node node;          /* [M] mm->vmas, sorted by start */
	struct list_node file_node;     /* [m] cache->mappings */
};

/*
 * An address space.  Legend: [I] immutable, [M] lock, [P] pt_lock.
 * mm->lock serializes everything that changes the VMA list and faults;
 * pt_lock covers the page tables of the lower half (and the counters
 * that follow them), so that truncation can take pages out of address
 * spaces whose mm->lock it cannot take (lock order).  Anyone reading or
 * writing a user page-table entry holds pt_lock.
 */
struct mm {
	int refcount;                   /* atomic */
	paddr_t pml4_pa;                /* [I] */
	struct mutex lock;
	struct spinlock pt_lock;
	struct list_node vmas;          /* [M] */
	struct mm_layout layout;        /* [M] */
	uint64_t rss_pages;             /* [P] pages mapped now */
	uint64_t hiwater_rss_pages;     /* [P] the most ever mapped */
};

/* uvm.c: VMAs (mm->lock held). */
struct vma *uvm_vma_find(struct mm *mm, uaddr_t addr);
/* mm->lock held: a free range of @len bytes, top-down below mmap_base;
 * 0 if none. */
uaddr_t uvm_find_free_locked(struct mm *mm, size_t len);
/* The first VMA that ends above @addr, or NULL (Linux's find_vma). */
struct vma *uvm_vma_next(struct mm *mm, uaddr_t addr);
/* Put @v on @mm's list and, for a file, on its cache's. */
void uvm_vma_insert(struct mm *mm, struct vma *v);
/* A copy of @v with its own references, on no list; NULL if out of
 * memory. */
struct vma *uvm_vma_dup(const struct vma *v);
/* Make VMA boundaries fall on @start and @end.  0, -ENOMEM, or -EINVAL
 * (nothing changed) if that would split a special mapping. */
int uvm_split_at(struct mm *mm, uaddr_t start, uaddr_t end);
/* Unmap [start, end): the VMAs removed go onto @dead (linked by node). */
int uvm_unmap_locked(struct mm *mm, uaddr_t start, uaddr_t end,
		     struct list_node *dead);
/* Free the VMAs on @dead; no mm lock may be held (drops file refs). */
void uvm_vmas_release(struct list_node *dead);
/* Has the shared anonymous object of @v a frame for page @page? */
bool uvm_shared_resident(struct vma *v, uint64_t page);

/* uvm.c: page tables (pt_lock held). */
/* The page table (last level) covering @va, the levels above made when
 * @create; NULL if a level is missing (or out of memory).  *next is the
 * end of what the answer covers: of that page table, or of the missing
 * level's range, so range walks skip holes whole. */
uint64_t *uvm_pt_lookup(struct mm *mm, uaddr_t va, bool create,
			uaddr_t *next);
uint64_t *uvm_pte_lookup(struct mm *mm, uaddr_t va, bool create);
uint64_t uvm_prot_bits(unsigned prot);
void uvm_flush_page(struct mm *mm, uaddr_t va);
/* Flush every user TLB entry of @mm on this CPU (if it runs @mm). */
void uvm_flush_all(struct mm *mm);
void uvm_rss_add(struct mm *mm, long delta);
/* Remove the mappings of [start, end), dropping frame references. */
void uvm_zap_range(struct mm *mm, uaddr_t start, uaddr_t end);
/* Write to a present read-only private page: copy it unless it is ours
 * alone.  0 or -ENOMEM. */
int uvm_break_cow(struct mm *mm, uint64_t *pte, uaddr_t va, unsigned prot);

/* filemap.c: file VMAs. */
/* Page fault at @va of the file VMA @v (mm->lock held): 0, -ENOMEM, or
 * -EIO for SIGBUS (past EOF, or the page could not be read). */
int filemap_fault(struct vma *v, uaddr_t va, bool write);
/* Make the page at @va of the private file VMA @v a private copy the
 * kernel may write into, whatever @v's protection (mm->lock held): 0,
 * -ENOMEM, or -EIO (past EOF, unreadable). */
int filemap_private_page(struct vma *v, uaddr_t va);
/* Link a new file VMA into its cache's list, or take it out. */
void filemap_link(struct vma *v);
void filemap_unlink(struct vma *v);
/* Remove pages [first, last] of @pc from every mapping (truncation). */
void filemap_unmap_pages(struct page_cache *pc, uint64_t first,
			 uint64_t last);
/* Write-protect page @index (frame @pa) in every shared mapping. */
void filemap_wrprotect_page(struct page_cache *pc, uint64_t index,
			    paddr_t pa);
/* Object page mapped at @va of @v. */
static inline uint64_t vma_pgoff_at(const struct vma *v, uaddr_t va)
{
	return v->pgoff + ((va - v->start) >> PAGE_SHIFT);
}

#endif
