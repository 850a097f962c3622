/* umask returns the old mask and filters the mode of new files and directories. */
#include "contract.h"

int main(void)
{
	struct stat st;

	umask(022);
	CHECK_EQ(umask(027), 022);
	CHECK_EQ(umask(027), 027);
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_WRONLY, 0777));
	close(fd);
	CHECK_OK(stat(contract_path("f"), &st));
	CHECK_EQ(st.st_mode & 07777, 0750);
	CHECK_OK(mkdir(contract_path("d"), 0777));
	CHECK_OK(stat(contract_path("d"), &st));
	CHECK_EQ(st.st_mode & 07777, 0750);
	/* Only the low 9 bits are kept. */
	umask(0);
	CHECK_EQ(umask(07777), 0);
	CHECK_EQ(umask(0), 0777);
	/* The mask is inherited by children. */
	umask(077);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(umask(0) == 077 ? 0 : 1);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
