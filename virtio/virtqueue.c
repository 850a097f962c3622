/*
 * Split virtqueue operations (virtio 1.2, 2.7); see virtqueue.h for the
 * model.  Memory ordering follows 2.7.13: descriptors are written before
 * the available ring entry, the entry before avail->idx (write barrier),
 * and avail->idx before reading the device's notification suppression
 * (full barrier); used->idx is read before the used entries.
 */
#include "virtio/virtqueue.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"

#define AVAIL_IDX 1
#define AVAIL_RING 2
#define USED_FLAGS 0
#define USED_IDX 1

static void *alloc_zeroed(size_t bytes, unsigned *order, paddr_t *pa)
{
	unsigned o = 0;

	while ((PAGE_SIZE << o) < bytes)
		o++;
	*pa = pmm_alloc_pages(o);
	if (!*pa)
		return NULL;
	*order = o;
	memset(PHYS_TO_VIRT(*pa), 0, PAGE_SIZE << o);
	return PHYS_TO_VIRT(*pa);
}

struct virtqueue *virtq_create(unsigned index, uint16_t size, bool event_idx,
			       bool indirect)
{
	struct virtqueue *vq;

	if (!size || (size & (size - 1)))
		return NULL;
	vq = kzalloc(sizeof(*vq));
	if (!vq)
		return NULL;
	vq->index = index;
	vq->size = size;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	vq->tokens = kzalloc(size * sizeof(void *));
	vq->chain_len = kzalloc(size * sizeof(uint16_t));
	vq->desc = alloc_zeroed(virtq_desc_bytes(size), &vq->order_desc,
				&vq->desc_pa);
	vq->avail = alloc_zeroed(virtq_avail_bytes(size), &vq->order_avail,
				 &vq->avail_pa);
	vq->used = alloc_zeroed(virtq_used_bytes(size), &vq->order_used,
				&vq->used_pa);
	if (!vq->tokens || !vq->chain_len || !vq->desc || !vq->avail ||
	    !vq->used) {
		virtq_destroy(vq);
		return NULL;
	}
	for (unsigned i = 0; i < size; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = size;
	return vq;
}

void virtq_destroy(struct virtqueue *vq)
{
	if (vq->desc)
		pmm_free_pages(vq->desc_pa, vq->order_desc);
	if (vq->avail)
		pmm_free_pages(vq->avail_pa, vq->order_avail);
	if (vq->used)
		pmm_free_pages(vq->used_pa, vq->order_used);
	kfree(vq->tokens);
	kfree(vq->chain_len);
	kfree(vq);
}

static void fill_desc(struct virtq_desc *d, const struct virtq_buf *b)
{
	d->addr = b->addr;
	d->len = b->len;
	d->flags = b->device_writes ? VIRTQ_DESC_F_WRITE : 0;
}

int virtq_add(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n,
	      void *token, struct virtq_desc *indirect_table)
{
	bool indirect = indirect_table && vq->indirect && n > 1;
	unsigned need = indirect ? 1 : n;
	uint16_t head, idx;

	ASSERT(token && n);
	if (need > vq->num_free)
		return -ENOSPC;
	head = idx = vq->free_head;
	if (indirect) {
		for (unsigned i = 0; i < n; i++) {
			fill_desc(&indirect_table[i], &bufs[i]);
			if (i + 1 < n) {
				indirect_table[i].flags |= VIRTQ_DESC_F_NEXT;
				indirect_table[i].next = (uint16_t)(i + 1);
			}
		}
		vq->desc[idx].addr = VIRT_TO_PHYS(indirect_table);
		vq->desc[idx].len = n * sizeof(struct virtq_desc);
		vq->desc[idx].flags = VIRTQ_DESC_F_INDIRECT;
		idx = vq->desc[idx].next;
	} else {
		for (unsigned i = 0; i < n; i++) {
			uint16_t next = vq->desc[idx].next;

			fill_desc(&vq->desc[idx], &bufs[i]);
			if (i + 1 < n)
				vq->desc[idx].flags |= VIRTQ_DESC_F_NEXT;
			/* ->next keeps the free-list link for the chain. */
			idx = next;
		}
	}
	vq->free_head = idx;
	vq->num_free -= need;
	vq->tokens[head] = token;
	vq->chain_len[head] = (uint16_t)need;
	vq->avail[AVAIL_RING + (vq->avail_idx & (vq->size - 1))] = head;
	vq->avail_idx++;
	return 0;
}

bool virtq_kick_prepare(struct virtqueue *vq)
{
	uint16_t old = vq->kicked_idx, new_idx = vq->avail_idx;

	__atomic_thread_fence(__ATOMIC_RELEASE);
	vq->avail[AVAIL_IDX] = new_idx;
	/* The device reads avail->idx, then decides about notifications:
	 * our store must be visible before we read its suppression state. */
	__sync_synchronize();
	vq->kicked_idx = new_idx;
	if (vq->event_idx) {
		uint16_t event = vq->used[2 + 4 * vq->size];
		return virtq_need_event(event, new_idx, old);
	}
	return !(vq->used[USED_FLAGS] & VIRTQ_USED_F_NO_NOTIFY);
}

void *virtq_get_used(struct virtqueue *vq, uint32_t *len)
{
	volatile struct virtq_used_elem *elems =
		(volatile struct virtq_used_elem *)(vq->used + 2);
	uint16_t head, idx, n;
	void *token;

	if (vq->last_used == vq->used[USED_IDX])
		return NULL;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	head = (uint16_t)elems[vq->last_used & (vq->size - 1)].id;
	if (head >= vq->size || !vq->tokens[head])
		return NULL;            /* a broken device; never trust it */
	if (len)
		*len = elems[vq->last_used & (vq->size - 1)].len;
	vq->last_used++;
	token = vq->tokens[head];
	vq->tokens[head] = NULL;
	/* Give the chain's descriptors back: they are linked by ->next
	 * from the head (the free-list order they were taken in). */
	n = vq->chain_len[head];
	idx = head;
	for (uint16_t i = 1; i < n; i++)
		idx = vq->desc[idx].next;
	vq->desc[idx].next = vq->free_head;
	vq->free_head = head;
	vq->num_free += n;
	return token;
}

bool virtq_enable_cb(struct virtqueue *vq)
{
	/* Without the event index the driver never suppresses interrupts
	 * (avail->flags stays 0): the device interrupts for every used
	 * chain, so nothing can be missed and there is nothing to publish. */
	if (!vq->event_idx)
		return true;
	vq->avail[AVAIL_RING + vq->size] = vq->last_used;
	__sync_synchronize();
	return vq->last_used == vq->used[USED_IDX];
}
