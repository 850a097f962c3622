/* Default action "ignore": SIGCHLD, SIGURG, SIGWINCH and SIGCONT do not terminate. */
#include "contract.h"

int main(void)
{
	pid_t pid = CHECK_OK(fork());

	if (pid == 0) {
		raise(SIGCHLD);
		raise(SIGURG);
		raise(SIGWINCH);
		raise(SIGCONT);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
