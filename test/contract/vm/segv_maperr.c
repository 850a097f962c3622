/* Touching an unmapped page: SIGSEGV with si_code SEGV_MAPERR and si_addr = the address. */
#include "contract.h"
#include <setjmp.h>

static sigjmp_buf jb;
static volatile uintptr_t low_addr = 16;	/* opaque to the compiler */
static volatile siginfo_t got;

static void handler(int sig, siginfo_t *si, void *uc)
{
	got = *si;
	siglongjmp(jb, 1);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	char *page = contract_unmapped_page();

	CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
	if (!sigsetjmp(jb, 1)) {
		*(volatile char *)(page + 123) = 1;
		CHECK(!"write to unmapped page did not fault");
	}
	CHECK_EQ(got.si_signo, SIGSEGV);
	CHECK_EQ(got.si_code, SEGV_MAPERR);
	CHECK(got.si_addr == page + 123);
	/* NULL page too. */
	if (!sigsetjmp(jb, 1)) {
		(void)*(volatile int *)low_addr;
		CHECK(!"read of address 16 did not fault");
	}
	CHECK_EQ(got.si_code, SEGV_MAPERR);
	CHECK(got.si_addr == (void *)16);
	return 0;
}
