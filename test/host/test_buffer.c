/*
 * Host tests for the buffer cache (block/buffer.c) over a memory block
 * device: sharing by lookup, read errors, dirty writeback and pinning,
 * forget, invalidate and shrink.
 */
#include "block/buffer.h"
#include "test/host/kshim.h"
#include "include/compiler.h"

#include <string.h>
#include "test/host/host_test.h"

#define DEV_BYTES (256 * 1024)

static uint8_t image[DEV_BYTES];

static void fill_image(void)
{
	for (size_t i = 0; i < sizeof(image); i++)
		image[i] = (uint8_t)(i / 1024 * 7 + i);
}

int main(void)
{
	struct block_device *d;
	struct buffer *a, *b, *c;
	uint64_t r, w, f;

	fill_image();
	d = hostblk_mem_open(image, sizeof(image), false);
	CHECK("open", d != NULL);

	a = buffer_read(d, 3, 1024);
	CHECK("read ok", !IS_ERR(a));
	CHECK("read contents", memcmp(a->data, image + 3 * 1024, 1024) == 0);
	CHECK("read uptodate", a->flags & BUFFER_UPTODATE);
	b = buffer_read(d, 3, 1024);
	CHECK("same buffer shared", a == b && a->refs == 2);
	hostblk_stats(d, &r, &w, &f);
	CHECK("second read served from cache", r == 1);
	c = buffer_read(d, 3, 4096);
	CHECK("other size is another buffer", !IS_ERR(c) && c != a);
	CHECK("4k block 3 contents", memcmp(c->data, image + 3 * 4096, 4096) == 0);
	buffer_put(c);
	buffer_put(b);

	/* dirty + write */
	memset(a->data, 0xAB, 1024);
	buffer_mark_dirty(a);
	CHECK("not yet written", image[3 * 1024] != 0xAB);
	CHECK("write", buffer_write(a) == 0);
	CHECK("written home", image[3 * 1024] == 0xAB && image[4 * 1024 - 1] == 0xAB);
	CHECK("clean after write", !(a->flags & BUFFER_DIRTY));

	/* pinned buffers stay home-untouched */
	memset(a->data, 0xCD, 1024);
	a->flags |= BUFFER_PINNED;
	buffer_mark_dirty(a);
	CHECK("pinned write is a no-op", buffer_write(a) == 0 && image[3 * 1024] == 0xAB);
	CHECK("sync skips pinned", buffer_sync_device(d) == 0 && image[3 * 1024] == 0xAB);
	a->flags &= ~BUFFER_PINNED;
	CHECK("sync writes unpinned", buffer_sync_device(d) == 0 && image[3 * 1024] == 0xCD);
	hostblk_stats(d, &r, &w, &f);
	CHECK("sync flushed", f >= 2);
	buffer_put(a);

	/* shrink frees clean unreferenced buffers, not dirty ones */
	a = buffer_read(d, 10, 1024);
	memset(a->data, 0x11, 1024);
	buffer_mark_dirty(a);
	buffer_put(a);
	size_t freed = buffer_shrink((size_t)1 << 30);
	CHECK("shrink freed clean ones", freed >= 1024 + 4096);
	a = buffer_get(d, 10, 1024);
	CHECK("dirty buffer survived shrink", (a->flags & BUFFER_DIRTY) && ((uint8_t *)a->data)[0] == 0x11);
	buffer_put(a);

	/* forget drops dirty state: never written */
	buffer_forget(d, 10, 1024);
	CHECK("sync after forget", buffer_sync_device(d) == 0);
	CHECK("forgotten block not written", image[10 * 1024] != 0x11);
	a = buffer_get(d, 10, 1024);
	CHECK("forgotten buffer is fresh", !(a->flags & (BUFFER_UPTODATE | BUFFER_DIRTY)));
	buffer_put(a);

	/* forget while referenced: the holder keeps a valid buffer */
	a = buffer_read(d, 11, 1024);
	buffer_forget(d, 11, 1024);
	b = buffer_read(d, 11, 1024);
	CHECK("forget unhashes a referenced buffer", a != b);
	buffer_put(a);
	buffer_put(b);

	/* read errors */
	a = buffer_read(d, DEV_BYTES / 1024, 1024);
	CHECK("read beyond the end is EIO", IS_ERR(a) && PTR_ERR(a) == -5);
	hostblk_fail(d, 0, 1);
	a = buffer_read(d, 20, 1024);
	CHECK("injected read error is EIO", IS_ERR(a) && PTR_ERR(a) == -5);
	hostblk_fail(d, 0, 0);
	a = buffer_read(d, 20, 1024);
	CHECK("retry after error reads", !IS_ERR(a) && memcmp(a->data, image + 20 * 1024, 1024) == 0);
	CHECK("bad size rejected", IS_ERR(buffer_get(d, 1, 1000)));

	/* write error keeps the buffer dirty */
	memset(a->data, 0x22, 1024);
	buffer_mark_dirty(a);
	hostblk_fail(d, 0, 1);
	CHECK("write error is EIO", buffer_write(a) == -5);
	CHECK("still dirty after failed write", a->flags & BUFFER_DIRTY);
	hostblk_fail(d, 0, 0);
	CHECK("rewrite succeeds", buffer_write(a) == 0 && image[20 * 1024] == 0x22);

	/* invalidate: referenced buffers counted, others dropped */
	CHECK("invalidate counts referenced", buffer_invalidate_device(d) == 1);
	buffer_put(a);
	CHECK("invalidate drops the rest", buffer_invalidate_device(d) == 0);
	CHECK("cache empty", buffer_shrink((size_t)1 << 30) == 0);

	/* many buffers: self-shrink keeps memory bounded, no leaks (ASan) */
	for (int round = 0; round < 3; round++)
		for (uint64_t blk = 0; blk < DEV_BYTES / 1024; blk++) {
			a = buffer_read(d, blk, 1024);
			if (!IS_ERR(a))
				buffer_put(a);
		}
	buffer_invalidate_device(d);
	hostblk_close(d);
	return host_test_finish();
}
