/* flock locks belong to the open file description: a forked child shares the parent's lock and may release it; a child's own open() conflicts. */
#include "contract.h"
#include <sys/file.h>

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "x", 0644);
	int fd = CHECK_OK(open(path, O_RDWR));
	CHECK_OK(flock(fd, LOCK_EX));

	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		int other = open(path, O_RDONLY);
		if (other < 0)
			_exit(10);
		/* Through its own description: conflicts with the parent. */
		if (flock(other, LOCK_SH | LOCK_NB) != -1 || errno != EWOULDBLOCK)
			_exit(11);
		/* Through the inherited one: it is the same lock. */
		if (flock(fd, LOCK_EX | LOCK_NB) != 0)
			_exit(12);
		if (flock(fd, LOCK_UN) != 0)
			_exit(13);
		if (flock(other, LOCK_EX | LOCK_NB) != 0)
			_exit(14);
		_exit(0);	/* exit closes other: its lock goes */
	}
	CHECK_EXITED(contract_wait(pid), 0);
	/* The child unlocked the shared description. */
	int again = CHECK_OK(open(path, O_RDONLY));
	CHECK_OK(flock(again, LOCK_EX | LOCK_NB));
	return 0;
}
