/* prlimit64 reads and sets limits of self (pid 0) and of a child process. */
#include "contract.h"
#include <sys/resource.h>

struct k_rlimit64 { uint64_t cur, max; };

int main(void)
{
	struct k_rlimit64 old, nw = { 4096, 8192 };
	struct rlimit rl;
	char buf[4096];
	int p[2];

	CHECK_OK(getrlimit(RLIMIT_STACK, &rl));
	CHECK_OK(syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &old));
	CHECK_EQ(old.cur, (uint64_t)rl.rlim_cur);
	CHECK_EQ(old.max, (uint64_t)rl.rlim_max);

	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1);
		struct rlimit r;
		getrlimit(RLIMIT_CORE, &r);
		_exit(r.rlim_cur == 4096 && r.rlim_max == 8192 ? 0 : 1);
	}
	close(p[0]);
	CHECK_OK(syscall(SYS_prlimit64, pid, RLIMIT_CORE, &nw, &old));
	CHECK_OK(syscall(SYS_prlimit64, pid, RLIMIT_CORE, NULL, &old));
	CHECK_EQ(old.cur, 4096);
	CHECK_EQ(old.max, 8192);
	close(p[1]);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_ERRNO(syscall(SYS_prlimit64, pid, RLIMIT_CORE, NULL, &old), ESRCH);
	(void)buf;
	return 0;
}
