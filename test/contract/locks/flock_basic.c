/* flock: shared locks coexist, exclusive conflicts (EWOULDBLOCK), locks belong to the open file description (dup shares it), LOCK_UN, errors. */
#include "contract.h"
#include <sys/file.h>

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "x", 0644);
	int a = CHECK_OK(open(path, O_RDONLY));
	int b = CHECK_OK(open(path, O_WRONLY));

	/* Two descriptions of one process: independent locks. */
	CHECK_OK(flock(a, LOCK_SH));
	CHECK_OK(flock(b, LOCK_SH | LOCK_NB));
	CHECK_ERRNO(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK_OK(flock(a, LOCK_UN));
	CHECK_OK(flock(b, LOCK_EX | LOCK_NB));
	CHECK_ERRNO(flock(a, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	/* Locking again in the same mode is a no-op. */
	CHECK_OK(flock(b, LOCK_EX | LOCK_NB));

	/* A dup shares the description and so the lock. */
	int c = CHECK_OK(dup(b));
	CHECK_OK(close(b));
	CHECK_ERRNO(flock(a, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	CHECK_OK(close(c));		/* last reference: released */
	CHECK_OK(flock(a, LOCK_EX | LOCK_NB));

	/* Unlocking something not locked is fine. */
	int d = CHECK_OK(open(path, O_RDONLY));
	CHECK_OK(flock(d, LOCK_UN));

	/* Errors. */
	CHECK_ERRNO(flock(d, 0), EINVAL);
	CHECK_ERRNO(flock(d, LOCK_NB), EINVAL);
	CHECK_ERRNO(flock(d, LOCK_SH | LOCK_EX), EINVAL);
	CHECK_ERRNO(flock(d, 16), EINVAL);
	CHECK_ERRNO(flock(-1, LOCK_SH), EBADF);
	CHECK_ERRNO(flock(99, LOCK_SH), EBADF);
	int p = CHECK_OK(open(path, O_PATH));
	CHECK_ERRNO(flock(p, LOCK_SH), EBADF);
	return 0;
}
