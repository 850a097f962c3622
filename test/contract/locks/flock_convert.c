/* flock conversion is not atomic: a failed LOCK_EX|LOCK_NB upgrade has already dropped the shared lock. */
#include "contract.h"
#include <sys/file.h>

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "x", 0644);
	int a = CHECK_OK(open(path, O_RDONLY));
	int b = CHECK_OK(open(path, O_RDONLY));

	CHECK_OK(flock(a, LOCK_SH));
	CHECK_OK(flock(b, LOCK_SH));
	CHECK_ERRNO(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	/* a holds nothing now, so b can upgrade. */
	CHECK_OK(flock(b, LOCK_EX | LOCK_NB));
	CHECK_ERRNO(flock(a, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	/* Downgrade: others may share again. */
	CHECK_OK(flock(b, LOCK_SH | LOCK_NB));
	CHECK_OK(flock(a, LOCK_SH | LOCK_NB));
	return 0;
}
