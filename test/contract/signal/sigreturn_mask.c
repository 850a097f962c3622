/*
 * sigreturn installs uc_sigmask: a handler that adds SIGUSR2 to it leaves
 * SIGUSR2 blocked after return; the mask during the handler includes sa_mask.
 */
#include "contract.h"
#include <ucontext.h>

static volatile int usr1_blocked_inside, usr2_blocked_inside, term_blocked_inside;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	usr1_blocked_inside = sigismember(&cur, SIGUSR1);
	term_blocked_inside = sigismember(&cur, SIGTERM);
	usr2_blocked_inside = sigismember(&uc->uc_sigmask, SIGUSR2);
	sigaddset(&uc->uc_sigmask, SIGUSR2);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	sigset_t cur;

	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	raise(SIGUSR1);
	CHECK(usr1_blocked_inside);
	CHECK(term_blocked_inside);
	CHECK(!usr2_blocked_inside);
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &cur));
	CHECK(sigismember(&cur, SIGUSR2));
	CHECK(!sigismember(&cur, SIGUSR1));
	CHECK(!sigismember(&cur, SIGTERM));
	return 0;
}
