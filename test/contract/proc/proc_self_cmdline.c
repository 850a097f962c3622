/* /proc/self/cmdline is argv joined by NULs; /proc/self/environ holds the environment. */
#include "contract.h"

int main(int argc, char **argv)
{
	char buf[512];

	if (argc == 1) {
		char *cargv[] = { "/proc/self/exe", "one", "", "three", NULL };
		char *cenvp[] = { "K=V", "X=", NULL };
		pid_t pid = CHECK_OK(fork());
		if (pid == 0) {
			execve("/proc/self/exe", cargv, cenvp);
			_exit(99);
		}
		CHECK_EXITED(contract_wait(pid), 0);
		return 0;
	}
	int fd = CHECK_OK(open("/proc/self/cmdline", O_RDONLY));
	ssize_t n = CHECK_OK(read(fd, buf, sizeof(buf)));
	static const char want[] = "/proc/self/exe\0one\0\0three";
	CHECK_EQ(n, sizeof(want));
	CHECK(memcmp(buf, want, sizeof(want)) == 0);
	fd = CHECK_OK(open("/proc/self/environ", O_RDONLY));
	n = CHECK_OK(read(fd, buf, sizeof(buf)));
	CHECK_EQ(n, 7);
	CHECK(memcmp(buf, "K=V\0X=\0", 7) == 0);
	return 0;
}
