/* The saved set-user-ID lets an unprivileged process swap back its euid. */
#include "contract.h"

static int child(void *arg)
{
	uid_t r, e, s;

	if (setresuid(1000, 2000, 0) != 0)
		return 1;
	if (getresuid(&r, &e, &s) || r != 1000 || e != 2000 || s != 0)
		return 2;
	/* euid 2000 is unprivileged, but 0 is the saved uid: allowed. */
	if (seteuid(0) != 0 || geteuid() != 0)
		return 3;
	if (setresuid(1000, 1000, 1000) != 0)
		return 4;
	errno = 0;
	if (setresuid(-1, 0, -1) != -1 || errno != EPERM)
		return 5;
	if (setreuid(-1, 1000) != 0)
		return 6;
	/* -1 leaves a value unchanged. */
	if (getresuid(&r, &e, &s) || r != 1000 || e != 1000 || s != 1000)
		return 7;
	return 0;
}

int main(void)
{
	contract_need_root();
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
