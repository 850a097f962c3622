/* poll waits at least its timeout when nothing is ready and wakes early when data arrives. */
#include "contract.h"
#include <poll.h>

int main(void)
{
	int p[2];
	struct pollfd fd;

	CHECK_OK(pipe(p));
	fd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	long long t0 = contract_now_ns();
	CHECK_EQ(poll(&fd, 1, 60), 0);
	long long dt = contract_now_ns() - t0;
	CHECK(dt >= 60000000LL);
	t0 = contract_now_ns();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_msleep(40);
		write(p[1], "x", 1);
		_exit(0);
	}
	CHECK_EQ(poll(&fd, 1, 5000), 1);
	dt = contract_now_ns() - t0;
	CHECK(dt >= 30000000LL && dt < 4000000000LL);
	contract_wait(pid);
	/* No fds: a pure sleep. */
	t0 = contract_now_ns();
	CHECK_EQ(poll(NULL, 0, 30), 0);
	CHECK(contract_now_ns() - t0 >= 30000000LL);
	CHECK_ERRNO(syscall(SYS_poll, (void *)1, 1, 0), EFAULT);
	/* More fds than RLIMIT_NOFILE allows. */
	CHECK_ERRNO(syscall(SYS_poll, &fd, 1UL << 20, 0), EINVAL);
	return 0;
}
