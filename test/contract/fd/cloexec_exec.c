/* O_CLOEXEC/FD_CLOEXEC descriptors close on execve; others stay open with their offset. */
#include "contract.h"

int main(int argc, char **argv)
{
	if (argc > 1) {
		if (fcntl(10, F_GETFD) != -1 || errno != EBADF)
			return 1;
		if (fcntl(11, F_GETFD) != -1 || errno != EBADF)
			return 2;
		if (fcntl(12, F_GETFD) != 0)
			return 3;
		if (lseek(12, 0, SEEK_CUR) != 3)
			return 4;
		return 0;
	}
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	CHECK_EQ(write(fd, "abc", 3), 3);
	CHECK_EQ(dup3(fd, 10, O_CLOEXEC), 10);
	CHECK_EQ(dup2(fd, 11), 11);
	CHECK_OK(fcntl(11, F_SETFD, FD_CLOEXEC));
	CHECK_EQ(dup2(fd, 12), 12);
	int o = CHECK_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	CHECK_EQ(fcntl(o, F_GETFD), FD_CLOEXEC);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char *cargv[] = { "/proc/self/exe", "--child", NULL };
		char *cenvp[] = { NULL };
		execve("/proc/self/exe", cargv, cenvp);
		_exit(99);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	/* A failed exec leaves close-on-exec descriptors open. */
	char *nargv[] = { "x", NULL };
	CHECK_ERRNO(execve(contract_path("missing"), nargv, nargv + 1), ENOENT);
	CHECK_EQ(fcntl(10, F_GETFD), FD_CLOEXEC);
	return 0;
}
