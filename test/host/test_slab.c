/*
 * Host unit tests for the slab allocator core (mm/slab.c).  The backend is
 * the real buddy core (mm/buddy.c) over a malloc'ed arena, so page tags,
 * alignment and page accounting behave as in the kernel.  Each case runs
 * on a fresh heap, in debug mode (poison + redzones) and, where the case
 * does not depend on debug checks, in non-debug mode too.
 */
#include "mm/internal.h"
#include "include/errno.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test/host/host_test.h"

#define ARENA_PAGES 4096                /* 16 MiB */

static int failures;

struct fixture {
	struct buddy_zone zone;
	struct buddy_page *pages;
	void *arena;
	struct slab_heap heap;
	unsigned reports;
	const char *last_report;
	const void *last_ptr;
	uint64_t free0;
};

static struct fixture fx;

static void *be_page_alloc(unsigned order, void *ctx)
{
	struct fixture *f = ctx;
	uint64_t pfn;

	if (buddy_alloc(&f->zone, order, &pfn))
		return NULL;
	return (void *)(uintptr_t)(pfn << PAGE_SHIFT);
}

static void be_page_free(void *va, unsigned order, void *ctx)
{
	struct fixture *f = ctx;

	if (buddy_free(&f->zone, (uintptr_t)va >> PAGE_SHIFT, order)) {
		fprintf(stderr, "  backend: bad page free %p\n", va);
		abort();
	}
}

static uint64_t *be_page_tag(const void *va, void *ctx)
{
	struct fixture *f = ctx;
	struct buddy_page *p = buddy_page_of(&f->zone,
					     (uintptr_t)va >> PAGE_SHIFT);

	return p ? &p->priv : NULL;
}

static void be_report(const char *what, const void *ptr, void *ctx)
{
	struct fixture *f = ctx;

	f->reports++;
	f->last_report = what;
	f->last_ptr = ptr;
}

static void fixture_init(bool debug)
{
	struct slab_backend be = {
		.page_alloc = be_page_alloc,
		.page_free = be_page_free,
		.page_tag = be_page_tag,
		.report = be_report,
		.ctx = &fx,
	};
	uint64_t base;

	memset(&fx, 0, sizeof(fx));
	fx.arena = aligned_alloc(PAGE_SIZE << BUDDY_MAX_ORDER,
				 ARENA_PAGES * PAGE_SIZE);
	fx.pages = calloc(ARENA_PAGES, sizeof(*fx.pages));
	if (!fx.arena || !fx.pages)
		abort();
	base = (uintptr_t)fx.arena >> PAGE_SHIFT;
	buddy_init(&fx.zone, base, ARENA_PAGES, fx.pages);
	if (buddy_add_range(&fx.zone, base, ARENA_PAGES))
		abort();
	fx.free0 = fx.zone.free_pages;
	slab_heap_init(&fx.heap, &be, debug);
}

static void fixture_fini(void)
{
	free(fx.pages);
	free(fx.arena);
}

/* Nothing in use any more; only the kept empty slabs hold pages. */
static bool heap_idle(void)
{
	uint64_t held = 0;

	for (unsigned i = 0; i < SLAB_NR_CLASSES; i++) {
		struct slab_cache *c = &fx.heap.caches[i];

		if (c->objs_in_use || c->nr_slabs != c->nr_empty ||
		    c->nr_empty > 1)
			return false;
		held += c->nr_slabs << c->order;
	}
	return fx.heap.large_in_use == 0 &&
	       fx.zone.free_pages + held == fx.free0 &&
	       buddy_check(&fx.zone) == 0;
}

static void *xalloc(size_t n)
{
	return slab_alloc(&fx.heap, n);
}

static int xfree(void *p)
{
	return slab_free(&fx.heap, p);
}

static const size_t class_sizes[] = {
	1, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255,
	256, 257, 511, 512, 513, 1000, 1023, 1024, 1025, 2000, 2047, 2048,
};

/* Every class boundary: right class, 16-byte aligned, whole size usable. */
static void test_size_classes(bool debug)
{
	for (unsigned i = 0; i < ARRAY_SIZE(class_sizes); i++) {
		size_t n = class_sizes[i], want = SLAB_MIN_SIZE;
		uint8_t *p = xalloc(n);

		while (want < n)
			want <<= 1;
		REQUIRE(p);
		REQUIRE(((uintptr_t)p & (SLAB_ALIGN - 1)) == 0);
		REQUIRE(slab_usable_size(&fx.heap, p) == want);
		memset(p, 0xa5, n);
		REQUIRE(xfree(p) == 0);
	}
	REQUIRE(fx.reports == 0);
	REQUIRE(heap_idle());
}

static void test_kfree_null(bool debug)
{
	REQUIRE(xfree(NULL) == 0);
	REQUIRE(fx.reports == 0);
	REQUIRE(heap_idle());
}

static void test_zero_size(bool debug)
{
	void *p = xalloc(0), *q = xalloc(0);

	REQUIRE(p && q && p != q);
	REQUIRE(xfree(p) == 0 && xfree(q) == 0);
	REQUIRE(heap_idle());
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct obj {
	uint8_t *p;
	size_t n;
};

/* Many live objects of mixed sizes never overlap; all come back. */
static void test_many_objects(bool debug)
{
	enum { N = 6000 };
	static struct obj objs[N];

	rng_state = 12345;
	for (unsigned i = 0; i < N; i++) {
		size_t n = 1 + rng() % (i % 10 == 0 ? 6000 : 300);

		objs[i].p = xalloc(n);
		objs[i].n = n;
		REQUIRE(objs[i].p);
		memset(objs[i].p, (uint8_t)i, n);
	}
	for (unsigned i = 0; i < N; i++)
		for (size_t b = 0; b < objs[i].n; b++)
			REQUIRE(objs[i].p[b] == (uint8_t)i);
	/* Free in a shuffled order. */
	for (unsigned i = N - 1; i > 0; i--) {
		unsigned j = rng() % (i + 1);
		struct obj t = objs[i];

		objs[i] = objs[j];
		objs[j] = t;
	}
	for (unsigned i = 0; i < N; i++)
		REQUIRE(xfree(objs[i].p) == 0);
	REQUIRE(fx.reports == 0);
	REQUIRE(heap_idle());
}

/* A freed object is the next one handed out (LIFO free list). */
static void test_reuse_after_free(bool debug)
{
	void *a = xalloc(48), *b;

	REQUIRE(a);
	REQUIRE(xfree(a) == 0);
	b = xalloc(64);
	REQUIRE(b == a);
	REQUIRE(xfree(b) == 0);
	REQUIRE(fx.reports == 0);
	REQUIRE(heap_idle());
}

/* Writes to a freed object are reported when it would be reused. */
static void test_write_after_free(bool debug)
{
	uint8_t *a = xalloc(64), *b, *keep = xalloc(64);

	REQUIRE(a && keep);
	REQUIRE(xfree(a) == 0);
	a[40] = 1;                              /* use after free */
	b = xalloc(64);
	REQUIRE(b && b != a);
	REQUIRE(fx.reports == 1 && fx.last_ptr == a);
	REQUIRE(strstr(fx.last_report, "after free"));
	REQUIRE(xfree(b) == 0 && xfree(keep) == 0);
	REQUIRE(fx.reports == 1);
}

/* Damage to the free-list link itself is caught too. */
static void test_free_link_damaged(bool debug)
{
	uint8_t *a = xalloc(32), *b = xalloc(32), *c;

	REQUIRE(a && b);
	REQUIRE(xfree(b) == 0);
	REQUIRE(xfree(a) == 0);
	memset(a, 0x41, 8);                     /* smash the link */
	c = xalloc(32);
	REQUIRE(c && c != a && c != b);
	REQUIRE(fx.reports == 1 && fx.last_ptr == a);
	REQUIRE(xfree(c) == 0);
}

/* One byte past the requested size, or past the class size, is caught. */
static void test_redzone_overflow(bool debug)
{
	uint8_t *a = xalloc(20), *b = xalloc(32), *c = xalloc(2048);

	REQUIRE(a && b && c);
	a[20] = 0;                              /* inside the class slack */
	REQUIRE(xfree(a) == -EINVAL);
	REQUIRE(fx.reports == 1 && strstr(fx.last_report, "overflow"));
	b[32] = 0;                              /* into the trailer */
	REQUIRE(xfree(b) == -EINVAL);
	REQUIRE(fx.reports == 2 && fx.last_ptr == b);
	memset(c, 0, 2048);                     /* exactly full: fine */
	REQUIRE(xfree(c) == 0);
	REQUIRE(fx.reports == 2);
}

static void test_double_free(bool debug)
{
	void *a = xalloc(100), *keep = xalloc(100);

	REQUIRE(a && keep);
	REQUIRE(xfree(a) == 0);
	REQUIRE(xfree(a) == -EINVAL);
	REQUIRE(fx.reports == 1 && strstr(fx.last_report, "double free"));
	REQUIRE(xfree(keep) == 0);
	REQUIRE(heap_idle());
}

static void test_invalid_free(bool debug)
{
	uint8_t *a = xalloc(64);
	int local;

	REQUIRE(a);
	REQUIRE(xfree(a + 8) == -EINVAL);         /* not an object start */
	REQUIRE(xfree(&local) == -EINVAL);        /* not heap memory */
	REQUIRE(fx.reports == 2);
	REQUIRE(xfree(a) == 0);
	REQUIRE(heap_idle());
}

/* Above 2048 bytes: page-aligned blocks of the next power of two. */
static void test_large(bool debug)
{
	static const size_t sizes[] = {
		2049, 4096, 4097, 8192, 100000, PAGE_SIZE << BUDDY_MAX_ORDER,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint8_t *p = xalloc(sizes[i]);
		size_t want = PAGE_SIZE;

		while (want < sizes[i])
			want <<= 1;
		REQUIRE(p);
		REQUIRE(((uintptr_t)p & (PAGE_SIZE - 1)) == 0);
		REQUIRE(slab_usable_size(&fx.heap, p) == want);
		memset(p, 0x5a, sizes[i]);
		REQUIRE(xfree(p) == 0);
	}
	REQUIRE(xalloc((PAGE_SIZE << BUDDY_MAX_ORDER) + 1) == NULL);
	REQUIRE(fx.reports == 0);
	REQUIRE(heap_idle());
}

static void test_large_misuse(bool debug)
{
	uint8_t *p = xalloc(5000), *q = xalloc(9000);

	REQUIRE(p && q);
	REQUIRE(xfree(p + PAGE_SIZE) == -EINVAL); /* inside the block */
	REQUIRE(xfree(p) == 0);
	REQUIRE(xfree(p) == -EINVAL);             /* double free */
	REQUIRE(fx.reports == 2);
	if (!debug) {
		REQUIRE(xfree(q) == 0);
		REQUIRE(heap_idle());
		return;
	}
	q[9000] = 1;                            /* overflow into the slack */
	REQUIRE(xfree(q) == -EINVAL);
	REQUIRE(fx.reports == 3 && strstr(fx.last_report, "overflow"));
}

/* Running out of pages gives NULL, and everything can be freed again. */
static void test_exhaustion(bool debug)
{
	static void *objs[ARENA_PAGES * 8];
	unsigned n = 0;
	void *p;

	while ((p = xalloc(1500)) != NULL) {
		REQUIRE(n < ARRAY_SIZE(objs));
		objs[n++] = p;
	}
	REQUIRE(n > ARENA_PAGES);                 /* 2 per page at least */
	REQUIRE(xalloc(3000) == NULL);
	REQUIRE(xalloc(SLAB_MAX_SIZE + 1) == NULL);
	while (n)
		REQUIRE(xfree(objs[--n]) == 0);
	REQUIRE(fx.reports == 0);
	REQUIRE(heap_idle());
	REQUIRE((p = xalloc(PAGE_SIZE << BUDDY_MAX_ORDER)) != NULL);
	REQUIRE(xfree(p) == 0);
}

static const struct {
	const char *name;
	void (*fn)(bool debug);
	bool needs_debug;
} tests[] = {
	{ "size_classes", test_size_classes, false },
	{ "kfree_null", test_kfree_null, false },
	{ "zero_size", test_zero_size, false },
	{ "many_objects", test_many_objects, false },
	{ "reuse_after_free", test_reuse_after_free, false },
	{ "write_after_free", test_write_after_free, true },
	{ "free_link_damaged", test_free_link_damaged, true },
	{ "redzone_overflow", test_redzone_overflow, true },
	{ "double_free", test_double_free, false },
	{ "invalid_free", test_invalid_free, false },
	{ "large", test_large, false },
	{ "large_misuse", test_large_misuse, false },
	{ "exhaustion", test_exhaustion, false },
};

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);   /* LSan exits without flushing */
	for (unsigned t = 0; t < ARRAY_SIZE(tests); t++) {
		for (int debug = 1; debug >= 0; debug--) {
			if (!debug && tests[t].needs_debug)
				continue;
			fixture_init(debug);
			host_case_failed = 0;
			tests[t].fn(debug);
			fixture_fini();
			printf("%s - %s/%s\n", host_case_failed ? "not ok" : "ok",
			       tests[t].name, debug ? "debug" : "nodebug");
			failures += host_case_failed;
		}
	}
	return failures ? 1 : 0;
}
