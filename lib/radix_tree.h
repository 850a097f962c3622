/*
 * Radix tree: a sparse map from 64-bit indices to non-zero 64-bit values,
 * the index structure of the page cache (file page offset -> frame).
 *
 * Pure code (no locks, no arch code; compiled into the host unit tests):
 * the owner serializes access and supplies node memory.  Each node is 64
 * slots (512 bytes); the height grows as larger indices are inserted and
 * shrinks again as they are deleted, so a one-page file costs one node and
 * the whole 64-bit index space is reachable in 11 levels.  Empty nodes are
 * freed at once.  Values are opaque to the tree except that 0 means "no
 * entry"; owners may keep flags in bits their values never use.
 */
#ifndef LIB_RADIX_TREE_H
#define LIB_RADIX_TREE_H

#include "include/types.h"

#define RADIX_TREE_SHIFT 6
#define RADIX_TREE_SLOTS (1u << RADIX_TREE_SHIFT)
#define RADIX_TREE_MAX_HEIGHT 11        /* 11 * 6 >= 64 index bits */

/* Where nodes come from: alloc returns @size zeroed bytes or NULL. */
struct radix_tree_alloc {
	void *(*alloc)(size_t size);
	void (*free)(void *p);
};

struct radix_tree {
	void *root;                     /* top node, NULL when empty */
	unsigned height;                /* levels; indices < 64^height */
	uint64_t count;                 /* entries */
	uint64_t nodes;                 /* nodes allocated */
	const struct radix_tree_alloc *mem;
};

void radix_tree_init(struct radix_tree *t, const struct radix_tree_alloc *mem);
/* The value at @index, or 0. */
uint64_t radix_tree_lookup(const struct radix_tree *t, uint64_t index);
/* The slot holding the value at @index for an in-place update (the new
 * value must stay non-zero), or NULL if there is no entry. */
uint64_t *radix_tree_slot(struct radix_tree *t, uint64_t index);
/* Add @value (non-zero) at @index: 0, -EEXIST if present, -ENOMEM,
 * -EINVAL for a zero value.  Nothing changes on failure. */
int radix_tree_insert(struct radix_tree *t, uint64_t index, uint64_t value);
/* Remove the entry at @index; returns its value, or 0 if there was none. */
uint64_t radix_tree_delete(struct radix_tree *t, uint64_t index);
/* The first entry at an index >= *index: true with *index and *value set,
 * false if there is none. */
bool radix_tree_next(const struct radix_tree *t, uint64_t *index,
		     uint64_t *value);

#endif
