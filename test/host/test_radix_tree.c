/*
 * Host unit tests for the radix tree (lib/radix_tree.c): table-driven
 * edge indices, then a long random sequence of inserts and deletes checked
 * against a shadow array after every step, node accounting (every node is
 * freed when the tree empties; no node is leaked or freed twice: ASan),
 * and allocation failure at every possible point of an insert.
 */
#include "lib/radix_tree.h"
#include "include/compiler.h"
#include "include/errno.h"

#include <stdlib.h>
#include <string.h>
#include "test/host/host_test.h"

static long live_nodes;
static long fail_after = -1;    /* allocations left before failing; -1 never */

static void *test_alloc(size_t size)
{
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	live_nodes++;
	return calloc(1, size);
}

static void test_free(void *p)
{
	live_nodes--;
	free(p);
}

static const struct radix_tree_alloc mem = { test_alloc, test_free };

static void edge_indices(void)
{
	static const uint64_t idx[] = {
		0, 1, 63, 64, 4095, 4096, 262143, 262144, 1ull << 30,
		(1ull << 36) - 1, 1ull << 52, (1ull << 60) - 1, 1ull << 60,
		UINT64_MAX - 1, UINT64_MAX,
	};
	struct radix_tree t;
	bool ok = true;

	radix_tree_init(&t, &mem);
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++)
		ok &= radix_tree_insert(&t, idx[i], idx[i] * 2 + 1) == 0;
	CHECK("edge: inserts succeed", ok);
	CHECK("edge: count", t.count == ARRAY_SIZE(idx));
	CHECK("edge: max height", t.height == RADIX_TREE_MAX_HEIGHT);
	ok = true;
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++)
		ok &= radix_tree_lookup(&t, idx[i]) == idx[i] * 2 + 1;
	CHECK("edge: lookups", ok);
	CHECK("edge: absent neighbour", radix_tree_lookup(&t, 2) == 0 &&
	      radix_tree_lookup(&t, (1ull << 60) + 1) == 0);
	CHECK("edge: duplicate is EEXIST",
	      radix_tree_insert(&t, 64, 5) == -EEXIST &&
	      radix_tree_lookup(&t, 64) == 129);
	CHECK("edge: zero value is EINVAL", radix_tree_insert(&t, 7, 0) == -EINVAL);

	/* Iteration visits every index in order. */
	uint64_t at = 0, v;
	size_t n = 0;
	ok = true;
	while (radix_tree_next(&t, &at, &v)) {
		ok &= n < ARRAY_SIZE(idx) && at == idx[n] && v == idx[n] * 2 + 1;
		n++;
		if (at == UINT64_MAX)
			break;
		at++;
	}
	CHECK("edge: next walks in order", ok && n == ARRAY_SIZE(idx));

	for (size_t i = ARRAY_SIZE(idx); i-- > 0;) {
		ok &= radix_tree_delete(&t, idx[i]) == idx[i] * 2 + 1;
		ok &= radix_tree_delete(&t, idx[i]) == 0;
	}
	CHECK("edge: deletes return the values", ok);
	CHECK("edge: empty tree has no nodes",
	      t.root == NULL && t.height == 0 && t.nodes == 0 && live_nodes == 0);
}

static void height_shrinks(void)
{
	struct radix_tree t;

	radix_tree_init(&t, &mem);
	radix_tree_insert(&t, 5, 1);
	CHECK("shrink: small index, one level", t.height == 1 && t.nodes == 1);
	radix_tree_insert(&t, 1ull << 24, 2);
	CHECK("shrink: grows to 5 levels", t.height == 5);
	radix_tree_delete(&t, 1ull << 24);
	CHECK("shrink: back to one level", t.height == 1 && t.nodes == 1 &&
	      radix_tree_lookup(&t, 5) == 1);
	radix_tree_delete(&t, 5);
	CHECK("shrink: empty", t.nodes == 0 && live_nodes == 0);
}

#define SHADOW 5000

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void random_against_shadow(void)
{
	/* Distinct keys in a few clusters, so nodes are shared and split;
	 * vals[i] is the value the tree should hold for keys[i] (0: none). */
	static uint64_t keys[SHADOW], vals[SHADOW];
	static const uint64_t bases[] = { 0, 1000, 1ull << 20, 1ull << 40,
					  UINT64_MAX - 3 * SHADOW };
	struct radix_tree t;
	bool ok = true;
	uint64_t count = 0;

	for (size_t i = 0; i < SHADOW; i++)
		keys[i] = bases[i % ARRAY_SIZE(bases)] + (i / ARRAY_SIZE(bases)) * 3;
	radix_tree_init(&t, &mem);
	for (int step = 0; step < 400000 && ok; step++) {
		size_t i = rnd() % SHADOW;

		if (rnd() & 1) {
			uint64_t v = rnd() | 1;
			int err = radix_tree_insert(&t, keys[i], v);

			ok &= vals[i] ? err == -EEXIST : err == 0;
			if (!vals[i]) {
				vals[i] = v;
				count++;
			}
		} else {
			ok &= radix_tree_delete(&t, keys[i]) == vals[i];
			if (vals[i])
				count--;
			vals[i] = 0;
		}
		ok &= t.count == count && radix_tree_lookup(&t, keys[i]) == vals[i];
		if (step % 20000 == 0) {
			uint64_t at = 0, v, seen = 0;

			while (radix_tree_next(&t, &at, &v)) {
				seen++;
				if (at == UINT64_MAX)
					break;
				at++;
			}
			ok &= seen == count;
			for (size_t j = 0; j < SHADOW; j++)
				ok &= radix_tree_lookup(&t, keys[j]) == vals[j];
		}
	}
	CHECK("random: matches the shadow", ok);
	for (size_t i = 0; i < SHADOW; i++)
		radix_tree_delete(&t, keys[i]);
	CHECK("random: emptied, no node left", t.count == 0 && t.nodes == 0 &&
	      live_nodes == 0);
}

static void allocation_failures(void)
{
	struct radix_tree t;
	bool ok = true;

	radix_tree_init(&t, &mem);
	radix_tree_insert(&t, 3, 7);
	for (long k = 0; k < 12; k++) {
		long before = live_nodes;

		fail_after = k;
		int err = radix_tree_insert(&t, 1ull << 50, 9);
		fail_after = -1;
		if (err == 0) {
			ok &= radix_tree_delete(&t, 1ull << 50) == 9;
			ok &= live_nodes == before;
			continue;
		}
		ok &= err == -ENOMEM;
		ok &= live_nodes == before && t.height == 1;
		ok &= radix_tree_lookup(&t, 3) == 7 && t.count == 1;
	}
	CHECK("enomem: tree unchanged after a failed insert", ok);
	fail_after = 0;
	radix_tree_delete(&t, 3);
	CHECK("enomem: empty-tree insert fails cleanly",
	      radix_tree_insert(&t, 99, 1) == -ENOMEM && t.root == NULL &&
	      live_nodes == 0);
	fail_after = -1;
}

int main(void)
{
	edge_indices();
	height_shrinks();
	random_against_shadow();
	allocation_failures();
	return host_test_finish();
}
