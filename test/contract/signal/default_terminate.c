/* Default action "terminate": the wait status names the signal. */
#include "contract.h"

int main(void)
{
	int sigs[] = { SIGHUP, SIGINT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1, SIGUSR2,
		       SIGVTALRM, SIGPROF, SIGRTMIN, SIGRTMAX };

	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = CHECK_OK(fork());
		if (pid == 0) {
			raise(sigs[i]);
			_exit(100);
		}
		int st = contract_wait(pid);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != sigs[i])
			CONTRACT_FAIL("signal %d: status 0x%x", sigs[i], st);
	}
	return 0;
}
