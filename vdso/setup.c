/*
 * Kernel side of the vDSO: at boot, copy the embedded image into frames
 * that every address space shares (struct mm_special, read-only, never
 * freed) and allocate the [vvar] data page the time code publishes into;
 * at exec, map both into the new address space, [vvar] directly below
 * [vdso], as one block placed like an mmap (so it moves with the mmap
 * base when address-space randomization is on).
 *
 * Locking: everything here is written once by vdso_init() on the boot
 * CPU before any process exists ([I]); the contents of the data page
 * follow the sequence protocol of vdso/vvar.h.
 */
#include "vdso/vdso.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

#define VDSO_MAX_PAGES 4

static paddr_t image_pages[VDSO_MAX_PAGES];     /* [I] */
static paddr_t vvar_pages[1];                   /* [I] */
static struct vvar_data *vvar;                  /* [I] */

/* Linux: VM_READ|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC (gdb may write it). */
static struct mm_special vdso_special = {
	.name = "[vdso]",
	.pages = image_pages,
	.max_prot = VM_READ | VM_WRITE | VM_EXEC,
};
/* Linux: VM_READ|VM_MAYREAD|VM_PFNMAP, no write or execute ever. */
static struct mm_special vvar_special = {
	.name = "[vvar]",
	.pages = vvar_pages,
	.npages = 1,
	.max_prot = VM_READ,
	.raw = true,
};

/* How user mode can learn its CPU number (IA32_TSC_AUX is set up by
 * cpu/cpu.c whenever RDTSCP or RDPID exists). */
static uint32_t getcpu_mode(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		if (c & CPUID_7_ECX_RDPID)
			return VVAR_GETCPU_RDPID;
	}
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		if (d & CPUID_80000001_EDX_RDTSCP)
			return VVAR_GETCPU_RDTSCP;
	}
	return VVAR_GETCPU_SYSCALL;
}

void vdso_init(void)
{
	size_t size = (size_t)(vdso_image_end - vdso_image_start);
	size_t npages = DIV_ROUND_UP(size, PAGE_SIZE);

	if (size < 64 || memcmp(vdso_image_start, "\177ELF", 4) != 0 ||
	    npages > VDSO_MAX_PAGES)
		panic("vdso: embedded image is malformed (%zu bytes)", size);
	for (size_t i = 0; i < npages; i++) {
		size_t n = MIN(PAGE_SIZE, size - i * PAGE_SIZE);

		image_pages[i] = mm_special_page_alloc();
		if (!image_pages[i])
			panic("vdso: out of memory");
		memcpy(PHYS_TO_VIRT(image_pages[i]),
		       vdso_image_start + i * PAGE_SIZE, n);
	}
	vdso_special.npages = npages;
	vvar_pages[0] = mm_special_page_alloc();
	if (!vvar_pages[0])
		panic("vdso: out of memory");
	vvar = PHYS_TO_VIRT(vvar_pages[0]);
	vvar->clock_mode = VVAR_CLOCK_NONE;     /* until clock_init */
	vvar->getcpu_mode = getcpu_mode();
	pr_info("vdso: %zu bytes, getcpu via %s\n", size,
		vvar->getcpu_mode == VVAR_GETCPU_RDPID ? "RDPID" :
		vvar->getcpu_mode == VVAR_GETCPU_RDTSCP ? "RDTSCP" : "syscall");
}

int vdso_map(struct mm *mm, uaddr_t *base)
{
	size_t vvar_len = vvar_special.npages * PAGE_SIZE;
	size_t len = vvar_len + vdso_special.npages * PAGE_SIZE;
	uaddr_t addr = mm_find_free(mm, len);
	int err;

	if (!addr)
		return -ENOMEM;
	err = mm_map_special(mm, addr, &vvar_special, VM_READ);
	if (!err)
		err = mm_map_special(mm, addr + vvar_len, &vdso_special,
				     VM_READ | VM_EXEC);
	if (err)
		return err;
	*base = addr + vvar_len;
	return 0;
}

struct vvar_data *vdso_vvar(void)
{
	return vvar;
}
