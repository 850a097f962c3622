/*
 * Memory system calls: mmap (anonymous and files), munmap, mprotect, brk,
 * mremap, madvise, msync, mincore.  Argument checks follow mmap(2),
 * mprotect(2), brk(2), mremap(2), madvise(2), msync(2), mincore(2) and,
 * where the pages are silent, the order Linux's mm/mmap.c checks in.
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
#define MAP_UNINITIALIZED 0x4000000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000
/* What MAP_SHARED_VALIDATE accepts for files without MAP_SYNC support. */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | \
	MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | \
	MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | \
	MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

#define MAX_FILE_OFFSET INT64_MAX       /* Linux MAX_LFS_FILESIZE */

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

/* The file checks of mmap (Linux do_mmap): 0, filling *maxprot, or
 * -errno. */
static int check_file_map(struct file *f, unsigned long prot,
			  unsigned long flags, uint64_t pgoff, size_t len,
			  unsigned *maxprot)
{
	if (len > MAX_FILE_OFFSET ||
	    pgoff > (uint64_t)(MAX_FILE_OFFSET - len) >> PAGE_SHIFT)
		return -EOVERFLOW;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~LEGACY_MAP_MASK)
			return -EOPNOTSUPP;
		/* fall through */
	case MAP_SHARED:
		if ((prot & PROT_WRITE) && !(f->fmode & FMODE_WRITE))
			return -EACCES;
		if (!(f->fmode & FMODE_WRITE))
			*maxprot &= ~VM_WRITE;
		if (memfd_write_sealed(f->inode)) {
			if (prot & PROT_WRITE)
				return -EPERM;  /* F_SEAL_(FUTURE_)WRITE */
			*maxprot &= ~VM_WRITE;
		}
		/* fall through */
	case MAP_PRIVATE:
		if (!(f->fmode & FMODE_READ))
			return -EACCES;
		if (file_noexec(f)) {
			if (prot & PROT_EXEC)
				return -EPERM;
			*maxprot &= ~VM_EXEC;
		}
		if (!f->ops || !f->ops->mmap)
			return -ENODEV;
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

static int check_anon_map(unsigned long flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		return (flags & MAP_GROWSDOWN) ? -EINVAL : 0;
	case MAP_PRIVATE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* Where the mapping goes (Linux get_unmapped_area): checks of the
 * address, and how mm_map is to place it (decided under the mm lock).
 * 0 or -errno. */
static long place_map(uaddr_t addr, size_t alen, unsigned long flags,
		      struct mm_map_req *req)
{
	if (alen > USER_TOP)
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr > USER_TOP - alen)
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < PAGE_SIZE)
			return -ENOMEM;  /* Linux: EPERM below mmap_min_addr */
		req->addr = addr;
		req->place = (flags & MAP_FIXED) ? MM_PLACE_REPLACE
						 : MM_PLACE_NOREPLACE;
		return 0;
	}
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	req->addr = user_range_ok(addr, alen) ? addr : 0;
	req->place = MM_PLACE_HINT;
	return 0;
}

SYSCALL_DEFINE6(mmap, uaddr_t, addr, size_t, len, unsigned long, prot,
		unsigned long, flags, int, fd, long, off)
{
	struct mm *mm = current_mm();
	struct mm_map_req req = { .maxprot = VM_READ | VM_WRITE | VM_EXEC };
	uint64_t pgoff = (uint64_t)off >> PAGE_SHIFT;
	struct file *f = NULL;
	size_t alen;
	long ret;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd >= 0 ? fd_get(fd) : NULL;
		if (f && (f->fmode & FMODE_PATH)) {
			file_put(f);
			f = NULL;
		}
		if (!f)
			return -EBADF;
		if (flags & MAP_HUGETLB) {
			ret = -EINVAL;  /* not a hugetlbfs file */
			goto out;
		}
	} else if (flags & MAP_HUGETLB) {
		return -ENOMEM;         /* no huge pages reserved */
	}
	ret = -EINVAL;
	if (!len)
		goto out;
	ret = -ENOMEM;
	alen = ALIGN_UP(len, PAGE_SIZE);
	if (alen < len)
		goto out;
	ret = -EOVERFLOW;
	if (pgoff + (alen >> PAGE_SHIFT) < pgoff)
		goto out;
	ret = place_map(addr, alen, flags, &req);
	if (ret < 0)
		goto out;
	req.len = alen;
	req.prot = prot_to_vm(prot);
	req.vflags = (flags & MAP_TYPE) == MAP_PRIVATE ? 0 : VMA_SHARED;
	if (flags & MAP_GROWSDOWN)
		req.vflags |= VMA_GROWSDOWN;
	ret = f ? check_file_map(f, prot, flags, pgoff, alen, &req.maxprot)
		: check_anon_map(flags);
	if (ret)
		goto out;
	if (f) {
		ret = f->ops->mmap(f);
		if (ret < 0)
			goto out;
		if (ret != VFS_MMAP_ANON) {
			req.file = f;
			req.pgoff = pgoff;
		}
	}
	ret = -ENOMEM;
	if (!may_grow(mm, alen))
		goto out;
	ret = mm_map(mm, &req);
	if (ret)
		goto out;
	if (flags & (MAP_POPULATE | MAP_LOCKED))
		mm_populate(mm, req.addr, alen);
	ret = (long)req.addr;
out:
	if (f)
		file_put(f);
	return ret;
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
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	size_t alen = ALIGN_UP(len, PAGE_SIZE);

	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return 0;
	if (alen < len || !user_range_ok(addr, alen))
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN |
		     PROT_GROWSUP))
		return -EINVAL;
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
	if (new_end > old_end && !may_grow(mm, new_end - old_end))
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
		err = mm_move(mm, old, olen, &new_addr, nlen);
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
	dest = 0;
	err = mm_move(mm, old, olen, &dest, nlen);
	return err ? err : (long)dest;
}

SYSCALL_DEFINE3(madvise, uaddr_t, addr, size_t, len, int, advice)
{
	size_t alen = ALIGN_UP(len, PAGE_SIZE);
	bool known = advice == MADV_NORMAL || advice == MADV_RANDOM ||
		     advice == MADV_SEQUENTIAL || advice == MADV_WILLNEED ||
		     advice == MADV_DONTNEED || advice == MADV_FREE;

	if (!known || (addr & (PAGE_SIZE - 1)) || alen < len)
		return -EINVAL;
	if (!alen)
		return 0;
	if (!user_range_ok(addr, alen))
		return -ENOMEM;
	switch (advice) {
	case MADV_DONTNEED:
		return mm_discard(current_mm(), addr, alen, false);
	case MADV_FREE:
		/* Freed lazily on Linux; dropping at once is allowed. */
		return mm_discard(current_mm(), addr, alen, true);
	default:                /* hints: only the range is checked */
		return mm_range_mapped(current_mm(), addr, alen) ? 0 : -ENOMEM;
	}
}

SYSCALL_DEFINE3(msync, uaddr_t, start, size_t, len, int, flags)
{
	uaddr_t end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	/* As Linux: the length rounds up and may wrap to 0 (nothing). */
	end = start + ALIGN_UP(len, PAGE_SIZE);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	return mm_msync(current_mm(), start, end, flags & MS_SYNC,
			flags == MS_ASYNC);
}

#define MINCORE_BATCH PAGE_SIZE         /* pages per pass (bytes of vec) */

SYSCALL_DEFINE3(mincore, uaddr_t, start, size_t, len, uaddr_t, vec)
{
	uint64_t pages = len >> PAGE_SHIFT;
	uint8_t *tmp;
	long ret = 0;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!user_range_ok(start, len))
		return -ENOMEM;
	pages += (len & (PAGE_SIZE - 1)) != 0;
	if (!user_range_ok(vec, pages))
		return -EFAULT;
	tmp = kmalloc(MINCORE_BATCH);
	if (!tmp)
		return -EAGAIN;         /* Linux's answer to a failed page */
	while (pages) {
		long n = mm_mincore(current_mm(), start, MIN(pages, MINCORE_BATCH),
				    tmp);

		if (n < 0) {
			ret = n;
			break;
		}
		if (copy_to_user(vec, tmp, (size_t)n)) {
			ret = -EFAULT;
			break;
		}
		pages -= n;
		vec += n;
		start += n * PAGE_SIZE;
	}
	kfree(tmp);
	return ret;
}
