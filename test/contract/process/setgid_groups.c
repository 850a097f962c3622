/* setgid/setgroups/getgroups; non-root gets EPERM for setgroups and foreign gids. */
#include "contract.h"
#include <grp.h>

static int child(void *arg)
{
	gid_t list[3] = { 10, 20, 30 }, got[8];
	gid_t r, e, s;

	if (setgroups(3, list) != 0)
		return 1;
	if (getgroups(0, NULL) != 3)
		return 2;
	if (getgroups(8, got) != 3 || got[0] != 10 || got[2] != 30)
		return 3;
	errno = 0;
	if (getgroups(1, got) != -1 || errno != EINVAL)
		return 4;
	if (setresgid(500, 500, 500) != 0)
		return 5;
	if (getresgid(&r, &e, &s) || r != 500 || e != 500 || s != 500)
		return 6;
	if (getgid() != 500 || getegid() != 500)
		return 7;
	if (setuid(500) != 0)
		return 8;
	errno = 0;
	if (setgroups(0, NULL) != -1 || errno != EPERM)
		return 9;
	errno = 0;
	if (setgid(0) != -1 || errno != EPERM)
		return 10;
	/* Supplementary groups survive setuid. */
	if (getgroups(8, got) != 3)
		return 11;
	return 0;
}

int main(void)
{
	contract_need_root();
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
