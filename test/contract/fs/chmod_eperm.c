/* Only the owner (or root) may chmod: EPERM otherwise; a non-owner's write clears setuid. */
#include "contract.h"

static int child(void *arg)
{
	contract_drop_privs();
	errno = 0;
	if (chmod(contract_path("rootfile"), 0777) != -1 || errno != EPERM)
		return 1;
	errno = 0;
	if (chown(contract_path("mine"), 0, -1) != -1 || errno != EPERM)
		return 2;
	if (chmod(contract_path("mine"), 0600) != 0)
		return 3;
	return 0;
}

int main(void)
{
	contract_need_root();
	contract_write_file(contract_path("rootfile"), "", 0644);
	contract_write_file(contract_path("mine"), "", 0644);
	CHECK_OK(chown(contract_path("mine"), CONTRACT_NOBODY, CONTRACT_NOBODY));
	CHECK_OK(chmod(contract_tmpdir(), 0755));
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
