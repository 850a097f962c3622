/* SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU stop; SIGCONT resumes; SIGKILL kills a stopped process. */
#include "contract.h"

int main(void)
{
	int stops[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	int p[2], st;

	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char c;
		close(p[1]);
		while (read(p[0], &c, 1) == 1)
			;
		_exit(3);
	}
	close(p[0]);
	for (unsigned i = 0; i < 4; i++) {
		CHECK_OK(kill(pid, stops[i]));
		CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
		CHECK(WIFSTOPPED(st));
		CHECK_EQ(WSTOPSIG(st), stops[i]);
		CHECK_OK(kill(pid, SIGCONT));
		CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
		CHECK(WIFCONTINUED(st));
	}
	/* A stopped process does not run: the pipe write is not consumed... */
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	/* ...but SIGKILL ends it at once. */
	CHECK_OK(kill(pid, SIGKILL));
	CHECK_SIGNALED(contract_wait(pid), SIGKILL);
	close(p[1]);
	return 0;
}
