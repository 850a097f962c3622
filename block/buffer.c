/*
 * Buffer cache (block/buffer.h): metadata blocks of block devices.
 *
 * Model: a hash table finds a buffer by (bdev, blocknr, size).  A buffer
 * with refs == 0 sits on the LRU list (oldest first) and may be freed by
 * buffer_shrink() unless it is dirty or pinned; a dirty buffer is also on
 * the dirty list until it is written home or forgotten.  A buffer that
 * buffer_forget() unhashed while still referenced is freed by its last
 * buffer_put() (BUFFER_UNHASHED).  When the cache holds more than
 * BUFFER_SOFT_LIMIT bytes, creating a buffer first shrinks it.
 *
 * Locking: cache_lock (a mutex) protects the hash chains, the LRU and
 * dirty lists, refs, total_bytes and the UNHASHED flag.  b->lock
 * serializes a buffer's I/O and its data/flags changes.  Lock order:
 * b->lock, then cache_lock; no I/O is done while holding cache_lock.
 *
 * Builds for the kernel and, with -DHOST_TEST, for host tests (the shim
 * in test/host/ provides the mutex, kmalloc, printk and block_rw).
 */
#include "block/buffer.h"
#include "block/block.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

#define BUFFER_HASH_BITS 10
#define BUFFER_HASH_SIZE (1u << BUFFER_HASH_BITS)
#define BUFFER_SOFT_LIMIT (32u << 20)   /* bytes kept before self-shrink */
#define BUFFER_UNHASHED 0x100           /* internal: forgotten, not findable */

static struct mutex cache_lock = MUTEX_INIT(cache_lock, "buffer_cache");
static struct list_node hash_table[BUFFER_HASH_SIZE];   /* [cache_lock] */
static bool hash_ready;                                 /* [cache_lock] */
static struct list_node lru = LIST_HEAD_INIT(lru);      /* [cache_lock] */
static struct list_node dirty = LIST_HEAD_INIT(dirty);  /* [cache_lock] */
static size_t total_bytes;                              /* [cache_lock] */

static unsigned hash_key(const struct block_device *bdev, uint64_t blocknr,
			 uint32_t size)
{
	uint64_t k = (uint64_t)(uintptr_t)bdev * 0x9E3779B97F4A7C15ull;

	k ^= blocknr * 0xC2B2AE3D27D4EB4Full + size;
	k ^= k >> 29;
	k *= 0xBF58476D1CE4E5B9ull;
	return (unsigned)(k >> (64 - BUFFER_HASH_BITS));
}

static void hash_init_locked(void)
{
	if (hash_ready)
		return;
	for (unsigned i = 0; i < BUFFER_HASH_SIZE; i++)
		list_init(&hash_table[i]);
	hash_ready = true;
}

static struct buffer *lookup_locked(struct block_device *bdev,
				    uint64_t blocknr, uint32_t size)
{
	struct list_node *head = &hash_table[hash_key(bdev, blocknr, size)];
	struct list_node *pos;

	list_for_each(pos, head) {
		struct buffer *b = list_entry(pos, struct buffer, hash_node);
		if (b->bdev == bdev && b->blocknr == blocknr && b->size == size)
			return b;
	}
	return NULL;
}

/* Take a reference; an unreferenced buffer leaves the LRU. */
static void get_locked(struct buffer *b)
{
	if (b->refs++ == 0)
		list_del(&b->lru_node);
}

/* Free an unreferenced buffer that is on no list except maybe hash/LRU. */
static void free_locked(struct buffer *b)
{
	if (!(b->flags & BUFFER_UNHASHED))
		list_del(&b->hash_node);
	list_del(&b->lru_node);
	list_del(&b->dirty_node);
	total_bytes -= b->size;
	kfree(b->data);
	kfree(b);
}

static size_t shrink_locked(size_t target)
{
	struct list_node *pos, *tmp;
	size_t freed = 0;

	list_for_each_safe(pos, tmp, &lru) {
		struct buffer *b = list_entry(pos, struct buffer, lru_node);
		if (freed >= target)
			break;
		/* flags are b->lock's, but an unreferenced buffer has no
		 * holder of b->lock that could be changing them. */
		if (b->flags & (BUFFER_DIRTY | BUFFER_PINNED))
			continue;
		freed += b->size;
		free_locked(b);
	}
	return freed;
}

static bool valid_size(uint32_t size)
{
	return size >= 1024 && size <= 65536 && (size & (size - 1)) == 0;
}

/* Find or create the buffer, referenced; contents not read. */
struct buffer *buffer_get(struct block_device *bdev, uint64_t blocknr,
			  uint32_t size)
{
	struct buffer *b, *nb;

	if (!valid_size(size))
		return ERR_PTR(-EINVAL);
	mutex_lock(&cache_lock);
	hash_init_locked();
	b = lookup_locked(bdev, blocknr, size);
	if (b) {
		get_locked(b);
		mutex_unlock(&cache_lock);
		return b;
	}
	mutex_unlock(&cache_lock);

	nb = kzalloc(sizeof(*nb));
	if (!nb)
		return ERR_PTR(-ENOMEM);
	nb->data = kmalloc(size);
	if (!nb->data) {
		kfree(nb);
		return ERR_PTR(-ENOMEM);
	}
	nb->bdev = bdev;
	nb->blocknr = blocknr;
	nb->size = size;
	nb->refs = 1;
	mutex_init(&nb->lock, "buffer");
	list_init(&nb->lru_node);
	list_init(&nb->dirty_node);

	mutex_lock(&cache_lock);
	b = lookup_locked(bdev, blocknr, size);   /* raced with another get */
	if (b) {
		get_locked(b);
		mutex_unlock(&cache_lock);
		kfree(nb->data);
		kfree(nb);
		return b;
	}
	if (total_bytes + size > BUFFER_SOFT_LIMIT)
		shrink_locked(total_bytes + size - BUFFER_SOFT_LIMIT);
	list_add(&nb->hash_node, &hash_table[hash_key(bdev, blocknr, size)]);
	total_bytes += size;
	mutex_unlock(&cache_lock);
	return nb;
}

/* Read the block's contents if not yet uptodate; referenced result. */
struct buffer *buffer_read(struct block_device *bdev, uint64_t blocknr,
			   uint32_t size)
{
	struct buffer *b = buffer_get(bdev, blocknr, size);
	int err = 0;

	if (IS_ERR(b))
		return b;
	mutex_lock(&b->lock);
	if (!(b->flags & BUFFER_UPTODATE)) {
		uint64_t sector = blocknr * (size / SECTOR_SIZE);
		if (blocknr > UINT64_MAX / (size / SECTOR_SIZE))
			err = -EIO;
		else
			err = block_rw(bdev, BLOCK_READ, sector, b->data, size);
		if (err) {
			b->flags |= BUFFER_ERROR;
			err = -EIO;
		} else {
			b->flags = (b->flags & ~BUFFER_ERROR) | BUFFER_UPTODATE;
		}
	}
	mutex_unlock(&b->lock);
	if (err) {
		buffer_put(b);
		return ERR_PTR(err);
	}
	return b;
}

/* Drop a reference; the last one puts the buffer on the LRU (or frees a
 * forgotten one). */
void buffer_put(struct buffer *b)
{
	if (!b)
		return;
	mutex_lock(&cache_lock);
	ASSERT(b->refs > 0);
	if (--b->refs == 0) {
		if (b->flags & BUFFER_UNHASHED)
			free_locked(b);
		else
			list_add_tail(&b->lru_node, &lru);
	}
	mutex_unlock(&cache_lock);
}

/* Caller holds b->lock or owns the buffer otherwise. */
void buffer_mark_dirty(struct buffer *b)
{
	b->flags |= BUFFER_DIRTY | BUFFER_UPTODATE;
	mutex_lock(&cache_lock);
	if (list_empty(&b->dirty_node) && !(b->flags & BUFFER_UNHASHED))
		list_add_tail(&b->dirty_node, &dirty);
	mutex_unlock(&cache_lock);
}

/* Write @b home if dirty and unpinned. */
int buffer_write(struct buffer *b)
{
	int err = 0;

	mutex_lock(&b->lock);
	if ((b->flags & BUFFER_DIRTY) && !(b->flags & BUFFER_PINNED)) {
		uint64_t sector = b->blocknr * (b->size / SECTOR_SIZE);
		err = block_rw(b->bdev, BLOCK_WRITE, sector, b->data, b->size);
		if (err) {
			b->flags |= BUFFER_ERROR;
			err = -EIO;
		} else {
			b->flags &= ~(BUFFER_DIRTY | BUFFER_ERROR);
			mutex_lock(&cache_lock);
			list_del(&b->dirty_node);
			mutex_unlock(&cache_lock);
		}
	}
	mutex_unlock(&b->lock);
	return err;
}

/*
 * Referenced snapshot of @bdev's dirty buffers (every device's when @bdev
 * is NULL); *count set.  NULL with *count 0 when there are none, and
 * ERR_PTR(-ENOMEM).
 */
static struct buffer **collect_dirty(struct block_device *bdev, size_t *count)
{
	struct list_node *pos;
	struct buffer **v;
	size_t n = 0, i = 0;

	*count = 0;
	mutex_lock(&cache_lock);
	list_for_each(pos, &dirty) {
		struct buffer *b = list_entry(pos, struct buffer, dirty_node);
		if (!bdev || b->bdev == bdev)
			n++;
	}
	if (n == 0) {
		mutex_unlock(&cache_lock);
		return NULL;
	}
	mutex_unlock(&cache_lock);
	v = kmalloc(n * sizeof(*v));
	if (!v)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&cache_lock);
	list_for_each(pos, &dirty) {
		struct buffer *b = list_entry(pos, struct buffer, dirty_node);
		if (i < n && (!bdev || b->bdev == bdev)) {
			get_locked(b);
			v[i++] = b;
		}
	}
	mutex_unlock(&cache_lock);
	*count = i;
	return v;
}

int buffer_sync_device(struct block_device *bdev)
{
	size_t n;
	struct buffer **v = collect_dirty(bdev, &n);
	int first = 0;

	if (IS_ERR(v))
		return PTR_ERR(v);
	for (size_t i = 0; i < n; i++) {
		int err = buffer_write(v[i]);
		if (err && !first)
			first = err;
		buffer_put(v[i]);
	}
	kfree(v);
	if (bdev) {
		int err = block_flush(bdev);
		if (err && !first)
			first = err;
	}
	return first;
}

void buffer_forget(struct block_device *bdev, uint64_t blocknr, uint32_t size)
{
	struct buffer *b;

	mutex_lock(&cache_lock);
	if (!hash_ready) {
		mutex_unlock(&cache_lock);
		return;
	}
	b = lookup_locked(bdev, blocknr, size);
	if (b)
		get_locked(b);
	mutex_unlock(&cache_lock);
	if (!b)
		return;

	mutex_lock(&b->lock);
	b->flags &= ~BUFFER_DIRTY;
	mutex_lock(&cache_lock);
	list_del(&b->dirty_node);
	list_del(&b->hash_node);
	b->flags |= BUFFER_UNHASHED;
	mutex_unlock(&cache_lock);
	mutex_unlock(&b->lock);
	buffer_put(b);          /* frees it unless someone else holds it */
}

int buffer_invalidate_device(struct block_device *bdev)
{
	struct list_node *pos, *tmp;
	int busy = 0;

	buffer_sync_device(bdev);
	mutex_lock(&cache_lock);
	if (!hash_ready) {
		mutex_unlock(&cache_lock);
		return 0;
	}
	for (unsigned i = 0; i < BUFFER_HASH_SIZE; i++) {
		list_for_each_safe(pos, tmp, &hash_table[i]) {
			struct buffer *b = list_entry(pos, struct buffer,
						      hash_node);
			if (b->bdev != bdev)
				continue;
			if (b->refs > 0) {
				busy++;
				continue;
			}
			/* unreferenced: nobody holds b->lock.  A pinned
			 * or still-dirty (failed write) buffer is dropped
			 * too: the device is going away. */
			free_locked(b);
		}
	}
	mutex_unlock(&cache_lock);
	return busy;
}

size_t buffer_shrink(size_t target)
{
	size_t freed;

	mutex_lock(&cache_lock);
	freed = shrink_locked(target);
	mutex_unlock(&cache_lock);
	return freed;
}
