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

#endif
