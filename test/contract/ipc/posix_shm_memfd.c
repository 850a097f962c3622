/* POSIX shared memory (shm_open in /dev/shm) and memfd mappings: a
 * MAP_SHARED mapping of either is shared with a forked child and with
 * read(2)/write(2) on the descriptor; shm_unlink removes the name while
 * mappings stay valid; a sealed memfd refuses a writable shared mapping
 * (F_SEAL_WRITE: EPERM), can only be sealed once no shared mapping can
 * write (EBUSY), and its read-only shared mappings never become writable. */
#include "contract.h"
#include <sys/mman.h>

#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_WRITE 0x0008
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif

static void check_shared(int fd)
{
	char buf[8];
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		memcpy(m, "child", 6);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK(strcmp(m, "child") == 0);
	CHECK_EQ(pread(fd, buf, 6, 0), 6);
	CHECK(strcmp(buf, "child") == 0);
	CHECK_EQ(pwrite(fd, "write", 6, 0), 6);
	CHECK(strcmp(m, "write") == 0);
	CHECK_OK(munmap(m, 4096));
}

int main(void)
{
	char name[64];
	snprintf(name, sizeof(name), "/contract-shm-%d", (int)getpid());
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK_OK(ftruncate(fd, 4096));
	char *keep = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(keep != MAP_FAILED);
	check_shared(fd);
	CHECK_OK(shm_unlink(name));
	CHECK_ERRNO(shm_open(name, O_RDWR, 0), ENOENT);
	CHECK(strcmp(keep, "write") == 0);      /* still mapped */
	close(fd);

	int mfd = CHECK_OK(syscall(SYS_memfd_create, "contract", MFD_ALLOW_SEALING));
	CHECK_OK(ftruncate(mfd, 4096));
	check_shared(mfd);
	/* Not while a shared mapping can write. */
	char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	CHECK(w != MAP_FAILED);
	CHECK_ERRNO(fcntl(mfd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
	CHECK_OK(munmap(w, 4096));
	CHECK_OK(fcntl(mfd, F_ADD_SEALS, F_SEAL_WRITE));
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0) == MAP_FAILED);
	CHECK_EQ(errno, EPERM);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, mfd, 0);
	CHECK(ro != MAP_FAILED);
	CHECK(strcmp(ro, "write") == 0);
	CHECK_ERRNO(mprotect(ro, 4096, PROT_READ | PROT_WRITE), EACCES);
	return 0;
}
