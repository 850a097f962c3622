/*
 * Writing an integer sysctl (/proc/sys/kernel/randomize_va_space, needs
 * root; the old value is written back): Linux's proc_dointvec parsing
 * (white space around one decimal, 0x hex or 0 octal number; junk after
 * it, no number or overflow: EINVAL; the bytes used are returned), writes
 * past offset 0 accepted and ignored, mode 0644 (others get EACCES).
 */
#include "contract.h"

#define SYSCTL "/proc/sys/kernel/randomize_va_space"

static char saved[16];

static void restore(void)
{
	int fd;

	if (!saved[0])
		return;
	fd = open(SYSCTL, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, saved, strlen(saved)) < 0)
			perror("restore " SYSCTL);
		close(fd);
	}
}

static int value(void)
{
	char buf[32];
	int fd = CHECK_OK(open(SYSCTL, O_RDONLY));
	long n = CHECK_OK(read(fd, buf, sizeof(buf) - 1));

	close(fd);
	buf[n] = '\0';
	CHECK(n >= 2 && buf[n - 1] == '\n');
	return atoi(buf);
}

/* write(2) of @s at offset @off: its result (or -errno). */
static long put(const char *s, off_t off)
{
	int fd = CHECK_OK(open(SYSCTL, O_WRONLY));
	long r = off ? pwrite(fd, s, strlen(s), off) : write(fd, s, strlen(s));

	if (r < 0)
		r = -errno;
	close(fd);
	return r;
}

int main(void)
{
	struct stat st;
	pid_t pid;
	long n;
	int fd;

	CHECK_OK(stat(SYSCTL, &st));
	CHECK_EQ(st.st_mode & 07777, 0644);
	CHECK(S_ISREG(st.st_mode));
	contract_need_root();
	fd = CHECK_OK(open(SYSCTL, O_RDONLY));
	n = CHECK_OK(read(fd, saved, sizeof(saved) - 1));
	close(fd);
	saved[n] = '\0';
	atexit(restore);

	CHECK_EQ(put("1\n", 0), 2);
	CHECK_EQ(value(), 1);
	CHECK_EQ(put("  0 \n", 0), 5);
	CHECK_EQ(value(), 0);
	CHECK_EQ(put("2 1", 0), 2);             /* one number: "2 " used */
	CHECK_EQ(value(), 2);
	CHECK_EQ(put("0x1", 0), 3);
	CHECK_EQ(value(), 1);
	CHECK_EQ(put("010", 0), 3);             /* octal */
	CHECK_EQ(value(), 8);
	CHECK_EQ(put("-1", 0), 2);
	CHECK_EQ(value(), -1);
	CHECK_EQ(put("abc", 0), -EINVAL);
	CHECK_EQ(put("1x", 0), -EINVAL);
	CHECK_EQ(put("+1", 0), -EINVAL);
	CHECK_EQ(put("\n", 0), -EINVAL);
	CHECK_EQ(put("99999999999", 0), -EINVAL);
	CHECK_EQ(value(), -1);
	CHECK_EQ(put("", 0), 0);
	CHECK_EQ(put("0", 1), 1);               /* past offset 0: ignored */
	CHECK_EQ(value(), -1);
	CHECK_EQ(put("2", 0), 1);
	CHECK_EQ(value(), 2);

	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_drop_privs();
		CHECK_ERRNO(open(SYSCTL, O_WRONLY), EACCES);
		CHECK(value() == 2);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	return 0;
}
