/* Default action "core": terminated by the signal (WCOREDUMP is not checked). */
#include "contract.h"
#include <sys/prctl.h>

int main(void)
{
	int sigs[] = { SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS,
		       SIGXCPU, SIGXFSZ };
	struct rlimit rl = { 0, 0 };

	/* No core files in the test directory. */
	CHECK_OK(setrlimit(RLIMIT_CORE, &rl));
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = CHECK_OK(fork());
		if (pid == 0) {
			kill(getpid(), sigs[i]);
			_exit(100);
		}
		int st = contract_wait(pid);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != sigs[i])
			CONTRACT_FAIL("signal %d: status 0x%x", sigs[i], st);
	}
	return 0;
}
