/* eventfd: a read of an empty counter sleeps until a write; a write that would
 * pass UINT64_MAX - 1 sleeps until a read; poll reports POLLIN and POLLOUT. */
#include "contract.h"
#include <poll.h>
#include <sys/eventfd.h>

static int efd;

static int writer(void *arg)
{
	uint64_t v = (uint64_t)(uintptr_t)arg;

	contract_wait_sleeping(getppid());
	return write(efd, &v, sizeof(v)) == 8 ? 0 : 1;
}

int main(void)
{
	struct pollfd pfd;
	uint64_t v;
	pid_t pid;

	efd = CHECK_OK(eventfd(0, 0));
	pfd = (struct pollfd){ .fd = efd, .events = POLLIN | POLLOUT };
	CHECK_EQ(poll(&pfd, 1, 0), 1);
	CHECK_EQ(pfd.revents, POLLOUT);

	/* A blocked reader is woken by a write from another process. */
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(writer((void *)(uintptr_t)42));
	CHECK_EQ(read(efd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 42);
	CHECK_EXITED(contract_wait(pid), 0);

	/* A full counter: POLLIN only, and a writer sleeps until a read. */
	v = UINT64_MAX - 1;
	CHECK_EQ(write(efd, &v, sizeof(v)), 8);
	CHECK_EQ(poll(&pfd, 1, 0), 1);
	CHECK_EQ(pfd.revents, POLLIN);
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		v = 5;
		_exit(write(efd, &v, sizeof(v)) == 8 ? 0 : 1);
	}
	contract_wait_sleeping(pid);
	CHECK_EQ(read(efd, &v, sizeof(v)), 8);
	CHECK_EQ(v, UINT64_MAX - 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(read(efd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 5);
	return 0;
}
