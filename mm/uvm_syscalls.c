/*
 * Memory system calls: mmap (anonymous), munmap, mprotect, brk, mremap,
 * madvise.  Argument checks follow mmap(2), mprotect(2), brk(2),
 * mremap(2) and madvise(2).
 */
#include "mm/mm.h"
#include "include/errno.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "vfs/vfs.h"

#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x0100
#define MAP_DENYWRITE 0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_FIXED_NOREPLACE 0x100000

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8

static unsigned prot_to_vm(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) |
	       ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

static struct mm *current_mm(void)
{
	return current_process()->mm;
}

/* RLIMIT_AS: may the address space grow by @grow bytes? */
static bool may_grow(struct mm *mm, uint64_t grow)
{
	uint64_t limit = current_process()->rlimits[RLIMIT_AS].cur;

	return limit == UINT64_MAX || mm_total_size(mm) + grow <= limit;
}

SYSCALL_DEFINE6(mmap, uaddr_t, addr, size_t, len, unsigned long, prot,
		unsigned long, flags, int, fd, long, off)
{
	struct mm *mm = current_mm();
	unsigned type = flags & MAP_TYPE;
	size_t alen;
	int err;

	if (!len)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	alen = ALIGN_UP(len, PAGE_SIZE);
	if (alen < len || alen > USER_TOP)
		return -ENOMEM;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd >= 0 ? fd_get(fd) : NULL;
		int err;

		if (!f)
			return -EBADF;
		/* File pages need the page cache; devices such as /dev/zero
		 * map as anonymous memory. */
		err = f->ops && f->ops->mmap ? f->ops->mmap(f) : -ENODEV;
		file_put(f);
		if (err)
			return err;
	}
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (!user_range_ok(addr, alen) || addr < PAGE_SIZE)
			return -ENOMEM;  /* Linux: EPERM for 0 with mmap_min_addr */
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
		    !mm_range_free(mm, addr, alen))
			return -EEXIST;
	} else {
		addr = ALIGN_DOWN(addr, PAGE_SIZE);
		if (!addr || !user_range_ok(addr, alen) ||
		    !mm_range_free(mm, addr, alen))
			addr = mm_find_free(mm, alen);
		if (!addr)
			return -ENOMEM;
	}
	if (!may_grow(mm, alen))
		return -ENOMEM;
	err = mm_map_fixed(mm, addr, alen, prot_to_vm(prot),
			   (type == MAP_PRIVATE ? 0 : VMA_SHARED) |
			   ((flags & MAP_GROWSDOWN) ? VMA_GROWSDOWN : 0));
	return err ? err : (long)addr;
}

SYSCALL_DEFINE2(munmap, uaddr_t, addr, size_t, len)
{
	size_t alen = ALIGN_UP(len, PAGE_SIZE);

	if ((addr & (PAGE_SIZE - 1)) || !len || alen < len ||
	    !user_range_ok(addr, alen))
		return -EINVAL;
	return mm_unmap(current_mm(), addr, alen);
}

SYSCALL_DEFINE3(mprotect, uaddr_t, addr, size_t, len, unsigned long, prot)
{
	size_t alen = ALIGN_UP(len, PAGE_SIZE);

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN |
		     PROT_GROWSUP))
		return -EINVAL;
	if (alen < len || !user_range_ok(addr, alen))
		return -ENOMEM;
	if (!len)
		return 0;
	return mm_protect(current_mm(), addr, alen, prot_to_vm(prot));
}

SYSCALL_DEFINE1(brk, uaddr_t, brk)
{
	struct mm *mm = current_mm();
	struct mm_layout *l = mm_layout(mm);
	uaddr_t old_end = ALIGN_UP(l->brk, PAGE_SIZE);
	uaddr_t new_end = ALIGN_UP(brk, PAGE_SIZE);

	if (brk < l->start_brk || brk >= l->mmap_base)
		return l->brk;
	if (new_end > old_end && (!mm_range_free(mm, old_end, new_end - old_end) ||
				  !may_grow(mm, new_end - old_end)))
		return l->brk;
	if (mm_resize_heap(mm, l->start_brk, old_end, new_end))
		return l->brk;
	l->brk = brk;
	return brk;
}

SYSCALL_DEFINE5(mremap, uaddr_t, old, size_t, old_len, size_t, new_len,
		unsigned long, flags, uaddr_t, new_addr)
{
	struct mm *mm = current_mm();
	size_t olen = ALIGN_UP(old_len, PAGE_SIZE), nlen = ALIGN_UP(new_len, PAGE_SIZE);
	uaddr_t dest;
	int err;

	if ((old & (PAGE_SIZE - 1)) || !new_len ||
	    (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL;         /* not supported yet */
	if (!user_range_ok(old, olen) || !olen || !mm_range_mapped(mm, old, olen))
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		if ((new_addr & (PAGE_SIZE - 1)) || !user_range_ok(new_addr, nlen))
			return -EINVAL;
		if (new_addr < old + olen && old < new_addr + nlen)
			return -EINVAL;
		err = mm_move(mm, old, olen, new_addr, nlen);
		return err ? err : (long)new_addr;
	}
	if (nlen <= olen) {
		if (nlen < olen && (err = mm_unmap(mm, old + nlen, olen - nlen)))
			return err;     /* a special mapping cannot shrink */
		return old;
	}
	err = user_range_ok(old, nlen) ? mm_grow_in_place(mm, old, olen, nlen)
				       : -ENOMEM;
	if (!err)
		return old;
	if (err == -EFAULT)
		return err;     /* a special mapping cannot grow */
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	dest = mm_find_free(mm, nlen);
	if (!dest)
		return -ENOMEM;
	err = mm_move(mm, old, olen, dest, nlen);
	return err ? err : (long)dest;
}

SYSCALL_DEFINE3(madvise, uaddr_t, addr, size_t, len, int, advice)
{
	size_t alen = ALIGN_UP(len, PAGE_SIZE);

	if ((addr & (PAGE_SIZE - 1)) || alen < len)
		return -EINVAL;
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
		return 0;
	case MADV_DONTNEED:
	case MADV_FREE:
		if (!mm_range_mapped(current_mm(), addr, alen))
			return -ENOMEM;
		return mm_discard(current_mm(), addr, alen);
	default:
		return -EINVAL;
	}
}
