/* mremap grows in place or moves (MREMAP_MAYMOVE) keeping contents; shrinks; ENOMEM when blocked. */
#include "contract.h"

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#endif

int main(void)
{
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	/* Leave p+2 pages mapped as a blocker, free the page just after p+1. */
	CHECK_OK(munmap(p + 4096, 4096));
	memset(p, 'm', 4096);
	CHECK_ERRNO(mremap(p, 4096, 3 * 4096, 0), ENOMEM);
	char *q = mremap(p, 4096, 3 * 4096, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED);
	CHECK(q != p);
	CHECK_EQ(q[0], 'm');
	CHECK_EQ(q[4095], 'm');
	CHECK_EQ(q[3 * 4096 - 1], 0);
	q[3 * 4096 - 1] = 1;
	/* Shrinking always works in place. */
	CHECK(mremap(q, 3 * 4096, 4096, 0) == q);
	CHECK_EQ(q[0], 'm');
	CHECK_ERRNO(mremap(q + 1, 4096, 8192, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERRNO(mremap(q, 4096, 0, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERRNO(mremap(q, 4096, 8192, 0x80), EINVAL);
	return 0;
}
