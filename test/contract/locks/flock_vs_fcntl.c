/* flock locks and fcntl record locks are independent: neither blocks the other. */
#include "contract.h"
#include <sys/file.h>

int main(void)
{
	const char *path = contract_path("f");
	contract_write_file(path, "data", 0644);
	int a = CHECK_OK(open(path, O_RDWR));
	int b = CHECK_OK(open(path, O_RDWR));
	struct flock f = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	CHECK_OK(flock(a, LOCK_EX));
	CHECK_OK(fcntl(b, F_OFD_SETLK, &f));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		struct flock g = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		int c = open(path, O_RDWR);
		if (c < 0)
			_exit(1);
		/* Record lock conflicts with b's OFD lock, not a's flock. */
		if (fcntl(c, F_SETLK, &g) != -1 || errno != EAGAIN)
			_exit(2);
		if (flock(c, LOCK_EX | LOCK_NB) != -1 || errno != EWOULDBLOCK)
			_exit(3);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_OK(flock(a, LOCK_UN));
	CHECK_OK(flock(b, LOCK_EX | LOCK_NB));
	return 0;
}
