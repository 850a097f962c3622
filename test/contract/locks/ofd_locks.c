/* Open file description locks: owned by the description (two opens in one process conflict, a fork shares them), F_OFD_GETLK reports l_pid -1, they conflict with POSIX locks, and go when the description's last reference closes. */
#include "contract.h"

static struct flock lk(short type, off_t start, off_t len)
{
	struct flock f = { .l_type = type, .l_whence = SEEK_SET,
			   .l_start = start, .l_len = len };
	return f;
}

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "0123456789", 0644);
	int a = CHECK_OK(open(path, O_RDWR));
	int b = CHECK_OK(open(path, O_RDWR));
	struct flock f, q;

	f = lk(F_WRLCK, 0, 5);
	CHECK_OK(fcntl(a, F_OFD_SETLK, &f));
	f = lk(F_RDLCK, 2, 1);
	CHECK_ERRNO(fcntl(b, F_OFD_SETLK, &f), EAGAIN);
	q = lk(F_RDLCK, 0, 0);
	CHECK_OK(fcntl(b, F_OFD_GETLK, &q));
	CHECK_EQ(q.l_type, F_WRLCK);
	CHECK_EQ(q.l_start, 0);
	CHECK_EQ(q.l_len, 5);
	CHECK_EQ(q.l_pid, -1);
	/* Through a itself: no conflict. */
	q = lk(F_WRLCK, 0, 0);
	CHECK_OK(fcntl(a, F_OFD_GETLK, &q));
	CHECK_EQ(q.l_type, F_UNLCK);
	/* A classic POSIX lock of this very process conflicts too. */
	f = lk(F_WRLCK, 4, 2);
	CHECK_ERRNO(fcntl(b, F_SETLK, &f), EAGAIN);
	q = lk(F_WRLCK, 0, 0);
	CHECK_OK(fcntl(b, F_GETLK, &q));
	CHECK_EQ(q.l_type, F_WRLCK);
	CHECK_EQ(q.l_pid, -1);
	f = lk(F_WRLCK, 5, 5);
	CHECK_OK(fcntl(b, F_SETLK, &f));
	q = lk(F_WRLCK, 5, 0);
	CHECK_OK(fcntl(a, F_OFD_GETLK, &q));
	CHECK_EQ(q.l_type, F_WRLCK);
	CHECK_EQ(q.l_start, 5);
	CHECK_EQ(q.l_pid, getpid());

	/* A forked child shares a's description and its lock. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		struct flock g = lk(F_WRLCK, 0, 5);
		if (fcntl(a, F_OFD_SETLK, &g) != 0)
			_exit(1);
		g = lk(F_UNLCK, 0, 2);
		if (fcntl(a, F_OFD_SETLK, &g) != 0)
			_exit(2);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	f = lk(F_WRLCK, 0, 2);
	CHECK_OK(fcntl(b, F_OFD_SETLK, &f));	/* the child unlocked [0,1] */
	f = lk(F_WRLCK, 2, 1);
	CHECK_ERRNO(fcntl(b, F_OFD_SETLK, &f), EAGAIN);

	/* Closing another descriptor of the file does not drop OFD locks. */
	int c = CHECK_OK(open(path, O_RDONLY));
	CHECK_OK(close(c));
	CHECK_ERRNO(fcntl(b, F_OFD_SETLK, &f), EAGAIN);
	/* A dup keeps the description alive; the last close releases. */
	int d = CHECK_OK(dup(a));
	CHECK_OK(close(a));
	CHECK_ERRNO(fcntl(b, F_OFD_SETLK, &f), EAGAIN);
	CHECK_OK(close(d));
	CHECK_OK(fcntl(b, F_OFD_SETLK, &f));
	/* F_OFD_SETLKW with nothing in the way just locks. */
	f = lk(F_WRLCK, 3, 1);
	CHECK_OK(fcntl(b, F_OFD_SETLKW, &f));
	return 0;
}
