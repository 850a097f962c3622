/* Pseudo-terminal helpers shared by the tty contract tests. */
#ifndef CONTRACT_PTY_H
#define CONTRACT_PTY_H

#include "contract.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>

/* Open a master/slave pair; neither becomes the controlling terminal. */
static inline void pty_open(int *master, int *slave, char *name, size_t len)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	char *n;

	if (m < 0 || grantpt(m) || unlockpt(m) || !(n = ptsname(m)))
		CONTRACT_FAIL("posix_openpt/grantpt/unlockpt/ptsname");
	if (name)
		snprintf(name, len, "%s", n);
	if (slave) {
		*slave = open(n, O_RDWR | O_NOCTTY);
		if (*slave < 0)
			CONTRACT_FAIL("open %s", n);
	}
	*master = m;
}

/* Read up to len bytes, waiting at most ms for each chunk; returns bytes read. */
static inline size_t pty_read(int fd, char *buf, size_t len, int ms)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, got ? ms : (ms < 1000 ? ms : 5000)) <= 0 || !(p.revents & POLLIN))
			break;
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/* Wait up to 5 s until fd is readable (data, a completed line or EOF). */
static inline void pty_wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 5000) != 1)
		CONTRACT_FAIL("fd %d did not become readable", fd);
}

/* Wait up to 5 s until FIONREAD on fd reports at least n bytes. */
static inline void pty_wait_bytes(int fd, int n)
{
	long long end = contract_now_ns() + 5000000000LL;
	int avail = 0;

	while (contract_now_ns() < end) {
		if (ioctl(fd, FIONREAD, &avail) == 0 && avail >= n)
			return;
		contract_msleep(1);
	}
	CONTRACT_FAIL("fd %d: %d bytes pending, wanted %d", fd, avail, n);
}

/* Put the terminal in canonical mode with echo off (a clean baseline). */
static inline void pty_set_lflag(int fd, tcflag_t on, tcflag_t off)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		CONTRACT_FAIL("tcgetattr");
	t.c_lflag |= on;
	t.c_lflag &= ~off;
	if (tcsetattr(fd, TCSANOW, &t))
		CONTRACT_FAIL("tcsetattr");
}

/* In a child: become a session leader with the slave as controlling terminal. */
static inline int pty_become_ctty(const char *name)
{
	int s;

	if (setsid() < 0)
		return -1;
	s = open(name, O_RDWR | O_NOCTTY);
	if (s < 0 || ioctl(s, TIOCSCTTY, 0) < 0)
		return -1;
	return s;
}

#endif /* CONTRACT_PTY_H */
