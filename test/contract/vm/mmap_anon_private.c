/* Anonymous private mappings are zero-filled, page aligned and writable. */
#include "contract.h"

int main(void)
{
	size_t len = 5 * 4096 + 100;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(((uintptr_t)p & 4095) == 0);
	for (size_t i = 0; i < 6 * 4096; i++)	/* the length is rounded up */
		CHECK(p[i] == 0);
	memset(p, 0xab, 6 * 4096);
	CHECK(p[6 * 4096 - 1] == 0xab);
	CHECK_OK(munmap(p, len));
	/* A hint is only a hint, but a free aligned hint is normally honoured. */
	void *hint = (void *)0x300000000000UL;
	void *q = mmap(hint, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED);
	CHECK(q == hint);
	CHECK_OK(munmap(q, 4096));
	return 0;
}
