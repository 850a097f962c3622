/* POSIX record locks belong to the process: closing any descriptor of the file releases them all, and a forked child does not inherit them. */
#include "contract.h"

static int child_setlk(int fd, short type)
{
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		struct flock f = { .l_type = type, .l_whence = SEEK_SET };
		_exit(fcntl(fd, F_SETLK, &f) == 0 ? 0 : errno);
	}
	int st = contract_wait(pid);
	CHECK(WIFEXITED(st));
	return WEXITSTATUS(st);
}

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "data", 0644);
	int a = CHECK_OK(open(path, O_RDWR));
	int b = CHECK_OK(open(path, O_RDONLY));
	struct flock f = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	CHECK_OK(fcntl(a, F_SETLK, &f));
	/* The child has its own (empty) set of locks: it conflicts. */
	CHECK_EQ(child_setlk(a, F_RDLCK), EAGAIN);
	/* Closing the other descriptor drops the lock taken through a. */
	CHECK_OK(close(b));
	CHECK_EQ(child_setlk(a, F_WRLCK), 0);

	/* A dup'ed descriptor being closed also counts. */
	CHECK_OK(fcntl(a, F_SETLK, &f));
	int c = CHECK_OK(dup(a));
	CHECK_EQ(child_setlk(a, F_RDLCK), EAGAIN);
	CHECK_OK(close(c));
	CHECK_EQ(child_setlk(a, F_RDLCK), 0);

	/* A child that takes a lock and exits releases it. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		_exit(fcntl(a, F_SETLK, &w) == 0 ? 0 : 1);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_OK(fcntl(a, F_SETLK, &f));

	/* The child's close of its inherited copy does not touch ours. */
	pid = CHECK_OK(fork());
	if (pid == 0) {
		close(a);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(child_setlk(a, F_RDLCK), EAGAIN);
	return 0;
}
