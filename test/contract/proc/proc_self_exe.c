/* /proc/self/exe links to the running binary; /proc/self is our pid; /proc/self/cwd follows chdir. */
#include "contract.h"

int main(void)
{
	char exe[4096], buf[64], cwd[512];
	struct stat a, b;

	ssize_t n = CHECK_OK(readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	exe[n] = 0;
	CHECK(exe[0] == '/');
	CHECK(strstr(exe, "/proc/proc_self_exe") != NULL);
	CHECK_OK(stat("/proc/self/exe", &a));
	CHECK_OK(stat(exe, &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	n = CHECK_OK(readlink("/proc/self", buf, sizeof(buf) - 1));
	buf[n] = 0;
	CHECK_EQ(atoi(buf), getpid());
	CHECK_OK(chdir(contract_tmpdir()));
	n = CHECK_OK(readlink("/proc/self/cwd", cwd, sizeof(cwd) - 1));
	cwd[n] = 0;
	char real[512];
	CHECK(realpath(contract_tmpdir(), real) != NULL);
	CHECK(strcmp(cwd, real) == 0);
	CHECK_OK(chdir("/"));
	/* A process that no longer exists has no /proc entry. */
	CHECK_ERRNO(stat("/proc/1073741823", &a), ENOENT);
	return 0;
}
