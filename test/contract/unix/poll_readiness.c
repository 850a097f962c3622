/* poll/select readiness of unix sockets, and wakeups of a blocked poll
 * by data, a connection, and the peer's close. */
#include "unixsock.h"
#include <sys/select.h>

int main(void)
{
	struct sockaddr_un a;
	socklen_t alen = un_abstract(&a, "poll");
	int sv[2], srv, c, dv[2];
	pid_t pid;
	fd_set r, w;
	struct timeval tv = { 0, 0 };
	char buf[8];

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(poll_one(sv[0], POLLIN | POLLOUT, 0), POLLOUT);
	CHECK_EQ(write(sv[1], "x", 1), 1);
	CHECK_EQ(poll_one(sv[0], POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(sv[0], &r);
	FD_SET(sv[1], &r);
	FD_SET(sv[1], &w);
	CHECK_EQ(select(sv[1] + 1, &r, &w, NULL, &tv), 2);
	CHECK(FD_ISSET(sv[0], &r) && !FD_ISSET(sv[1], &r) && FD_ISSET(sv[1], &w));
	CHECK_EQ(read(sv[0], buf, 1), 1);

	/* a blocked poll wakes for data */
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_msleep(20);
		_exit(write(sv[1], "y", 1) == 1 ? 0 : 1);
	}
	CHECK_EQ(poll_one(sv[0], POLLIN, 5000), POLLIN);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(read(sv[0], buf, 1), 1);
	/* ... and for the peer's close */
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_msleep(20);
		close(sv[1]);
		_exit(0);
	}
	CHECK_OK(close(sv[1]));
	CHECK_EQ(poll_one(sv[0], POLLIN | POLLRDHUP, 5000),
		 POLLIN | POLLRDHUP | POLLHUP);
	CHECK_EXITED(contract_wait(pid), 0);

	/* listener: readable when a connection is pending */
	srv = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_EQ(poll_one(srv, POLLIN | POLLOUT, 0), POLLOUT | POLLHUP);
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	CHECK_OK(listen(srv, 4));
	CHECK_EQ(poll_one(srv, POLLIN | POLLOUT, 0), 0);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_msleep(20);
		c = socket(AF_UNIX, SOCK_STREAM, 0);
		_exit(connect(c, (struct sockaddr *)&a, alen) == 0 ? 0 : 1);
	}
	CHECK_EQ(poll_one(srv, POLLIN, 5000), POLLIN);
	CHECK_EXITED(contract_wait(pid), 0);
	c = CHECK_OK(accept(srv, NULL, NULL));
	CHECK_EQ(poll_one(srv, POLLIN, 0), 0);
	/* the client is gone: its accepted end sees the hangup */
	CHECK_EQ(poll_one(c, POLLIN | POLLOUT | POLLRDHUP, 0),
		 POLLIN | POLLOUT | POLLRDHUP | POLLHUP);

	/* datagram sockets */
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, dv));
	CHECK_EQ(poll_one(dv[0], POLLIN | POLLOUT, 0), POLLOUT);
	CHECK_EQ(send(dv[1], "d", 1, 0), 1);
	CHECK_EQ(poll_one(dv[0], POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	/* an unconnected seqpacket socket is hung up */
	c = CHECK_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	CHECK_EQ(poll_one(c, POLLIN | POLLOUT, 0), POLLOUT | POLLHUP);
	c = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK_EQ(poll_one(c, POLLIN | POLLOUT, 0), POLLOUT);
	return 0;
}
