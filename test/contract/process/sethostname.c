/* sethostname changes uname's nodename; too long is EINVAL; non-root is EPERM. */
#include "contract.h"
#include <sched.h>
#include <sys/utsname.h>

static int unprivileged(void *arg)
{
	contract_drop_privs();
	errno = 0;
	return sethostname("x", 1) == -1 && errno == EPERM ? 0 : 1;
}

int main(void)
{
	struct utsname old, u;
	char longname[100];

	contract_need_root();
	/* Work in a private UTS namespace when the kernel has them. */
	unshare(CLONE_NEWUTS);
	CHECK_OK(uname(&old));
	CHECK_OK(sethostname("contract-host", 13));
	CHECK_OK(uname(&u));
	CHECK(strcmp(u.nodename, "contract-host") == 0);
	char got[64];
	CHECK_OK(gethostname(got, sizeof(got)));
	CHECK(strcmp(got, "contract-host") == 0);
	memset(longname, 'a', sizeof(longname));
	CHECK_ERRNO(sethostname(longname, 65), EINVAL);
	CHECK_EXITED(contract_run_child(unprivileged, NULL), 0);
	CHECK_OK(sethostname(old.nodename, strlen(old.nodename)));
	CHECK_OK(uname(&u));
	CHECK(strcmp(u.nodename, old.nodename) == 0);
	return 0;
}
