/* F_GETLK from another process reports the conflicting lock (type, SEEK_SET start, length, holder pid); own locks never conflict; F_SETLK conflicts give EAGAIN. */
#include "contract.h"

static int fd;

static struct flock lk(short type, short whence, off_t start, off_t len)
{
	struct flock f = { .l_type = type, .l_whence = whence,
			   .l_start = start, .l_len = len };
	return f;
}

/* Run F_GETLK for @q in a child; return what it saw. */
static struct flock probe(struct flock q)
{
	int p[2];
	struct flock out;

	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		if (fcntl(fd, F_GETLK, &q) != 0)
			_exit(1);
		write(p[1], &q, sizeof(q));
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(read(p[0], &out, sizeof(out)), sizeof(out));
	close(p[0]);
	close(p[1]);
	return out;
}

/* F_SETLK for @q in a child: its errno (0 on success). */
static int try_lock(struct flock q)
{
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(fcntl(fd, F_SETLK, &q) == 0 ? 0 : errno);
	int st = contract_wait(pid);
	CHECK(WIFEXITED(st));
	return WEXITSTATUS(st);
}

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "0123456789", 0644);
	fd = CHECK_OK(open(path, O_RDWR));

	struct flock w = lk(F_WRLCK, SEEK_SET, 10, 5);
	CHECK_OK(fcntl(fd, F_SETLK, &w));

	/* Own lock: F_UNLCK, the rest untouched. */
	struct flock q = lk(F_WRLCK, SEEK_CUR, 0, 0);
	q.l_pid = 1234;
	CHECK_OK(fcntl(fd, F_GETLK, &q));
	CHECK_EQ(q.l_type, F_UNLCK);
	CHECK_EQ(q.l_whence, SEEK_CUR);
	CHECK_EQ(q.l_start, 0);
	CHECK_EQ(q.l_len, 0);
	CHECK_EQ(q.l_pid, 1234);

	/* Another process sees it. */
	struct flock r = probe(lk(F_RDLCK, SEEK_SET, 0, 0));
	CHECK_EQ(r.l_type, F_WRLCK);
	CHECK_EQ(r.l_whence, SEEK_SET);
	CHECK_EQ(r.l_start, 10);
	CHECK_EQ(r.l_len, 5);
	CHECK_EQ(r.l_pid, getpid());

	/* Outside the range: unlocked. */
	r = probe(lk(F_WRLCK, SEEK_SET, 0, 10));
	CHECK_EQ(r.l_type, F_UNLCK);
	r = probe(lk(F_WRLCK, SEEK_SET, 15, 100));
	CHECK_EQ(r.l_type, F_UNLCK);
	CHECK_EQ(try_lock(lk(F_WRLCK, SEEK_SET, 0, 10)), 0);
	CHECK_EQ(try_lock(lk(F_RDLCK, SEEK_SET, 14, 1)), EAGAIN);
	CHECK_EQ(try_lock(lk(F_WRLCK, SEEK_SET, 0, 0)), EAGAIN);

	/* Downgrade to a read lock: readers may share it, writers not. */
	struct flock rd = lk(F_RDLCK, SEEK_SET, 10, 5);
	CHECK_OK(fcntl(fd, F_SETLK, &rd));
	r = probe(lk(F_RDLCK, SEEK_SET, 0, 0));
	CHECK_EQ(r.l_type, F_UNLCK);
	r = probe(lk(F_WRLCK, SEEK_SET, 12, 0));
	CHECK_EQ(r.l_type, F_RDLCK);
	CHECK_EQ(r.l_start, 10);
	CHECK_EQ(r.l_len, 5);
	CHECK_EQ(try_lock(lk(F_RDLCK, SEEK_SET, 0, 0)), 0);
	CHECK_EQ(try_lock(lk(F_WRLCK, SEEK_SET, 11, 1)), EAGAIN);

	/* A lock to EOF reads back with l_len 0. */
	struct flock eof = lk(F_WRLCK, SEEK_SET, 100, 0);
	CHECK_OK(fcntl(fd, F_SETLK, &eof));
	r = probe(lk(F_RDLCK, SEEK_SET, 1000000, 1));
	CHECK_EQ(r.l_type, F_WRLCK);
	CHECK_EQ(r.l_start, 100);
	CHECK_EQ(r.l_len, 0);

	/* Unlock everything. */
	struct flock un = lk(F_UNLCK, SEEK_SET, 0, 0);
	CHECK_OK(fcntl(fd, F_SETLK, &un));
	r = probe(lk(F_WRLCK, SEEK_SET, 0, 0));
	CHECK_EQ(r.l_type, F_UNLCK);
	return 0;
}
