/* A blocking flock waits until the holder unlocks; a caught signal interrupts the wait with EINTR. */
#include "contract.h"
#include <sys/file.h>

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "x", 0644);
	int fd = CHECK_OK(open(path, O_RDONLY));
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_OK(flock(fd, LOCK_EX));

	/* 1: the waiter gets the lock once it is released. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		int mine = open(path, O_RDONLY);
		if (mine < 0 || flock(mine, LOCK_SH) != 0)
			_exit(1);
		char c = 'k';
		write(p[1], &c, 1);
		_exit(0);
	}
	contract_wait_sleeping(pid);
	char c;
	CHECK_OK(flock(fd, LOCK_UN));
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EXITED(contract_wait(pid), 0);

	/* 2: a signal without SA_RESTART ends the wait with EINTR. */
	CHECK_OK(flock(fd, LOCK_EX));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = handler };
		sigaction(SIGUSR1, &sa, NULL);
		int mine = open(path, O_RDONLY);
		if (mine < 0)
			_exit(1);
		if (flock(mine, LOCK_EX) != -1 || errno != EINTR)
			_exit(2);
		_exit(0);
	}
	contract_wait_sleeping(pid);
	CHECK_OK(kill(pid, SIGUSR1));
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
