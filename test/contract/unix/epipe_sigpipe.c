/* A stream write to a closed peer raises SIGPIPE and fails with EPIPE;
 * MSG_NOSIGNAL suppresses the signal; after shutdown(SHUT_WR) the same. */
#include "unixsock.h"

static int child(void *arg)
{
	int mode = *(int *)arg, sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 10;
	if (mode == 3) {
		if (shutdown(sv[0], SHUT_WR))
			return 11;
	} else {
		close(sv[1]);
	}
	if (mode == 1)
		signal(SIGPIPE, SIG_IGN);
	errno = 0;
	if (mode == 2) {
		if (send(sv[0], "x", 1, MSG_NOSIGNAL) != -1 || errno != EPIPE)
			return 12;
		return 0;
	}
	if (write(sv[0], "x", 1) != -1 || errno != EPIPE)
		return 13;
	return 0;
}

int main(void)
{
	int mode, sv[2];
	char c;

	mode = 0;       /* default action: killed by SIGPIPE */
	CHECK_SIGNALED(contract_run_child(child, &mode), SIGPIPE);
	mode = 1;       /* ignored: EPIPE */
	CHECK_EXITED(contract_run_child(child, &mode), 0);
	mode = 2;       /* MSG_NOSIGNAL: EPIPE, no signal */
	CHECK_EXITED(contract_run_child(child, &mode), 0);
	mode = 3;       /* after SHUT_WR */
	CHECK_SIGNALED(contract_run_child(child, &mode), SIGPIPE);

	/* The peer shut down its reading side: EPIPE too. */
	signal(SIGPIPE, SIG_IGN);
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK(shutdown(sv[1], SHUT_RD));
	CHECK_ERRNO(write(sv[0], "x", 1), EPIPE);
	/* Closing with unread data: the writer's reads see ECONNRESET once,
	 * then EOF. */
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "abc", 3), 3);
	CHECK_OK(close(sv[1]));
	CHECK_EQ(sockopt_int(sv[0], SO_ERROR), ECONNRESET);
	CHECK_EQ(sockopt_int(sv[0], SO_ERROR), 0);
	CHECK_EQ(read(sv[0], &c, 1), 0);
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "abc", 3), 3);
	CHECK_OK(close(sv[1]));
	CHECK_EQ(poll_one(sv[0], POLLIN | POLLOUT, 0),
		 POLLIN | POLLOUT | POLLHUP | POLLERR);
	CHECK_ERRNO(read(sv[0], &c, 1), ECONNRESET);
	CHECK_EQ(read(sv[0], &c, 1), 0);
	CHECK_ERRNO(write(sv[0], "x", 1), EPIPE);
	return 0;
}
