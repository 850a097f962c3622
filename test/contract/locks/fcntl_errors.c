/* fcntl record-lock errors: EBADF for a lock type the open mode does not allow, EINVAL for bad type/whence/start, EOVERFLOW, EFAULT, and F_OFD_* with l_pid set. */
#include "contract.h"
#include <limits.h>

static struct flock lk(short type, short whence, off_t start, off_t len)
{
	struct flock f = { .l_type = type, .l_whence = whence,
			   .l_start = start, .l_len = len };
	return f;
}

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "0123456789", 0644);
	int rd = CHECK_OK(open(path, O_RDONLY));
	int wr = CHECK_OK(open(path, O_WRONLY));
	struct flock f;

	f = lk(F_WRLCK, SEEK_SET, 0, 0);
	CHECK_ERRNO(fcntl(rd, F_SETLK, &f), EBADF);
	CHECK_ERRNO(fcntl(rd, F_SETLKW, &f), EBADF);
	CHECK_ERRNO(fcntl(rd, F_OFD_SETLK, &f), EBADF);
	f = lk(F_RDLCK, SEEK_SET, 0, 0);
	CHECK_ERRNO(fcntl(wr, F_SETLK, &f), EBADF);
	/* F_GETLK and unlocking need no access mode. */
	f = lk(F_WRLCK, SEEK_SET, 0, 0);
	CHECK_OK(fcntl(rd, F_GETLK, &f));
	CHECK_EQ(f.l_type, F_UNLCK);
	f = lk(F_UNLCK, SEEK_SET, 0, 0);
	CHECK_OK(fcntl(rd, F_SETLK, &f));

	f = lk(7, SEEK_SET, 0, 0);
	CHECK_ERRNO(fcntl(wr, F_SETLK, &f), EINVAL);
	f = lk(F_UNLCK, SEEK_SET, 0, 0);
	CHECK_ERRNO(fcntl(wr, F_GETLK, &f), EINVAL);
	f = lk(F_WRLCK, 3, 0, 0);
	CHECK_ERRNO(fcntl(wr, F_SETLK, &f), EINVAL);
	CHECK_ERRNO(fcntl(wr, F_GETLK, &f), EINVAL);
	f = lk(F_WRLCK, SEEK_SET, -1, 0);
	CHECK_ERRNO(fcntl(wr, F_SETLK, &f), EINVAL);
	f = lk(F_WRLCK, SEEK_SET, 5, -6);
	CHECK_ERRNO(fcntl(wr, F_SETLK, &f), EINVAL);
	f = lk(F_WRLCK, SEEK_END, -11, 1);
	CHECK_ERRNO(fcntl(wr, F_SETLK, &f), EINVAL);
	f = lk(F_WRLCK, SEEK_SET, 10, LLONG_MAX);
	CHECK_ERRNO(fcntl(wr, F_SETLK, &f), EOVERFLOW);
	f = lk(F_WRLCK, SEEK_END, LLONG_MAX, 1);
	CHECK_ERRNO(fcntl(wr, F_SETLK, &f), EOVERFLOW);
	/* The largest range that fits. */
	f = lk(F_WRLCK, SEEK_SET, 1, LLONG_MAX);
	CHECK_OK(fcntl(wr, F_SETLK, &f));

	f = lk(F_WRLCK, SEEK_SET, 0, 1);
	f.l_pid = 1;
	CHECK_ERRNO(fcntl(wr, F_OFD_SETLK, &f), EINVAL);
	CHECK_ERRNO(fcntl(wr, F_OFD_GETLK, &f), EINVAL);
	f.l_pid = 0;
	CHECK_OK(fcntl(wr, F_OFD_SETLK, &f));

	f = lk(F_WRLCK, SEEK_SET, 0, 1);
	CHECK_ERRNO(fcntl(99, F_SETLK, &f), EBADF);
	CHECK_ERRNO(fcntl(wr, F_SETLK, (struct flock *)contract_unmapped_page()),
		    EFAULT);
	CHECK_ERRNO(fcntl(wr, F_GETLK, (struct flock *)contract_unmapped_page()),
		    EFAULT);
	int op = CHECK_OK(open(path, O_PATH));
	CHECK_ERRNO(fcntl(op, F_GETLK, &f), EBADF);
	return 0;
}
