/*
 * Slab allocator core: kmalloc's size classes 16, 32, ..., 2048 bytes,
 * each a cache of slabs; larger requests get their own block of pages.
 *
 * Model.  A slab is a block of 2^order pages from the backend.  It starts
 * with a struct slab header followed by equal objects; free objects are
 * chained through their first word.  Each cache keeps its slabs on three
 * lists (partial, full, empty) and keeps at most SLAB_KEEP_EMPTY empty
 * slabs, giving the others back.  To find what a pointer belongs to on
 * free, every page of a slab carries a tag (the backend's per-page owner
 * word) pointing at the slab header; the first page of a large block
 * carries (requested size, order, TAG_LARGE) instead.  A tag of 0 means
 * "not kmalloc memory", so frees of foreign or already freed pages are
 * caught.
 *
 * Debug mode (heap->debug; the kernel sets it under KERNEL_DEBUG, host
 * tests always): each object is followed by a 16-byte trailer
 *     [8 bytes SLAB_POISON_RED][u32 requested size][u32 state magic]
 * and the bytes between the requested size and the class size are also
 * SLAB_POISON_RED; free checks both (overflow) and the state (double
 * free).  Free objects are filled with SLAB_POISON_FREE after the link
 * word; allocation checks the fill and the link (write after free).  A
 * damaged object is reported and never reused.
 *
 * Pure code: no locks (the caller serialises every call on one heap), no
 * arch code.  Problems go to backend->report and an error return.
 */
#include "mm/internal.h"
#include "include/errno.h"
#include "lib/string.h"

#define SLAB_MAGIC 0x51ab51abU
#define OBJ_ALLOCATED 0xa110c8edU
#define OBJ_FREE 0xf4eef4eeU
#define SLAB_KEEP_EMPTY 1
#define SLAB_MAX_ORDER 3
#define SLAB_HEADER_SPACE 64

#define TAG_LARGE 1UL
#define TAG_ORDER_SHIFT 2
#define TAG_SIZE_SHIFT 8

struct slab {
	uint32_t magic;                 /* SLAB_MAGIC while live */
	uint16_t inuse;                 /* allocated (or quarantined) objects */
	uint16_t total;
	struct slab_cache *cache;
	void *freelist;                 /* first free object or NULL */
	uint8_t *objects;               /* first object */
	struct list_node link;          /* on one of cache's lists */
};
STATIC_ASSERT(sizeof(struct slab) <= SLAB_HEADER_SPACE, "slab header");

struct obj_trailer {
	uint8_t red[8];
	uint32_t req_size;
	uint32_t state;
};
STATIC_ASSERT(sizeof(struct obj_trailer) == SLAB_REDZONE, "trailer");

static void report(struct slab_heap *h, const char *what, const void *ptr)
{
	h->errors++;
	if (h->backend.report)
		h->backend.report(what, ptr, h->backend.ctx);
}

static uint64_t *tag_of(struct slab_heap *h, const void *va)
{
	return h->backend.page_tag(va, h->backend.ctx);
}

static void cache_init(struct slab_cache *c, uint32_t size, bool debug)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
	c->stride = size + (debug ? SLAB_REDZONE : 0);
	/* Smallest slab that holds 8 objects (or the largest allowed). */
	for (c->order = 0; c->order < SLAB_MAX_ORDER; c->order++)
		if (((PAGE_SIZE << c->order) - SLAB_HEADER_SPACE) / c->stride >= 8)
			break;
	c->objs_per_slab = ((PAGE_SIZE << c->order) - SLAB_HEADER_SPACE) /
			   c->stride;
	list_init(&c->partial);
	list_init(&c->full);
	list_init(&c->empty);
}

void slab_heap_init(struct slab_heap *h, const struct slab_backend *be,
		    bool debug)
{
	memset(h, 0, sizeof(*h));
	h->backend = *be;
	h->debug = debug;
	for (unsigned i = 0; i < SLAB_NR_CLASSES; i++)
		cache_init(&h->caches[i], SLAB_MIN_SIZE << i, debug);
}

static struct obj_trailer *trailer_of(struct slab_cache *c, void *obj)
{
	return (struct obj_trailer *)((uint8_t *)obj + c->size);
}

static bool all_bytes(const void *p, uint8_t v, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

/* Debug: fill a free object so that later writes to it are visible. */
static void poison_free(struct slab_heap *h, struct slab_cache *c, void *obj)
{
	struct obj_trailer *t = trailer_of(c, obj);

	if (!h->debug)
		return;
	memset((uint8_t *)obj + sizeof(void *), SLAB_POISON_FREE,
	       c->size - sizeof(void *));
	memset(t->red, SLAB_POISON_RED, sizeof(t->red));
	t->req_size = 0;
	t->state = OBJ_FREE;
}

static bool is_object(struct slab *s, const void *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)s->objects;

	return (uintptr_t)p >= (uintptr_t)s->objects &&
	       off % s->cache->stride == 0 && off / s->cache->stride < s->total;
}

static void slab_release(struct slab_heap *h, struct slab *s)
{
	struct slab_cache *c = s->cache;

	list_del(&s->link);
	c->nr_slabs--;
	s->magic = 0;
	for (unsigned i = 0; i < (1U << c->order); i++)
		*tag_of(h, (uint8_t *)s + i * PAGE_SIZE) = 0;
	h->backend.page_free(s, c->order, h->backend.ctx);
}

static struct slab *slab_create(struct slab_heap *h, struct slab_cache *c)
{
	struct slab *s = h->backend.page_alloc(c->order, h->backend.ctx);
	void *prev = NULL;

	if (!s)
		return NULL;
	for (unsigned i = 0; i < (1U << c->order); i++)
		*tag_of(h, (uint8_t *)s + i * PAGE_SIZE) = (uintptr_t)s;
	s->magic = SLAB_MAGIC;
	s->inuse = 0;
	s->total = c->objs_per_slab;
	s->cache = c;
	s->objects = (uint8_t *)s + SLAB_HEADER_SPACE;
	/* Chain the objects in address order. */
	for (unsigned i = s->total; i-- > 0;) {
		void *obj = s->objects + (size_t)i * c->stride;

		*(void **)obj = prev;
		poison_free(h, c, obj);
		prev = obj;
	}
	s->freelist = prev;
	list_add(&s->link, &c->empty);
	c->nr_empty++;
	c->nr_slabs++;
	return s;
}

/*
 * Debug: check a free object before handing it out.  On damage the
 * object is reported and stays counted as in use forever; if the link
 * itself is damaged the rest of the chain is abandoned too.
 */
static bool check_free_object(struct slab_heap *h, struct slab *s, void *obj)
{
	struct slab_cache *c = s->cache;
	struct obj_trailer *t = trailer_of(c, obj);
	void *next = *(void **)obj;

	if (next && !is_object(s, next)) {
		report(h, "write after free (free list link damaged)", obj);
		s->freelist = NULL;
		s->inuse = s->total;
		return false;
	}
	if (!all_bytes((uint8_t *)obj + sizeof(void *), SLAB_POISON_FREE,
		       c->size - sizeof(void *)) ||
	    t->state != OBJ_FREE ||
	    !all_bytes(t->red, SLAB_POISON_RED, sizeof(t->red))) {
		report(h, "write after free", obj);
		s->freelist = next;
		s->inuse++;
		return false;
	}
	return true;
}

static void *cache_alloc(struct slab_heap *h, struct slab_cache *c,
			 size_t req)
{
	for (;;) {
		struct slab *s;
		void *obj;

		if (!list_empty(&c->partial)) {
			s = list_first_entry(&c->partial, struct slab, link);
		} else {
			if (list_empty(&c->empty) && !slab_create(h, c))
				return NULL;
			s = list_first_entry(&c->empty, struct slab, link);
			list_del(&s->link);
			list_add(&s->link, &c->partial);
			c->nr_empty--;
		}
		obj = s->freelist;
		if (!h->debug || check_free_object(h, s, obj)) {
			s->freelist = *(void **)obj;
			s->inuse++;
		} else {
			obj = NULL;
		}
		if (s->inuse == s->total) {
			list_del(&s->link);
			list_add(&s->link, &c->full);
		}
		if (!obj)
			continue;
		c->objs_in_use++;
		if (h->debug) {
			struct obj_trailer *t = trailer_of(c, obj);

			memset((uint8_t *)obj + req, SLAB_POISON_RED,
			       c->size - req);
			t->req_size = req;
			t->state = OBJ_ALLOCATED;
		}
		return obj;
	}
}

static void *large_alloc(struct slab_heap *h, size_t size)
{
	unsigned order = 0;
	uint8_t *p;

	while ((PAGE_SIZE << order) < size)
		if (++order > BUDDY_MAX_ORDER)
			return NULL;
	p = h->backend.page_alloc(order, h->backend.ctx);
	if (!p)
		return NULL;
	*tag_of(h, p) = ((uint64_t)size << TAG_SIZE_SHIFT) |
			(order << TAG_ORDER_SHIFT) | TAG_LARGE;
	if (h->debug)
		memset(p + size, SLAB_POISON_RED, (PAGE_SIZE << order) - size);
	h->large_in_use++;
	return p;
}

void *slab_alloc(struct slab_heap *h, size_t size)
{
	unsigned i = 0;

	if (size == 0)
		size = 1;
	if (size > SLAB_MAX_SIZE)
		return large_alloc(h, size);
	while (h->caches[i].size < size)
		i++;
	return cache_alloc(h, &h->caches[i], size);
}

static int large_free(struct slab_heap *h, void *ptr, uint64_t *tag)
{
	unsigned order = (*tag >> TAG_ORDER_SHIFT) & 0x3f;
	size_t size = *tag >> TAG_SIZE_SHIFT;

	if ((uintptr_t)ptr & (PAGE_SIZE - 1)) {
		report(h, "invalid free (inside a large allocation)", ptr);
		return -EINVAL;
	}
	if (h->debug && !all_bytes((uint8_t *)ptr + size, SLAB_POISON_RED,
				   (PAGE_SIZE << order) - size)) {
		report(h, "buffer overflow after a large allocation", ptr);
		return -EINVAL;
	}
	*tag = 0;
	h->large_in_use--;
	h->backend.page_free(ptr, order, h->backend.ctx);
	return 0;
}

/* Debug: check the trailer and slack of an object being freed. */
static int check_allocated_object(struct slab_heap *h, struct slab_cache *c,
				  void *obj)
{
	struct obj_trailer *t = trailer_of(c, obj);

	if (t->state == OBJ_FREE && all_bytes(t->red, SLAB_POISON_RED, 8)) {
		report(h, "double free", obj);
		return -EINVAL;
	}
	if (!all_bytes(t->red, SLAB_POISON_RED, sizeof(t->red)) ||
	    t->state != OBJ_ALLOCATED || t->req_size > c->size ||
	    !all_bytes((uint8_t *)obj + t->req_size, SLAB_POISON_RED,
		       c->size - t->req_size)) {
		report(h, "buffer overflow (redzone damaged)", obj);
		return -EINVAL;
	}
	return 0;
}

int slab_free(struct slab_heap *h, void *ptr)
{
	uint64_t *tag;
	struct slab *s;
	struct slab_cache *c;

	if (!ptr)
		return 0;
	tag = tag_of(h, ptr);
	if (!tag || !*tag) {
		report(h, "invalid free (not allocated by kmalloc)", ptr);
		return -EINVAL;
	}
	if (*tag & TAG_LARGE)
		return large_free(h, ptr, tag);
	s = (struct slab *)(uintptr_t)*tag;
	if (s->magic != SLAB_MAGIC || !is_object(s, ptr)) {
		report(h, "invalid free (not the start of an object)", ptr);
		return -EINVAL;
	}
	c = s->cache;
	/* Cheap partial check for non-debug heaps; debug checks the state. */
	if (s->inuse == 0 || ptr == s->freelist) {
		report(h, "double free", ptr);
		return -EINVAL;
	}
	if (h->debug && check_allocated_object(h, c, ptr))
		return -EINVAL;
	*(void **)ptr = s->freelist;
	poison_free(h, c, ptr);
	s->freelist = ptr;
	if (s->inuse-- == s->total) {
		list_del(&s->link);
		list_add(&s->link, &c->partial);
	}
	c->objs_in_use--;
	if (s->inuse == 0) {
		list_del(&s->link);
		list_add(&s->link, &c->empty);
		if (++c->nr_empty > SLAB_KEEP_EMPTY) {
			c->nr_empty--;
			slab_release(h, s);
		}
	}
	return 0;
}

size_t slab_usable_size(struct slab_heap *h, const void *ptr)
{
	uint64_t *tag = ptr ? tag_of(h, ptr) : NULL;

	if (!tag || !*tag)
		return 0;
	if (*tag & TAG_LARGE)
		return PAGE_SIZE << ((*tag >> TAG_ORDER_SHIFT) & 0x3f);
	return ((struct slab *)(uintptr_t)*tag)->cache->size;
}
