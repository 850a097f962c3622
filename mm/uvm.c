/*
 * User address spaces.
 *
 * Model: a struct mm owns a PML4 whose kernel half (entries 256-511) is
 * copied from the kernel's tables (they never change after mm_init) and a
 * sorted list of VMAs, each a page-aligned range with one protection.
 * Pages are allocated on first touch: private anonymous memory from zeroed
 * frames, shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) from a
 * struct anon_shared that keeps one frame per page offset so every mapping
 * of it, in any process, sees the same frame.  fork copies the VMA list and
 * maps private pages read-only in both processes (copy-on-write); each user
 * frame carries a reference count in its pmm page tag.  Other subsystems
 * may own an anon_shared and map it into address spaces (System V shared
 * memory, see the end of this file).
 *
 * Locking: mm->lock (a sleeping mutex) protects the VMA list, the page
 * tables of the lower half and the layout; page faults take it, so they
 * run with interrupts enabled.  anon_shared pages are protected by
 * shared_lock.  Frame reference counts are atomic.
 */
#include "mm/internal.h"
#include "cpu/x86.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "sched/sched.h"
#include "sched/spinlock.h"

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

struct vma {
	uaddr_t start, end;             /* [mm->lock] page aligned */
	unsigned prot;                  /* VM_READ | VM_WRITE | VM_EXEC */
	unsigned vflags;                /* VMA_SHARED, VMA_GROWSDOWN */
	struct anon_shared *shared;     /* VMA_SHARED only */
	uint64_t shared_pgoff;          /* page of @shared at @start */
	struct list_node node;          /* mm->vmas, sorted by start */
};

struct mm {
	int refcount;                   /* atomic */
	paddr_t pml4_pa;                /* [I] */
	struct mutex lock;
	struct list_node vmas;          /* [lock] */
	struct mm_layout layout;        /* [lock] */
	uint64_t rss_pages;             /* [lock] pages mapped now */
	uint64_t hiwater_rss_pages;     /* [lock] the most ever mapped */
};

static void rss_add(struct mm *mm, long delta)
{
	mm->rss_pages += delta;
	if (mm->rss_pages > mm->hiwater_rss_pages)
		mm->hiwater_rss_pages = mm->rss_pages;
}

static struct spinlock shared_lock = SPINLOCK_INIT("anon_shared");

/* ---- frame reference counts (in the pmm page tag) ---- */

static void frame_get(paddr_t pa)
{
	__atomic_add_fetch(pmm_page_tag(pa), 1, __ATOMIC_RELAXED);
}

static void frame_put(paddr_t pa)
{
	if (__atomic_sub_fetch(pmm_page_tag(pa), 1, __ATOMIC_ACQ_REL) == 0)
		pmm_free_page(pa);
}

static uint64_t frame_refs(paddr_t pa)
{
	return __atomic_load_n(pmm_page_tag(pa), __ATOMIC_ACQUIRE);
}

/* A new zeroed frame with one reference, or 0. */
static paddr_t frame_alloc_zeroed(void)
{
	paddr_t pa = pmm_alloc_page();

	if (pa) {
		memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
		*pmm_page_tag(pa) = 1;
	}
	return pa;
}

/* ---- page tables ---- */

static unsigned idx(uaddr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* The PTE for @va, creating intermediate tables if @create. */
static uint64_t *pte_lookup(struct mm *mm, uaddr_t va, bool create)
{
	uint64_t *table = PHYS_TO_VIRT(mm->pml4_pa);

	for (int level = 4; level > 1; level--) {
		uint64_t *e = &table[idx(va, level)];

		if (!(*e & PTE_P)) {
			paddr_t pa;

			if (!create)
				return NULL;
			pa = pmm_alloc_page();
			if (!pa)
				return NULL;
			memset(PHYS_TO_VIRT(pa), 0, PAGE_SIZE);
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		table = PHYS_TO_VIRT(*e & PTE_ADDR);
	}
	return &table[idx(va, 1)];
}

static uint64_t prot_bits(unsigned prot)
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

static void flush_page(struct mm *mm, uaddr_t va)
{
	/* User entries are not global: a CR3 load drops them for other mms.
	 * SMP: other CPUs running this mm need a shootdown here. */
	if (mm_is_active(mm))
		invlpg(va);
}

/* Remove the mappings of [start, end), dropping frame references. */
static void zap_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	for (uaddr_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t *pte = pte_lookup(mm, va, false);

		if (!pte || !(*pte & PTE_P))
			continue;
		frame_put(*pte & PTE_ADDR);
		*pte = 0;
		rss_add(mm, -1);
		flush_page(mm, va);
	}
}

static void free_tables(uint64_t *table, int level)
{
	unsigned n = level == 4 ? USER_HALF_ENTRIES : 512;

	for (unsigned i = 0; i < n; i++) {
		if (!(table[i] & PTE_P))
			continue;
		if (level > 2)
			free_tables(PHYS_TO_VIRT(table[i] & PTE_ADDR), level - 1);
		pmm_free_page(table[i] & PTE_ADDR);
	}
}

/* ---- VMAs ---- */

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
	for (uint64_t i = 0; i < s->npages; i++)
		if (s->pages[i])
			frame_put(s->pages[i]);
	kfree(s->pages);
	kfree(s);
}

static struct vma *vma_find(struct mm *mm, uaddr_t addr)
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

static void vma_insert(struct mm *mm, struct vma *nv)
{
	struct list_node *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->start > nv->start)
			break;
	}
	list_add_tail(&nv->node, pos);
}

static void vma_free(struct vma *v)
{
	shared_put(v->shared);
	kfree(v);
}

/* Split @v at @addr (strictly inside): @v keeps the low part. */
static int vma_split(struct vma *v, uaddr_t addr)
{
	struct vma *hi = kmalloc(sizeof(*hi));

	if (!hi)
		return -ENOMEM;
	*hi = *v;
	hi->start = addr;
	if (v->shared) {
		hi->shared_pgoff += (addr - v->start) >> PAGE_SHIFT;
		__atomic_add_fetch(&v->shared->refcount, 1, __ATOMIC_RELAXED);
	}
	v->end = addr;
	list_add(&hi->node, &v->node);
	return 0;
}

/* Make VMA boundaries fall on @start and @end. */
static int split_at(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct vma *v = vma_find(mm, start);
	int err;

	if (v && v->start < start && (err = vma_split(v, start)))
		return err;
	v = vma_find(mm, end);
	if (v && v->start < end && (err = vma_split(v, end)))
		return err;
	return 0;
}

static int unmap_locked(struct mm *mm, uaddr_t start, uaddr_t end)
{
	struct list_node *pos, *tmp;
	int err = split_at(mm, start, end);

	if (err)
		return err;
	list_for_each_safe(pos, tmp, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		if (v->end <= start || v->start >= end)
			continue;
		zap_range(mm, v->start, v->end);
		list_del(&v->node);
		vma_free(v);
	}
	return 0;
}

/* ---- public API ---- */

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

	if (!mm || __atomic_sub_fetch(&mm->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	ASSERT(!mm_is_active(mm));
	list_for_each_safe(pos, tmp, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		zap_range(mm, v->start, v->end);
		list_del(&v->node);
		vma_free(v);
	}
	free_tables(PHYS_TO_VIRT(mm->pml4_pa), 4);
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

/* Copy the PTEs of @v from @src to @dst for fork. */
static int clone_ptes(struct mm *dst, struct mm *src, struct vma *v)
{
	for (uaddr_t va = v->start; va < v->end; va += PAGE_SIZE) {
		uint64_t *s = pte_lookup(src, va, false), *d;

		if (!s || !(*s & PTE_P))
			continue;
		d = pte_lookup(dst, va, true);
		if (!d)
			return -ENOMEM;
		if (!(v->vflags & VMA_SHARED) && (*s & PTE_W)) {
			*s &= ~PTE_W;           /* copy-on-write in both */
			flush_page(src, va);
		}
		frame_get(*s & PTE_ADDR);
		*d = *s;
		rss_add(dst, 1);
	}
	return 0;
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
		struct vma *v = list_entry(pos, struct vma, node);
		struct vma *nv = kmalloc(sizeof(*nv));

		if (!nv) {
			err = -ENOMEM;
			break;
		}
		*nv = *v;
		if (nv->shared)
			__atomic_add_fetch(&nv->shared->refcount, 1,
					   __ATOMIC_RELAXED);
		list_add_tail(&nv->node, &dst->vmas);
		err = clone_ptes(dst, src, v);
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

int mm_map_fixed(struct mm *mm, uaddr_t addr, size_t len, unsigned prot,
		 unsigned vflags)
{
	struct vma *v;
	int err;

	if (!len || !IS_ALIGNED(addr | len, PAGE_SIZE))
		return -EINVAL;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->start = addr;
	v->end = addr + len;
	v->prot = prot;
	v->vflags = vflags;
	if (vflags & VMA_SHARED) {
		v->shared = kzalloc(sizeof(*v->shared));
		if (v->shared) {
			v->shared->refcount = 1;
			v->shared->npages = len >> PAGE_SHIFT;
			v->shared->pages = kzalloc(v->shared->npages * sizeof(paddr_t));
		}
		if (!v->shared || !v->shared->pages) {
			if (v->shared)
				kfree(v->shared);
			kfree(v);
			return -ENOMEM;
		}
	}
	mutex_lock(&mm->lock);
	err = unmap_locked(mm, addr, addr + len);
	if (!err)
		vma_insert(mm, v);
	mutex_unlock(&mm->lock);
	if (err)
		vma_free(v);
	return err;
}

int mm_unmap(struct mm *mm, uaddr_t addr, size_t len)
{
	int err;

	mutex_lock(&mm->lock);
	err = unmap_locked(mm, addr, addr + len);
	mutex_unlock(&mm->lock);
	return err;
}

uaddr_t mm_find_free(struct mm *mm, size_t len)
{
	uaddr_t top = mm->layout.mmap_base, found = 0;
	struct list_node *pos;

	mutex_lock(&mm->lock);
	/* Walk the VMAs from the highest down, looking for a gap. */
	for (pos = mm->vmas.prev; ; pos = pos->prev) {
		uaddr_t floor = PAGE_SIZE * 16;         /* keep low memory free */
		if (pos != &mm->vmas) {
			struct vma *v = list_entry(pos, struct vma, node);
			if (v->start >= top)
				continue;
			floor = MAX(floor, v->end);
		}
		if (top >= floor && top - floor >= len) {
			found = top - len;
			break;
		}
		if (pos == &mm->vmas)
			break;
		top = list_entry(pos, struct vma, node)->start;
	}
	mutex_unlock(&mm->lock);
	return found;
}

/* The frame for a not-present page of @v at @va, with a reference for
 * the new mapping; 0 on allocation failure. */
static paddr_t fault_in_frame(struct vma *v, uaddr_t va)
{
	struct anon_shared *s = v->shared;
	uint64_t page;
	paddr_t pa, fresh;
	unsigned long irq;

	if (!s)
		return frame_alloc_zeroed();
	page = v->shared_pgoff + ((va - v->start) >> PAGE_SHIFT);
	if (page >= s->npages)
		return 0;
	fresh = frame_alloc_zeroed();   /* may be unused if another won */
	irq = spin_lock_irqsave(&shared_lock);
	if (!s->pages[page] && fresh) {
		s->pages[page] = fresh;     /* the object's reference */
		fresh = 0;
	}
	pa = s->pages[page];
	if (pa)
		frame_get(pa);              /* the mapping's reference */
	spin_unlock_irqrestore(&shared_lock, irq);
	if (fresh)
		frame_put(fresh);
	return pa;
}

/* Write to a present read-only private page of a writable VMA. */
static int break_cow(struct mm *mm, uint64_t *pte, uaddr_t va, unsigned prot)
{
	paddr_t old = *pte & PTE_ADDR, copy;

	if (frame_refs(old) == 1) {
		*pte |= PTE_W;          /* last user: take it over */
	} else {
		copy = pmm_alloc_page();
		if (!copy)
			return -ENOMEM;
		memcpy(PHYS_TO_VIRT(copy), PHYS_TO_VIRT(old), PAGE_SIZE);
		*pmm_page_tag(copy) = 1;
		*pte = copy | prot_bits(prot);
		frame_put(old);
	}
	flush_page(mm, va);
	return 0;
}

#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_INSTR 0x10

int mm_handle_fault(struct mm *mm, uaddr_t addr, uint64_t error_code)
{
	uaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
	struct vma *v;
	uint64_t *pte;
	int err = 0;

	mutex_lock(&mm->lock);
	v = vma_find(mm, addr);
	if (!v) {
		err = -EFAULT;
		goto out;
	}
	if (((error_code & PF_WRITE) && !(v->prot & VM_WRITE)) ||
	    ((error_code & PF_INSTR) && !(v->prot & VM_EXEC)) ||
	    !(v->prot & (VM_READ | VM_WRITE | VM_EXEC))) {
		err = -EACCES;
		goto out;
	}
	pte = pte_lookup(mm, va, true);
	if (!pte) {
		err = -ENOMEM;
		goto out;
	}
	if (*pte & PTE_P) {
		if ((error_code & PF_WRITE) && !(*pte & PTE_W))
			err = break_cow(mm, pte, va, v->prot);
		/* else: another thread fixed it, or a stale TLB entry */
		flush_page(mm, va);
	} else {
		paddr_t pa = fault_in_frame(v, va);
		if (!pa) {
			err = -ENOMEM;
		} else {
			*pte = pa | prot_bits(v->prot);
			rss_add(mm, 1);
		}
	}
out:
	mutex_unlock(&mm->lock);
	return err;
}

int mm_copy_in(struct mm *mm, uaddr_t addr, const void *src, size_t len)
{
	const uint8_t *from = src;
	int err = 0;

	mutex_lock(&mm->lock);
	while (len) {
		uaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
		size_t off = addr - va, n = MIN(len, PAGE_SIZE - off);
		struct vma *v = vma_find(mm, addr);
		uint64_t *pte;

		if (!v) {
			err = -EFAULT;
			break;
		}
		pte = pte_lookup(mm, va, true);
		if (!pte) {
			err = -ENOMEM;
			break;
		}
		if (!(*pte & PTE_P)) {
			paddr_t pa = fault_in_frame(v, va);
			if (!pa) {
				err = -ENOMEM;
				break;
			}
			*pte = pa | prot_bits(v->prot);
			rss_add(mm, 1);
		}
		memcpy((uint8_t *)PHYS_TO_VIRT(*pte & PTE_ADDR) + off, from, n);
		from += n;
		addr += n;
		len -= n;
	}
	mutex_unlock(&mm->lock);
	return err;
}

int mm_protect(struct mm *mm, uaddr_t addr, size_t len, unsigned prot)
{
	uaddr_t end = addr + len;
	struct list_node *pos;
	int err;

	mutex_lock(&mm->lock);
	/* Linux: ENOMEM if any part of the range is not mapped. */
	for (uaddr_t a = addr; a < end;) {
		struct vma *v = vma_find(mm, a);
		if (!v) {
			mutex_unlock(&mm->lock);
			return -ENOMEM;
		}
		if ((prot & VM_WRITE) && (v->vflags & VMA_NOWRITE)) {
			mutex_unlock(&mm->lock);
			return -EACCES;         /* Linux: no VM_MAYWRITE */
		}
		a = v->end;
	}
	err = split_at(mm, addr, end);
	if (!err) {
		list_for_each(pos, &mm->vmas) {
			struct vma *v = list_entry(pos, struct vma, node);
			if (v->end <= addr || v->start >= end)
				continue;
			v->prot = prot;
			for (uaddr_t va = v->start; va < v->end; va += PAGE_SIZE) {
				uint64_t *pte = pte_lookup(mm, va, false);
				uint64_t keep_w;
				if (!pte || !(*pte & PTE_P))
					continue;
				/* Write access comes back through a fault (COW). */
				keep_w = (prot & VM_WRITE) ? (*pte & PTE_W) : 0;
				*pte = (*pte & PTE_ADDR) |
				       (prot_bits(prot) & ~PTE_W) | keep_w;
				flush_page(mm, va);
			}
		}
	}
	mutex_unlock(&mm->lock);
	return err;
}

int mm_discard(struct mm *mm, uaddr_t addr, size_t len)
{
	uaddr_t end = addr + len;

	mutex_lock(&mm->lock);
	for (uaddr_t va = addr; va < end; va += PAGE_SIZE) {
		struct vma *v = vma_find(mm, va);
		/* Shared memory keeps its contents (the object holds them). */
		if (v)
			zap_range(mm, va, va + PAGE_SIZE);
	}
	mutex_unlock(&mm->lock);
	return 0;
}

bool mm_range_mapped(struct mm *mm, uaddr_t addr, size_t len)
{
	bool ok = true;

	mutex_lock(&mm->lock);
	for (uaddr_t a = addr; a < addr + len;) {
		struct vma *v = vma_find(mm, a);
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
	if (new_end > old_end)
		return mm_map_fixed(mm, old_end, new_end - old_end,
				    VM_READ | VM_WRITE, 0);
	if (new_end < old_end)
		return mm_unmap(mm, new_end, old_end - new_end);
	return 0;
}

/*
 * Move the pages of [old, old+len) to [new, new+len) (mremap): the VMA
 * keeps its attributes, the frames move without copying.
 */
int mm_move(struct mm *mm, uaddr_t old, size_t old_len, uaddr_t new,
	    size_t new_len)
{
	struct vma *v, *nv;
	int err;

	mutex_lock(&mm->lock);
	v = vma_find(mm, old);
	if (!v || v->end < old + old_len) {
		mutex_unlock(&mm->lock);
		return -EFAULT;
	}
	nv = kmalloc(sizeof(*nv));
	if (!nv) {
		mutex_unlock(&mm->lock);
		return -ENOMEM;
	}
	*nv = *v;
	nv->start = new;
	nv->end = new + new_len;
	if (nv->shared) {
		nv->shared_pgoff += (old - v->start) >> PAGE_SHIFT;
		__atomic_add_fetch(&nv->shared->refcount, 1, __ATOMIC_RELAXED);
	}
	err = unmap_locked(mm, new, new + new_len);
	for (size_t off = 0; !err && off < MIN(old_len, new_len); off += PAGE_SIZE) {
		uint64_t *s = pte_lookup(mm, old + off, false), *d;
		if (!s || !(*s & PTE_P))
			continue;
		d = pte_lookup(mm, new + off, true);
		if (!d) {
			err = -ENOMEM;
			break;
		}
		*d = *s;
		*s = 0;
		flush_page(mm, old + off);
	}
	if (!err) {
		vma_insert(mm, nv);
		err = unmap_locked(mm, old, old + old_len);
	} else {
		vma_free(nv);
	}
	mutex_unlock(&mm->lock);
	return err;
}

/* Try to grow the mapping at [addr, addr+old_len) in place. */
int mm_grow_in_place(struct mm *mm, uaddr_t addr, size_t old_len,
		     size_t new_len)
{
	struct vma *v;
	struct list_node *pos;
	int err = 0;

	mutex_lock(&mm->lock);
	v = vma_find(mm, addr);
	if (!v || v->end != addr + old_len) {
		err = -EFAULT;
		goto out;
	}
	pos = v->node.next;
	if (pos != &mm->vmas &&
	    list_entry(pos, struct vma, node)->start < addr + new_len) {
		err = -ENOMEM;
		goto out;
	}
	if (v->shared) {
		err = -ENOMEM;  /* the object has a fixed size */
		goto out;
	}
	v->end = addr + new_len;
out:
	mutex_unlock(&mm->lock);
	return err;
}

/* ---- inspection from outside (/proc): VMAs, usage, reading memory ----
 * Each call takes mm->lock for its duration; the caller holds a reference
 * on @mm.  Callbacks run with mm->lock held and must not touch the mm. */

int mm_for_each_vma(struct mm *mm,
		    int (*fn)(void *arg, const struct mm_vma_info *vma),
		    void *arg)
{
	struct list_node *pos;
	int err = 0;

	mutex_lock(&mm->lock);
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		struct mm_vma_info info = {
			.start = v->start, .end = v->end, .prot = v->prot,
			.vflags = v->vflags,
			.pgoff = v->shared ? v->shared_pgoff : 0,
		};

		err = fn(arg, &info);
		if (err)
			break;
	}
	mutex_unlock(&mm->lock);
	return err;
}

/* Present leaf entries below @table (a table at @level, 4 = PML4). */
static uint64_t count_present(const uint64_t *table, int level)
{
	unsigned n = level == 4 ? USER_HALF_ENTRIES : 512;
	uint64_t count = 0;

	for (unsigned i = 0; i < n; i++) {
		if (!(table[i] & PTE_P))
			continue;
		if (level == 1)
			count++;
		else
			count += count_present(PHYS_TO_VIRT(table[i] & PTE_ADDR),
					       level - 1);
	}
	return count;
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
	}
	u->resident_pages = count_present(PHYS_TO_VIRT(mm->pml4_pa), 4);
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
		struct vma *v = vma_find(mm, addr);
		uint64_t *pte;

		if (!v || !(v->prot & VM_READ))
			break;
		pte = pte_lookup(mm, va, false);
		if (pte && (*pte & PTE_P))
			memcpy(to + done, (uint8_t *)PHYS_TO_VIRT(*pte & PTE_ADDR) +
			       off, n);
		else
			memset(to + done, 0, n);        /* never touched: zeros */
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

	mutex_lock(&mm->lock);
	pages = mm->hiwater_rss_pages;
	mutex_unlock(&mm->lock);
	return pages * (PAGE_SIZE / 1024);
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

int mm_map_shared(struct mm *mm, uaddr_t addr, size_t len, unsigned prot,
		  struct anon_shared *s)
{
	struct vma *v;
	int err;

	if (!len || !IS_ALIGNED(addr | len, PAGE_SIZE) ||
	    len > s->npages * PAGE_SIZE)
		return -EINVAL;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->start = addr;
	v->end = addr + len;
	v->prot = prot;
	v->vflags = VMA_SHARED | ((prot & VM_WRITE) ? 0 : VMA_NOWRITE);
	v->shared = s;
	anon_shared_get(s);
	mutex_lock(&mm->lock);
	err = unmap_locked(mm, addr, addr + len);
	if (!err)
		vma_insert(mm, v);
	mutex_unlock(&mm->lock);
	if (err)
		vma_free(v);
	return err;
}

int mm_unmap_shared(struct mm *mm, uaddr_t addr,
		    void (*put)(struct anon_shared *s, void *owner))
{
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
		    (v->start - addr) >> PAGE_SHIFT != v->shared_pgoff)
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
			    (v->start - addr) >> PAGE_SHIFT == v->shared_pgoff) {
				found = v;
				break;
			}
		}
		if (!found)
			break;
		err = unmap_locked(mm, found->start, found->end);
		if (err)
			break;
	}
	mutex_unlock(&mm->lock);
	return err;
}
