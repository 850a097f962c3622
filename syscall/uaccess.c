/*
 * User-memory access: range checks in C, the faulting accesses in
 * uaccess_asm.asm.  See uaccess.h for the contract.
 */
#include "syscall/uaccess.h"
#include "cpu/cpu.h"

extern char uaccess_text_start[], uaccess_text_end[], uaccess_fault[];
extern char uaccess_partial_start[], uaccess_partial_end[],
	uaccess_partial_fault[];
extern char uaccess_partial_qstart[], uaccess_partial_qend[],
	uaccess_partial_qfault[];
size_t uaccess_copy_partial(void *dst, const void *src, size_t n);
long uaccess_copy(void *dst, const void *src, size_t n);
long uaccess_clear(void *dst, size_t n);
long uaccess_strncpy(char *dst, const char *src, size_t max);
long uaccess_cmpxchg32(uint32_t *uaddr, uint32_t old, uint32_t new,
		       uint32_t *seen);

int copy_from_user(void *dst, uaddr_t src, size_t len)
{
	if (!user_range_ok(src, len))
		return -EFAULT;
	return (int)uaccess_copy(dst, (const void *)src, len);
}

int copy_to_user(uaddr_t dst, const void *src, size_t len)
{
	if (!user_range_ok(dst, len))
		return -EFAULT;
	return (int)uaccess_copy((void *)dst, src, len);
}

int clear_user(uaddr_t dst, size_t len)
{
	if (!user_range_ok(dst, len))
		return -EFAULT;
	return (int)uaccess_clear((void *)dst, len);
}

long strncpy_from_user(char *dst, uaddr_t src, size_t max)
{
	long n;

	if (src >= USER_TOP)
		return -EFAULT;
	/* Never read past USER_TOP: clamp, and report a fault if the string
	 * would have continued there. */
	if (max > USER_TOP - src)
		max = USER_TOP - src;
	n = uaccess_strncpy(dst, (const char *)src, max);
	if (n == -1)
		return max == USER_TOP - src ? -EFAULT : -ENAMETOOLONG;
	return n;
}

int cmpxchg_user_u32(uaddr_t addr, uint32_t old, uint32_t new,
		     uint32_t *seen)
{
	if ((addr & 3) || !user_range_ok(addr, sizeof(uint32_t)))
		return -EFAULT;
	return (int)uaccess_cmpxchg32((uint32_t *)addr, old, new, seen);
}

long copy_to_user_prefix(uaddr_t dst, const void *src, size_t len)
{
	size_t left;

	if (dst >= USER_TOP)
		return -EFAULT;
	if (len > USER_TOP - dst)
		len = USER_TOP - dst;
	left = uaccess_copy_partial((void *)dst, src, len);
	return left == len && len ? -EFAULT : (long)(len - left);
}

long copy_from_user_prefix(void *dst, uaddr_t src, size_t len)
{
	size_t left;

	if (src >= USER_TOP)
		return -EFAULT;
	if (len > USER_TOP - src)
		len = USER_TOP - src;
	left = uaccess_copy_partial(dst, (const void *)src, len);
	return left == len && len ? -EFAULT : (long)(len - left);
}

bool uaccess_fixup(struct trap_frame *tf)
{
	if (tf->rip >= (uint64_t)uaccess_partial_qstart &&
	    tf->rip < (uint64_t)uaccess_partial_qend) {
		tf->rip = (uint64_t)uaccess_partial_qfault;
		return true;
	}
	if (tf->rip >= (uint64_t)uaccess_partial_start &&
	    tf->rip < (uint64_t)uaccess_partial_end) {
		tf->rip = (uint64_t)uaccess_partial_fault;
		return true;
	}
	if (tf->rip >= (uint64_t)uaccess_text_start &&
	    tf->rip < (uint64_t)uaccess_text_end) {
		tf->rip = (uint64_t)uaccess_fault;
		return true;
	}
	return false;
}
