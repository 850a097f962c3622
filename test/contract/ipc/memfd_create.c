/* memfd_create: an unlinked regular file (mode 0777, no links, "/memfd:NAME (deleted)" in /proc/self/fd) open O_RDWR, MFD_CLOEXEC, ordinary read/write/truncate; EINVAL for unknown flags and names over 249 bytes, EFAULT. */
#include "contract.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#define MFD_ALLOW_SEALING 2U
#endif
#define MFD_NOEXEC_SEAL_ 8U
#define MFD_EXEC_ 0x10U

static int memfd(const char *name, unsigned flags)
{
	return (int)syscall(SYS_memfd_create, name, flags);
}

int main(void)
{
	int fd = CHECK_OK(memfd("test", 0));
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK_EQ(fcntl(fd, F_GETFD), 0);

	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0777);
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_uid, getuid());

	char path[64], link[128] = { 0 };
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK_OK(readlink(path, link, sizeof(link) - 1));
	CHECK(strcmp(link, "/memfd:test (deleted)") == 0);

	char buf[16] = { 0 };
	CHECK_EQ(write(fd, "hello world", 11), 11);
	CHECK_EQ(pread(fd, buf, sizeof(buf), 6), 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	CHECK_OK(ftruncate(fd, 5));
	CHECK_EQ(lseek(fd, 0, SEEK_END), 5);
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_size, 5);

	/* The same name twice: two different files. */
	int other = CHECK_OK(memfd("test", MFD_CLOEXEC));
	CHECK_EQ(fcntl(other, F_GETFD), FD_CLOEXEC);
	struct stat st2;
	CHECK_OK(fstat(other, &st2));
	CHECK(st2.st_ino != st.st_ino);
	CHECK_EQ(st2.st_size, 0);

	/* A forked child shares the file. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(pwrite(fd, "HELLO", 5, 0) == 5 ? 0 : 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(pread(fd, buf, 5, 0), 5);
	CHECK(memcmp(buf, "HELLO", 5) == 0);

	/* Names: up to 249 bytes; empty is fine. */
	char name[300];
	memset(name, 'n', sizeof(name));
	name[249] = 0;
	CHECK_OK(memfd(name, 0));
	name[249] = 'n';
	name[250] = 0;
	CHECK_ERRNO(memfd(name, 0), EINVAL);
	CHECK_OK(memfd("", 0));
	CHECK_ERRNO(memfd((const char *)contract_unmapped_page(), 0), EFAULT);

	CHECK_ERRNO(memfd("x", 0x100), EINVAL);
	CHECK_ERRNO(memfd("x", MFD_EXEC_ | MFD_NOEXEC_SEAL_), EINVAL);
	int ne = CHECK_OK(memfd("x", MFD_NOEXEC_SEAL_));
	CHECK_OK(fstat(ne, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0666);
	return 0;
}
