/* signalfd: reading consumes pending signals of the mask as 128-byte
 * signalfd_siginfo records with Linux's fields (kill: pid/uid; sigqueue:
 * SI_QUEUE and the value; tgkill: SI_TKILL), several per read; an existing
 * signalfd's mask can be replaced; poll reports POLLIN; errors. */
#include "contract.h"
#include <poll.h>
#include <sys/signalfd.h>

int main(void)
{
	struct signalfd_siginfo si[2];
	sigset_t block, mask, pending;
	struct pollfd pfd;
	union sigval val;
	int fd;

	CHECK_EQ(sizeof(struct signalfd_siginfo), 128);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGRTMIN);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, NULL));

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, &mask, 4, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, &mask, 8, 0x1), EINVAL);
	CHECK_ERRNO(syscall(SYS_signalfd4, -1, NULL, 8, 0), EFAULT);
	fd = CHECK_OK(signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK);
	CHECK_ERRNO(read(fd, si, sizeof(si[0])), EAGAIN);
	CHECK_ERRNO(read(fd, si, sizeof(si[0]) - 1), EINVAL);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	CHECK_EQ(poll(&pfd, 1, 0), 0);

	/* kill(): SI_USER with the sender's pid and uid. */
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(poll(&pfd, 1, 0), 1);
	CHECK_EQ(pfd.revents, POLLIN);
	memset(si, 0xa5, sizeof(si));
	CHECK_EQ(read(fd, si, sizeof(si)), 128);
	CHECK_EQ(si[0].ssi_signo, SIGUSR1);
	CHECK_EQ(si[0].ssi_code, SI_USER);
	CHECK_EQ(si[0].ssi_errno, 0);
	CHECK_EQ(si[0].ssi_pid, getpid());
	CHECK_EQ(si[0].ssi_uid, getuid());
	CHECK_EQ(si[0].ssi_int, 0);
	CHECK_EQ(si[0].ssi_ptr, 0);
	CHECK_EQ(si[0].ssi_status, 0);
	CHECK_OK(sigpending(&pending));
	CHECK(!sigismember(&pending, SIGUSR1));          /* consumed */
	CHECK_ERRNO(read(fd, si, sizeof(si)), EAGAIN);

	/* Signals outside the mask stay pending; a new mask takes them. */
	val.sival_int = 42;
	CHECK_OK(sigqueue(getpid(), SIGRTMIN, val));
	CHECK_ERRNO(read(fd, si, sizeof(si)), EAGAIN);
	sigaddset(&mask, SIGRTMIN);
	sigaddset(&mask, SIGUSR2);
	sigaddset(&mask, SIGKILL);                       /* silently dropped */
	CHECK_EQ(signalfd(fd, &mask, 0), fd);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);  /* unchanged */
	CHECK_EQ(read(fd, si, sizeof(si)), 128);
	CHECK_EQ(si[0].ssi_signo, SIGRTMIN);
	CHECK_EQ(si[0].ssi_code, SI_QUEUE);
	CHECK_EQ(si[0].ssi_pid, getpid());
	CHECK_EQ(si[0].ssi_int, 42);
	CHECK_EQ(si[0].ssi_ptr, 42);

	/* Two pending signals in one read, lowest number first. */
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_OK(syscall(SYS_tgkill, getpid(), contract_gettid(), SIGUSR1));
	CHECK_EQ(read(fd, si, sizeof(si)), 256);
	CHECK_EQ(si[0].ssi_signo, SIGUSR1);
	CHECK_EQ(si[0].ssi_code, SI_TKILL);
	CHECK_EQ(si[0].ssi_pid, getpid());
	CHECK_EQ(si[1].ssi_signo, SIGUSR2);
	CHECK_EQ(si[1].ssi_code, SI_USER);

	/* Errors on the descriptor argument. */
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_ERRNO(signalfd(p[0], &mask, 0), EINVAL);
	CHECK_ERRNO(signalfd(9999, &mask, 0), EBADF);
	return 0;
}
