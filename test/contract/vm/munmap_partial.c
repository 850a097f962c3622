/* munmap of the middle page splits a mapping; the rest keeps its contents. */
#include "contract.h"
#include <setjmp.h>

static sigjmp_buf jb;

static void handler(int sig)
{
	siglongjmp(jb, 1);
}

int main(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	memset(p, 'a', 3 * 4096);
	CHECK_OK(munmap(p + 4096, 4096));
	CHECK_EQ(p[0], 'a');
	CHECK_EQ(p[2 * 4096 + 4095], 'a');
	signal(SIGSEGV, handler);
	volatile int faulted = 0;
	if (!sigsetjmp(jb, 1))
		(void)*(volatile char *)(p + 4096);
	else
		faulted = 1;
	CHECK(faulted);
	/* mprotect across the hole fails with ENOMEM. */
	CHECK_ERRNO(mprotect(p, 3 * 4096, PROT_READ), ENOMEM);
	CHECK_OK(munmap(p, 3 * 4096));
	return 0;
}
