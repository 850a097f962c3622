/*
 * Split virtqueues (virtio 1.2, section 2.7): the descriptor table, the
 * driver ("available") ring and the device ("used") ring, in physically
 * contiguous zeroed pages.
 *
 * Model: the driver adds a buffer chain (device-readable pieces, then
 * device-writable ones) with a token, publishes it in the available ring
 * and notifies the device when virtq_kick_prepare() says it wants to
 * know (VIRTIO_F_EVENT_IDX: the device's avail_event; else the used
 * ring's NO_NOTIFY flag).  Completed chains come back from the used ring
 * with virtq_get_used().  With VIRTIO_F_INDIRECT_DESC a chain of more
 * than one piece takes a single ring descriptor pointing to a table the
 * caller provides.
 *
 * Locking: none inside; the owner serializes all calls on a queue (the
 * virtio-blk driver holds its queue lock, irqsave).
 */
#ifndef VIRTIO_VIRTQUEUE_H
#define VIRTIO_VIRTQUEUE_H

#include "include/compiler.h"

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
STATIC_ASSERT(sizeof(struct virtq_desc) == 16, "virtq_desc");

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};
STATIC_ASSERT(sizeof(struct virtq_used_elem) == 8, "virtq_used_elem");

/* One piece of a chain. */
struct virtq_buf {
	paddr_t addr;
	uint32_t len;
	bool device_writes;
};

struct virtqueue {
	unsigned index;                 /* [I] queue number */
	uint16_t size;                  /* [I] entries, a power of two */
	bool event_idx, indirect;       /* [I] negotiated features */
	struct virtq_desc *desc;        /* [I] the rings (direct map) */
	volatile uint16_t *avail;       /* flags, idx, ring[size], used_event */
	volatile uint16_t *used;        /* flags, idx, elems, avail_event */
	paddr_t desc_pa, avail_pa, used_pa;     /* [I] */
	unsigned order_desc, order_avail, order_used;   /* [I] allocations */
	/* driver state: [owner's lock] */
	uint16_t free_head, num_free;
	uint16_t avail_idx;             /* next avail->idx to publish */
	uint16_t kicked_idx;            /* avail->idx at the last kick */
	uint16_t last_used;             /* next used entry to consume */
	void **tokens;                  /* by head descriptor */
	uint16_t *chain_len;            /* descriptors in each head's chain */
	volatile uint16_t *notify;      /* [I] the queue's notify address */
	void *priv;                     /* [I] the owner's */
};

/*
 * The event-index rule (virtio 1.2, 2.7.7.2 / 2.7.10): having moved an
 * index from @old to @new, the other side asked to hear about it iff its
 * event index lies in [old, new).  All arithmetic is mod 2^16.
 */
static inline bool virtq_need_event(uint16_t event, uint16_t new_idx,
				    uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* Bytes of each part for @size entries. */
static inline size_t virtq_desc_bytes(unsigned size) { return 16u * size; }
static inline size_t virtq_avail_bytes(unsigned size) { return 6u + 2u * size; }
static inline size_t virtq_used_bytes(unsigned size) { return 6u + 8u * size; }

/* Allocate and initialize a queue of @size (power of two) entries. */
struct virtqueue *virtq_create(unsigned index, uint16_t size, bool event_idx,
			       bool indirect);
void virtq_destroy(struct virtqueue *vq);

/*
 * Add the chain @bufs[0..n) (readable pieces first) with @token (not
 * NULL).  @indirect_table: NULL, or room for n descriptors (physically
 * contiguous, kept until the chain is used) to put the chain in with one
 * ring slot.  0, or -ENOSPC when the ring lacks descriptors.
 */
int virtq_add(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n,
	      void *token, struct virtq_desc *indirect_table);
/* Publish the added chains; true if the device must be notified. */
bool virtq_kick_prepare(struct virtqueue *vq);
/* Next completed chain's token (and bytes written in *len), or NULL. */
void *virtq_get_used(struct virtqueue *vq, uint32_t *len);
/* Ask for an interrupt at the next completion (with EVENT_IDX: publish
 * used_event); false if completions arrived meanwhile (the caller polls
 * again).  Without EVENT_IDX interrupts are never suppressed: true. */
bool virtq_enable_cb(struct virtqueue *vq);
/* Descriptors free. */
static inline unsigned virtq_num_free(const struct virtqueue *vq)
{
	return vq->num_free;
}

#endif
