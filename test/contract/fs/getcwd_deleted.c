/* A removed cwd: getcwd fails with ENOENT, and relative lookups in it find nothing. */
#include "contract.h"

static int child(void *arg)
{
	char buf[512];

	if (chdir(contract_path("gone")) != 0)
		return 1;
	if (rmdir(contract_path("gone")) != 0)
		return 2;
	errno = 0;
	if (syscall(SYS_getcwd, buf, sizeof(buf)) != -1 || errno != ENOENT)
		return 3;
	errno = 0;
	if (open("new", O_CREAT | O_WRONLY, 0644) != -1 || errno != ENOENT)
		return 4;
	return 0;
}

int main(void)
{
	CHECK_OK(mkdir(contract_path("gone"), 0755));
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
