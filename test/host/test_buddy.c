/*
 * Host unit tests for the buddy allocator core (mm/buddy.c).  Each test
 * builds a zone from a table of layouts (frame ranges with holes and
 * unaligned edges), exercises it and compares against exact counters and
 * a shadow bitmap.  Output: one "ok - name" / "not ok - name" per case.
 */
#include "mm/internal.h"
#include "include/errno.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test/host/host_test.h"

static int failures;

struct range {
	uint64_t pfn, count;
};

struct layout {
	const char *name;
	uint64_t base_pfn, npages;
	struct range ranges[4];
};

static const struct layout layouts[] = {
	{ "aligned-4MiB", 0x400, 1024, { { 0x400, 1024 } } },
	{ "one-page", 0x10, 1, { { 0x10, 1 } } },
	{ "unaligned-edges", 0x103, 5000, { { 0x103, 4997 } } },
	{ "holes", 0x0, 6000,
	  { { 1, 999 }, { 1500, 2548 }, { 4097, 3 }, { 5000, 1000 } } },
	{ "large", 0x80000, 16384, { { 0x80000, 16384 } } },
};

struct zone_fixture {
	struct buddy_zone z;
	struct buddy_page *pages;
	uint64_t expect_total;
	uint64_t blocks0[BUDDY_MAX_ORDER + 1];
	uint64_t free0;
};

static void fixture_init(struct zone_fixture *f, const struct layout *l)
{
	f->pages = calloc(l->npages, sizeof(*f->pages));
	if (!f->pages)
		abort();
	buddy_init(&f->z, l->base_pfn, l->npages, f->pages);
	f->expect_total = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(l->ranges) && l->ranges[i].count;
	     i++) {
		if (buddy_add_range(&f->z, l->ranges[i].pfn, l->ranges[i].count))
			abort();
		f->expect_total += l->ranges[i].count;
	}
	memcpy(f->blocks0, f->z.free_blocks, sizeof(f->blocks0));
	f->free0 = f->z.free_pages;
}

static void fixture_fini(struct zone_fixture *f)
{
	free(f->pages);
}

static bool same_as_initial(const struct zone_fixture *f)
{
	return f->z.free_pages == f->free0 &&
	       !memcmp(f->blocks0, f->z.free_blocks, sizeof(f->blocks0)) &&
	       buddy_check(&f->z) == 0;
}

static bool in_ranges(const struct layout *l, uint64_t pfn)
{
	for (unsigned i = 0; i < ARRAY_SIZE(l->ranges); i++)
		if (pfn >= l->ranges[i].pfn &&
		    pfn < l->ranges[i].pfn + l->ranges[i].count)
			return true;
	return false;
}

/* Counters after adding the ranges are exact and the zone is consistent. */
static void test_init_counters(const struct layout *l)
{
	struct zone_fixture f;
	uint64_t sum = 0;

	fixture_init(&f, l);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		sum += f.z.free_blocks[k] << k;
	REQUIRE(f.z.total_pages == f.expect_total);
	REQUIRE(f.z.free_pages == f.expect_total);
	REQUIRE(sum == f.expect_total);
	REQUIRE(buddy_check(&f.z) == 0);
	fixture_fini(&f);
}

/* One block of every order that fits: aligned, inside the ranges, freed
 * back to exactly the initial state. */
static void test_every_order(const struct layout *l)
{
	struct zone_fixture f;

	fixture_init(&f, l);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t pfn;
		int err = buddy_alloc(&f.z, k, &pfn);
		bool fits = false;

		for (unsigned j = k; j <= BUDDY_MAX_ORDER; j++)
			fits |= f.blocks0[j] != 0;
		if (!fits) {
			REQUIRE(err == -ENOMEM);
			continue;
		}
		REQUIRE(err == 0);
		REQUIRE((pfn & ((1UL << k) - 1)) == 0);
		for (uint64_t p = pfn; p < pfn + (1UL << k); p++)
			REQUIRE(in_ranges(l, p));
		REQUIRE(f.z.free_pages == f.free0 - (1UL << k));
		REQUIRE(buddy_check(&f.z) == 0);
		REQUIRE(buddy_free(&f.z, pfn, k) == 0);
		REQUIRE(same_as_initial(&f));
	}
	REQUIRE(buddy_alloc(&f.z, BUDDY_MAX_ORDER + 1, &(uint64_t){ 0 }) == -EINVAL);
	fixture_fini(&f);
}

/* Split everything into single pages, exhaust, then coalesce back. */
static void test_split_coalesce_exhaust(const struct layout *l)
{
	struct zone_fixture f;
	uint64_t *pfns, n = 0, pfn;

	fixture_init(&f, l);
	pfns = calloc(f.expect_total + 1, sizeof(*pfns));
	while (buddy_alloc(&f.z, 0, &pfn) == 0) {
		REQUIRE(n < f.expect_total);
		REQUIRE(in_ranges(l, pfn));
		pfns[n++] = pfn;
	}
	REQUIRE(n == f.expect_total);
	REQUIRE(f.z.free_pages == 0);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		REQUIRE(buddy_alloc(&f.z, k, &pfn) == -ENOMEM);
	REQUIRE(buddy_check(&f.z) == 0);
	/* Free odd indices first, then even: maximal merging work. */
	for (uint64_t i = 1; i < n; i += 2)
		REQUIRE(buddy_free(&f.z, pfns[i], 0) == 0);
	REQUIRE(buddy_check(&f.z) == 0);
	for (uint64_t i = 0; i < n; i += 2)
		REQUIRE(buddy_free(&f.z, pfns[i], 0) == 0);
	REQUIRE(same_as_initial(&f));
	free(pfns);
	fixture_fini(&f);
}

/* Every misuse is reported and leaves the zone untouched. */
static void test_bad_frees(const struct layout *l)
{
	struct zone_fixture f;
	uint64_t pfn, pfn2;

	fixture_init(&f, l);
	if (f.expect_total < 4) {
		REQUIRE(buddy_alloc(&f.z, 0, &pfn) == 0);
		REQUIRE(buddy_free(&f.z, pfn, 0) == 0);
		REQUIRE(buddy_free(&f.z, pfn, 0) == -EINVAL);
		REQUIRE(same_as_initial(&f));
		fixture_fini(&f);
		return;
	}
	REQUIRE(buddy_alloc(&f.z, 1, &pfn) == 0);
	REQUIRE(buddy_alloc(&f.z, 0, &pfn2) == 0);
	REQUIRE(buddy_free(&f.z, pfn, 0) == -EINVAL);       /* wrong order */
	REQUIRE(buddy_free(&f.z, pfn, 2) == -EINVAL);       /* wrong order */
	REQUIRE(buddy_free(&f.z, pfn + 1, 0) == -EINVAL);   /* tail page */
	REQUIRE(buddy_free(&f.z, l->base_pfn + l->npages, 0) == -EINVAL);
	REQUIRE(buddy_free(&f.z, l->base_pfn - 1, 0) == -EINVAL);
	REQUIRE(buddy_free(&f.z, pfn, BUDDY_MAX_ORDER + 1) == -EINVAL);
	REQUIRE(buddy_free(&f.z, pfn, 1) == 0);
	REQUIRE(buddy_free(&f.z, pfn, 1) == -EINVAL);       /* double free */
	REQUIRE(buddy_free(&f.z, pfn2, 0) == 0);
	REQUIRE(buddy_free(&f.z, pfn2, 0) == -EINVAL);      /* double free */
	REQUIRE(same_as_initial(&f));
	/* Adding managed frames again, or frames outside the zone, fails. */
	REQUIRE(buddy_add_range(&f.z, l->ranges[0].pfn, 1) == -EINVAL);
	REQUIRE(buddy_add_range(&f.z, l->base_pfn + l->npages, 1) == -EINVAL);
	REQUIRE(same_as_initial(&f));
	fixture_fini(&f);
}

/* Reserved frames (holes) are never handed out nor accepted back. */
static void test_reserved_frames(const struct layout *l)
{
	struct zone_fixture f;

	fixture_init(&f, l);
	for (uint64_t p = l->base_pfn; p < l->base_pfn + l->npages; p++) {
		if (in_ranges(l, p))
			continue;
		REQUIRE(buddy_free(&f.z, p, 0) == -EINVAL);
		REQUIRE(buddy_page_of(&f.z, p)->state == BUDDY_RESERVED);
	}
	REQUIRE(same_as_initial(&f));
	fixture_fini(&f);
}

/* Deterministic generator so a failure can be replayed. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct live_block {
	uint64_t pfn;
	unsigned order;
};

/* Random alloc/free against a shadow bitmap of allocated frames. */
static void test_random(const struct layout *l)
{
	struct zone_fixture f;
	uint8_t *shadow;
	struct live_block *live;
	uint64_t nlive = 0, used = 0;

	rng_state = 0x9e3779b97f4a7c15ULL;
	fixture_init(&f, l);
	shadow = calloc(l->npages, 1);
	live = calloc(f.expect_total + 1, sizeof(*live));
	for (int step = 0; step < 200000; step++) {
		bool do_alloc = nlive == 0 || (rng() % 100) < 55;

		if (do_alloc) {
			unsigned order = rng() % 4 ? rng() % 3 :
				rng() % (BUDDY_MAX_ORDER + 1);
			uint64_t pfn;
			int err = buddy_alloc(&f.z, order, &pfn);

			if (err) {
				REQUIRE(err == -ENOMEM);
				continue;
			}
			REQUIRE((pfn & ((1UL << order) - 1)) == 0);
			for (uint64_t p = pfn; p < pfn + (1UL << order); p++) {
				REQUIRE(in_ranges(l, p));
				REQUIRE(!shadow[p - l->base_pfn]);
				shadow[p - l->base_pfn] = 1;
			}
			live[nlive++] = (struct live_block){ pfn, order };
			used += 1UL << order;
		} else {
			uint64_t i = rng() % nlive;
			struct live_block b = live[i];

			live[i] = live[--nlive];
			REQUIRE(buddy_free(&f.z, b.pfn, b.order) == 0);
			for (uint64_t p = b.pfn; p < b.pfn + (1UL << b.order); p++)
				shadow[p - l->base_pfn] = 0;
			used -= 1UL << b.order;
		}
		REQUIRE(f.z.free_pages == f.expect_total - used);
		if (step % 4096 == 0)
			REQUIRE(buddy_check(&f.z) == 0);
	}
	while (nlive) {
		nlive--;
		REQUIRE(buddy_free(&f.z, live[nlive].pfn, live[nlive].order) == 0);
	}
	REQUIRE(same_as_initial(&f));
	free(live);
	free(shadow);
	fixture_fini(&f);
}

static const struct {
	const char *name;
	void (*fn)(const struct layout *l);
} tests[] = {
	{ "init_counters", test_init_counters },
	{ "every_order", test_every_order },
	{ "split_coalesce_exhaust", test_split_coalesce_exhaust },
	{ "bad_frees", test_bad_frees },
	{ "reserved_frames", test_reserved_frames },
	{ "random", test_random },
};

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);   /* LSan exits without flushing */
	for (unsigned t = 0; t < ARRAY_SIZE(tests); t++) {
		for (unsigned i = 0; i < ARRAY_SIZE(layouts); i++) {
			host_case_failed = 0;
			tests[t].fn(&layouts[i]);
			printf("%s - %s/%s\n", host_case_failed ? "not ok" : "ok",
			       tests[t].name, layouts[i].name);
			failures += host_case_failed;
		}
	}
	return failures ? 1 : 0;
}
