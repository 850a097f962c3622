/* MAP_FIXED replaces an existing mapping; MAP_FIXED_NOREPLACE refuses with EEXIST. */
#include "contract.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

int main(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	memset(p, 'q', 3 * 4096);
	char *q = mmap(p + 4096, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 4096);
	CHECK_EQ(q[0], 0);
	CHECK_EQ(p[0], 'q');
	CHECK_EQ(p[2 * 4096], 'q');
	CHECK_ERRNO(mmap(p, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		    EEXIST);
	CHECK_OK(munmap(p, 4096));
	char *r = mmap(p, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(r == p);
	return 0;
}
