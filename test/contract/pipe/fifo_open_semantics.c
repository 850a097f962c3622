/*
 * FIFO opens: O_RDONLY|O_NONBLOCK succeeds without a writer; O_WRONLY|O_NONBLOCK
 * without a reader is ENXIO; a blocking open waits for the other side.
 */
#include "contract.h"

int main(void)
{
	const char *f = contract_path("fifo");
	char buf[8];

	CHECK_OK(mkfifo(f, 0600));
	CHECK_ERRNO(open(f, O_WRONLY | O_NONBLOCK), ENXIO);
	int r = CHECK_OK(open(f, O_RDONLY | O_NONBLOCK));
	/* No writer ever: read returns EOF, not EAGAIN. */
	CHECK_EQ(read(r, buf, sizeof(buf)), 0);
	int w = CHECK_OK(open(f, O_WRONLY | O_NONBLOCK));
	CHECK_ERRNO(read(r, buf, sizeof(buf)), EAGAIN);
	CHECK_EQ(write(w, "hi", 2), 2);
	CHECK_EQ(read(r, buf, sizeof(buf)), 2);
	close(w);
	close(r);

	long long t0 = contract_now_ns();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_msleep(50);
		int fd = open(f, O_WRONLY);
		write(fd, "child", 5);
		_exit(0);
	}
	r = CHECK_OK(open(f, O_RDONLY));	/* blocks until the child opens */
	CHECK(contract_now_ns() - t0 >= 30000000LL);
	CHECK_EQ(read(r, buf, 5), 5);
	CHECK(memcmp(buf, "child", 5) == 0);
	contract_wait(pid);
	/* O_RDWR on a FIFO never blocks. */
	int rw = CHECK_OK(open(f, O_RDWR));
	CHECK_EQ(write(rw, "x", 1), 1);
	CHECK_EQ(read(rw, buf, 1), 1);
	return 0;
}
