/* accept(2) on a non-blocking listener with nothing pending fails with
 * EAGAIN; accept4 flags; a full backlog (backlog + 1 pending) makes a
 * non-blocking connect fail with EAGAIN and a blocking one wait for
 * accept. */
#include "unixsock.h"

int main(void)
{
	struct sockaddr_un a;
	socklen_t alen = un_abstract(&a, "backlog");
	int srv, c[3], acc, st;
	pid_t pid;
	char ch;

	srv = CHECK_OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	CHECK_ERRNO(accept(srv, NULL, NULL), EINVAL);   /* not listening */
	CHECK_OK(listen(srv, 0));
	CHECK_ERRNO(accept(srv, NULL, NULL), EAGAIN);
	CHECK_ERRNO(accept4(srv, NULL, NULL, SOCK_CLOEXEC), EAGAIN);
	CHECK_EQ(poll_one(srv, POLLIN | POLLOUT, 0), 0);

	/* backlog 0: one pending connection, then EAGAIN */
	for (int i = 0; i < 3; i++)
		c[i] = CHECK_OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	CHECK_OK(connect(c[0], (struct sockaddr *)&a, alen));
	CHECK_ERRNO(connect(c[1], (struct sockaddr *)&a, alen), EAGAIN);
	CHECK_EQ(poll_one(c[1], POLLIN | POLLOUT, 0), POLLOUT | POLLHUP);
	CHECK_EQ(poll_one(srv, POLLIN, 0), POLLIN);
	/* the connected-but-not-accepted socket can already write */
	CHECK_EQ(write(c[0], "early", 5), 5);
	acc = CHECK_OK(accept4(srv, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
	CHECK_EQ(fcntl(acc, F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(acc, F_GETFL) & O_NONBLOCK);
	{
		char buf[8];

		CHECK_EQ(read(acc, buf, sizeof(buf)), 5);
		CHECK_ERRNO(read(acc, buf, sizeof(buf)), EAGAIN);
	}
	close(acc);
	/* the accepted socket does not inherit O_NONBLOCK */
	CHECK_OK(connect(c[1], (struct sockaddr *)&a, alen));
	acc = CHECK_OK(accept(srv, NULL, NULL));
	CHECK_EQ(fcntl(acc, F_GETFL) & O_NONBLOCK, 0);
	CHECK_EQ(fcntl(acc, F_GETFD), 0);

	/* a blocking connect waits for room */
	CHECK_OK(connect(c[2], (struct sockaddr *)&a, alen));   /* fills it */
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		if (connect(s, (struct sockaddr *)&a, alen) != 0)
			_exit(10);
		if (write(s, "W", 1) != 1)
			_exit(11);
		_exit(0);
	}
	contract_wait_sleeping(pid);
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);        /* still waiting */
	close(CHECK_OK(accept(srv, NULL, NULL)));       /* c[2]: room now */
	CHECK_EXITED(contract_wait(pid), 0);
	acc = CHECK_OK(accept(srv, NULL, NULL));
	CHECK_EQ(read(acc, &ch, 1), 1);
	CHECK_EQ(ch, 'W');
	/* closing the listener resets pending connections */
	CHECK_OK(connect(c[2] = socket(AF_UNIX, SOCK_STREAM, 0),
			 (struct sockaddr *)&a, alen));
	CHECK_OK(close(srv));
	CHECK_ERRNO(read(c[2], &ch, 1), ECONNRESET);
	CHECK_EQ(read(c[2], &ch, 1), 0);
	return 0;
}
