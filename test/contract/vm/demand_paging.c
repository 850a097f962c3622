/* A large anonymous mapping is populated on demand: sparse touches work and read back. */
#include "contract.h"

int main(void)
{
	size_t len = 256UL << 20;	/* far more than is touched */
	unsigned long *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	CHECK(p != MAP_FAILED);
	size_t step = (1 << 20) / sizeof(*p);	/* one word per MiB */
	size_t n = len / sizeof(*p);
	for (size_t i = 0; i < n; i += step)
		p[i] = i ^ 0x5555;
	for (size_t i = 0; i < n; i += step)
		CHECK(p[i] == (i ^ 0x5555));
	CHECK_EQ(p[1], 0);
	CHECK_OK(munmap(p, len));
	return 0;
}
