/*
 * File-backed VMAs: page faults on them and the reverse map from a page
 * cache to the address spaces that map it.
 *
 * A file VMA maps page-cache pages.  MAP_SHARED maps the cache page
 * itself: stores reach the file and every other mapping, and mark the
 * page dirty (caches that write back map it read-only until the first
 * store, so that store is seen; memory-only caches map it writable at
 * once).  MAP_PRIVATE maps the cache page read-only and copies it on the
 * first store; until then later changes to the file show through, the
 * copy never changes again.  A fault on a page wholly past EOF is -EIO:
 * SIGBUS.
 *
 * The reverse map is the cache's list of VMAs (pc->mappings, under
 * pc->mmap_lock).  Truncation walks it and removes pages from each
 * address space holding only that address space's pt_lock (lock order:
 * mm->lock -> mmap_lock -> pt_lock; the truncating thread holds a data
 * lock that ranks above mm->lock, so it may not take mm->lock).  Races
 * with faults are closed by checking EOF again under pt_lock before a
 * page is mapped: truncation stores the new size before it walks.
 */
#include "mm/uvm_internal.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"

void filemap_link(struct vma *v)
{
	mutex_lock(&v->cache->mmap_lock);
	list_add(&v->file_node, &v->cache->mappings);
	mutex_unlock(&v->cache->mmap_lock);
}

void filemap_unlink(struct vma *v)
{
	mutex_lock(&v->cache->mmap_lock);
	list_del(&v->file_node);
	mutex_unlock(&v->cache->mmap_lock);
}

static bool past_eof(struct page_cache *pc, uint64_t pgoff)
{
	return pgoff >= DIV_ROUND_UP(pc->ops->size(pc), PAGE_SIZE);
}

/* Store to a present read-only page of a file VMA (pt_lock held). */
static int write_present(struct vma *v, uint64_t *pte, uaddr_t va)
{
	if (!(v->vflags & VMA_SHARED))
		return uvm_break_cow(v->mm, pte, va, v->prot);
	page_cache_set_dirty(v->cache, vma_pgoff_at(v, va));
	*pte |= PTE_W;
	uvm_flush_page(v->mm, va);
	return 0;
}

/* The frame and entry bits for a not-present page: the cache page, or
 * a private copy of it for a store to a private mapping. */
static int frame_for(struct vma *v, uint64_t pgoff, bool write, paddr_t *pa,
		     uint64_t *bits)
{
	bool shared = v->vflags & VMA_SHARED;
	paddr_t page, copy;
	int err = page_cache_get(v->cache, pgoff, false, &page);

	if (err)
		return err == -ENOMEM ? -ENOMEM : -EIO;
	*bits = uvm_prot_bits(v->prot);
	if (!shared && write) {
		copy = pmm_frame_alloc(false);
		if (copy)
			memcpy(PHYS_TO_VIRT(copy), PHYS_TO_VIRT(page), PAGE_SIZE);
		page_cache_put(page);
		if (!copy)
			return -ENOMEM;
		*pa = copy;
		return 0;
	}
	if (shared && write)
		page_cache_set_dirty(v->cache, pgoff);
	else if (!shared || page_cache_writes_back(v->cache))
		*bits &= ~PTE_W;        /* copy or mark dirty on the store */
	*pa = page;
	return 0;
}

int filemap_fault(struct vma *v, uaddr_t va, bool write)
{
	struct mm *mm = v->mm;
	uint64_t pgoff = vma_pgoff_at(v, va), bits, *pte;
	paddr_t pa;
	int err = 0;

	ASSERT(mutex_is_held(&mm->lock));
	spin_lock(&mm->pt_lock);
	pte = uvm_pte_lookup(mm, va, true);
	if (pte && (*pte & PTE_P)) {
		if (write && !(*pte & PTE_W))
			err = write_present(v, pte, va);
		else
			uvm_flush_page(mm, va);
		spin_unlock(&mm->pt_lock);
		return err;
	}
	spin_unlock(&mm->pt_lock);
	if (!pte)
		return -ENOMEM;

	/* Reading the page may sleep: no spinlock.  mm->lock keeps the VMA
	 * and the page tables; only truncation can change the entry. */
	err = frame_for(v, pgoff, write, &pa, &bits);
	if (err)
		return err;
	spin_lock(&mm->pt_lock);
	pte = uvm_pte_lookup(mm, va, false);
	if (past_eof(v->cache, pgoff)) {
		err = -EIO;             /* truncated meanwhile */
	} else {
		ASSERT(pte && !(*pte & PTE_P));
		*pte = pa | bits;
		uvm_rss_add(mm, 1);
		pa = 0;
	}
	spin_unlock(&mm->pt_lock);
	if (pa)
		pmm_frame_put(pa);
	return err;
}

int filemap_private_page(struct vma *v, uaddr_t va)
{
	struct mm *mm = v->mm;
	paddr_t cached;
	uint64_t *pte;
	int err = 0;

	ASSERT(!(v->vflags & VMA_SHARED));
	spin_lock(&mm->pt_lock);
	pte = uvm_pte_lookup(mm, va, false);
	if (!pte || !(*pte & PTE_P)) {
		spin_unlock(&mm->pt_lock);
		return filemap_fault(v, va, true);      /* a fresh copy */
	}
	/* Mapped: still the cache's page (copy it, keeping @v's
	 * protection), or already ours. */
	cached = page_cache_find(v->cache, vma_pgoff_at(v, va));
	if (cached == (*pte & PTE_ADDR))
		err = uvm_break_cow(mm, pte, va, v->prot);
	spin_unlock(&mm->pt_lock);
	if (cached)
		page_cache_put(cached);
	return err;
}

/* The part of @v that maps object pages [first, last]: false if none. */
static bool vma_range(const struct vma *v, uint64_t first, uint64_t last,
		      uaddr_t *start, uaddr_t *end)
{
	uint64_t vfirst = v->pgoff;
	uint64_t vlast = v->pgoff + ((v->end - v->start) >> PAGE_SHIFT) - 1;

	if (last < vfirst || first > vlast)
		return false;
	first = MAX(first, vfirst);
	last = MIN(last, vlast);
	*start = v->start + ((first - vfirst) << PAGE_SHIFT);
	*end = v->start + ((last - vfirst + 1) << PAGE_SHIFT);
	return true;
}

void filemap_unmap_pages(struct page_cache *pc, uint64_t first, uint64_t last)
{
	struct list_node *pos;

	mutex_lock(&pc->mmap_lock);
	list_for_each(pos, &pc->mappings) {
		struct vma *v = list_entry(pos, struct vma, file_node);
		uaddr_t start, end;

		if (!vma_range(v, first, last, &start, &end))
			continue;
		/* Private copies go too: past EOF is SIGBUS for everyone. */
		spin_lock(&v->mm->pt_lock);
		uvm_zap_range(v->mm, start, end);
		spin_unlock(&v->mm->pt_lock);
	}
	mutex_unlock(&pc->mmap_lock);
}

void filemap_wrprotect_page(struct page_cache *pc, uint64_t index, paddr_t pa)
{
	struct list_node *pos;

	mutex_lock(&pc->mmap_lock);
	list_for_each(pos, &pc->mappings) {
		struct vma *v = list_entry(pos, struct vma, file_node);
		uaddr_t va, end;
		uint64_t *pte;

		if (!(v->vflags & VMA_SHARED) ||
		    !vma_range(v, index, index, &va, &end))
			continue;
		spin_lock(&v->mm->pt_lock);
		pte = uvm_pte_lookup(v->mm, va, false);
		if (pte && (*pte & PTE_P) && (*pte & PTE_ADDR) == pa &&
		    (*pte & PTE_W)) {
			*pte &= ~PTE_W;
			uvm_flush_page(v->mm, va);
		}
		spin_unlock(&v->mm->pt_lock);
	}
	mutex_unlock(&pc->mmap_lock);
}

bool page_cache_mapped_shared_writable(struct page_cache *pc)
{
	struct list_node *pos;
	bool found = false;

	mutex_lock(&pc->mmap_lock);
	list_for_each(pos, &pc->mappings) {
		struct vma *v = list_entry(pos, struct vma, file_node);
		if ((v->vflags & VMA_SHARED) && (v->maxprot & VM_WRITE)) {
			found = true;
			break;
		}
	}
	mutex_unlock(&pc->mmap_lock);
	return found;
}
