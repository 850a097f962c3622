/* The send buffer bounds what a stream socket queues: non-blocking writes
 * end in EAGAIN (and the socket stops polling writable), a blocking
 * writer waits for the reader, and everything arrives in order. */
#include "unixsock.h"

#define TOTAL (1 << 20)

int main(void)
{
	static unsigned char out[TOTAL], in[TOTAL];
	int sv[2], v;
	ssize_t n;
	size_t queued = 0, got = 0;
	pid_t pid;

	for (size_t i = 0; i < TOTAL; i++)
		out[i] = (unsigned char)(i * 7 + i / 251);
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
	while ((n = write(sv[0], out, 4096)) > 0)
		queued += (size_t)n;
	CHECK_EQ(n, -1);
	CHECK_EQ(errno, EAGAIN);
	/* at least the default buffer's worth, not unbounded */
	CHECK(queued >= 100000 && queued < 1000000);
	CHECK_EQ(poll_one(sv[0], POLLOUT, 0), 0);
	CHECK_ERRNO(send(sv[0], out, 1, MSG_DONTWAIT), EAGAIN);
	{
		int q = -1;

		CHECK_OK(ioctl(sv[1], FIONREAD, &q));
		CHECK_EQ(q, queued);
	}
	/* reading it all makes room again */
	while (got < queued) {
		n = CHECK_OK(read(sv[1], in, sizeof(in)));
		got += (size_t)n;
	}
	CHECK_EQ(got, queued);
	CHECK_EQ(poll_one(sv[0], POLLOUT, 0), POLLOUT);

	/* a smaller buffer holds less */
	v = 4096;
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	queued = 0;
	while ((n = write(sv[0], out, 100)) > 0)
		queued += (size_t)n;
	CHECK(queued > 0 && queued < 8192);
	while (read(sv[1], in, sizeof(in)) > 0)
		;

	/* a blocking writer and a reader in another process */
	v = 0;
	CHECK_OK(fcntl(sv[0], F_SETFL, 0));
	CHECK_OK(fcntl(sv[1], F_SETFL, 0));
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		size_t r = 0;

		close(sv[0]);
		while (r < TOTAL) {
			n = read(sv[1], in + r, TOTAL - r);
			if (n <= 0)
				_exit(1);
			r += (size_t)n;
		}
		_exit(memcmp(in, out, TOTAL) == 0 ? 0 : 2);
	}
	close(sv[1]);
	CHECK_EQ(write(sv[0], out, TOTAL), TOTAL);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
