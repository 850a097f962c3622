/*
 * Iteration over the buffers of one socket call (the iovecs of
 * sendmsg/recvmsg, or the single buffer of read/write): protocols copy
 * message data in and out in pieces without caring where one user buffer
 * ends and the next begins.  Buffers may be user or kernel memory
 * (struct iobuf); user copies fail with -EFAULT.
 */
#include "net/internal.h"
#include "include/errno.h"

void iov_iter_init(struct iov_iter *it, struct iobuf *seg, unsigned nseg)
{
	it->seg = seg;
	it->nseg = nseg;
	it->idx = 0;
	it->off = 0;
	it->left = 0;
	for (unsigned i = 0; i < nseg; i++)
		it->left += seg[i].len;
}

/* Copy @n bytes between @kbuf and the buffers; @out: to the buffers. */
static int iov_iter_copy(struct iov_iter *it, void *kbuf, size_t n, bool out)
{
	uint8_t *p = kbuf;

	if (n > it->left)
		return -EFAULT;
	while (n) {
		struct iobuf *b = &it->seg[it->idx];
		size_t chunk = MIN(n, b->len - it->off);
		int err;

		if (chunk == 0) {
			it->idx++;
			it->off = 0;
			continue;
		}
		err = out ? iobuf_copy_out(b, it->off, p, chunk)
			  : iobuf_copy_in(p, b, it->off, chunk);
		if (err)
			return err;
		p += chunk;
		n -= chunk;
		it->off += chunk;
		it->left -= chunk;
	}
	return 0;
}

int iov_iter_copy_from(struct iov_iter *it, void *dst, size_t n)
{
	return iov_iter_copy(it, dst, n, false);
}

int iov_iter_copy_to(struct iov_iter *it, const void *src, size_t n)
{
	return iov_iter_copy(it, (void *)src, n, true);
}
