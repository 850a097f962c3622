/*
 * User FPU/SSE/AVX state.  The kernel itself never touches these
 * registers (-mgeneral-regs-only), so a user thread's state stays live in
 * the CPU while it is in the kernel and is saved and restored only when
 * another user thread gets the CPU (sched_arch_switch).  XSAVE is used
 * when the CPU and OS support it (SDM vol. 1, chapter 13), with XCR0
 * enabling x87, SSE and AVX; otherwise FXSAVE.  Each thread's area is one
 * page (64-byte alignment, room for any XSAVE size we enable).
 */
#include "process/internal.h"
#include "cpu/x86.h"
#include "include/assert.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

#define CR4_OSXSAVE (1UL << 18)
#define XFEATURE_X87 0x1
#define XFEATURE_SSE 0x2
#define XFEATURE_AVX 0x4

static bool use_xsave;          /* [I] after fpu_init */
static uint64_t xcr0;           /* [I] */
static uint32_t xsave_size;     /* [I] bytes XSAVE writes for xcr0 */

static inline void xsetbv(uint32_t index, uint64_t value)
{
	__asm__ __volatile__("xsetbv" : : "c"(index), "a"((uint32_t)value),
			     "d"((uint32_t)(value >> 32)));
}

void fpu_init(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (c & (1U << 26)) {                   /* XSAVE */
		write_cr4(read_cr4() | CR4_OSXSAVE);
		cpuid(0xd, 0, &a, &b, &c, &d);
		xcr0 = a & (XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX);
		xsetbv(0, xcr0);
		cpuid(0xd, 0, &a, &b, &c, &d);
		xsave_size = b;
		use_xsave = xsave_size <= PAGE_SIZE;
	}
	if (!use_xsave)
		xsave_size = 512;
	pr_info("fpu: %s, %u bytes of state, features %#llx\n",
		use_xsave ? "xsave" : "fxsave", xsave_size,
		(unsigned long long)(use_xsave ? xcr0 : 3));
}

uint32_t fpu_state_size(void)
{
	return xsave_size;
}

bool fpu_uses_xsave(void)
{
	return use_xsave;
}

uint64_t fpu_xfeatures(void)
{
	return use_xsave ? xcr0 : 3;
}

void *fpu_area_alloc(void)
{
	paddr_t pa = pmm_alloc_page();

	if (!pa)
		return NULL;
	fpu_init_state(PHYS_TO_VIRT(pa));
	return PHYS_TO_VIRT(pa);
}

void fpu_area_free(void *area)
{
	if (area)
		pmm_free_page(VIRT_TO_PHYS(area));
}

/* The state of a freshly exec'd program: FCW 0x37f, MXCSR 0x1f80. */
void fpu_init_state(void *area)
{
	uint8_t *p = area;

	memset(p, 0, PAGE_SIZE);
	p[0] = 0x7f;                    /* FCW = 0x037f */
	p[1] = 0x03;
	*(uint32_t *)(p + 24) = 0x1f80; /* MXCSR */
	*(uint32_t *)(p + 28) = 0xffff; /* MXCSR_MASK (ignored on restore) */
	if (use_xsave)
		*(uint64_t *)(p + 512) = XFEATURE_X87 | XFEATURE_SSE;
}

void fpu_save(void *area)
{
	if (use_xsave)
		__asm__ __volatile__("xsave64 (%0)" : : "r"(area),
				     "a"((uint32_t)xcr0),
				     "d"((uint32_t)(xcr0 >> 32)) : "memory");
	else
		__asm__ __volatile__("fxsave64 (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
	if (use_xsave)
		__asm__ __volatile__("xrstor64 (%0)" : : "r"(area),
				     "a"((uint32_t)xcr0),
				     "d"((uint32_t)(xcr0 >> 32)) : "memory");
	else
		__asm__ __volatile__("fxrstor64 (%0)" : : "r"(area) : "memory");
}

/*
 * Make state that came from user memory (sigreturn) safe to restore:
 * reserved MXCSR bits and unknown XSAVE header bits would fault.
 */
void fpu_sanitize(void *area)
{
	uint8_t *p = area;

	*(uint32_t *)(p + 24) &= 0xffff;
	if (use_xsave) {
		uint64_t *hdr = (uint64_t *)(p + 512);
		hdr[0] &= xcr0;                 /* XSTATE_BV */
		memset(hdr + 1, 0, 56);         /* XCOMP_BV and reserved */
	}
}
