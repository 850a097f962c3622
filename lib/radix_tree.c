/*
 * Radix tree over 64-slot nodes (see radix_tree.h for the model).
 *
 * Invariants: an empty tree has no root and height 0; otherwise the height
 * is the smallest that covers every index present (the root has an entry
 * beyond slot 0, or the height is 1), and no node is empty.  Level 1 nodes
 * hold values; nodes above hold pointers to the level below.
 */
#include "lib/radix_tree.h"
#include "include/compiler.h"
#include "include/errno.h"

struct rnode {
	uint64_t slot[RADIX_TREE_SLOTS];
};

STATIC_ASSERT(sizeof(struct rnode) == 512, "a node is one 512-byte object");

static unsigned level_shift(unsigned level)
{
	return RADIX_TREE_SHIFT * (level - 1);
}

static unsigned slot_of(uint64_t index, unsigned level)
{
	return (index >> level_shift(level)) & (RADIX_TREE_SLOTS - 1);
}

/* Does a tree of @height levels reach @index? */
static bool covers(unsigned height, uint64_t index)
{
	if (height >= RADIX_TREE_MAX_HEIGHT)
		return true;
	return index >> (RADIX_TREE_SHIFT * height) == 0;
}

static struct rnode *child(uint64_t slot)
{
	return (struct rnode *)(uintptr_t)slot;
}

static struct rnode *node_alloc(struct radix_tree *t)
{
	struct rnode *n = t->mem->alloc(sizeof(*n));

	if (n)
		t->nodes++;
	return n;
}

static void node_free(struct radix_tree *t, struct rnode *n)
{
	t->mem->free(n);
	t->nodes--;
}

static bool node_empty(const struct rnode *n, unsigned from)
{
	for (unsigned i = from; i < RADIX_TREE_SLOTS; i++)
		if (n->slot[i])
			return false;
	return true;
}

void radix_tree_init(struct radix_tree *t, const struct radix_tree_alloc *mem)
{
	t->root = NULL;
	t->height = 0;
	t->count = 0;
	t->nodes = 0;
	t->mem = mem;
}

uint64_t *radix_tree_slot(struct radix_tree *t, uint64_t index)
{
	struct rnode *n = t->root;

	if (!n || !covers(t->height, index))
		return NULL;
	for (unsigned level = t->height; level > 1; level--) {
		n = child(n->slot[slot_of(index, level)]);
		if (!n)
			return NULL;
	}
	return n->slot[slot_of(index, 1)] ? &n->slot[slot_of(index, 1)] : NULL;
}

uint64_t radix_tree_lookup(const struct radix_tree *t, uint64_t index)
{
	uint64_t *slot = radix_tree_slot((struct radix_tree *)t, index);

	return slot ? *slot : 0;
}

/*
 * Restore the invariants after a change on the path to @index: free the
 * empty nodes on that path (bottom up), then drop root levels that only
 * hold slot 0.
 */
static void prune(struct radix_tree *t, uint64_t index)
{
	struct rnode *path[RADIX_TREE_MAX_HEIGHT + 1];
	unsigned depth = 0;
	struct rnode *n = t->root;

	for (unsigned level = t->height; n && covers(t->height, index); level--) {
		path[depth++] = n;
		if (level == 1)
			break;
		n = child(n->slot[slot_of(index, level)]);
	}
	/* path[i] is at level height - i; free empty nodes bottom up. */
	while (depth > 0 && node_empty(path[depth - 1], 0)) {
		depth--;
		node_free(t, path[depth]);
		if (depth == 0) {
			t->root = NULL;
			t->height = 0;
			return;
		}
		path[depth - 1]->slot[slot_of(index, t->height - (depth - 1))] = 0;
	}
	while (t->root && t->height > 1 && node_empty(t->root, 1)) {
		struct rnode *old = t->root;

		t->root = child(old->slot[0]);
		t->height--;
		node_free(t, old);
	}
}

int radix_tree_insert(struct radix_tree *t, uint64_t index, uint64_t value)
{
	struct rnode *n;

	if (!value)
		return -EINVAL;
	if (!t->root) {
		t->height = 1;
		while (!covers(t->height, index))
			t->height++;
		t->root = node_alloc(t);
		if (!t->root) {
			t->height = 0;
			return -ENOMEM;
		}
	}
	while (!covers(t->height, index)) {
		struct rnode *top = node_alloc(t);

		if (!top) {
			prune(t, index);
			return -ENOMEM;
		}
		top->slot[0] = (uintptr_t)t->root;
		t->root = top;
		t->height++;
	}
	n = t->root;
	for (unsigned level = t->height; level > 1; level--) {
		uint64_t *slot = &n->slot[slot_of(index, level)];

		if (!*slot) {
			struct rnode *c = node_alloc(t);

			if (!c) {
				prune(t, index);
				return -ENOMEM;
			}
			*slot = (uintptr_t)c;
		}
		n = child(*slot);
	}
	if (n->slot[slot_of(index, 1)])
		return -EEXIST;
	n->slot[slot_of(index, 1)] = value;
	t->count++;
	return 0;
}

uint64_t radix_tree_delete(struct radix_tree *t, uint64_t index)
{
	uint64_t *slot = radix_tree_slot(t, index), old;

	if (!slot)
		return 0;
	old = *slot;
	*slot = 0;
	t->count--;
	prune(t, index);
	return old;
}

/* First entry at index >= @from below @n (level @level, first index
 * @base). */
static bool next_in(const struct rnode *n, unsigned level, uint64_t base,
		    uint64_t from, uint64_t *index, uint64_t *value)
{
	unsigned shift = level_shift(level);
	unsigned i = (unsigned)((from - base) >> shift);

	for (; i < RADIX_TREE_SLOTS; i++) {
		uint64_t v = n->slot[i], cbase = base + ((uint64_t)i << shift);

		if (!v)
			continue;
		if (level == 1) {
			*index = cbase;
			*value = v;
			return true;
		}
		if (next_in(child(v), level - 1, cbase, MAX(from, cbase), index,
			    value))
			return true;
	}
	return false;
}

bool radix_tree_next(const struct radix_tree *t, uint64_t *index,
		     uint64_t *value)
{
	if (!t->root || !covers(t->height, *index))
		return false;
	return next_in(t->root, t->height, 0, *index, index, value);
}
