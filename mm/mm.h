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

/* ---- user address spaces (mm/uvm.c) ---- */
struct mm;
struct anon_shared;

/* Protection and kind of a user mapping (vma->prot uses VM_READ/WRITE/EXEC). */
#define VMA_SHARED 0x1          /* MAP_SHARED anonymous memory */
#define VMA_GROWSDOWN 0x2       /* the stack */
#define VMA_NOWRITE 0x4         /* may not become writable (shmat SHM_RDONLY) */

/* A new, empty address space (kernel half shared), or NULL. */
struct mm *mm_create(void);
/* Copy for fork: private pages become copy-on-write, shared stay shared. */
struct mm *mm_clone(struct mm *mm);
struct mm *mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* Load @mm's page tables on this CPU (NULL: kernel tables only). */
void mm_activate(struct mm *mm);
paddr_t mm_pml4(struct mm *mm);

/* Map [addr, addr+len) (page aligned) with @prot/@vflags, replacing any
 * mapping there.  0 or -ENOMEM. */
int mm_map_fixed(struct mm *mm, uaddr_t addr, size_t len, unsigned prot,
		 unsigned vflags);
/* Pick a free range of @len bytes, top-down below mmap_base; 0 if none. */
uaddr_t mm_find_free(struct mm *mm, size_t len);
int mm_unmap(struct mm *mm, uaddr_t addr, size_t len);
/* Copy @len bytes of kernel data into the user range @addr of @mm, which
 * must be mapped (writable or not): for exec before the first run. */
int mm_copy_in(struct mm *mm, uaddr_t addr, const void *src, size_t len);
/* Resolve a page fault at @addr (error code as pushed by the CPU).
 * 0 if fixed, -EFAULT if unmapped (SEGV_MAPERR), -EACCES if the access is
 * not allowed (SEGV_ACCERR), -ENOMEM. */
int mm_handle_fault(struct mm *mm, uaddr_t addr, uint64_t error_code);

/* mprotect: -ENOMEM if part of the range is unmapped. */
int mm_protect(struct mm *mm, uaddr_t addr, size_t len, unsigned prot);
/* MADV_DONTNEED: drop private pages (they read back as zeros). */
int mm_discard(struct mm *mm, uaddr_t addr, size_t len);
bool mm_range_mapped(struct mm *mm, uaddr_t addr, size_t len);
bool mm_range_free(struct mm *mm, uaddr_t addr, size_t len);
int mm_resize_heap(struct mm *mm, uaddr_t start, uaddr_t old_end,
		   uaddr_t new_end);
/* mremap helpers: move pages to a new range / extend in place. */
int mm_move(struct mm *mm, uaddr_t old, size_t old_len, uaddr_t new,
	    size_t new_len);
int mm_grow_in_place(struct mm *mm, uaddr_t addr, size_t old_len,
		     size_t new_len);

/* Peak resident set size in KiB (getrusage ru_maxrss, VmHWM). */
uint64_t mm_hiwater_rss_kb(struct mm *mm);
/* Bytes of address space mapped (RLIMIT_AS, /proc VmSize). */
uint64_t mm_total_size(struct mm *mm);
/* One VMA as seen from outside mm/ (for /proc/<pid>/maps). */
struct mm_vma_info {
	uaddr_t start, end;
	unsigned prot;                  /* VM_READ | VM_WRITE | VM_EXEC */
	unsigned vflags;                /* VMA_SHARED, VMA_GROWSDOWN */
	uint64_t pgoff;                 /* page offset in a shared object */
};
/* Call @fn for each VMA in address order with mm->lock held (@fn must
 * not use @mm); stops at and returns the first non-zero result. */
int mm_for_each_vma(struct mm *mm,
		    int (*fn)(void *arg, const struct mm_vma_info *vma),
		    void *arg);
/* Sizes for /proc/<pid>/stat and status, in pages. */
struct mm_usage {
	uint64_t total_pages;           /* every VMA (VmSize) */
	uint64_t resident_pages;        /* present pages (VmRSS) */
	uint64_t data_pages;            /* private writable, not stack */
	uint64_t stack_pages, exec_pages;
};
void mm_usage(struct mm *mm, struct mm_usage *u);
/* Copy up to @len bytes of @mm at @addr into @dst (pages never touched
 * read as zeros).  Stops at an unmapped or unreadable page: returns the
 * bytes copied, or -EFAULT if none. */
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
/* Map the first @len bytes of @s at @addr (page aligned), replacing
 * what was there; without VM_WRITE in @prot the mapping may never be
 * made writable.  0, -EINVAL or -ENOMEM. */
int mm_map_shared(struct mm *mm, uaddr_t addr, size_t len, unsigned prot,
		  struct anon_shared *s);
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
