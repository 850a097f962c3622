/* uname: Linux on x86_64, release looks like a version, fields are terminated. */
#include "contract.h"
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;

	memset(&u, 0xff, sizeof(u));
	CHECK_OK(uname(&u));
	CHECK(strcmp(u.sysname, "Linux") == 0);
	CHECK(strcmp(u.machine, "x86_64") == 0);
	CHECK(u.release[0] >= '1' && u.release[0] <= '9');
	CHECK(strchr(u.release, '.') != NULL);
	CHECK(memchr(u.nodename, 0, sizeof(u.nodename)) != NULL);
	CHECK(memchr(u.version, 0, sizeof(u.version)) != NULL);
	CHECK(memchr(u.domainname, 0, sizeof(u.domainname)) != NULL);
	CHECK_ERRNO(syscall(SYS_uname, (void *)1), EFAULT);
	return 0;
}
