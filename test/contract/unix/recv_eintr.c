/* A signal interrupts a blocked recv/accept: EINTR without SA_RESTART,
 * a restart with it, but EINTR again when SO_RCVTIMEO is set (signal(7),
 * "Interruption of system calls"). */
#include "unixsock.h"
#include <stdbool.h>

static void handler(int sig)
{
}

/* In a child: block in recv(@fd) with @flags as sa_flags; the result
 * and errno go to the parent through the exit status. */
static int child_recv(int fd, int sa_flags, int sync)
{
	struct sigaction sa = { 0 };
	char c;
	ssize_t r;

	sa.sa_handler = handler;
	sa.sa_flags = sa_flags;
	sigaction(SIGUSR1, &sa, NULL);
	if (write(sync, "r", 1) != 1)
		return 100;
	errno = 0;
	r = recv(fd, &c, 1, 0);
	if (r == 1)
		return c == 'D' ? 1 : 101;
	return r == -1 && errno == EINTR ? 2 : 102;
}

static int run(int fd, int peer, int sa_flags, bool send_data)
{
	int sync[2];
	pid_t pid;
	char c;

	CHECK_OK(pipe(sync));
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(child_recv(fd, sa_flags, sync[1]));
	CHECK_EQ(read(sync[0], &c, 1), 1);
	contract_wait_sleeping(pid);
	CHECK_OK(kill(pid, SIGUSR1));
	if (send_data) {
		contract_msleep(50);
		contract_wait_sleeping(pid);    /* restarted, blocked again */
		CHECK_EQ(write(peer, "D", 1), 1);
	}
	close(sync[0]);
	close(sync[1]);
	return contract_wait(pid);
}

int main(void)
{
	int sv[2];
	struct timeval tv = { 10, 0 };

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EXITED(run(sv[0], sv[1], 0, false), 2);
	CHECK_EXITED(run(sv[0], sv[1], SA_RESTART, true), 1);
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	CHECK_EXITED(run(sv[0], sv[1], SA_RESTART, false), 2);
	/* datagram sockets alike */
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EXITED(run(sv[0], sv[1], 0, false), 2);
	CHECK_EXITED(run(sv[0], sv[1], SA_RESTART, true), 1);
	return 0;
}
