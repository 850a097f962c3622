/* Root may setuid to anyone; afterwards it cannot get root back (EPERM). */
#include "contract.h"

static int child(void *arg)
{
	if (setuid(CONTRACT_NOBODY) != 0)
		return 1;
	if (getuid() != CONTRACT_NOBODY || geteuid() != CONTRACT_NOBODY)
		return 2;
	uid_t r, e, s;
	if (getresuid(&r, &e, &s) || s != CONTRACT_NOBODY)
		return 3;
	errno = 0;
	if (setuid(0) != -1 || errno != EPERM)
		return 4;
	if (seteuid(0) != -1 || errno != EPERM)
		return 5;
	/* Setting to one's own uid is always allowed. */
	if (setuid(CONTRACT_NOBODY) != 0)
		return 6;
	return 0;
}

int main(void)
{
	contract_need_root();
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
