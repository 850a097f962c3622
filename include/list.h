/*
 * Intrusive circular doubly linked list.  A struct list_node is embedded in
 * each element; an empty list head points to itself.
 */
#ifndef INCLUDE_LIST_H
#define INCLUDE_LIST_H

#include "include/compiler.h"

struct list_node {
	struct list_node *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

static inline void list_init(struct list_node *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

static inline void list_insert_between(struct list_node *node,
				       struct list_node *prev,
				       struct list_node *next)
{
	node->next = next;
	node->prev = prev;
	prev->next = node;
	next->prev = node;
}

/* Insert @node right after @head (stack order). */
static inline void list_add(struct list_node *node, struct list_node *head)
{
	list_insert_between(node, head, head->next);
}

/* Insert @node before @head, i.e. at the tail (queue order). */
static inline void list_add_tail(struct list_node *node, struct list_node *head)
{
	list_insert_between(node, head->prev, head);
}

static inline void list_del(struct list_node *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	node->next = node;
	node->prev = node;
}

/* Move every node of @from to the tail of @to; @from becomes empty. */
static inline void list_splice_tail_init(struct list_node *from,
					 struct list_node *to)
{
	if (list_empty(from))
		return;
	from->next->prev = to->prev;
	to->prev->next = from->next;
	from->prev->next = to;
	to->prev = from->prev;
	list_init(from);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)

#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)

#define list_for_each_safe(pos, tmp, head) \
	for (pos = (head)->next, tmp = pos->next; pos != (head); \
	     pos = tmp, tmp = pos->next)

#endif
