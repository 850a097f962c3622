/* Parent and child share the open file description: the offset moves for both. */
#include "contract.h"

int main(void)
{
	char buf[16];
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR | O_TRUNC, 0644));

	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		write(fd, "child,", 6);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 6);
	CHECK_EQ(write(fd, "parent", 6), 6);
	CHECK_EQ(pread(fd, buf, 12, 0), 12);
	CHECK(memcmp(buf, "child,parent", 12) == 0);
	/* A separate open has its own offset. */
	int fd2 = CHECK_OK(open(contract_path("f"), O_RDONLY));
	CHECK_EQ(lseek(fd2, 0, SEEK_CUR), 0);
	return 0;
}
