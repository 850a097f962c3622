/* syslog(2): a /dev/kmsg message shows in READ_ALL with its priority prefix (facility user), sizes, Linux's errno for bad actions, lengths and pointers, EPERM for non-root (dmesg_restrict, Debian's default). */
#include "contract.h"
#include <sys/klog.h>
#include <sys/wait.h>

int main(void)
{
	static char buf[1 << 20];
	char msg[64], want[80];

	int size = CHECK_OK(klogctl(10, NULL, 0));
	CHECK(size >= 4096);
	snprintf(msg, sizeof(msg), "<5>contract-syslog-%d\n", (int)getpid());
	int fd = CHECK_OK(open("/dev/kmsg", O_WRONLY));
	CHECK_EQ(write(fd, msg, strlen(msg)), (ssize_t)strlen(msg));
	close(fd);
	int n = CHECK_OK(klogctl(3, buf, sizeof(buf) - 1));
	CHECK(n > 0 && n <= (int)sizeof(buf) - 1);
	buf[n] = '\0';
	/* Facility user (1) and level 5: priority 13. */
	snprintf(want, sizeof(want), "<13>[");
	char *hit = strstr(buf, msg + 3);
	CHECK(hit != NULL);
	if (hit) {
		char *line = hit;
		while (line > buf && line[-1] != '\n')
			line--;
		CHECK(strncmp(line, want, strlen(want)) == 0);
	}
	/* A small buffer gets the newest whole lines only. */
	n = CHECK_OK(klogctl(3, buf, 200));
	CHECK(n <= 200);
	CHECK(n == 0 || buf[n - 1] == '\n');
	CHECK(n == 0 || buf[0] == '<');
	CHECK_EQ(klogctl(3, buf, 0), 0);
	CHECK_OK(klogctl(9, NULL, 0));
	CHECK_EQ(klogctl(0, NULL, 0), 0);
	CHECK_EQ(klogctl(1, NULL, 0), 0);
	CHECK_ERRNO(klogctl(3, NULL, 10), EINVAL);
	CHECK_ERRNO(klogctl(3, buf, -1), EINVAL);
	CHECK_ERRNO(klogctl(3, (char *)1, 100), EFAULT);
	CHECK_ERRNO(klogctl(8, NULL, 0), EINVAL);
	CHECK_ERRNO(klogctl(8, NULL, 9), EINVAL);
	CHECK_ERRNO(klogctl(11, NULL, 0), EINVAL);
	CHECK_ERRNO(klogctl(-1, NULL, 0), EINVAL);

	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		if (setuid(65534) != 0)
			_exit(90);
		if (klogctl(3, buf, 100) != -1 || errno != EPERM)
			_exit(91);
		if (klogctl(10, NULL, 0) != -1 || errno != EPERM)
			_exit(92);
		if (klogctl(5, NULL, 0) != -1 || errno != EPERM)
			_exit(93);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
