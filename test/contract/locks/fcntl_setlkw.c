/* F_SETLKW waits for a conflicting lock to go away, and a caught signal without SA_RESTART interrupts it with EINTR. */
#include "contract.h"

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "data", 0644);
	int fd = CHECK_OK(open(path, O_RDWR));
	struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1 };
	struct flock un = { .l_type = F_UNLCK, .l_whence = SEEK_SET };
	int p[2], back[2];
	char c;

	CHECK_OK(pipe(p));
	CHECK_OK(pipe(back));
	CHECK_OK(fcntl(fd, F_SETLK, &w));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		struct flock r = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
		if (fcntl(fd, F_SETLKW, &r) != 0)
			_exit(1);
		write(p[1], "k", 1);
		/* Holding the read lock until the parent says so. */
		read(back[0], &c, 1);
		_exit(0);
	}
	contract_wait_sleeping(pid);
	CHECK_OK(fcntl(fd, F_SETLK, &un));
	CHECK_EQ(read(p[0], &c, 1), 1);
	/* Now the child holds a read lock on the whole file. */
	struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	CHECK_OK(fcntl(fd, F_GETLK, &q));
	CHECK_EQ(q.l_type, F_RDLCK);
	CHECK_EQ(q.l_pid, pid);
	CHECK_ERRNO(fcntl(fd, F_SETLK, &w), EAGAIN);
	write(back[1], "k", 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_OK(fcntl(fd, F_SETLK, &w));

	pid = CHECK_OK(fork());
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = handler };
		sigaction(SIGUSR1, &sa, NULL);
		struct flock r = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		if (fcntl(fd, F_SETLKW, &r) != -1 || errno != EINTR)
			_exit(2);
		_exit(0);
	}
	contract_wait_sleeping(pid);
	CHECK_OK(kill(pid, SIGUSR1));
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
