/* An inotify fd polls readable when events are queued; a blocking read sleeps until an event arrives (from another process); a caught signal interrupts it with EINTR. */
#include "contract.h"
#include <sys/inotify.h>
#include <poll.h>
#include <sys/select.h>

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	int in = CHECK_OK(inotify_init());
	const char *path = contract_path("f");
	contract_write_file(path, "x", 0644);
	int w = CHECK_OK(inotify_add_watch(in, path, IN_OPEN));
	struct pollfd pfd = { .fd = in, .events = POLLIN };
	char buf[64] __attribute__((aligned(8)));

	CHECK_EQ(poll(&pfd, 1, 0), 0);
	close(CHECK_OK(open(path, O_RDONLY)));
	CHECK_EQ(poll(&pfd, 1, 0), 1);
	CHECK_EQ(pfd.revents, POLLIN);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(in, &rs);
	struct timeval tv = { 0, 0 };
	CHECK_EQ(select(in + 1, &rs, NULL, NULL, &tv), 1);
	CHECK_EQ(read(in, buf, sizeof(buf)), 16);
	CHECK_EQ(poll(&pfd, 1, 0), 0);

	/* A blocking read waits for a child's open. */
	pid_t me = getpid();
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(me);
		close(open(path, O_RDONLY));
		_exit(0);
	}
	CHECK_EQ(read(in, buf, sizeof(buf)), 16);
	struct inotify_event *e = (struct inotify_event *)buf;
	CHECK_EQ(e->wd, w);
	CHECK_EQ(e->mask, IN_OPEN);
	CHECK_EXITED(contract_wait(pid), 0);

	/* A poll that sleeps is woken too. */
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(me);
		close(open(path, O_RDONLY));
		_exit(0);
	}
	CHECK_EQ(poll(&pfd, 1, 5000), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(read(in, buf, sizeof(buf)), 16);

	struct sigaction sa = { .sa_handler = handler };
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(me);
		kill(me, SIGUSR1);
		_exit(0);
	}
	CHECK_ERRNO(read(in, buf, sizeof(buf)), EINTR);
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
