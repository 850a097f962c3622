/* SA_ONSTACK handlers run on the alternate stack, which reports SS_ONSTACK meanwhile. */
#include "contract.h"

static char altstack[64 * 1024];
static volatile int on_alt, flags_inside, eperm_inside;

static void handler(int sig)
{
	char local;
	stack_t ss, nss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	on_alt = &local >= altstack && &local < altstack + sizeof(altstack);
	sigaltstack(NULL, &ss);
	flags_inside = ss.ss_flags;
	/* Changing the stack while on it is refused. */
	eperm_inside = sigaltstack(&nss, NULL) == -1 && errno == EPERM;
}

int main(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) }, old;
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_ONSTACK };

	CHECK_OK(sigaltstack(NULL, &old));
	CHECK_EQ(old.ss_flags, SS_DISABLE);
	CHECK_OK(sigaltstack(&ss, NULL));
	CHECK_OK(sigaltstack(NULL, &old));
	CHECK_EQ(old.ss_flags, 0);
	CHECK(old.ss_sp == altstack);
	CHECK_EQ(old.ss_size, sizeof(altstack));
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	raise(SIGUSR1);
	CHECK(on_alt);
	CHECK_EQ(flags_inside, SS_ONSTACK);
	CHECK(eperm_inside);
	/* Without SA_ONSTACK the handler uses the normal stack. */
	sa.sa_flags = 0;
	CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
	raise(SIGUSR2);
	CHECK(!on_alt);
	return 0;
}
