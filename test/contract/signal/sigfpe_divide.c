/* Integer division by zero raises SIGFPE with FPE_INTDIV; the handler changes the divisor register. */
#include "contract.h"
#include <ucontext.h>

static volatile int code, calls;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	code = si->si_code;
	calls++;
	/* Retry the same instruction with a divisor of 7. */
	uc->uc_mcontext.gregs[REG_RCX] = 7;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	long q, rem, d = 0;

	CHECK_OK(sigaction(SIGFPE, &sa, NULL));
	__asm__ volatile("xor %%edx, %%edx\n"
			 "divq %%rcx\n"
			 : "=a"(q), "=&d"(rem), "+c"(d) : "a"(50L) : "memory");
	CHECK_EQ(calls, 1);
	CHECK_EQ(code, FPE_INTDIV);
	CHECK_EQ(q, 7);
	CHECK_EQ(rem, 1);
	CHECK_EQ(d, 7);
	return 0;
}
