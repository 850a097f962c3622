/* RLIMIT_AS makes a large mmap fail with ENOMEM. */
#include "contract.h"
#include <sys/resource.h>

int main(void)
{
	struct rlimit rl = { 256UL << 20, 256UL << 20 };

	CHECK_OK(setrlimit(RLIMIT_AS, &rl));
	CHECK(mmap(NULL, 512UL << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	CHECK_EQ(errno, ENOMEM);
	void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	return 0;
}
