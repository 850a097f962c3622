/*
 * Access to user memory.  Every read or write of a user address goes
 * through these functions: they check that the range lies below USER_TOP
 * and do the access in code that the page-fault handler can fix up, so a
 * bad pointer yields -EFAULT instead of a kernel fault.  Faults on valid
 * but absent pages (demand paging, copy-on-write) are resolved first.
 */
#ifndef SYSCALL_UACCESS_H
#define SYSCALL_UACCESS_H

#include "include/compiler.h"
#include "include/errno.h"

/* One past the highest user address (Linux's TASK_SIZE_MAX on x86_64). */
#define USER_TOP 0x00007ffffffff000UL

static inline bool user_range_ok(uaddr_t addr, size_t len)
{
	return addr <= USER_TOP && len <= USER_TOP - addr;
}

/* 0 or -EFAULT. */
int copy_from_user(void *dst, uaddr_t src, size_t len);
int copy_to_user(uaddr_t dst, const void *src, size_t len);
int clear_user(uaddr_t dst, size_t len);
/*
 * Copy a NUL-terminated string of at most @max bytes including the NUL.
 * Returns its length (without NUL), -EFAULT, or -ENAMETOOLONG if no NUL
 * was found within @max bytes.
 */
long strncpy_from_user(char *dst, uaddr_t src, size_t max);

/*
 * Copy as much of @len bytes as can be copied before the first bad user
 * address: bytes copied, or -EFAULT if not even one (read(2) and write(2)
 * report such partial transfers, as Linux does).
 */
long copy_to_user_prefix(uaddr_t dst, const void *src, size_t len);
long copy_from_user_prefix(void *dst, uaddr_t src, size_t len);

/* Atomically replace the aligned 32-bit word at @addr with @new if it
 * holds @old; *@seen gets the value found (== @old iff replaced).
 * 0 or -EFAULT (futexes). */
int cmpxchg_user_u32(uaddr_t addr, uint32_t old, uint32_t new,
		     uint32_t *seen);

#define get_user(kvar, uptr) copy_from_user(&(kvar), (uaddr_t)(uptr), sizeof(kvar))
#define put_user(kval, uptr)                                            \
	({                                                              \
		__typeof__(*(uptr)) pu_tmp_ = (kval);                   \
		copy_to_user((uaddr_t)(uptr), &pu_tmp_, sizeof(pu_tmp_)); \
	})

struct trap_frame;
/* Page-fault fixup: true if @tf faulted inside a user-access primitive
 * (its RIP is moved to the primitive's -EFAULT return). */
bool uaccess_fixup(struct trap_frame *tf);

#endif
