/* epoll_wait sleeps until an item becomes ready (a write from another
 * process), returns 0 after its timeout, and fails with EINTR when a handled
 * signal arrives, even with SA_RESTART; epoll_pwait applies its signal mask
 * while it waits. */
#include "contract.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

static pid_t signal_when_sleeping(pid_t target, int sig)
{
	pid_t pid;

	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(target);
		_exit(kill(target, sig) == 0 ? 0 : 1);
	}
	return pid;
}

int main(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 1 }, out[2];
	struct sigaction sa = { 0 };
	sigset_t usr1, none;
	long long start;
	pid_t parent = getpid(), pid;
	uint64_t v = 1;
	int ep, efd;

	ep = CHECK_OK(epoll_create1(0));
	efd = CHECK_OK(eventfd(0, 0));
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));

	start = contract_now_ns();
	CHECK_EQ(epoll_wait(ep, out, 2, 50), 0);
	CHECK(contract_now_ns() - start >= 50000000LL);

	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(parent);
		_exit(write(efd, &v, 8) == 8 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(ep, out, 2, -1), 1);
	CHECK_EQ(out[0].events, EPOLLIN);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(read(efd, &v, 8), 8);

	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	pid = signal_when_sleeping(parent, SIGUSR1);
	CHECK_ERRNO(epoll_wait(ep, out, 2, -1), EINTR);
	CHECK_EQ(got, 1);
	CHECK_EXITED(contract_wait(pid), 0);

	/* SIGUSR1 blocked; epoll_pwait unblocks it while waiting. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	CHECK_OK(sigprocmask(SIG_BLOCK, &usr1, NULL));
	pid = signal_when_sleeping(parent, SIGUSR1);
	CHECK_ERRNO(epoll_pwait(ep, out, 2, -1, &none), EINTR);
	CHECK_EQ(got, 2);
	CHECK_EXITED(contract_wait(pid), 0);
	sigset_t now;
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &now));
	CHECK(sigismember(&now, SIGUSR1));      /* the old mask is back */
	return 0;
}
