/* epoll_create/epoll_ctl/epoll_wait errors, in Linux's order: EINVAL for bad
 * sizes and flags, EBADF, EPERM for files that cannot be polled, EINVAL for
 * an epoll fd watching itself or a non-epoll epfd, EEXIST, ENOENT, ELOOP for
 * cycles, EINVAL for misuse of EPOLLEXCLUSIVE, EFAULT. */
#include "contract.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>

int main(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	int ep, ep2, p[2], reg, efd;

	CHECK_ERRNO(syscall(SYS_epoll_create, 0), EINVAL);   /* musl: no check */
	CHECK_ERRNO(syscall(SYS_epoll_create, -1), EINVAL);
	CHECK_ERRNO(epoll_create1(0x1), EINVAL);
	ep = CHECK_OK(epoll_create(1));
	CHECK_EQ(fcntl(ep, F_GETFD), 0);
	ep2 = CHECK_OK(epoll_create1(EPOLL_CLOEXEC));
	CHECK_EQ(fcntl(ep2, F_GETFD), FD_CLOEXEC);
	CHECK_OK(pipe(p));
	reg = CHECK_OK(open(contract_path("reg"), O_RDWR | O_CREAT, 0600));
	efd = CHECK_OK(eventfd(0, 0));

	CHECK_ERRNO(epoll_ctl(-1, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev), EPERM);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	CHECK_ERRNO(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	CHECK_ERRNO(epoll_ctl(reg, EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL), EFAULT);
	CHECK_ERRNO(epoll_ctl(ep, 99, p[0], &ev), EINVAL);

	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));   /* no event needed */
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev), ENOENT);

	/* Nesting: ep2 inside ep is fine, ep inside ep2 would be a cycle. */
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev));
	CHECK_ERRNO(epoll_ctl(ep2, EPOLL_CTL_ADD, ep, &ev), ELOOP);
	int ep3 = CHECK_OK(epoll_create1(0));
	CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_ADD, ep3, &ev));
	CHECK_ERRNO(epoll_ctl(ep3, EPOLL_CTL_ADD, ep, &ev), ELOOP);

	/* EPOLLEXCLUSIVE: ADD only, not on epoll fds, only with
	 * EPOLLIN/OUT/ERR/HUP/ET/WAKEUP; the item then refuses MOD. */
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev), EINVAL);
	CHECK_ERRNO(epoll_ctl(ep2, EPOLL_CTL_ADD, ep3, &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLET;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
	ev.events = EPOLLIN;
	CHECK_ERRNO(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev), EINVAL);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL));

	/* epoll_wait. */
	CHECK_ERRNO(epoll_wait(ep, out, 0, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_epoll_wait, ep, out, -1, 0), EINVAL);
	CHECK_ERRNO(epoll_wait(p[0], out, 4, 0), EINVAL);
	CHECK_ERRNO(epoll_wait(999, out, 4, 0), EBADF);
	CHECK_ERRNO(epoll_wait(ep, (struct epoll_event *)(~0UL - 4095), 4, 0),
		    EFAULT);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	sigset_t none;
	sigemptyset(&none);
	CHECK_ERRNO(syscall(SYS_epoll_pwait, ep, out, 4, 0, &none, 4), EINVAL);
	CHECK_EQ(syscall(SYS_epoll_pwait, ep, out, 4, 0, &none, 8), 0);
	struct timespec ts = { 0, 1000000000 };
	CHECK_ERRNO(syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8), EINVAL);
	ts.tv_nsec = 0;
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8), 0);
	return 0;
}
