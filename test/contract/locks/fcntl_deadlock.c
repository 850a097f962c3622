/* F_SETLKW that would close a cycle of processes waiting on each other's locks fails with EDEADLK; the waiter then gets its lock. */
#include "contract.h"

static struct flock lk(short type, off_t start)
{
	struct flock f = { .l_type = type, .l_whence = SEEK_SET,
			   .l_start = start, .l_len = 1 };
	return f;
}

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "ab", 0644);
	int fd = CHECK_OK(open(path, O_RDWR));
	int p[2];
	char c;
	struct flock f;

	CHECK_OK(pipe(p));
	f = lk(F_WRLCK, 0);
	CHECK_OK(fcntl(fd, F_SETLK, &f));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		struct flock g = lk(F_WRLCK, 1);
		if (fcntl(fd, F_SETLK, &g) != 0)
			_exit(1);
		write(p[1], "k", 1);
		g = lk(F_WRLCK, 0);
		if (fcntl(fd, F_SETLKW, &g) != 0)	/* waits for the parent */
			_exit(2);
		_exit(0);
	}
	CHECK_EQ(read(p[0], &c, 1), 1);
	contract_wait_sleeping(pid);
	/* The child waits for byte 0 (ours); waiting for its byte 1 would deadlock. */
	f = lk(F_WRLCK, 1);
	CHECK_ERRNO(fcntl(fd, F_SETLKW, &f), EDEADLK);
	/* F_SETLK just reports the conflict. */
	CHECK_ERRNO(fcntl(fd, F_SETLK, &f), EAGAIN);
	/* Release byte 0: the child gets it and exits. */
	f = lk(F_UNLCK, 0);
	CHECK_OK(fcntl(fd, F_SETLK, &f));
	CHECK_EXITED(contract_wait(pid), 0);
	f = lk(F_WRLCK, 1);
	CHECK_OK(fcntl(fd, F_SETLKW, &f));
	return 0;
}
