/* Code copied to a mapping runs only after mprotect adds PROT_EXEC. */
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
	/* mov $42, %eax ; ret */
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	memcpy(p, code, sizeof(code));
	CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
	if (!sigsetjmp(jb, 1)) {
		((int (*)(void))p)();
		CHECK(!"executing a non-executable page did not fault");
	}
	CHECK_EQ(got.si_code, SEGV_ACCERR);
	CHECK(got.si_addr == p);
	CHECK_OK(mprotect(p, 4096, PROT_READ | PROT_EXEC));
	CHECK_EQ(((int (*)(void))p)(), 42);
	return 0;
}
