/* chroot confines path lookup, including "..", and needs root (EPERM otherwise). */
#include "contract.h"

static int child(void *arg)
{
	char buf[64];

	if (chroot(contract_tmpdir()) != 0)
		return 1;
	if (chdir("/") != 0)
		return 2;
	if (access("/inside", F_OK) != 0)
		return 3;
	if (access("/../../inside", F_OK) != 0)
		return 4;
	if (getcwd(buf, sizeof(buf)) == NULL || strcmp(buf, "/"))
		return 5;
	contract_drop_privs();
	errno = 0;
	if (chroot("/") != -1 || errno != EPERM)
		return 6;
	return 0;
}

int main(void)
{
	contract_need_root();
	contract_write_file(contract_path("inside"), "", 0644);
	CHECK_OK(chmod(contract_tmpdir(), 0755));
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	CHECK_ERRNO(chroot(contract_path("inside")), ENOTDIR);
	CHECK_ERRNO(chroot(contract_path("missing")), ENOENT);
	return 0;
}
