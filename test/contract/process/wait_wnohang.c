/* WNOHANG returns 0 while the child runs; ECHILD when there are no children. */
#include "contract.h"

int main(void)
{
	int p[2], st;
	char c;

	CHECK_ERRNO(waitpid(-1, &st, WNOHANG), ECHILD);
	CHECK_ERRNO(wait4(-1, &st, 0, NULL), ECHILD);
	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(6);
	}
	close(p[0]);
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
	CHECK_EQ(wait4(-1, &st, WNOHANG, NULL), 0);
	close(p[1]);
	struct rusage ru;
	CHECK_EQ(wait4(pid, &st, 0, &ru), pid);
	CHECK_EXITED(st, 6);
	CHECK_ERRNO(waitpid(pid, &st, WNOHANG), ECHILD);
	CHECK_ERRNO(waitpid(-1, &st, 0x10000000), EINVAL);
	return 0;
}
