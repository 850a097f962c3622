/* setrlimit: soft above hard is EINVAL; raising hard without privilege is EPERM. */
#include "contract.h"
#include <sys/resource.h>

static int child(void *arg)
{
	struct rlimit rl = { 64, 128 }, got;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 1;
	contract_drop_privs();
	rl.rlim_max = 256;
	errno = 0;
	if (setrlimit(RLIMIT_NOFILE, &rl) != -1 || errno != EPERM)
		return 2;
	/* Lowering the hard limit and moving the soft limit up to it are allowed. */
	rl.rlim_cur = 100;
	rl.rlim_max = 100;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 3;
	if (getrlimit(RLIMIT_NOFILE, &got) || got.rlim_cur != 100 || got.rlim_max != 100)
		return 4;
	return 0;
}

int main(void)
{
	struct rlimit rl = { 200, 100 };

	CHECK_ERRNO(setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
	CHECK_ERRNO(syscall(SYS_getrlimit, 1000, &rl), EINVAL);
	contract_need_root();
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
