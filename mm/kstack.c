/*
 * Kernel stacks: KSTACK_SIZE of 4 KiB pages mapped at the top of a slot
 * of KSTACK_SLOT_SIZE bytes in the stack area of the kernel virtual area.
 * The lower part of each slot (at least one page) is never mapped, so a
 * stack overflow page-faults instead of running into the stack below.
 * The pages are single frames: a stack needs no physically contiguous
 * memory.
 *
 * Locking: kstack_lock protects the slot bitmap; the
 * mapping itself is done without it (vmm_lock, pmm_lock).  kstack_lock
 * is never held while taking another lock.
 */
#include "mm/internal.h"
#include "include/assert.h"
#include "sched/spinlock.h"

#define KSTACK_SLOT_SIZE (2 * KSTACK_SIZE)
#define KSTACK_MAX_STACKS 16384
#define KSTACK_PAGES (KSTACK_SIZE / PAGE_SIZE)

STATIC_ASSERT((uint64_t)KSTACK_MAX_STACKS * KSTACK_SLOT_SIZE <= KSTACK_AREA_SIZE,
	      "stack slots fit in the stack area");
STATIC_ASSERT(KSTACK_SLOT_SIZE - KSTACK_SIZE >= PAGE_SIZE, "guard page");

static struct spinlock kstack_lock = SPINLOCK_INIT("kstack");
static uint64_t slot_used[KSTACK_MAX_STACKS / 64];     /* [k] */

/* Lowest free slot: reusing low slots keeps the page tables that map
 * the stack area from growing as threads come and go. */
static long slot_take(void)
{
	unsigned long irq = spin_lock_irqsave(&kstack_lock);
	long found = -1;

	for (unsigned w = 0; w < KSTACK_MAX_STACKS / 64; w++) {
		if (slot_used[w] != ~0UL) {
			unsigned bit = __builtin_ctzl(~slot_used[w]);
			slot_used[w] |= 1UL << bit;
			found = w * 64 + bit;
			break;
		}
	}
	spin_unlock_irqrestore(&kstack_lock, irq);
	return found;
}

static void slot_release(unsigned s)
{
	unsigned long irq = spin_lock_irqsave(&kstack_lock);

	ASSERT(slot_used[s / 64] & (1UL << (s % 64)));
	slot_used[s / 64] &= ~(1UL << (s % 64));
	spin_unlock_irqrestore(&kstack_lock, irq);
}

/* Unmap and free the first @n pages of the stack at @stack. */
static void stack_pages_free(vaddr_t stack, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		paddr_t pa = vmm_unmap_page(stack + i * PAGE_SIZE);

		ASSERT(pa);
		pmm_free_page(pa);
	}
}

void *kstack_alloc(void)
{
	long slot = slot_take();
	vaddr_t stack;
	unsigned i;

	if (slot < 0)
		return NULL;
	stack = KSTACK_AREA_BASE + (uint64_t)slot * KSTACK_SLOT_SIZE +
		(KSTACK_SLOT_SIZE - KSTACK_SIZE);
	for (i = 0; i < KSTACK_PAGES; i++) {
		paddr_t pa = pmm_alloc_page();

		if (!pa)
			goto out_unmap;
		if (vmm_map_page(stack + i * PAGE_SIZE, pa, VM_READ | VM_WRITE)) {
			pmm_free_page(pa);
			goto out_unmap;
		}
	}
	return (void *)stack;

out_unmap:
	stack_pages_free(stack, i);
	slot_release(slot);
	return NULL;
}

void kstack_free(void *stack)
{
	vaddr_t va = (vaddr_t)stack;
	uint64_t off = va - KSTACK_AREA_BASE;

	if (!stack)
		return;
	ASSERT(va >= KSTACK_AREA_BASE &&
	       off < (uint64_t)KSTACK_MAX_STACKS * KSTACK_SLOT_SIZE &&
	       off % KSTACK_SLOT_SIZE == KSTACK_SLOT_SIZE - KSTACK_SIZE);
	stack_pages_free(va, KSTACK_PAGES);
	slot_release(off / KSTACK_SLOT_SIZE);
}
