/*
 * Temporary memory management until the real allocator lands: the boot
 * page tables map the first 4 GiB, so MMIO below 4 GiB is reachable
 * through the direct map.
 */
#include "mm/mm.h"
#include "lib/panic.h"

void mm_init(const struct boot_info *bi)
{
}

void *vmm_map_mmio(paddr_t pa, size_t size)
{
	if (pa + size > (4UL << 30))
		panic("vmm_map_mmio: %#llx above 4 GiB", (unsigned long long)pa);
	return PHYS_TO_VIRT(pa);
}
