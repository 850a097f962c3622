/*
 * Memory management API.
 *
 * Address space layout (kernel half):
 *   0xffff800000000000  direct map of all physical memory (PHYS_MAP_BASE)
 *   0xffffc00000000000  kernel virtual area: stacks with guard pages, MMIO
 *   0xffffffff80000000  kernel image (KERNEL_VMA + physical load address)
 *
 * Physical pages come from the buddy allocator (pmm_*), small objects from
 * the slab allocator (kmalloc), page tables are edited through vmm_*.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include "include/compiler.h"

struct boot_info;

#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define HUGE_PAGE_SIZE (2UL * 1024 * 1024)

#define PHYS_MAP_BASE 0xffff800000000000UL
#define KERNEL_VAREA_BASE 0xffffc00000000000UL
#define KERNEL_VAREA_SIZE (1UL << 40)
#define KERNEL_VMA 0xffffffff80000000UL

#define PHYS_TO_VIRT(pa) ((void *)((uint64_t)(pa) + PHYS_MAP_BASE))
#define VIRT_TO_PHYS(va) ((paddr_t)((uint64_t)(va) - PHYS_MAP_BASE))
#define KERNEL_IMAGE_TO_PHYS(va) ((paddr_t)((uint64_t)(va) - KERNEL_VMA))

/* Bring up the page allocator, kernel page tables and heap. */
void mm_init(const struct boot_info *bi);

/* ---- physical pages (buddy allocator) ---- */
#define PMM_MAX_ORDER 10   /* largest block: 2^10 pages = 4 MiB */

/* Allocate 2^order contiguous pages; returns the physical address or 0. */
paddr_t pmm_alloc_pages(unsigned order);
void pmm_free_pages(paddr_t pa, unsigned order);
static inline paddr_t pmm_alloc_page(void) { return pmm_alloc_pages(0); }
static inline void pmm_free_page(paddr_t pa) { pmm_free_pages(pa, 0); }
uint64_t pmm_free_page_count(void);
uint64_t pmm_total_page_count(void);

/* Reference-counted single frames (user memory, the page cache): the
 * last pmm_frame_put frees the frame. */
/* A frame with one reference (zeroed if @zero), or 0. */
paddr_t pmm_frame_alloc(bool zero);
void pmm_frame_get(paddr_t pa);
void pmm_frame_put(paddr_t pa);
uint64_t pmm_frame_refs(paddr_t pa);
/* User frames (pmm_frame_alloc) and kmalloc call @fn(pages wanted) when
 * memory runs out, then retry; @fn returns how many pages it freed, must
 * not sleep, and may only try-lock what an allocating caller could hold
 * (it runs with the caller's locks held; never inside the heap's or the
 * buddy allocator's own lock). */
void pmm_set_reclaim(uint64_t (*fn)(uint64_t want));
/* Out of memory: run the reclaim function for a batch (never from an
 * interrupt handler, never nested).  Did it free anything? */
bool pmm_reclaim(unsigned order);

/* ---- kernel heap ---- */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *ptr);

/* ---- page tables ---- */
#define VM_READ   0x1
#define VM_WRITE  0x2
#define VM_EXEC   0x4
#define VM_USER   0x8
#define VM_NOCACHE 0x10

/* Map one 4 KiB page in the kernel page tables.  0 or -ENOMEM/-EEXIST. */
int vmm_map_page(vaddr_t va, paddr_t pa, unsigned flags);
/* Unmap one page; returns the physical address it mapped, or 0. */
paddr_t vmm_unmap_page(vaddr_t va);
/* Change the protection of a mapped page.  0 or -ENOENT. */
int vmm_protect_page(vaddr_t va, unsigned flags);
/* Physical address mapped at @va, or 0 with *ok = false. */
paddr_t vmm_translate(vaddr_t va, bool *ok);
/* Map @size bytes of device memory uncached; returns the virtual address
 * (same offset within the page as @pa), or NULL.  Mappings are permanent. */
void *vmm_map_mmio(paddr_t pa, size_t size);
/* Physical address of the kernel PML4.  Its kernel-half entries do not
 * change after mm_init, so address spaces may copy them once. */
paddr_t vmm_kernel_pml4(void);

/* ---- kernel stacks ---- */
#define KSTACK_SIZE (16 * 1024)
/* Allocate a kernel stack with an unmapped guard page below it; returns
 * the lowest usable address, or NULL. */
void *kstack_alloc(void);
void kstack_free(void *stack);

/* ---- page cache (mm/page_cache.c, filemap.c) ----
 * Page cache: the pages of a file's contents in memory, one cache per
 * inode that has one (Linux's address_space).
 *
 * A cache maps a file page index to a frame.  Frames are reference
 * counted like every user frame (pmm_frame_get/put): the cache holds one
 * reference, every page-table entry that maps the page holds one, and so
 * does anyone using the page for a moment (read(2) copying out of it).  A
 * page leaves the cache on truncation or when the cache is destroyed; it
 * is freed when its last reference goes.  Each page has a dirty flag.
 *
 * The file system provides the ops: read_page fills a page the first time
 * it is needed, write_page writes a dirty one back (none for tmpfs, whose
 * pages are the only copy, like Linux's shmem), size tells where the file
 * ends.  The cache also knows every VMA that maps the file (mm/uvm.c puts
 * them on its list), so truncation can take pages out of every address
 * space and writeback can write-protect them.
 *
 * Locking is internal (see struct page_cache in mm/uvm_internal.h).  Callers
 * may hold their inode's data lock, never an mm's page-table lock.
 */

struct page_cache;

struct page_cache_ops {
	/* Fill @page (PAGE_SIZE bytes) with page @index of the file; bytes
	 * past EOF must read as zeros.  0 or -errno (-EIO).  May sleep; runs
	 * with no page-cache lock held and with the faulting mm's lock held,
	 * so it must not take the host's data lock.  NULL: pages start as
	 * zeros. */
	int (*read_page)(struct page_cache *pc, uint64_t index, void *page);
	/* Write page @index back.  0 or -errno.  NULL: the pages are the
	 * file's only copy: never written back, never dropped while the file
	 * exists.  Runs in the flusher thread, sync(2), fsync, O_SYNC
	 * writes and umount (which holds vfs_lock, so it must not take
	 * vfs_lock). */
	int (*write_page)(struct page_cache *pc, uint64_t index,
			  const void *page);
	/* The file size in bytes, read without locks.  The host updates it
	 * before it calls page_cache_truncate() when the file shrinks. */
	uint64_t (*size)(struct page_cache *pc);
	/* Read-ahead: fill the @nr pages @pages[0..nr) with file pages
	 * @index.. in one go (one request to the device); same rules as
	 * read_page.  NULL: read_page for each. */
	int (*readahead)(struct page_cache *pc, uint64_t index, unsigned nr,
			 void *const *pages);
	/* Write the @nr consecutive pages @index.. (@pages[i] the contents
	 * of page @index + i, 1 <= @nr <= WRITEBACK_BATCH) back in one go;
	 * same rules as write_page.  0 or -errno (then all stay dirty).
	 * NULL: write_page for each. */
	int (*write_pages)(struct page_cache *pc, uint64_t index, unsigned nr,
			   void *const *pages);
};
/* The most pages one write_pages call gets. */
#define WRITEBACK_BATCH 64

/* Flags of a cache. */
#define PAGE_CACHE_SHMEM 0x1    /* memory-only file (tmpfs): /proc "Shmem" */

/* A new empty cache for @host, or NULL. */
struct page_cache *page_cache_create(const struct page_cache_ops *ops,
				     void *host, unsigned flags);
/* Free the cache and its pages; nothing may map the file any more.
 * Dirty pages are dropped: a file system that keeps the file writes them
 * back first (page_cache_writeback). */
void page_cache_destroy(struct page_cache *pc);
/* Tag @pc with its owner (a super block), so that syncfs writes back
 * only that file system's caches (untagged caches are always included). */
void page_cache_set_owner(struct page_cache *pc, void *owner);
void *page_cache_host(struct page_cache *pc);

/* The frame of page @index with a reference for the caller, or 0 if the
 * page is not cached. */
paddr_t page_cache_find(struct page_cache *pc, uint64_t index);
/* The frame of page @index with a reference for the caller, read in
 * (or zeroed) if it is not cached yet.  0 and *pa, -ENOMEM, an error of
 * read_page, or -ENXIO if the page lies wholly past EOF, unless
 * @past_eof (a writer extending the file, holding the host's data lock so
 * that no truncation runs). */
int page_cache_get(struct page_cache *pc, uint64_t index, bool past_eof,
		   paddr_t *pa);
/* Drop a reference taken by page_cache_find/page_cache_get. */
void page_cache_put(paddr_t pa);
/* The page at @index (cached) was written to. */
void page_cache_set_dirty(struct page_cache *pc, uint64_t index);
/* Is any MAP_SHARED mapping of the file able to write (now or after
 * mprotect)? */
bool page_cache_mapped_shared_writable(struct page_cache *pc);
/* Are more than DIRTY_RATIO_PERCENT of memory's pages dirty pages of
 * caches that write back?  Writers then write their own pages back
 * before dirtying more (Linux's dirty_ratio, simplified): dirty pages
 * cannot be reclaimed, so unbounded they fill memory. */
#define DIRTY_RATIO_PERCENT 20
bool page_cache_dirty_exceeded(void);
/* Does the cache track dirty pages (has write_page)? */
bool page_cache_writes_back(struct page_cache *pc);
/* Write the dirty pages in [first, last] back (write-protecting them in
 * every shared mapping first, so the next store marks them dirty again).
 * 0 or the first error. */
int page_cache_writeback(struct page_cache *pc, uint64_t first,
			 uint64_t last);
/* The file shrank to @size (ops->size already returns it): remove the
 * whole pages past it from every mapping (private copies too, so later
 * access raises SIGBUS) and from the cache, and zero the rest of the
 * partial last page. */
void page_cache_truncate(struct page_cache *pc, uint64_t size);

/* Pages in the cache. */
uint64_t page_cache_nr_pages(struct page_cache *pc);
/* Is page @index cached (mincore)? */
bool page_cache_resident(struct page_cache *pc, uint64_t index);

/* System-wide counts in pages for /proc/meminfo. */
struct page_cache_stats {
	uint64_t cached;        /* every cached page */
	uint64_t shmem;         /* of which memory-only files */
	uint64_t dirty;         /* dirty pages of caches that write back */
	uint64_t writeback;     /* being written now */
	uint64_t reclaimed;     /* dropped by reclaim since boot */
};
void page_cache_stats(struct page_cache_stats *st);

/* Write back every cache (of @owner, or all with NULL) that became dirty
 * at or before uptime @cutoff_ns (UINT64_MAX: all).  0 or the first
 * error.  Sleeps. */
int page_cache_writeback_dirty(void *owner, uint64_t cutoff_ns);
/* Free up to @want clean, unreferenced pages of caches with a backing
 * store; how many were freed.  Never sleeps, callable from the page
 * allocator (only try-locks). */
uint64_t page_cache_reclaim(uint64_t want);

/*
 * Read-ahead (mm/readahead.c), Linux's simple model: a read that misses
 * the cache at the page after the previous read (or at the start of the
 * file) reads a window of RA_INIT_PAGES; a sequential read that reaches
 * the window's last RA_ASYNC part starts the next window, twice as large
 * up to RA_MAX_PAGES (128 KiB, read_ahead_kb's default).  A read
 * elsewhere reads just what it needs and starts over.  One state per
 * open file.
 */
#define RA_INIT_PAGES 4
#define RA_MAX_PAGES 32
struct file_ra_state {
	uint64_t start;         /* first page of the current window */
	unsigned size;          /* its length in pages (0: none yet) */
	unsigned async_size;    /* the tail that triggers the next window */
	uint64_t prev_index;    /* last page of the previous read */
};
/* Pages [@index, @index + @nr) are about to be read: read ahead as the
 * state says.  Errors are left for the read itself to find. */
void page_cache_readahead(struct page_cache *pc, struct file_ra_state *ra,
			  uint64_t index, uint64_t nr);

/* Flusher thread: writes back caches dirty longer than dirty_expire
 * (30 s) every dirty_writeback interval (5 s), and everything once dirty
 * pages exceed a tenth of memory (dirty_background_ratio). */
#define WRITEBACK_EXPIRE_NS (30ULL * 1000000000ULL)
#define WRITEBACK_INTERVAL_NS (5ULL * 1000000000ULL)
void writeback_init(void);
/* Wake the flusher now (many dirty pages). */
void writeback_kick(void);

/* ---- user address spaces (mm/uvm.c, uvm_range.c, filemap.c) ---- */
struct mm;
struct file;

/* Kind of a user mapping (vma->prot uses VM_READ/WRITE/EXEC). */
#define VMA_SHARED 0x1          /* MAP_SHARED: anonymous object or file */
#define VMA_GROWSDOWN 0x2       /* the stack */

/*
 * Pages the kernel owns and maps into address spaces as they are (the
 * [vdso] image and its [vvar] data page), Linux's "special mappings".
 * Every frame holds a reference of its own that is never dropped, so
 * unmapping never frees it and a write to a mapping made writable copies
 * the page (copy-on-write).  As in Linux, such a mapping is one piece:
 * splitting it (partial munmap, mprotect, MAP_FIXED, mremap shrink) gives
 * EINVAL and growing it (mremap) EFAULT; moving or unmapping all of it is
 * allowed.  The descriptor must outlive every address space ([I]).
 */
struct mm_special {
	const char *name;               /* shown in /proc/<pid>/maps */
	const paddr_t *pages;           /* npages frames from mm_special_page_alloc */
	size_t npages;
	unsigned max_prot;              /* mprotect beyond it: EACCES */
	bool raw;                       /* kernel data: MADV_DONTNEED gives EINVAL */
};
/* A zeroed frame for a struct mm_special (never freed), or 0. */
paddr_t mm_special_page_alloc(void);
/* Map all of @sp at @addr (page aligned) with @prot, replacing what is
 * there.  0, -EINVAL (would split another special mapping) or -ENOMEM. */
int mm_map_special(struct mm *mm, uaddr_t addr, const struct mm_special *sp,
		   unsigned prot);

/* A new, empty address space (kernel half shared), or NULL. */
struct mm *mm_create(void);
/* Copy for fork: private pages become copy-on-write, shared stay shared. */
struct mm *mm_clone(struct mm *mm);
struct mm *mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* Load @mm's page tables on this CPU (NULL: kernel tables only). */
void mm_activate(struct mm *mm);
paddr_t mm_pml4(struct mm *mm);

/* A mapping to create with mm_map. */
struct mm_map_req {
	uaddr_t addr;
	size_t len;                     /* page aligned, not 0 */
	unsigned prot;                  /* VM_READ | VM_WRITE | VM_EXEC */
	unsigned maxprot;               /* what mprotect may grant later */
	unsigned vflags;                /* VMA_SHARED, VMA_GROWSDOWN */
	struct file *file;              /* NULL: anonymous; else its inode
					 * must have a page cache */
	uint64_t pgoff;                 /* file page at @addr */
	unsigned place;                 /* MM_PLACE_*: how @addr is used */
	struct anon_shared *shared;     /* map this object (the VMA takes a
					 * reference) instead of new memory */
};
/* Where a mapping goes; decided under the mm lock together with the
 * insertion, so threads mapping at the same time never pick the same
 * range (or clobber each other's new mappings). */
#define MM_PLACE_REPLACE 0      /* at @addr, replacing what is there */
#define MM_PLACE_NOREPLACE 1    /* at @addr if it is free, else -EEXIST */
#define MM_PLACE_HINT 2         /* at @addr if free, else a free range
				 * top-down below mmap_base (-ENOMEM) */
/* Map @req (the VMA takes its own file reference); req->addr is set to
 * where it went.  0, -EINVAL, -EEXIST or -ENOMEM. */
int mm_map(struct mm *mm, struct mm_map_req *req);
/* Anonymous memory at [addr, addr+len) (page aligned). */
int mm_map_fixed(struct mm *mm, uaddr_t addr, size_t len, unsigned prot,
		 unsigned vflags);
/* MAP_POPULATE: fault the range in now, stopping at the first page that
 * cannot be (past EOF, no memory). */
void mm_populate(struct mm *mm, uaddr_t addr, size_t len);
/* Pick a free range of @len bytes, top-down below mmap_base; 0 if none. */
uaddr_t mm_find_free(struct mm *mm, size_t len);
int mm_unmap(struct mm *mm, uaddr_t addr, size_t len);
/* Copy @len bytes of kernel data into the user range @addr of @mm, which
 * must be mapped private memory, anonymous or a private file mapping
 * (whose pages become private copies), writable or not: for exec before
 * the first run.  0, -EFAULT (unmapped, shared file, special), -ENOMEM,
 * or -EIO (a file page past EOF). */
int mm_copy_in(struct mm *mm, uaddr_t addr, const void *src, size_t len);
/* The same with zeros (exec: the rest of a segment's last file page). */
int mm_zero_in(struct mm *mm, uaddr_t addr, size_t len);
/* Resolve a page fault at @addr (error code as pushed by the CPU).
 * 0 if fixed, -EFAULT if unmapped (SEGV_MAPERR), -EACCES if the access is
 * not allowed (SEGV_ACCERR), -EIO for SIGBUS (BUS_ADRERR: a file page
 * wholly past EOF, or unreadable), -ENOMEM. */
int mm_handle_fault(struct mm *mm, uaddr_t addr, uint64_t error_code);

/* mprotect: -ENOMEM for a hole, -EACCES for a protection the mapping may
 * not have (see maxprot; special mappings: max_prot), -EINVAL if it would
 * split a special mapping. */
int mm_protect(struct mm *mm, uaddr_t addr, size_t len, unsigned prot);
/* MADV_DONTNEED, or MADV_FREE (@anon_only: -EINVAL for other mappings):
 * drop private pages (anonymous ones read back as zeros, file ones as the
 * file).  -ENOMEM if part of the range is unmapped, -EINVAL at a raw
 * special mapping ([vvar]). */
int mm_discard(struct mm *mm, uaddr_t addr, size_t len, bool anon_only);
/* msync over [start, end) (end > start): @sync writes shared file pages
 * back; @async_only is plain MS_ASYNC.  0, -ENOMEM for holes, or a write
 * error. */
int mm_msync(struct mm *mm, uaddr_t start, uaddr_t end, bool sync,
	     bool async_only);
/* mincore for up to @npages pages at @addr, within the one VMA there:
 * one byte per page (1: resident) into @vec; the count, or -ENOMEM if
 * nothing is mapped at @addr. */
long mm_mincore(struct mm *mm, uaddr_t addr, size_t npages, uint8_t *vec);
bool mm_range_mapped(struct mm *mm, uaddr_t addr, size_t len);
bool mm_range_free(struct mm *mm, uaddr_t addr, size_t len);
int mm_resize_heap(struct mm *mm, uaddr_t start, uaddr_t old_end,
		   uaddr_t new_end);
/* mremap helpers: move pages to a new range / extend in place.  Both give
 * -EFAULT for growing a special mapping; mm_move -EINVAL for moving part
 * of one.  mm_move with *@new == 0 picks a free range itself (under the
 * lock, so another thread's mmap cannot take it) and stores it there. */
int mm_move(struct mm *mm, uaddr_t old, size_t old_len, uaddr_t *new,
	    size_t new_len);
int mm_grow_in_place(struct mm *mm, uaddr_t addr, size_t old_len,
		     size_t new_len);

/* What a futex word is: (mm, address) for private memory, (shared
 * object, byte offset) for MAP_SHARED memory.  Compared, never
 * dereferenced. */
struct futex_key {
	const void *object;
	uint64_t offset;
};
/* The shared key of the word at @addr of @mm: 0, or -EFAULT if
 * unmapped. */
int mm_futex_key(struct mm *mm, uaddr_t addr, struct futex_key *key);

/* Peak resident set size in KiB (getrusage ru_maxrss, VmHWM). */
uint64_t mm_hiwater_rss_kb(struct mm *mm);
/* Bytes of address space mapped (RLIMIT_AS, /proc VmSize). */
uint64_t mm_total_size(struct mm *mm);
/* Frames of shared anonymous memory in the system (/proc Shmem). */
uint64_t mm_shared_anon_pages(void);
/* One VMA as seen from outside mm/ (for /proc/<pid>/maps). */
struct mm_vma_info {
	uaddr_t start, end;
	unsigned prot;                  /* VM_READ | VM_WRITE | VM_EXEC */
	unsigned vflags;                /* VMA_SHARED, VMA_GROWSDOWN */
	uint64_t pgoff;                 /* page offset in a file or object */
	struct file *file;              /* a reference, or NULL */
	const char *name;               /* special mappings: "[vdso]" etc. */
};
/* A copy of @mm's VMAs in address order (file VMAs with a reference on
 * their file) into a new array *@out: the count, or -ENOMEM.  Free with
 * mm_snapshot_free (no lock held: it drops file references). */
long mm_snapshot_vmas(struct mm *mm, struct mm_vma_info **out);
void mm_snapshot_free(struct mm_vma_info *info, long n);
/* Sizes for /proc/<pid>/stat and status, in pages. */
struct mm_usage {
	uint64_t total_pages;           /* every VMA (VmSize) */
	uint64_t resident_pages;        /* present pages (VmRSS) */
	uint64_t anon_pages;            /* of which private memory */
	uint64_t file_pages;            /* page-cache pages of files */
	uint64_t shmem_pages;           /* shared anonymous and tmpfs pages */
	uint64_t data_pages;            /* private writable, not stack */
	uint64_t stack_pages, exec_pages;
};
void mm_usage(struct mm *mm, struct mm_usage *u);
/* Copy up to @len bytes of @mm at @addr into @dst (pages never touched
 * read as zeros, or as the file).  Stops at an unmapped or unreadable
 * page: returns the bytes copied, or -EFAULT if none. */
long mm_read(struct mm *mm, uaddr_t addr, void *dst, size_t len);

/*
 * Shared memory objects owned outside mm/ (System V shm).  The owner
 * holds the reference anon_shared_create returns; each mapping holds
 * one more, and when a mapping goes away @put is called (with mm->lock
 * possibly held) instead of dropping it: @put must end with
 * anon_shared_put(s).  The object's frames are freed with the last
 * reference.
 */
struct anon_shared *anon_shared_create(uint64_t npages,
				       void (*put)(struct anon_shared *s,
						   void *owner),
				       void *owner);
void anon_shared_get(struct anon_shared *s);
void anon_shared_put(struct anon_shared *s);
/* References now: the owner's plus one per mapping (VMA). */
int anon_shared_refs(struct anon_shared *s);
/* Map the first @len bytes of @s at *@addr (page aligned) as @place
 * (MM_PLACE_*) says; *@addr gets where it went.  Without VM_WRITE in
 * @prot the mapping may never be made writable.  0, -EINVAL, -EEXIST
 * or -ENOMEM. */
int mm_map_shared(struct mm *mm, uaddr_t *addr, size_t len, unsigned prot,
		  struct anon_shared *s, unsigned place);
/* shmdt(2): unmap the object whose mapping (with hook @put) starts at
 * @addr, including pieces left by mprotect/munmap.  0 or -EINVAL. */
int mm_unmap_shared(struct mm *mm, uaddr_t addr,
		    void (*put)(struct anon_shared *s, void *owner));

/* Layout bookkeeping used by exec, brk and /proc. */
struct mm_layout {
	uaddr_t start_code, end_code, start_data, end_data;
	uaddr_t start_brk, brk;
	uaddr_t start_stack, arg_start, arg_end, env_start, env_end;
	uaddr_t mmap_base;
};
struct mm_layout *mm_layout(struct mm *mm);

#endif
