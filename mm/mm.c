/*
 * mm bring-up in dependency order: physical pages below 4 GiB (reachable
 * through the boot page tables), the kernel page tables, the memory above
 * 4 GiB (reachable only through the new direct map), then the heap.
 */
#include "mm/internal.h"
#include "lib/printk.h"

extern char __kernel_start[], __kernel_end[];

void mm_init(const struct boot_info *bi)
{
	pmm_init(bi);
	vmm_init(bi);
	pmm_init_high(bi);
	kmalloc_init();
	pr_info("mm: %llu MiB total, %llu MiB free, kernel image %llu KiB\n",
		(unsigned long long)(pmm_total_page_count() >> (20 - PAGE_SHIFT)),
		(unsigned long long)(pmm_free_page_count() >> (20 - PAGE_SHIFT)),
		(unsigned long long)((__kernel_end - __kernel_start) >> 10));
}
