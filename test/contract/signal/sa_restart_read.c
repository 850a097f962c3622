/* A blocking pipe read interrupted by a handler: SA_RESTART resumes it, otherwise EINTR. */
#include "contract.h"

static volatile int hits;

static void handler(int sig)
{
	hits++;
}

static int attempt(int flags, ssize_t *res, int *err)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = flags };
	int p[2];
	char c;

	sigaction(SIGUSR1, &sa, NULL);
	if (pipe(p))
		return -1;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		contract_wait_sleeping(parent);	/* blocked in read */
		kill(parent, SIGUSR1);
		contract_msleep(50);
		write(p[1], "z", 1);
		_exit(0);
	}
	errno = 0;
	*res = read(p[0], &c, 1);
	*err = errno;
	contract_wait(pid);
	close(p[0]);
	close(p[1]);
	return 0;
}

int main(void)
{
	ssize_t r;
	int err;

	CHECK_OK(attempt(SA_RESTART, &r, &err));
	CHECK_EQ(hits, 1);
	CHECK_EQ(r, 1);
	CHECK_OK(attempt(0, &r, &err));
	CHECK_EQ(hits, 2);
	CHECK_EQ(r, -1);
	CHECK_EQ(err, EINTR);
	return 0;
}
