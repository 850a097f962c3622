/* Record locks of one process merge when adjacent or overlapping with the same type, split when a middle part is unlocked or changes type; SEEK_CUR, SEEK_END and negative l_len set the range. */
#include "contract.h"

static int fd;

static struct flock lk(short type, short whence, off_t start, off_t len)
{
	struct flock f = { .l_type = type, .l_whence = whence,
			   .l_start = start, .l_len = len };
	return f;
}

static struct flock probe(short type, off_t start, off_t len)
{
	int p[2];
	struct flock q = lk(type, SEEK_SET, start, len), out;

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

static void setlk(short type, short whence, off_t start, off_t len)
{
	struct flock f = lk(type, whence, start, len);
	CHECK_OK(fcntl(fd, F_SETLK, &f));
}

#define EXPECT(r, type, start, len) do { \
	CHECK_EQ((r).l_type, type); \
	CHECK_EQ((r).l_start, start); \
	CHECK_EQ((r).l_len, len); \
} while (0)

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "", 0644);
	fd = CHECK_OK(open(path, O_RDWR));
	CHECK_OK(ftruncate(fd, 100));

	/* Adjacent write locks merge into one. */
	setlk(F_WRLCK, SEEK_SET, 0, 10);
	setlk(F_WRLCK, SEEK_SET, 10, 10);
	struct flock r = probe(F_RDLCK, 0, 0);
	EXPECT(r, F_WRLCK, 0, 20);

	/* Unlocking the middle splits it in two. */
	setlk(F_UNLCK, SEEK_SET, 5, 10);
	r = probe(F_RDLCK, 0, 0);
	EXPECT(r, F_WRLCK, 0, 5);
	r = probe(F_RDLCK, 5, 0);
	EXPECT(r, F_WRLCK, 15, 5);
	r = probe(F_RDLCK, 5, 10);
	CHECK_EQ(r.l_type, F_UNLCK);

	/* A read lock over the gap and into both halves: three pieces. */
	setlk(F_RDLCK, SEEK_SET, 3, 14);
	r = probe(F_RDLCK, 0, 0);
	EXPECT(r, F_WRLCK, 0, 3);
	r = probe(F_RDLCK, 3, 0);
	EXPECT(r, F_WRLCK, 17, 3);
	r = probe(F_WRLCK, 3, 14);
	EXPECT(r, F_RDLCK, 3, 14);

	/* A write lock in the middle of the read lock splits it. */
	setlk(F_WRLCK, SEEK_SET, 8, 2);
	r = probe(F_RDLCK, 3, 14);
	EXPECT(r, F_WRLCK, 8, 2);
	r = probe(F_WRLCK, 3, 5);
	EXPECT(r, F_RDLCK, 3, 5);
	r = probe(F_WRLCK, 10, 7);
	EXPECT(r, F_RDLCK, 10, 7);

	/* Clear, then SEEK_CUR and negative lengths. */
	setlk(F_UNLCK, SEEK_SET, 0, 0);
	CHECK_EQ(lseek(fd, 50, SEEK_SET), 50);
	setlk(F_WRLCK, SEEK_CUR, -10, 5);		/* [40, 44] */
	r = probe(F_RDLCK, 0, 0);
	EXPECT(r, F_WRLCK, 40, 5);
	setlk(F_UNLCK, SEEK_SET, 0, 0);
	setlk(F_WRLCK, SEEK_CUR, 0, -20);		/* [30, 49] */
	r = probe(F_RDLCK, 0, 0);
	EXPECT(r, F_WRLCK, 30, 20);
	setlk(F_UNLCK, SEEK_SET, 0, 0);

	/* SEEK_END is relative to the size at the time of the call. */
	setlk(F_WRLCK, SEEK_END, -1, 1);		/* [99, 99] */
	r = probe(F_RDLCK, 0, 0);
	EXPECT(r, F_WRLCK, 99, 1);
	setlk(F_WRLCK, SEEK_END, 0, 0);			/* [100, EOF]: merges */
	r = probe(F_RDLCK, 0, 0);
	EXPECT(r, F_WRLCK, 99, 0);

	/* Unlocking to EOF from a point trims it. */
	setlk(F_UNLCK, SEEK_SET, 200, 0);
	r = probe(F_RDLCK, 0, 0);
	EXPECT(r, F_WRLCK, 99, 101);
	return 0;
}
