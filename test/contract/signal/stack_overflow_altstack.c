/* Stack overflow is caught by a SIGSEGV handler running on the alternate stack. */
#include "contract.h"

static char altstack[64 * 1024];
static volatile int limit = 1 << 30;

static int recurse(volatile char *p, int n)
{
	volatile char buf[2048];

	buf[0] = p ? p[0] + 1 : 0;
	if (n >= limit)
		return 0;
	return recurse(buf, n + 1) + buf[1];
}

static void handler(int sig, siginfo_t *si, void *uc)
{
	char local;

	if (&local >= altstack && &local < altstack + sizeof(altstack) &&
	    si->si_code == SEGV_MAPERR)
		_exit(0);
	_exit(2);
}

static int child(void *arg)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO | SA_ONSTACK };

	setrlimit(RLIMIT_STACK, &rl);
	if (sigaltstack(&ss, NULL) || sigaction(SIGSEGV, &sa, NULL))
		return 3;
	return recurse(NULL, 0);
}

int main(void)
{
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
