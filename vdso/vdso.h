/*
 * The vDSO as the kernel sees it: the embedded image (build/vdso/vdso.so,
 * from vdso/vdso.c) and its data page ([vvar], vdso/vvar.h), both kept in
 * frames of their own and mapped into every process at exec (Linux's
 * arch_setup_additional_pages).  The user-mode side is vdso/vdso.c.
 */
#ifndef VDSO_VDSO_H
#define VDSO_VDSO_H

#include "include/compiler.h"
#include "vdso/vvar.h"

struct mm;

/* Copy the image into its frames and set up the data page; after mm_init
 * and before clock_init.  Panics if the embedded image is malformed. */
void vdso_init(void);

/* Map [vvar] and, one page above it, [vdso] into @mm below its mmap base
 * (top-down, as mmap would place them).  0 and the image's address in
 * *@base, or -ENOMEM. */
int vdso_map(struct mm *mm, uaddr_t *base);

/* The data page for the time code to publish into; NULL before
 * vdso_init.  Writers follow vvar.h's sequence protocol. */
struct vvar_data *vdso_vvar(void);

/* The embedded image (vdso/image.asm). */
extern const uint8_t vdso_image_start[], vdso_image_end[];

#endif
