/* ud2 raises SIGILL with ILL_ILLOPN and si_addr at the instruction; the handler skips it. */
#include "contract.h"
#include <ucontext.h>

extern char contract_ud2[];
static volatile int code;
static void *volatile addr;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	code = si->si_code;
	addr = si->si_addr;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };

	CHECK_OK(sigaction(SIGILL, &sa, NULL));
	__asm__ volatile(".globl contract_ud2\ncontract_ud2:\nud2\n" ::: "memory");
	CHECK_EQ(code, ILL_ILLOPN);
	CHECK(addr == (void *)contract_ud2);
	return 0;
}
