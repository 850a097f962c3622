/*
 * In-kernel tests of memory management: the page allocator, the heap,
 * page-table edits, and (manual, they panic) the protections the kernel
 * image is mapped with: read-only text and non-executable data.
 */
#include "lib/ktest.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

KTEST(pmm_alloc_free_restores_count)
{
	uint64_t before = pmm_free_page_count();
	paddr_t blocks[PMM_MAX_ORDER + 1];

	for (unsigned order = 0; order <= PMM_MAX_ORDER; order++) {
		blocks[order] = pmm_alloc_pages(order);
		KEXPECT(blocks[order] != 0);
		KEXPECT((blocks[order] & ((PAGE_SIZE << order) - 1)) == 0);
	}
	KEXPECT_EQ(pmm_free_page_count(), before - ((1UL << (PMM_MAX_ORDER + 1)) - 1));
	for (unsigned order = 0; order <= PMM_MAX_ORDER; order++)
		pmm_free_pages(blocks[order], order);
	KEXPECT_EQ(pmm_free_page_count(), before);
}

KTEST(pmm_pages_are_usable_through_the_direct_map)
{
	paddr_t pa = pmm_alloc_pages(2);
	uint8_t *va = PHYS_TO_VIRT(pa);

	KEXPECT(pa != 0);
	memset(va, 0xa5, 4 * PAGE_SIZE);
	KEXPECT(va[0] == 0xa5 && va[4 * PAGE_SIZE - 1] == 0xa5);
	pmm_free_pages(pa, 2);
}

KTEST(kmalloc_sizes_and_alignment)
{
	static const size_t sizes[] = { 1, 8, 16, 24, 100, 512, 2048, 2049,
					4096, 100000, 1 << 20 };
	void *p[ARRAY_SIZE(sizes)];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		KEXPECT(p[i] != NULL);
		KEXPECT(((uintptr_t)p[i] & 15) == 0);
		memset(p[i], (int)i, sizes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint8_t *b = p[i];
		KEXPECT(b[0] == i && b[sizes[i] - 1] == i);
		kfree(p[i]);
	}
	kfree(NULL);
}

KTEST(kzalloc_returns_zeroed_memory)
{
	for (int round = 0; round < 4; round++) {
		uint8_t *dirty = kmalloc(200), *clean;
		KEXPECT(dirty != NULL);
		memset(dirty, 0xff, 200);
		kfree(dirty);
		clean = kzalloc(200);
		KEXPECT(clean != NULL);
		for (int i = 0; i < 200; i++)
			KEXPECT(clean[i] == 0);
		kfree(clean);
	}
}

KTEST(vmm_map_translate_protect_unmap)
{
	/* The last GiB of the kernel virtual area: nothing allocates there. */
	const vaddr_t va = KERNEL_VAREA_BASE + KERNEL_VAREA_SIZE - (1UL << 30);
	paddr_t pa = pmm_alloc_page();
	bool ok = true;

	KEXPECT(pa != 0);
	KEXPECT(vmm_translate(va, &ok) == 0 && !ok);
	KEXPECT_EQ(vmm_map_page(va, pa, VM_READ | VM_WRITE), 0);
	KEXPECT_EQ(vmm_map_page(va, pa, VM_READ), -EEXIST);
	KEXPECT(vmm_translate(va + 123, &ok) == pa + 123 && ok);
	*(volatile uint32_t *)va = 0xfeedface;
	KEXPECT(*(volatile uint32_t *)PHYS_TO_VIRT(pa) == 0xfeedface);
	KEXPECT_EQ(vmm_protect_page(va, VM_READ), 0);
	KEXPECT(*(volatile uint32_t *)va == 0xfeedface);
	KEXPECT_EQ(vmm_unmap_page(va), pa);
	KEXPECT(vmm_translate(va, &ok) == 0 && !ok);
	KEXPECT_EQ(vmm_protect_page(va, VM_READ), -ENOENT);
	pmm_free_page(pa);
}

KTEST(mmio_mapping_keeps_page_offset)
{
	/* The local APIC version register: readable, version in bits 0-7. */
	volatile uint32_t *ver = vmm_map_mmio(0xfee00030, 4);

	KEXPECT(ver != NULL);
	KEXPECT(((uintptr_t)ver & 0xfff) == 0x030);
	KEXPECT((*ver & 0xff) >= 0x10);
}

/* ---- manual: each ends in a page-fault report ---- */

static __noinline void ktest_write_to_text(void)
{
	*(volatile uint8_t *)(uintptr_t)ktest_write_to_text = 0xcc;
}

KTEST_MANUAL(fault_write_text)
{
	ktest_write_to_text();
}

static uint8_t data_code[16] = { 0xc3 };  /* ret, in a non-executable page */

static __noinline void ktest_call_data(void)
{
	((void (*)(void))(uintptr_t)data_code)();
}

KTEST_MANUAL(fault_exec_data)
{
	ktest_call_data();
}

static volatile uintptr_t null_address = 8;

static __noinline uint64_t ktest_read_null(void)
{
	return *(volatile uint64_t *)null_address;
}

KTEST_MANUAL(fault_null_read)
{
	KEXPECT(ktest_read_null() == 0);
}
