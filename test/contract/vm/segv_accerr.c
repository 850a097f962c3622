/* Writing a read-only page or reading a PROT_NONE page: SEGV_ACCERR with si_addr. */
#include "contract.h"
#include <setjmp.h>

static sigjmp_buf jb;
static volatile siginfo_t got;

static void handler(int sig, siginfo_t *si, void *uc)
{
	got = *si;
	siglongjmp(jb, 1);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	p[0] = 5;
	CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
	CHECK_OK(mprotect(p, 4096, PROT_READ));
	CHECK_EQ(p[0], 5);		/* still readable */
	if (!sigsetjmp(jb, 1)) {
		*(volatile char *)(p + 10) = 1;
		CHECK(!"write to read-only page did not fault");
	}
	CHECK_EQ(got.si_code, SEGV_ACCERR);
	CHECK(got.si_addr == p + 10);
	CHECK_OK(mprotect(p + 4096, 4096, PROT_NONE));
	if (!sigsetjmp(jb, 1)) {
		(void)*(volatile char *)(p + 4096 + 7);
		CHECK(!"read of PROT_NONE page did not fault");
	}
	CHECK_EQ(got.si_code, SEGV_ACCERR);
	CHECK(got.si_addr == p + 4096 + 7);
	/* Restore write access: the old contents are intact. */
	CHECK_OK(mprotect(p, 8192, PROT_READ | PROT_WRITE));
	p[1] = 6;
	CHECK_EQ(p[0], 5);
	return 0;
}
