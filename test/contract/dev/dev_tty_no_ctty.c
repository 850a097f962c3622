/* Opening /dev/tty without a controlling terminal fails with ENXIO. */
#include "contract.h"

static int child(void *arg)
{
	if (setsid() < 0)
		return 1;
	errno = 0;
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return 2;
	struct stat st;
	if (stat("/dev/tty", &st) || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 ||
	    minor(st.st_rdev) != 0)
		return 3;
	return 0;
}

int main(void)
{
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	return 0;
}
