/*
 * Kernel page tables (4-level paging, SDM vol. 3A, 4.5).
 *
 * vmm_init() builds a new PML4 and switches CR3 to it; the boot tables of
 * entry.asm are abandoned.  Kernel half layout (see mm.h):
 *   PHYS_MAP_BASE      direct map of [0, max(4 GiB, top of RAM)),
 *                      RW+NX, 1 GiB pages if the CPU has them, else
 *                      2 MiB pages where aligned, 4 KiB otherwise
 *   KSTACK_AREA_BASE   kernel stacks (kstack.c), 4 KiB pages
 *   MMIO_AREA_BASE     vmm_map_mmio, bump allocated, uncached
 *   KERNEL_VMA         the kernel image, 4 KiB pages: text RX, rodata
 *                      R+NX, data/bss RW+NX (the direct-map alias of
 *                      text and rodata is read-only as well)
 * Nothing is mapped in the lower half, so NULL dereferences fault.  All
 * kernel mappings are global (CR4.PGE).  NX is used only if EFER.NXE is
 * set (entry.asm sets it when CPUID reports NX).
 *
 * The PML4 entries of the kernel half (256-511) that are used at all are
 * created here and never change afterwards, so a future per-process PML4
 * can copy them once and see every later kernel mapping.
 *
 * Page tables come from pmm and are reached through the direct map.  They
 * are never freed (unmapping leaves empty tables in place).  While the
 * direct map is built the boot tables are still live, so page tables must
 * lie below 4 GiB then: pmm only holds memory below 4 GiB until
 * pmm_init_high().
 *
 * Locking: vmm_lock (irqsave) protects every page-table entry below the
 * kernel PML4 and mmio_next.  Lock order: vmm_lock before pmm_lock.
 */
#include "mm/internal.h"
#include "boot/multiboot2.h"
#include "cpu/x86.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/spinlock.h"


#define CPUID_EXT_PDPE1GB (1U << 26)    /* CPUID 0x80000001 EDX */
#define DIRECT_MAP_MAX (64UL << 40)     /* PML4 slots 256-383 */

extern char __kernel_start[], __rodata_start[], __rodata_end[];
extern char __kernel_end[];

static struct spinlock vmm_lock = SPINLOCK_INIT("vmm");
static uint64_t *kernel_pml4;           /* [I] after vmm_init */
static paddr_t kernel_pml4_pa;          /* [I] */
static uint64_t nx_bit;                 /* [I] PTE_NX if EFER.NXE */
static bool have_1g_pages;              /* [I] */
static vaddr_t mmio_next = MMIO_AREA_BASE;  /* [v] vmm_lock */

static uint64_t level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * (level - 1));
}

static unsigned pt_index(vaddr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static uint64_t *table_va(uint64_t entry)
{
	return PHYS_TO_VIRT(entry & PTE_ADDR);
}

/* Address bits of a leaf at @level (large pages keep the PAT bit in 12). */
static uint64_t leaf_addr(uint64_t entry, int level)
{
	return entry & PTE_ADDR & ~(level_size(level) - 1);
}

/*
 * Invalidate the TLB entry for @va after a present entry changed.  This
 * is the shootdown hook: with more than one CPU it must also make every
 * other CPU that may cache the kernel mapping invalidate it (IPI, invlpg
 * there, wait for acknowledgement) before the old frame is reused.
 */
static void tlb_shootdown(vaddr_t va)
{
	invlpg(va);
}

static paddr_t table_alloc(void)
{
	paddr_t pa = pmm_alloc_page();

	if (pa)
		memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
	return pa;
}

static uint64_t pte_bits(unsigned flags)
{
	uint64_t bits = PTE_P;

	if (flags & VM_WRITE)
		bits |= PTE_W;
	if (!(flags & VM_EXEC))
		bits |= nx_bit;
	bits |= (flags & VM_USER) ? PTE_U : PTE_G;
	if (flags & VM_NOCACHE)
		bits |= PTE_PCD | PTE_PWT;
	return bits;
}

/*
 * Replace the large leaf *@e at @level (3: 1 GiB, 2: 2 MiB) by a table of
 * 512 leaves one level down with the same translation and attributes.
 */
static int split_large(uint64_t *e, int level)
{
	uint64_t old = *e, attrs = old & ~PTE_ADDR & ~PTE_PAT_LARGE;
	uint64_t base = leaf_addr(old, level), step = level_size(level - 1);
	paddr_t pa = table_alloc();
	uint64_t *t;

	if (!pa)
		return -ENOMEM;
	t = PHYS_TO_VIRT(pa);
	if (level - 1 == 1) {
		attrs &= ~PTE_PS;
		if (old & PTE_PAT_LARGE)
			attrs |= PTE_PAT_4K;
	} else if (old & PTE_PAT_LARGE) {
		attrs |= PTE_PAT_LARGE;
	}
	for (unsigned i = 0; i < 512; i++)
		t[i] = (base + i * step) | attrs;
	/* Same translation before and after: no flush needed yet. */
	WRITE_ONCE(*e, pa | PTE_P | PTE_W | (old & PTE_U));
	return 0;
}

/*
 * Entry for @va at @target level.  Missing tables are created if @create
 * (else -ENOENT); a large leaf above @target is split if @split (else
 * -EEXIST).  Caller holds vmm_lock (or is vmm_init).
 */
static uint64_t *walk(vaddr_t va, int target, bool create, bool split,
		      bool user, int *err)
{
	uint64_t *table = kernel_pml4;

	for (int level = 4; level > target; level--) {
		uint64_t *e = &table[pt_index(va, level)];

		if (!(*e & PTE_P)) {
			paddr_t pa;

			if (!create) {
				*err = -ENOENT;
				return NULL;
			}
			pa = table_alloc();
			if (!pa) {
				*err = -ENOMEM;
				return NULL;
			}
			WRITE_ONCE(*e, pa | PTE_P | PTE_W);
		} else if (*e & PTE_PS) {
			if (!split) {
				*err = -EEXIST;
				return NULL;
			}
			*err = split_large(e, level);
			if (*err)
				return NULL;
		}
		if (user)
			*e |= PTE_U;
		table = table_va(*e);
	}
	return &table[pt_index(va, target)];
}

/* Init-time: map [va, va+size) to [pa, ...) with the largest pages that
 * alignment allows; @bits are the leaf attributes without PTE_PS. */
static void map_range_early(vaddr_t va, paddr_t pa, uint64_t size,
			    uint64_t bits)
{
	while (size) {
		int level = 1;
		uint64_t *e;
		int err = 0;

		for (int l = have_1g_pages ? 3 : 2; l > 1; l--) {
			uint64_t sz = level_size(l);
			if (IS_ALIGNED(va | pa, sz) && size >= sz) {
				level = l;
				break;
			}
		}
		e = walk(va, level, true, false, false, &err);
		if (!e)
			panic("vmm: cannot map %#llx (%d)",
			      (unsigned long long)va, err);
		*e = pa | bits | (level > 1 ? PTE_PS : 0);
		va += level_size(level);
		pa += level_size(level);
		size -= level_size(level);
	}
}

static void map_kernel_image(void)
{
	struct {
		char *start, *end;
		uint64_t bits;
	} parts[] = {
		{ __kernel_start, __rodata_start, PTE_P | PTE_G },
		{ __rodata_start, __rodata_end, PTE_P | PTE_G | nx_bit },
		{ __rodata_end, __kernel_end, PTE_P | PTE_W | PTE_G | nx_bit },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(parts); i++) {
		vaddr_t s = ALIGN_DOWN((vaddr_t)parts[i].start, PAGE_SIZE);
		vaddr_t e = ALIGN_UP((vaddr_t)parts[i].end, PAGE_SIZE);

		/* 4 KiB pages only: the image is not 2 MiB aligned at the end. */
		for (vaddr_t va = s; va < e; va += PAGE_SIZE) {
			int err = 0;
			uint64_t *pte = walk(va, 1, true, false, false, &err);

			if (!pte)
				panic("vmm: cannot map the kernel (%d)", err);
			*pte = KERNEL_IMAGE_TO_PHYS(va) | parts[i].bits;
		}
	}
}

/* Make the direct-map alias of kernel text and rodata read-only too, so
 * that no mapping of the kernel's code is writable. */
static void protect_image_alias(void)
{
	paddr_t s = KERNEL_IMAGE_TO_PHYS(ALIGN_DOWN((vaddr_t)__kernel_start,
						    PAGE_SIZE));
	paddr_t e = KERNEL_IMAGE_TO_PHYS((vaddr_t)__rodata_end);

	for (paddr_t pa = s; pa < e; pa += PAGE_SIZE) {
		int err = 0;
		uint64_t *pte = walk((vaddr_t)PHYS_TO_VIRT(pa), 1, false, true,
				     false, &err);

		if (!pte)
			panic("vmm: cannot split the direct map (%d)", err);
		*pte = pa | PTE_P | PTE_G | nx_bit;
	}
}

/* Create the PML4 entries of the kernel virtual area now (see top). */
static void prealloc_varea(void)
{
	for (vaddr_t va = KERNEL_VAREA_BASE;
	     va < KERNEL_VAREA_BASE + KERNEL_VAREA_SIZE; va += level_size(4)) {
		int err = 0;

		if (!walk(va, 3, true, false, false, &err))
			panic("vmm: out of memory for page tables");
	}
}

void vmm_init(const struct boot_info *bi)
{
	uint32_t a, b, c, d;
	uint64_t top = ALIGN_UP(MAX(pmm_map_top(bi), 4UL << 30), PAGE_SIZE);

	nx_bit = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	have_1g_pages = d & CPUID_EXT_PDPE1GB;
	if (top > DIRECT_MAP_MAX) {
		pr_warn("vmm: direct map limited to %llu TiB\n",
			(unsigned long long)(DIRECT_MAP_MAX >> 40));
		top = DIRECT_MAP_MAX;
	}

	kernel_pml4_pa = table_alloc();
	if (!kernel_pml4_pa)
		panic("vmm: out of memory for the PML4");
	kernel_pml4 = PHYS_TO_VIRT(kernel_pml4_pa);
	map_range_early(PHYS_MAP_BASE, 0, top, PTE_P | PTE_W | PTE_G | nx_bit);
	protect_image_alias();
	prealloc_varea();
	map_kernel_image();

	write_cr3(kernel_pml4_pa);
	write_cr4(read_cr4() | CR4_PGE);
	pr_info("vmm: direct map %llu GiB (%s pages)%s\n",
		(unsigned long long)(top >> 30), have_1g_pages ? "1 GiB" : "2 MiB",
		nx_bit ? ", NX" : ", no NX");
}

paddr_t vmm_kernel_pml4(void)
{
	return kernel_pml4_pa;
}

/* Map one page; caller holds vmm_lock. */
static int map_locked(vaddr_t va, paddr_t pa, uint64_t bits)
{
	int err = 0;
	uint64_t *pte;

	ASSERT_HELD(&vmm_lock);
	pte = walk(va, 1, true, false, bits & PTE_U, &err);
	if (!pte)
		return err;
	if (*pte & PTE_P)
		return -EEXIST;
	WRITE_ONCE(*pte, pa | bits);
	return 0;
}

int vmm_map_page(vaddr_t va, paddr_t pa, unsigned flags)
{
	unsigned long irq;
	int err;

	ASSERT(kernel_pml4);
	if (!IS_ALIGNED(va | pa, PAGE_SIZE))
		return -EINVAL;
	irq = spin_lock_irqsave(&vmm_lock);
	err = map_locked(va, pa, pte_bits(flags));
	spin_unlock_irqrestore(&vmm_lock, irq);
	return err;
}

/* Unmap one page; caller holds vmm_lock.  Returns the frame or 0. */
static paddr_t unmap_locked(vaddr_t va)
{
	int err = 0;
	uint64_t *pte;
	paddr_t pa;

	ASSERT_HELD(&vmm_lock);
	pte = walk(va, 1, false, true, false, &err);
	if (!pte) {
		if (err == -ENOMEM)
			pr_err("vmm: no memory to split the page at %#llx\n",
			       (unsigned long long)va);
		return 0;
	}
	if (!(*pte & PTE_P))
		return 0;
	pa = *pte & PTE_ADDR;
	WRITE_ONCE(*pte, 0);
	tlb_shootdown(va);
	return pa;
}

paddr_t vmm_unmap_page(vaddr_t va)
{
	unsigned long irq;
	paddr_t pa;

	ASSERT(kernel_pml4);
	irq = spin_lock_irqsave(&vmm_lock);
	pa = unmap_locked(ALIGN_DOWN(va, PAGE_SIZE));

	spin_unlock_irqrestore(&vmm_lock, irq);
	return pa;
}

int vmm_protect_page(vaddr_t va, unsigned flags)
{
	unsigned long irq;
	int err = 0;
	uint64_t *pte;

	ASSERT(kernel_pml4);
	irq = spin_lock_irqsave(&vmm_lock);
	va = ALIGN_DOWN(va, PAGE_SIZE);
	pte = walk(va, 1, false, true, flags & VM_USER, &err);
	if (pte && !(*pte & PTE_P))
		err = -ENOENT;
	if (pte && !err) {
		WRITE_ONCE(*pte, (*pte & PTE_ADDR) | pte_bits(flags));
		tlb_shootdown(va);
	}
	spin_unlock_irqrestore(&vmm_lock, irq);
	return err;
}

paddr_t vmm_translate(vaddr_t va, bool *ok)
{
	unsigned long irq;
	uint64_t *table = kernel_pml4;
	paddr_t pa = 0;

	ASSERT(table);
	irq = spin_lock_irqsave(&vmm_lock);
	*ok = false;
	for (int level = 4; level >= 1; level--) {
		uint64_t e = table[pt_index(va, level)];

		if (!(e & PTE_P))
			break;
		if (level == 1 || (e & PTE_PS)) {
			pa = leaf_addr(e, level) + (va & (level_size(level) - 1));
			*ok = true;
			break;
		}
		table = table_va(e);
	}
	spin_unlock_irqrestore(&vmm_lock, irq);
	return pa;
}

void *vmm_map_mmio(paddr_t pa, size_t size)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t len, bits = PTE_P | PTE_W | PTE_G | PTE_PCD | PTE_PWT | nx_bit;
	unsigned long irq;
	vaddr_t va;

	ASSERT(kernel_pml4);
	if (pa + MAX(size, 1) < pa)
		return NULL;
	len = ALIGN_UP(pa + MAX(size, 1), PAGE_SIZE) - base;
	irq = spin_lock_irqsave(&vmm_lock);
	va = mmio_next;
	/* One unmapped guard page after each mapping. */
	if (len + PAGE_SIZE > MMIO_AREA_BASE + MMIO_AREA_SIZE - va)
		goto fail;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		if (map_locked(va + off, base + off, bits)) {
			while (off) {
				off -= PAGE_SIZE;
				unmap_locked(va + off);
			}
			goto fail;
		}
	}
	mmio_next += len + PAGE_SIZE;
	spin_unlock_irqrestore(&vmm_lock, irq);
	return (void *)(va + (pa - base));
fail:
	spin_unlock_irqrestore(&vmm_lock, irq);
	pr_err("vmm: cannot map MMIO %#llx+%#zx\n", (unsigned long long)pa, size);
	return NULL;
}

uint64_t vmm_pte_nx(void)
{
	return nx_bit;
}
