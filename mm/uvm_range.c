/*
 * Operations on ranges of a user address space: mprotect, madvise
 * (discard), mremap (move, grow), brk, msync, mincore, and the views
 * /proc takes (VMA list, usage, reading memory).
 *
 * Locking as in uvm.c: each call takes mm->lock for its duration (msync
 * drops it while it writes pages back), and pt_lock around page-table
 * entries.  The caller holds a reference on @mm.
 */
#include "mm/uvm_internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "vfs/vfs.h"

/* Give the VMA that covers exactly [start, end) protection @prot. */
static void protect_vma(struct vma *v, unsigned prot)
{
	struct mm *mm = v->mm;

	uint64_t bits = uvm_prot_bits(prot) & ~PTE_W;

	v->prot = prot;
	spin_lock(&mm->pt_lock);
	for (uaddr_t va = v->start, next; va < v->end; va = next) {
		uint64_t *pt = uvm_pt_lookup(mm, va, false, &next);

		next = MIN(next, v->end);
		for (; pt && va < next; va += PAGE_SIZE) {
			uint64_t *pte = &pt[(va >> PAGE_SHIFT) & 511];
			uint64_t keep_w;

			if (!(*pte & PTE_P))
				continue;
			/* Write access comes back through a fault
			 * (copy-on-write, dirty tracking), never here. */
			keep_w = (prot & VM_WRITE) ? (*pte & PTE_W) : 0;
			*pte = (*pte & PTE_ADDR) | bits | keep_w;
			uvm_flush_page(mm, va);
		}
	}
	spin_unlock(&mm->pt_lock);
}

/*
 * As Linux's mprotect: VMAs are changed in address order; a hole gives
 * ENOMEM and a protection the mapping may not have (PROT_WRITE on a shared
 * mapping of a file not opened for writing, PROT_EXEC on a noexec mount)
 * gives EACCES, both leaving the VMAs before it changed.
 */
int mm_protect(struct mm *mm, uaddr_t addr, size_t len, unsigned prot)
{
	uaddr_t end = addr + len;
	int err = 0;

	mutex_lock(&mm->lock);
	while (addr < end) {
		struct vma *v = uvm_vma_find(mm, addr);
		uaddr_t stop;

		if (!v) {
			err = -ENOMEM;
			break;
		}
		if (prot & ~v->maxprot) {
			err = -EACCES;
			break;
		}
		stop = MIN(end, v->end);
		err = uvm_split_at(mm, addr, stop);
		if (err)
			break;
		protect_vma(uvm_vma_find(mm, addr), prot);
		addr = stop;
	}
	mutex_unlock(&mm->lock);
	return err;
}

/*
 * MADV_DONTNEED (and MADV_FREE with @anon_only): drop the private pages of
 * the range; private file pages read the file again, private anonymous
 * ones read zeros, shared memory keeps its contents in the object or the
 * page cache, special mappings fault the kernel's page in again.  As
 * Linux: holes make the result ENOMEM after the rest is done; MADV_FREE
 * stops with EINVAL at the first non-anonymous mapping, both stop with
 * EINVAL at a raw special mapping ([vvar], Linux's VM_PFNMAP).
 */
int mm_discard(struct mm *mm, uaddr_t start, size_t len, bool anon_only)
{
	uaddr_t end = start + len;
	int err = 0, unmapped = 0;
	struct vma *v;

	mutex_lock(&mm->lock);
	v = uvm_vma_next(mm, start);
	for (;;) {
		uaddr_t to;

		if (!v) {
			err = -ENOMEM;
			break;
		}
		if (start < v->start) {
			unmapped = -ENOMEM;
			start = v->start;
			if (start >= end)
				break;
		}
		if ((anon_only && (v->file || v->shared || v->special)) ||
		    (v->special && v->special->raw)) {
			err = -EINVAL;
			break;
		}
		to = MIN(end, v->end);
		spin_lock(&mm->pt_lock);
		uvm_zap_range(mm, start, to);
		spin_unlock(&mm->pt_lock);
		start = to;
		if (start >= end)
			break;
		v = uvm_vma_next(mm, start);
	}
	mutex_unlock(&mm->lock);
	return err ? err : unmapped;
}

bool mm_range_mapped(struct mm *mm, uaddr_t addr, size_t len)
{
	bool ok = true;

	mutex_lock(&mm->lock);
	for (uaddr_t a = addr; a < addr + len;) {
		struct vma *v = uvm_vma_find(mm, a);
		if (!v) {
			ok = false;
			break;
		}
		a = v->end;
	}
	mutex_unlock(&mm->lock);
	return ok;
}

bool mm_range_free(struct mm *mm, uaddr_t addr, size_t len)
{
	struct list_node *pos;
	bool free = true;

	mutex_lock(&mm->lock);
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->start < addr + len && v->end > addr) {
			free = false;
			break;
		}
	}
	mutex_unlock(&mm->lock);
	return free;
}

/* Grow or shrink the VMA ending at @old_end (the heap) to end at @new_end. */
int mm_resize_heap(struct mm *mm, uaddr_t start, uaddr_t old_end,
		   uaddr_t new_end)
{
	if (new_end > old_end) {
		/* Never over another mapping (a thread's mmap may have
		 * taken the range since brk looked). */
		struct mm_map_req req = {
			.addr = old_end, .len = new_end - old_end,
			.prot = VM_READ | VM_WRITE,
			.maxprot = VM_READ | VM_WRITE | VM_EXEC,
			.place = MM_PLACE_NOREPLACE,
		};
		return mm_map(mm, &req);
	}
	if (new_end < old_end)
		return mm_unmap(mm, new_end, old_end - new_end);
	return 0;
}

/* Make sure page tables exist for [start, start+len) (pt_lock held), so
 * a move cannot fail half-way. */
static int prepare_tables(struct mm *mm, uaddr_t start, size_t len)
{
	for (uaddr_t va = start; va < start + len; va += PAGE_SIZE)
		if (!uvm_pte_lookup(mm, va, true))
			return -ENOMEM;
	return 0;
}

static void move_ptes(struct mm *mm, uaddr_t old, uaddr_t new, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *s = uvm_pte_lookup(mm, old + off, false), *d;

		if (!s || !(*s & PTE_P))
			continue;
		d = uvm_pte_lookup(mm, new + off, false);
		*d = *s;
		*s = 0;
		uvm_flush_page(mm, old + off);
	}
}

/*
 * Move the pages of [old, old+old_len) to [new, new+new_len) (mremap):
 * the VMA keeps its attributes, the frames move without copying.  A
 * special mapping moves only whole and at its size (Linux: EFAULT for
 * growing it, EINVAL for a part).
 */
int mm_move(struct mm *mm, uaddr_t old, size_t old_len, uaddr_t *newp,
	    size_t new_len)
{
	struct list_node dead = LIST_HEAD_INIT(dead);
	size_t moved = MIN(old_len, new_len);
	struct vma *v, *nv;
	uaddr_t new;
	int err;

	mutex_lock(&mm->lock);
	/* Chosen under the lock, so no other thread can map there first. */
	if (!*newp)
		*newp = uvm_find_free_locked(mm, new_len);
	new = *newp;
	if (!new) {
		err = -ENOMEM;
		goto out;
	}
	v = uvm_vma_find(mm, old);
	if (!v || v->end < old + old_len ||
	    (v->special && new_len > old_len)) {
		err = -EFAULT;
		goto out;
	}
	if (v->special && (v->start != old || v->end != old + old_len ||
			   new_len != old_len)) {
		err = -EINVAL;
		goto out;
	}
	nv = uvm_vma_dup(v);
	if (!nv) {
		err = -ENOMEM;
		goto out;
	}
	nv->start = new;
	nv->end = new + new_len;
	nv->pgoff = vma_pgoff_at(v, old);
	err = uvm_unmap_locked(mm, new, new + new_len, &dead);
	if (!err) {
		spin_lock(&mm->pt_lock);
		err = prepare_tables(mm, new, moved);
		spin_unlock(&mm->pt_lock);
	}
	if (err) {
		list_add(&nv->node, &dead);
		goto out;
	}
	/* The new VMA is on the cache's list before its pages move, so a
	 * truncation sees them in one of the two VMAs. */
	uvm_vma_insert(mm, nv);
	spin_lock(&mm->pt_lock);
	move_ptes(mm, old, new, moved);
	spin_unlock(&mm->pt_lock);
	err = uvm_unmap_locked(mm, old, old + old_len, &dead);
out:
	mutex_unlock(&mm->lock);
	uvm_vmas_release(&dead);
	return err;
}

/*
 * Try to grow the mapping at [addr, addr+old_len) in place, as Linux's
 * vma_to_resize and vma_expandable: -EFAULT if the range is not within
 * one VMA or that VMA may not grow (special), -ENOMEM if it cannot grow
 * here (not its end, something above it, a shared object).
 */
int mm_grow_in_place(struct mm *mm, uaddr_t addr, size_t old_len,
		     size_t new_len)
{
	struct vma *v;
	struct list_node *pos;
	int err = 0;

	mutex_lock(&mm->lock);
	v = uvm_vma_find(mm, addr);
	if (!v || v->end < addr + old_len || v->special) {
		err = -EFAULT;
		goto out;
	}
	if (v->end != addr + old_len) {
		err = -ENOMEM;
		goto out;
	}
	pos = v->node.next;
	if (pos != &mm->vmas &&
	    list_entry(pos, struct vma, node)->start < addr + new_len) {
		err = -ENOMEM;
		goto out;
	}
	if (v->shared) {
		err = -ENOMEM;  /* the object has a fixed size: move instead */
		goto out;
	}
	if (v->cache)
		mutex_lock(&v->cache->mmap_lock);
	v->end = addr + new_len;
	if (v->cache)
		mutex_unlock(&v->cache->mmap_lock);
out:
	mutex_unlock(&mm->lock);
	return err;
}

/*
 * msync(2), following Linux's loop: holes are skipped but make the result
 * ENOMEM (at once for plain MS_ASYNC); MS_SYNC writes back the dirty pages
 * of shared file mappings in the range.
 */
int mm_msync(struct mm *mm, uaddr_t start, uaddr_t end, bool sync,
	     bool async_only)
{
	int err = 0, unmapped = 0;
	struct vma *v;

	mutex_lock(&mm->lock);
	v = uvm_vma_next(mm, start);
	for (;;) {
		uint64_t first, last;

		err = -ENOMEM;
		if (!v)
			break;
		if (start < v->start) {
			if (async_only)
				break;
			start = v->start;
			if (start >= end)
				break;
			unmapped = -ENOMEM;
		}
		first = vma_pgoff_at(v, start);
		last = vma_pgoff_at(v, MIN(end, v->end) - 1);
		start = v->end;
		if (sync && v->file && (v->vflags & VMA_SHARED)) {
			struct file *f = file_get(v->file);

			mutex_unlock(&mm->lock);
			err = page_cache_writeback(v->cache, first, last);
			file_put(f);
			if (err || start >= end)
				return err ? err : unmapped;
			mutex_lock(&mm->lock);
			v = uvm_vma_next(mm, start);
		} else {
			err = 0;
			if (start >= end)
				break;
			v = uvm_vma_next(mm, start);
		}
	}
	mutex_unlock(&mm->lock);
	return err ? err : unmapped;
}

/* Is the page of @v at @va in memory (pt_lock held)? */
static bool page_resident(struct vma *v, uaddr_t va)
{
	uint64_t *pte = uvm_pte_lookup(v->mm, va, false);

	if (pte && (*pte & PTE_P))
		return true;
	if (v->cache)
		return page_cache_resident(v->cache, vma_pgoff_at(v, va));
	if (v->shared)
		return uvm_shared_resident(v, vma_pgoff_at(v, va));
	return false;
}

long mm_mincore(struct mm *mm, uaddr_t addr, size_t npages, uint8_t *vec)
{
	struct vma *v;
	size_t n;

	mutex_lock(&mm->lock);
	v = uvm_vma_find(mm, addr);
	if (!v) {
		mutex_unlock(&mm->lock);
		return -ENOMEM;
	}
	n = MIN(npages, (v->end - addr) >> PAGE_SHIFT);
	spin_lock(&mm->pt_lock);
	for (size_t i = 0; i < n; i++)
		vec[i] = page_resident(v, addr + i * PAGE_SIZE);
	spin_unlock(&mm->pt_lock);
	mutex_unlock(&mm->lock);
	return (long)n;
}

/* ---- views for /proc ---- */

long mm_snapshot_vmas(struct mm *mm, struct mm_vma_info **out)
{
	struct mm_vma_info *info;
	struct list_node *pos;
	long n = 0, i = 0;

	mutex_lock(&mm->lock);
	list_for_each(pos, &mm->vmas)
		n++;
	info = kzalloc(MAX(n, 1) * sizeof(*info));
	if (!info) {
		mutex_unlock(&mm->lock);
		return -ENOMEM;
	}
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);

		info[i++] = (struct mm_vma_info){
			.start = v->start, .end = v->end, .prot = v->prot,
			.vflags = v->vflags,
			.pgoff = (v->file || v->shared) ? v->pgoff : 0,
			.file = v->file ? file_get(v->file) : NULL,
			.name = v->special ? v->special->name : NULL,
		};
	}
	mutex_unlock(&mm->lock);
	*out = info;
	return n;
}

void mm_snapshot_free(struct mm_vma_info *info, long n)
{
	for (long i = 0; i < n; i++)
		if (info[i].file)
			file_put(info[i].file);
	kfree(info);
}

/* Which kind of page the entry @pte of @v at @va maps (pt_lock held). */
static void count_page(struct vma *v, uaddr_t va, uint64_t pte,
		       struct mm_usage *u)
{
	paddr_t cached;

	u->resident_pages++;
	if (v->special && vma_pgoff_at(v, va) < v->special->npages &&
	    v->special->pages[vma_pgoff_at(v, va)] == (pte & PTE_ADDR)) {
		u->file_pages++;        /* Linux: not anonymous, so RssFile */
		return;
	}
	if (v->shared) {
		u->shmem_pages++;
		return;
	}
	if (v->cache) {
		cached = page_cache_find(v->cache, vma_pgoff_at(v, va));
		if (cached) {
			page_cache_put(cached);
			if (cached == (pte & PTE_ADDR)) {
				if (v->cache->flags & PAGE_CACHE_SHMEM)
					u->shmem_pages++;
				else
					u->file_pages++;
				return;
			}
		}
	}
	u->anon_pages++;        /* private memory, or a private copy */
}

void mm_usage(struct mm *mm, struct mm_usage *u)
{
	struct list_node *pos;

	memset(u, 0, sizeof(*u));
	mutex_lock(&mm->lock);
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		uint64_t pages = (v->end - v->start) >> PAGE_SHIFT;

		u->total_pages += pages;
		if (v->vflags & VMA_GROWSDOWN)
			u->stack_pages += pages;
		else if (v->prot & VM_EXEC)
			u->exec_pages += pages;
		else if ((v->prot & VM_WRITE) && !(v->vflags & VMA_SHARED))
			u->data_pages += pages;
		spin_lock(&mm->pt_lock);
		for (uaddr_t va = v->start, next; va < v->end; va = next) {
			uint64_t *pt = uvm_pt_lookup(mm, va, false, &next);

			next = MIN(next, v->end);
			for (; pt && va < next; va += PAGE_SIZE) {
				uint64_t pte = pt[(va >> PAGE_SHIFT) & 511];

				if (pte & PTE_P)
					count_page(v, va, pte, u);
			}
		}
		spin_unlock(&mm->pt_lock);
	}
	mutex_unlock(&mm->lock);
}

long mm_read(struct mm *mm, uaddr_t addr, void *dst, size_t len)
{
	uint8_t *to = dst;
	size_t done = 0;

	mutex_lock(&mm->lock);
	while (done < len) {
		uaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
		size_t off = addr - va, n = MIN(len - done, PAGE_SIZE - off);
		struct vma *v = uvm_vma_find(mm, addr);
		paddr_t pa = 0, cached = 0;
		uint64_t *pte;

		if (!v || !(v->prot & VM_READ))
			break;
		spin_lock(&mm->pt_lock);
		pte = uvm_pte_lookup(mm, va, false);
		if (pte && (*pte & PTE_P))
			pa = *pte & PTE_ADDR;
		else if (v->cache)      /* not mapped here yet: the file */
			cached = pa = page_cache_find(v->cache,
						      vma_pgoff_at(v, va));
		else if (v->special &&
			 vma_pgoff_at(v, va) < v->special->npages)
			pa = v->special->pages[vma_pgoff_at(v, va)];
		if (pa)
			memcpy(to + done, (uint8_t *)PHYS_TO_VIRT(pa) + off, n);
		else
			memset(to + done, 0, n);        /* never touched: zeros */
		spin_unlock(&mm->pt_lock);
		if (cached)
			page_cache_put(cached);
		done += n;
		addr += n;
	}
	mutex_unlock(&mm->lock);
	return done ? (long)done : -EFAULT;
}

uint64_t mm_total_size(struct mm *mm)
{
	struct list_node *pos;
	uint64_t total = 0;

	mutex_lock(&mm->lock);
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		total += v->end - v->start;
	}
	mutex_unlock(&mm->lock);
	return total;
}

uint64_t mm_hiwater_rss_kb(struct mm *mm)
{
	uint64_t pages;

	spin_lock(&mm->pt_lock);
	pages = mm->hiwater_rss_pages;
	spin_unlock(&mm->pt_lock);
	return pages * (PAGE_SIZE / 1024);
}
