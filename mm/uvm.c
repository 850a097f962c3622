/*
 * User address spaces: creation, fork, mapping and unmapping, page faults.
 *
 * Model: a struct mm owns a PML4 whose kernel half (entries 256-511) is
 * copied from the kernel's tables (they never change after mm_init) and a
 * sorted list of VMAs (mm/uvm_internal.h), each a page-aligned range with
 * one protection.  Pages are mapped on first touch:
 *   - private anonymous memory: a zeroed frame;
 *   - shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): the frame a
 *     struct anon_shared keeps for that page offset, so every mapping of
 *     it, in any process, sees the same frame;
 *   - files: the page-cache page (filemap.c), read-only in private
 *     mappings until a write copies it;
 *   - special mappings (struct mm_special: [vdso], [vvar]): the kernel's
 *     own frame for that page, which keeps a reference forever, so it is
 *     shared by every process and mapped read-only: a write (after
 *     mprotect) copies it like any copy-on-write page.
 * fork copies the VMA list and maps private pages read-only in both
 * processes (copy-on-write); each user frame carries a reference count
 * (pmm_frame_*) and is freed with its last mapping.
 * Page tables of the user half are made on demand and freed with the mm;
 * the owner word (pmm_page_tag) of each upper-level table frame marks
 * which groups of 8 entries were ever filled, so walks over the whole
 * tree (teardown) skip the empty parts, and range walks skip missing
 * tables whole (uvm_pt_lookup's *next).
 * Other subsystems may own an anon_shared and map it into address spaces
 * (System V shared memory, see the end of this file).
 *
 * Locking (legend at struct mm): mm->lock (a sleeping mutex) serializes
 * VMA changes and page faults, which therefore run with interrupts
 * enabled; mm->pt_lock is held around every access to a user page-table
 * entry, because truncation removes file pages from address spaces
 * holding only that lock.  anon_shared pages are protected by shared_lock.
 * VMAs that an operation removes go onto a local list and their file and
 * object references are dropped after mm->lock is released (file_put may
 * take vfs_lock, which ranks above mm->lock).
 */
#include "mm/uvm_internal.h"
#include "cpu/x86.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "syscall/uaccess.h"
#include "vfs/vfs.h"

#define USER_HALF_ENTRIES 256

struct anon_shared {
	int refcount;                   /* atomic: VMAs that use it (+1 for
					 * an owner, see anon_shared_create) */
	uint64_t npages;                /* [I] */
	paddr_t *pages;                 /* [shared_lock] 0 = not yet touched */
	/* [I] An owner's hook that drops a VMA's reference in its place. */
	void (*put)(struct anon_shared *s, void *owner);
	void *owner;                    /* [I] */
};

static struct spinlock shared_lock = SPINLOCK_INIT("anon_shared");
static uint64_t nr_shared_pages;        /* atomic: frames of anon_shared */

/* ---- page tables (pt_lock held) ---- */

static unsigned idx(uaddr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* Bytes one entry of a level-@level table maps (1: a page). */
static uaddr_t level_span(int level)
{
	return (uaddr_t)1 << (PAGE_SHIFT + 9 * (level - 1));
}

uint64_t *uvm_pt_lookup(struct mm *mm, uaddr_t va, bool create,
			uaddr_t *next)
{
	paddr_t table_pa = mm->pml4_pa;
	uint64_t *table = PHYS_TO_VIRT(table_pa);

	ASSERT_HELD(&mm->pt_lock);
	for (int level = 4; level > 1; level--) {
		uint64_t *e = &table[idx(va, level)];

		if (!(*e & PTE_P)) {
			paddr_t pa;

			if (!create) {
				*next = ALIGN_DOWN(va, level_span(level)) +
					level_span(level);
				return NULL;
			}
			pa = pmm_alloc_page();
			if (!pa) {
				*next = va;
				return NULL;
			}
			memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
			*e = pa | PTE_P | PTE_W | PTE_U;
			*pmm_page_tag(table_pa) |= 1UL << (idx(va, level) / 8);
		}
		table_pa = *e & PTE_ADDR;
		table = PHYS_TO_VIRT(table_pa);
	}
	*next = ALIGN_DOWN(va, level_span(2)) + level_span(2);
	return table;
}

uint64_t *uvm_pte_lookup(struct mm *mm, uaddr_t va, bool create)
{
	uaddr_t next;
	uint64_t *pt = uvm_pt_lookup(mm, va, create, &next);

	return pt ? &pt[idx(va, 1)] : NULL;
}

uint64_t uvm_prot_bits(unsigned prot)
{
	uint64_t bits = PTE_P | PTE_U;

	if (prot & VM_WRITE)
		bits |= PTE_W;
	if (!(prot & VM_EXEC))
		bits |= vmm_pte_nx();
	return bits;
}

static bool mm_is_active(struct mm *mm)
{
	return (read_cr3() & PTE_ADDR) == mm->pml4_pa;
}

void uvm_flush_page(struct mm *mm, uaddr_t va)
{
	/* User entries are not global: a CR3 load drops them for other mms.
	 * SMP: other CPUs running this mm need a shootdown here. */
	if (mm_is_active(mm))
		invlpg(va);
}

void uvm_flush_all(struct mm *mm)
{
	/* Kernel entries are global and stay; the user half goes.
	 * SMP: as uvm_flush_page. */
	if (mm_is_active(mm))
		write_cr3(read_cr3());
}

void uvm_rss_add(struct mm *mm, long delta)
{
	mm->rss_pages += delta;
	if (mm->rss_pages > mm->hiwater_rss_pages)
		mm->hiwater_rss_pages = mm->rss_pages;
}

void uvm_zap_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	bool active = mm_is_active(mm);
	long zapped = 0;

	ASSERT_HELD(&mm->pt_lock);
	for (uaddr_t va = start, next; va < end; va = next) {
		uint64_t *pt = uvm_pt_lookup(mm, va, false, &next);

		next = MIN(next, end);
		for (; pt && va < next; va += PAGE_SIZE) {
			uint64_t *pte = &pt[idx(va, 1)];

			if (!(*pte & PTE_P))
				continue;
			pmm_frame_put(*pte & PTE_ADDR);
			*pte = 0;
			zapped++;
			if (active)
				invlpg(va);
		}
	}
	uvm_rss_add(mm, -zapped);
}

static void zap(struct mm *mm, uaddr_t start, uaddr_t end)
{
	spin_lock(&mm->pt_lock);
	uvm_zap_range(mm, start, end);
	spin_unlock(&mm->pt_lock);
}

/* Free the tables below the level-@level table at @pa (user half only
 * for the PML4), visiting only the groups its tag marks. */
static void free_tables(paddr_t pa, int level)
{
	uint64_t *table = PHYS_TO_VIRT(pa);
	uint64_t groups = *pmm_page_tag(pa);

	if (level == 4)
		groups &= (1UL << (USER_HALF_ENTRIES / 8)) - 1;
	while (groups) {
		unsigned first = __builtin_ctzll(groups) * 8;

		groups &= groups - 1;
		for (unsigned i = first; i < first + 8; i++) {
			if (!(table[i] & PTE_P))
				continue;
			if (level > 2)
				free_tables(table[i] & PTE_ADDR, level - 1);
			pmm_free_page(table[i] & PTE_ADDR);
		}
	}
}

int uvm_break_cow(struct mm *mm, uint64_t *pte, uaddr_t va, unsigned prot)
{
	paddr_t old = *pte & PTE_ADDR, copy;

	ASSERT_HELD(&mm->pt_lock);
	/* Only this mapping holds the frame (page-cache pages always have
	 * the cache's reference too, so they are copied): take it over. */
	if (pmm_frame_refs(old) == 1) {
		*pte |= PTE_W;
	} else {
		copy = pmm_frame_alloc(false);
		if (!copy)
			return -ENOMEM;
		memcpy(PHYS_TO_VIRT(copy), PHYS_TO_VIRT(old), PAGE_SIZE);
		*pte = copy | uvm_prot_bits(prot);
		pmm_frame_put(old);
	}
	uvm_flush_page(mm, va);
	return 0;
}

/* ---- shared anonymous objects ---- */

static struct anon_shared *shared_create(uint64_t npages)
{
	struct anon_shared *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->pages = kzalloc(npages * sizeof(paddr_t));
	if (!s->pages) {
		kfree(s);
		return NULL;
	}
	s->refcount = 1;
	s->npages = npages;
	return s;
}

static void shared_put(struct anon_shared *s)
{
	if (s && s->put) {
		s->put(s, s->owner);    /* calls anon_shared_put itself */
		return;
	}
	anon_shared_put(s);
}

void anon_shared_put(struct anon_shared *s)
{
	if (!s || __atomic_sub_fetch(&s->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	for (uint64_t i = 0; i < s->npages; i++) {
		if (s->pages[i]) {
			pmm_frame_put(s->pages[i]);
			__atomic_sub_fetch(&nr_shared_pages, 1, __ATOMIC_RELAXED);
		}
	}
	kfree(s->pages);
	kfree(s);
}

/* The frame of object page @page with a reference for a new mapping:
 * 0 and *pa, -ENOMEM, or -EIO past the end of the object (a mapping grown
 * by mremap: SIGBUS, as on Linux). */
static int shared_get_page(struct anon_shared *s, uint64_t page, paddr_t *pa)
{
	paddr_t fresh;

	if (page >= s->npages)
		return -EIO;
	fresh = pmm_frame_alloc(true);  /* unused if the page exists */
	spin_lock(&shared_lock);
	if (!s->pages[page] && fresh) {
		s->pages[page] = fresh;     /* the object's reference */
		fresh = 0;
		__atomic_add_fetch(&nr_shared_pages, 1, __ATOMIC_RELAXED);
	}
	*pa = s->pages[page];
	if (*pa)
		pmm_frame_get(*pa);         /* the mapping's reference */
	spin_unlock(&shared_lock);
	if (fresh)
		pmm_frame_put(fresh);
	return *pa ? 0 : -ENOMEM;
}

bool uvm_shared_resident(struct vma *v, uint64_t page)
{
	bool present;

	spin_lock(&shared_lock);
	present = page < v->shared->npages && v->shared->pages[page];
	spin_unlock(&shared_lock);
	return present;
}

uint64_t mm_shared_anon_pages(void)
{
	return __atomic_load_n(&nr_shared_pages, __ATOMIC_RELAXED);
}

/* ---- VMAs ---- */

struct vma *uvm_vma_find(struct mm *mm, uaddr_t addr)
{
	struct list_node *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		if (addr < v->start)
			return NULL;
		if (addr < v->end)
			return v;
	}
	return NULL;
}

/* The first VMA that ends above @addr, or NULL (Linux's find_vma). */
struct vma *uvm_vma_next(struct mm *mm, uaddr_t addr)
{
	struct list_node *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		if (addr < v->end)
			return v;
	}
	return NULL;
}

/* Put @nv on @mm's list (mm->lock held) and, for a file, its cache's. */
void uvm_vma_insert(struct mm *mm, struct vma *nv)
{
	struct list_node *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->start > nv->start)
			break;
	}
	list_add_tail(&nv->node, pos);
	if (nv->cache)
		filemap_link(nv);
}

struct vma *uvm_vma_dup(const struct vma *v)
{
	struct vma *nv = kmalloc(sizeof(*nv));

	if (!nv)
		return NULL;
	*nv = *v;
	list_init(&nv->node);
	list_init(&nv->file_node);
	if (nv->shared)
		__atomic_add_fetch(&nv->shared->refcount, 1, __ATOMIC_RELAXED);
	if (nv->file)
		file_get(nv->file);
	return nv;
}

/* Drop a VMA that is on no list: no lock may be held (file_put). */
static void vma_release(struct vma *v)
{
	shared_put(v->shared);
	if (v->file)
		file_put(v->file);
	kfree(v);
}

void uvm_vmas_release(struct list_node *dead)
{
	while (!list_empty(dead)) {
		struct vma *v = list_first_entry(dead, struct vma, node);

		list_del(&v->node);
		vma_release(v);
	}
}

/* Take @v off its lists (mm->lock held) onto @dead. */
static void vma_unlink(struct vma *v, struct list_node *dead)
{
	list_del(&v->node);
	if (v->cache)
		filemap_unlink(v);
	list_add_tail(&v->node, dead);
}

/* Split @v at @addr (strictly inside): @v keeps the low part. */
static int vma_split(struct vma *v, uaddr_t addr)
{
	struct vma *hi = uvm_vma_dup(v);

	if (!hi)
		return -ENOMEM;
	hi->start = addr;
	hi->pgoff = vma_pgoff_at(v, addr);
	if (v->cache)
		mutex_lock(&v->cache->mmap_lock);
	v->end = addr;
	list_add(&hi->node, &v->node);
	if (v->cache) {
		list_add(&hi->file_node, &v->cache->mappings);
		mutex_unlock(&v->cache->mmap_lock);
	}
	return 0;
}

/* Would a boundary at @addr fall strictly inside a special mapping? */
static bool splits_special(struct mm *mm, uaddr_t addr)
{
	struct vma *v = uvm_vma_find(mm, addr);

	return v && v->special && v->start < addr;
}

int uvm_split_at(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct vma *v;
	int err;

	/* Linux: special_mapping_split refuses (EINVAL); check both ends
	 * before anything changes. */
	if (splits_special(mm, start) || splits_special(mm, end))
		return -EINVAL;
	v = uvm_vma_find(mm, start);
	if (v && v->start < start && (err = vma_split(v, start)))
		return err;
	v = uvm_vma_find(mm, end);
	if (v && v->start < end && (err = vma_split(v, end)))
		return err;
	return 0;
}

int uvm_unmap_locked(struct mm *mm, uaddr_t start, uaddr_t end,
		     struct list_node *dead)
{
	struct list_node *pos, *tmp;
	int err = uvm_split_at(mm, start, end);

	if (err)
		return err;
	list_for_each_safe(pos, tmp, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->end <= start || v->start >= end)
			continue;
		zap(mm, v->start, v->end);
		vma_unlink(v, dead);
	}
	return 0;
}

/* ---- address spaces ---- */

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	uint64_t *pml4;

	if (!mm)
		return NULL;
	mm->pml4_pa = pmm_alloc_page();
	if (!mm->pml4_pa) {
		kfree(mm);
		return NULL;
	}
	pml4 = PHYS_TO_VIRT(mm->pml4_pa);
	memset(pml4, 0, PAGE_SIZE / 2);
	memcpy(pml4 + USER_HALF_ENTRIES,
	       (uint64_t *)PHYS_TO_VIRT(vmm_kernel_pml4()) + USER_HALF_ENTRIES,
	       PAGE_SIZE / 2);
	mm->refcount = 1;
	mutex_init(&mm->lock, "mm");
	spin_lock_init(&mm->pt_lock, "mm pt");
	list_init(&mm->vmas);
	return mm;
}

struct mm *mm_get(struct mm *mm)
{
	__atomic_add_fetch(&mm->refcount, 1, __ATOMIC_RELAXED);
	return mm;
}

void mm_put(struct mm *mm)
{
	struct list_node *pos, *tmp;
	struct list_node dead = LIST_HEAD_INIT(dead);

	if (!mm || __atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	ASSERT(!mm_is_active(mm));
	list_for_each_safe(pos, tmp, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		zap(mm, v->start, v->end);
		vma_unlink(v, &dead);
	}
	uvm_vmas_release(&dead);
	free_tables(mm->pml4_pa, 4);
	pmm_free_page(mm->pml4_pa);
	kfree(mm);
}

void mm_activate(struct mm *mm)
{
	paddr_t pml4 = mm ? mm->pml4_pa : vmm_kernel_pml4();

	if ((read_cr3() & PTE_ADDR) != pml4)
		write_cr3(pml4);
}

paddr_t mm_pml4(struct mm *mm)
{
	return mm->pml4_pa;
}

struct mm_layout *mm_layout(struct mm *mm)
{
	return &mm->layout;
}

/* Copy the PTEs of @v from @src to @dst for fork; only the page tables
 * that exist in @src are visited.  A private writable page becomes
 * read-only in both (copy-on-write), with one TLB flush for the VMA
 * before pt_lock is dropped. */
static int clone_ptes(struct mm *dst, struct mm *src, struct vma *v)
{
	bool cow = !(v->vflags & VMA_SHARED), flush = false;
	long copied = 0;
	int err = 0;

	spin_lock(&src->pt_lock);
	spin_lock(&dst->pt_lock);
	for (uaddr_t va = v->start, next; va < v->end && !err; va = next) {
		uint64_t *spt = uvm_pt_lookup(src, va, false, &next), *dpt = NULL;
		uaddr_t dnext;

		next = MIN(next, v->end);
		for (; spt && va < next; va += PAGE_SIZE) {
			uint64_t *s = &spt[idx(va, 1)];

			if (!(*s & PTE_P))
				continue;
			if (!dpt && !(dpt = uvm_pt_lookup(dst, va, true, &dnext))) {
				err = -ENOMEM;
				break;
			}
			if (cow && (*s & PTE_W)) {
				*s &= ~PTE_W;
				flush = true;
			}
			pmm_frame_get(*s & PTE_ADDR);
			dpt[idx(va, 1)] = *s;
			copied++;
		}
	}
	uvm_rss_add(dst, copied);
	if (flush)
		uvm_flush_all(src);
	spin_unlock(&dst->pt_lock);
	spin_unlock(&src->pt_lock);
	return err;
}

/* Copy @v into @dst (src->lock held). */
static int clone_vma(struct mm *dst, struct mm *src, struct vma *v)
{
	struct vma *nv = uvm_vma_dup(v);
	int err;

	if (!nv)
		return -ENOMEM;
	nv->mm = dst;
	list_add_tail(&nv->node, &dst->vmas);
	if (!nv->cache)
		return clone_ptes(dst, src, v);
	/* Truncation must not run between copying the entries and linking
	 * the copy, or the child would keep pages it never sees removed. */
	mutex_lock(&nv->cache->mmap_lock);
	err = clone_ptes(dst, src, v);
	list_add(&nv->file_node, &nv->cache->mappings);
	mutex_unlock(&nv->cache->mmap_lock);
	return err;
}

struct mm *mm_clone(struct mm *src)
{
	struct mm *dst = mm_create();
	struct list_node *pos;
	int err = 0;

	if (!dst)
		return NULL;
	mutex_lock(&src->lock);
	dst->layout = src->layout;
	list_for_each(pos, &src->vmas) {
		err = clone_vma(dst, src, list_entry(pos, struct vma, node));
		if (err)
			break;
	}
	mutex_unlock(&src->lock);
	if (err) {
		mm_put(dst);
		return NULL;
	}
	return dst;
}

/* mm->lock held: is [addr, addr+len) free of VMAs? */
static bool range_free_locked(struct mm *mm, uaddr_t addr, size_t len)
{
	struct list_node *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->start >= addr + len)
			break;
		if (v->end > addr)
			return false;
	}
	return true;
}

uaddr_t uvm_find_free_locked(struct mm *mm, size_t len)
{
	uaddr_t top = mm->layout.mmap_base;
	struct list_node *pos;

	/* Walk the VMAs from the highest down, looking for a gap. */
	for (pos = mm->vmas.prev; ; pos = pos->prev) {
		uaddr_t floor = PAGE_SIZE * 16;         /* keep low memory free */
		if (pos != &mm->vmas) {
			struct vma *v = list_entry(pos, struct vma, node);
			if (v->start >= top)
				continue;
			floor = MAX(floor, v->end);
		}
		if (top >= floor && top - floor >= len)
			return top - len;
		if (pos == &mm->vmas)
			return 0;
		top = list_entry(pos, struct vma, node)->start;
	}
}

/* mm->lock held: resolve req->place into req->addr.  0 or -errno. */
static int place_locked(struct mm *mm, struct mm_map_req *req)
{
	bool fits = req->addr && req->addr <= USER_TOP - req->len;

	switch (req->place) {
	case MM_PLACE_NOREPLACE:
		return range_free_locked(mm, req->addr, req->len) ? 0 : -EEXIST;
	case MM_PLACE_HINT:
		if (fits && range_free_locked(mm, req->addr, req->len))
			return 0;
		req->addr = uvm_find_free_locked(mm, req->len);
		return req->addr ? 0 : -ENOMEM;
	default:
		return 0;
	}
}

int mm_map(struct mm *mm, struct mm_map_req *req)
{
	struct list_node dead = LIST_HEAD_INIT(dead);
	struct vma *v;
	int err;

	if (!req->len || !IS_ALIGNED(req->addr | req->len, PAGE_SIZE))
		return -EINVAL;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->mm = mm;
	v->prot = req->prot;
	v->maxprot = req->maxprot;
	v->vflags = req->vflags;
	v->pgoff = req->pgoff;
	list_init(&v->node);
	list_init(&v->file_node);
	if (req->file) {
		v->file = file_get(req->file);
		v->cache = req->file->inode->pages;
		ASSERT(v->cache);
	} else if (req->shared) {
		v->pgoff = 0;
		v->shared = req->shared;
		anon_shared_get(req->shared);
	} else if (req->vflags & VMA_SHARED) {
		v->pgoff = 0;
		v->shared = shared_create(req->len >> PAGE_SHIFT);
		if (!v->shared) {
			kfree(v);
			return -ENOMEM;
		}
	}
	mutex_lock(&mm->lock);
	err = place_locked(mm, req);
	if (!err) {
		v->start = req->addr;
		v->end = req->addr + req->len;
		err = uvm_unmap_locked(mm, v->start, v->end, &dead);
	}
	if (!err)
		uvm_vma_insert(mm, v);
	mutex_unlock(&mm->lock);
	if (err)
		list_add(&v->node, &dead);
	uvm_vmas_release(&dead);
	return err;
}

int mm_map_fixed(struct mm *mm, uaddr_t addr, size_t len, unsigned prot,
		 unsigned vflags)
{
	struct mm_map_req req = {
		.addr = addr, .len = len, .prot = prot, .vflags = vflags,
		.maxprot = VM_READ | VM_WRITE | VM_EXEC,
	};

	return mm_map(mm, &req);
}

paddr_t mm_special_page_alloc(void)
{
	return pmm_frame_alloc(true);   /* its one reference is never put */
}

int mm_map_special(struct mm *mm, uaddr_t addr, const struct mm_special *sp,
		   unsigned prot)
{
	struct list_node dead = LIST_HEAD_INIT(dead);
	size_t len = sp->npages << PAGE_SHIFT;
	struct vma *v;
	int err;

	if (!len || !IS_ALIGNED(addr, PAGE_SIZE) || (prot & ~sp->max_prot))
		return -EINVAL;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->mm = mm;
	v->start = addr;
	v->end = addr + len;
	v->prot = prot;
	v->maxprot = sp->max_prot;
	v->special = sp;
	list_init(&v->node);
	list_init(&v->file_node);
	mutex_lock(&mm->lock);
	err = uvm_unmap_locked(mm, v->start, v->end, &dead);
	if (!err)
		uvm_vma_insert(mm, v);
	mutex_unlock(&mm->lock);
	if (err)
		list_add(&v->node, &dead);
	uvm_vmas_release(&dead);
	return err;
}

int mm_unmap(struct mm *mm, uaddr_t addr, size_t len)
{
	struct list_node dead = LIST_HEAD_INIT(dead);
	int err;

	mutex_lock(&mm->lock);
	err = uvm_unmap_locked(mm, addr, addr + len, &dead);
	mutex_unlock(&mm->lock);
	uvm_vmas_release(&dead);
	return err;
}

uaddr_t mm_find_free(struct mm *mm, size_t len)
{
	uaddr_t found;

	mutex_lock(&mm->lock);
	found = uvm_find_free_locked(mm, len);
	mutex_unlock(&mm->lock);
	return found;
}

/* ---- page faults ---- */

#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_INSTR 0x10

/* The frame of a special mapping's page at @va with a reference for the
 * mapping: 0, or -EIO (SIGBUS, as Linux's special_mapping_fault) past
 * its pages. */
static int special_get_page(struct vma *v, uaddr_t va, paddr_t *pa)
{
	uint64_t page = vma_pgoff_at(v, va);

	if (page >= v->special->npages)
		return -EIO;
	*pa = v->special->pages[page];
	pmm_frame_get(*pa);
	return 0;
}

/* Fault in anonymous memory or a special mapping (mm->lock held). */
static int anon_fault(struct vma *v, uaddr_t va, bool write)
{
	struct mm *mm = v->mm;
	uint64_t *pte;
	paddr_t pa;
	int err = 0;

	spin_lock(&mm->pt_lock);
	pte = uvm_pte_lookup(mm, va, true);
	if (!pte) {
		err = -ENOMEM;
	} else if (*pte & PTE_P) {
		if (write && !(*pte & PTE_W)) {
			if (v->vflags & VMA_SHARED) {
				*pte |= PTE_W;  /* after mprotect: no copy */
				uvm_flush_page(mm, va);
			} else {
				err = uvm_break_cow(mm, pte, va, v->prot);
			}
		} else {
			/* another thread fixed it, or a stale TLB entry */
			uvm_flush_page(mm, va);
		}
	} else {
		uint64_t bits = uvm_prot_bits(v->prot);

		if (v->shared) {
			err = shared_get_page(v->shared, vma_pgoff_at(v, va), &pa);
		} else if (v->special) {
			/* Shared by every process: a write copies it first
			 * (it faults again and breaks the COW). */
			err = special_get_page(v, va, &pa);
			bits &= ~PTE_W;
		} else if (!(pa = pmm_frame_alloc(true))) {
			err = -ENOMEM;
		}
		if (!err) {
			*pte = pa | bits;
			uvm_rss_add(mm, 1);
		}
	}
	spin_unlock(&mm->pt_lock);
	return err;
}

static int fault_locked(struct vma *v, uaddr_t va, bool write)
{
	return v->file ? filemap_fault(v, va, write) : anon_fault(v, va, write);
}

int mm_handle_fault(struct mm *mm, uaddr_t addr, uint64_t error_code)
{
	bool write = error_code & PF_WRITE;
	struct vma *v;
	int err;

	mutex_lock(&mm->lock);
	v = uvm_vma_find(mm, addr);
	if (!v)
		err = -EFAULT;
	else if ((write && !(v->prot & VM_WRITE)) ||
		 ((error_code & PF_INSTR) && !(v->prot & VM_EXEC)) ||
		 !(v->prot & (VM_READ | VM_WRITE | VM_EXEC)))
		err = -EACCES;
	else
		err = fault_locked(v, ALIGN_DOWN(addr, PAGE_SIZE), write);
	mutex_unlock(&mm->lock);
	return err;
}

void mm_populate(struct mm *mm, uaddr_t addr, size_t len)
{
	mutex_lock(&mm->lock);
	for (uaddr_t va = addr; va < addr + len; va += PAGE_SIZE) {
		struct vma *v = uvm_vma_find(mm, va);

		/* Writable private memory is touched with a write, breaking
		 * copy-on-write now (as Linux's populate does). */
		if (!v || !(v->prot & (VM_READ | VM_WRITE | VM_EXEC)) ||
		    fault_locked(v, va, (v->prot & VM_WRITE) &&
					!(v->vflags & VMA_SHARED)))
			break;
	}
	mutex_unlock(&mm->lock);
}

/* Copy @src (NULL: zeros) into private memory of @mm (mm_copy_in). */
static int fill_in(struct mm *mm, uaddr_t addr, const void *src, size_t len)
{
	const uint8_t *from = src;
	int err = 0;

	mutex_lock(&mm->lock);
	while (len) {
		uaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
		size_t off = addr - va, n = MIN(len, PAGE_SIZE - off);
		struct vma *v = uvm_vma_find(mm, addr);
		uint8_t *page;
		uint64_t *pte;

		/* Never into a file or the kernel's shared pages; a private
		 * file page is copied first. */
		if (!v || v->special || (v->file && (v->vflags & VMA_SHARED))) {
			err = -EFAULT;
			break;
		}
		err = v->file ? filemap_private_page(v, va)
			      : anon_fault(v, va, false);
		if (err)
			break;
		spin_lock(&mm->pt_lock);
		pte = uvm_pte_lookup(mm, va, false);
		if (!pte || !(*pte & PTE_P)) {
			/* A truncation took the file page away meanwhile:
			 * past EOF now, as a fault would find. */
			spin_unlock(&mm->pt_lock);
			err = -EIO;
			break;
		}
		page = (uint8_t *)PHYS_TO_VIRT(*pte & PTE_ADDR) + off;
		if (from)
			memcpy(page, from, n);
		else
			memset(page, 0, n);
		spin_unlock(&mm->pt_lock);
		if (from)
			from += n;
		addr += n;
		len -= n;
	}
	mutex_unlock(&mm->lock);
	return err;
}

int mm_copy_in(struct mm *mm, uaddr_t addr, const void *src, size_t len)
{
	return fill_in(mm, addr, src, len);
}

int mm_zero_in(struct mm *mm, uaddr_t addr, size_t len)
{
	return fill_in(mm, addr, NULL, len);
}

int mm_futex_key(struct mm *mm, uaddr_t addr, struct futex_key *key)
{
	struct vma *v;
	int err = 0;

	mutex_lock(&mm->lock);
	v = uvm_vma_find(mm, addr);
	if (!v) {
		err = -EFAULT;
	} else if ((v->vflags & VMA_SHARED) && (v->shared || v->cache)) {
		/* The same page of the same object, wherever it is mapped. */
		key->object = v->shared ? (const void *)v->shared
					: (const void *)v->cache;
		key->offset = (v->pgoff << PAGE_SHIFT) + (addr - v->start);
	} else {
		key->object = mm;
		key->offset = addr;
	}
	mutex_unlock(&mm->lock);
	return err;
}

/* ---- shared objects owned outside mm/ (System V shared memory) ----
 * The owner keeps a reference of its own; every VMA mapping the object
 * holds another (fork and VMA splits add theirs, as for MAP_SHARED).
 * When a VMA lets go, the owner's put hook runs instead of the plain
 * put: it drops that reference with anon_shared_put and can account the
 * detach under its own lock (taken below mm->lock). */

struct anon_shared *anon_shared_create(uint64_t npages,
				       void (*put)(struct anon_shared *s,
						   void *owner),
				       void *owner)
{
	struct anon_shared *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->pages = kzalloc(npages * sizeof(paddr_t));
	if (!s->pages) {
		kfree(s);
		return NULL;
	}
	s->refcount = 1;
	s->npages = npages;
	s->put = put;
	s->owner = owner;
	return s;
}

void anon_shared_get(struct anon_shared *s)
{
	__atomic_add_fetch(&s->refcount, 1, __ATOMIC_RELAXED);
}

int anon_shared_refs(struct anon_shared *s)
{
	return __atomic_load_n(&s->refcount, __ATOMIC_ACQUIRE);
}

int mm_map_shared(struct mm *mm, uaddr_t *addr, size_t len, unsigned prot,
		  struct anon_shared *s, unsigned place)
{
	struct mm_map_req req = {
		.addr = *addr, .len = len, .prot = prot,
		/* SHM_RDONLY: mprotect may never add write access. */
		.maxprot = VM_READ | VM_EXEC | (prot & VM_WRITE),
		.vflags = VMA_SHARED, .shared = s,
		.place = place,
	};
	int err;

	if (!len || !IS_ALIGNED(*addr | len, PAGE_SIZE) ||
	    len > s->npages * PAGE_SIZE)
		return -EINVAL;
	err = mm_map(mm, &req);
	if (!err)
		*addr = req.addr;
	return err;
}

int mm_unmap_shared(struct mm *mm, uaddr_t addr,
		    void (*put)(struct anon_shared *s, void *owner))
{
	struct list_node dead = LIST_HEAD_INIT(dead);
	struct anon_shared *obj = NULL;
	uaddr_t limit = 0;
	struct list_node *pos;
	int err = -EINVAL;

	mutex_lock(&mm->lock);
	/* The first piece: a VMA at or after @addr that maps the object
	 * page its distance from @addr says (shmdt(2): pieces left by
	 * mprotect or munmap count). */
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);

		if (v->end <= addr || !v->shared || v->shared->put != put ||
		    (v->start - addr) >> PAGE_SHIFT != v->pgoff)
			continue;
		obj = v->shared;
		limit = addr + obj->npages * PAGE_SIZE;
		break;
	}
	while (obj) {
		struct vma *found = NULL;

		list_for_each(pos, &mm->vmas) {
			struct vma *v = list_entry(pos, struct vma, node);

			if (v->end > addr && v->end <= limit && v->shared == obj &&
			    (v->start - addr) >> PAGE_SHIFT == v->pgoff) {
				found = v;
				break;
			}
		}
		if (!found)
			break;
		err = uvm_unmap_locked(mm, found->start, found->end, &dead);
		if (err)
			break;
	}
	mutex_unlock(&mm->lock);
	uvm_vmas_release(&dead);
	return err;
}
