/* /dev/ptmx is the pty multiplexer (5,2); each open gives a new pty number. */
#include "contract.h"
#include <sys/ioctl.h>

int main(void)
{
	struct stat st;
	int a = CHECK_OK(open("/dev/ptmx", O_RDWR | O_NOCTTY));
	int b = CHECK_OK(open("/dev/ptmx", O_RDWR | O_NOCTTY));
	int na, nb;

	CHECK_OK(stat("/dev/ptmx", &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_OK(ioctl(a, TIOCGPTN, &na));
	CHECK_OK(ioctl(b, TIOCGPTN, &nb));
	CHECK(na != nb);
	CHECK_OK(stat("/dev/pts", &st));
	CHECK(S_ISDIR(st.st_mode));
	return 0;
}
